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
