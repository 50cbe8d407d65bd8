package postgres_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/outreachhq/outreach/core/store/postgres"
	"github.com/outreachhq/outreach/core/store/postgres/pgtest"
)

func TestOpenRefusesAnUnmigratedDatabase(t *testing.T) {
	url := pgtest.EmptyDatabase(t)
	st, err := postgres.Open(t.Context(), url, postgres.Options{})
	if err == nil {
		st.Close()
		t.Fatal("Open of an empty database without Migrate succeeded")
	}
	if !errors.Is(err, postgres.ErrSchemaOlder) || !strings.Contains(err.Error(), "outreach migrate") {
		t.Errorf("Open = %v; want ErrSchemaOlder, saying to run `outreach migrate`", err)
	}

	from, to, err := postgres.Migrate(t.Context(), url)
	if err != nil || from != 0 || to != postgres.SchemaVersion {
		t.Fatalf("Migrate = %d, %d, %v; want 0, %d", from, to, err, postgres.SchemaVersion)
	}
	open(t, url, postgres.Options{})

	from, to, err = postgres.Migrate(t.Context(), url)
	if err != nil || from != postgres.SchemaVersion || to != postgres.SchemaVersion {
		t.Errorf("Migrate again = %d, %d, %v; want a no-op at %d", from, to, err, postgres.SchemaVersion)
	}
	if n := count(t, url, `SELECT count(*) FROM outreach_schema_migrations`); n != postgres.SchemaVersion {
		t.Errorf("%d migrations recorded, want %d", n, postgres.SchemaVersion)
	}
}

func TestOpenMigrates(t *testing.T) {
	url := pgtest.EmptyDatabase(t)
	open(t, url, postgres.Options{Migrate: true})
	if n := count(t, url, `SELECT max(version) FROM outreach_schema_migrations`); n != postgres.SchemaVersion {
		t.Errorf("schema version after Open with Migrate = %d, want %d", n, postgres.SchemaVersion)
	}
}

func TestOpenRefusesANewerDatabase(t *testing.T) {
	url := pgtest.NewDatabase(t)
	exec(t, url, `INSERT INTO outreach_schema_migrations (version) VALUES ($1)`, postgres.SchemaVersion+1)
	for _, migrate := range []bool{false, true} {
		st, err := postgres.Open(t.Context(), url, postgres.Options{Migrate: migrate})
		if err == nil {
			st.Close()
			t.Fatalf("Open (Migrate %v) of a newer database succeeded", migrate)
		}
		if !errors.Is(err, postgres.ErrSchemaNewer) || !strings.Contains(err.Error(), "upgrade outreach") {
			t.Errorf("Open (Migrate %v) = %v; want ErrSchemaNewer, saying to upgrade", migrate, err)
		}
	}
	if _, _, err := postgres.Migrate(t.Context(), url); !errors.Is(err, postgres.ErrSchemaNewer) {
		t.Errorf("Migrate of a newer database = %v, want ErrSchemaNewer", err)
	}
}

// TestMigrateAtOnce: processes that migrate one database at once take
// turns; each migration is applied once.
func TestMigrateAtOnce(t *testing.T) {
	url := pgtest.EmptyDatabase(t)
	var wg sync.WaitGroup
	errs := make(chan error, 4)
	for range 4 {
		wg.Go(func() {
			_, _, err := postgres.Migrate(t.Context(), url)
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Errorf("Migrate: %v", err)
		}
	}
	if n := count(t, url, `SELECT count(*) FROM outreach_schema_migrations`); n != postgres.SchemaVersion {
		t.Errorf("%d migrations recorded, want %d", n, postgres.SchemaVersion)
	}
}

// exec runs a statement on the database at url.
func exec(t testing.TB, url, sql string, args ...any) {
	t.Helper()
	conn, err := pgx.Connect(t.Context(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(t.Context(), sql, args...); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
}

// count runs a query of one integer on the database at url.
func count(t testing.TB, url, sql string, args ...any) int {
	t.Helper()
	conn, err := pgx.Connect(t.Context(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	var n int
	if err := conn.QueryRow(t.Context(), sql, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	return n
}

// TestSentimentTalliesBackfill: migration 5 counts the replies stored
// before it by sentiment, and its trigger counts those after.
func TestSentimentTalliesBackfill(t *testing.T) {
	url := pgtest.NewDatabase(t)
	// Back to version 4: migrations 7, 6 and 5 undone.
	exec(t, url, `DROP TABLE sessions`)
	exec(t, url, `DROP TABLE api_spend`)
	exec(t, url, `DROP TRIGGER conversations_sentiment_tally ON conversations`)
	exec(t, url, `DROP FUNCTION conversations_sentiment_tally()`)
	exec(t, url, `DROP TABLE sentiment_tallies`)
	exec(t, url, `DELETE FROM outreach_schema_migrations WHERE version >= 5`)
	insert := `INSERT INTO conversations (ws, id, account_id, lead_id, campaign_id, variant, replied, unread, tag, last_at, body)
		VALUES ('w', $1, 'a1', $1, $2, 0, $3, false, '', now(), $4::json)`
	exec(t, url, insert, "1", "k1", true, `{"sentiment": "positive"}`)
	exec(t, url, insert, "2", "k1", true, `{"sentiment": "positive"}`)
	exec(t, url, insert, "3", "k1", true, `{}`)
	exec(t, url, insert, "4", "k1", false, `{"sentiment": "negative"}`) // not replied
	exec(t, url, insert, "5", "", true, `{"sentiment": "negative"}`)    // no campaign

	if _, _, err := postgres.Migrate(t.Context(), url); err != nil {
		t.Fatal(err)
	}
	tally := func(sentiment string) int {
		return count(t, url, `SELECT coalesce(sum(n), 0)::int FROM sentiment_tallies WHERE ws = 'w' AND account_id = 'a1' AND campaign_id = 'k1' AND sentiment = $1`, sentiment)
	}
	if p, none, n := tally("positive"), tally(""), tally("negative"); p != 2 || none != 1 || n != 0 {
		t.Errorf("after the migration: %d positive, %d unclassified, %d negative; want 2, 1, 0", p, none, n)
	}
	exec(t, url, `UPDATE conversations SET body = '{"sentiment": "negative"}'::json WHERE id = '1'`)
	if p, n := tally("positive"), tally("negative"); p != 1 || n != 1 {
		t.Errorf("after a classification changed: %d positive, %d negative; want 1, 1", p, n)
	}
}
