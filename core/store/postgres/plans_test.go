package postgres_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/outreachhq/outreach/core/store"
	"github.com/outreachhq/outreach/core/store/postgres"
	"github.com/outreachhq/outreach/core/store/postgres/pgtest"
)

// TestPlansUseIndexes checks, on a few thousand records, that the reads
// the engine and the API make all the time walk an index: none scans a
// whole table, and those that list in an index's order do not sort. (The
// tallies are left out: they read a table of one row per bucket, which
// PostgreSQL rightly scans while it is small.)
func TestPlansUseIndexes(t *testing.T) {
	st, rec := openRecorded(t, pgtest.NewDatabase(t))
	err := st.Update(t.Context(), func(tx *postgres.Tx) error {
		for i := range 4000 {
			at := t0.Add(time.Duration(i) * time.Minute)
			account, campaign := fmt.Sprintf("a%d", i%20), fmt.Sprintf("c%d", i%3)
			c := store.Conversation{ID: fmt.Sprintf("1-%d", i), Workspace: "w", AccountID: account, LeadID: fmt.Sprint(i), LastAt: at}
			if i%2 == 0 {
				c.CRM.Tag = "booked"
			}
			j := store.Job{ID: fmt.Sprintf("dm-%d", i), Workspace: "w", Kind: store.JobDM, State: store.JobPending, DueAt: at,
				CampaignID: campaign, AccountID: account, LeadID: fmt.Sprint(i)}
			if i%4 == 0 {
				j.State = store.JobDone
			}
			s := store.Job{ID: fmt.Sprintf("scrape-%d", i), Workspace: "w", Kind: store.JobScrape, State: store.JobDone, DueAt: at, SourceID: "s1"}
			if i%40 == 0 {
				s.State = store.JobPending
			}
			in := store.Intent{JobID: j.ID, Workspace: "w", Lease: store.Lease{Owner: "x", Expires: at}}
			if err := errorsOf(tx.PutConversation(c), tx.PutJob(j), tx.PutJob(s), tx.PutIntent(in)); err != nil {
				return err
			}
			if _, err := tx.AppendEvent(store.Event{ID: fmt.Sprint(i), Workspace: fmt.Sprintf("w%d", i%5), At: at}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.Pool().Exec(t.Context(), "ANALYZE"); err != nil {
		t.Fatal(err)
	}

	cursor := &store.ConversationCursor{LastAt: t0.Add(2000 * time.Minute), ID: "1-2000"}
	reads := []struct {
		name   string
		sorted bool // lists in the order of an index: no Sort
		read   func(tx *postgres.Tx) error
	}{
		{"a page of conversations", true, func(tx *postgres.Tx) error {
			_, err := tx.Conversations("w", store.ConversationQuery{After: cursor, Limit: 50})
			return err
		}},
		{"a page of an account's conversations", true, func(tx *postgres.Tx) error {
			_, err := tx.Conversations("w", store.ConversationQuery{AccountID: "a3", After: cursor, Limit: 50})
			return err
		}},
		{"a page of a tag's conversations", true, func(tx *postgres.Tx) error {
			_, err := tx.Conversations("w", store.ConversationQuery{Tag: "booked", After: cursor, Limit: 50})
			return err
		}},
		{"queue heads", false, func(tx *postgres.Tx) error { _, err := tx.QueueHeads("w", "a3"); return err }},
		{"due jobs", true, func(tx *postgres.Tx) error { _, err := tx.DueJobs(t0.Add(time.Hour), 10); return err }},
		{"next due", true, func(tx *postgres.Tx) error { _, _, err := tx.NextDueAt(); return err }},
		{"expired intents", true, func(tx *postgres.Tx) error { _, err := tx.ExpiredIntents(t0.Add(time.Hour), 10); return err }},
		{"a page of a campaign's jobs", true, func(tx *postgres.Tx) error {
			_, err := tx.Jobs("w", store.JobQuery{CampaignID: "c1", AfterID: "dm-2000", Limit: 50})
			return err
		}},
		{"events", true, func(tx *postgres.Tx) error { _, err := tx.Events("w2", 3000, 50); return err }},
	}
	for _, r := range reads {
		rec.start()
		if err := st.View(t.Context(), r.read); err != nil {
			t.Fatalf("%s: %v", r.name, err)
		}
		q := rec.last()
		var plan []string
		rows, err := st.Pool().Query(t.Context(), "EXPLAIN "+q.SQL, q.Args...)
		if err != nil {
			t.Fatalf("EXPLAIN %s: %v", r.name, err)
		}
		for rows.Next() {
			var line string
			if err := rows.Scan(&line); err != nil {
				t.Fatal(err)
			}
			plan = append(plan, line)
		}
		text := strings.Join(plan, "\n")
		if strings.Contains(text, "Seq Scan") || r.sorted && strings.Contains(text, "Sort") {
			t.Errorf("%s: the plan scans a table or sorts:\n%s\n%s", r.name, q.SQL, text)
		}
	}
}

func errorsOf(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// openRecorded opens a store whose connections record the statements they
// run.
func openRecorded(t *testing.T, url string) (*postgres.Store, *recorder) {
	t.Helper()
	rec := &recorder{}
	st, err := postgres.OpenTraced(t.Context(), url, rec)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(st.Close)
	return st, rec
}

// recorder is a pgx.QueryTracer that keeps the statements of a read.
type recorder struct {
	queries []pgx.TraceQueryStartData
}

func (r *recorder) start() { r.queries = nil }

// last is the read's query: the last before the transaction ends.
func (r *recorder) last() pgx.TraceQueryStartData {
	for i := len(r.queries) - 1; i >= 0; i-- {
		if q := r.queries[i]; !strings.HasPrefix(q.SQL, "rollback") && !strings.HasPrefix(q.SQL, "commit") && !strings.HasPrefix(q.SQL, "begin") {
			return q
		}
	}
	return pgx.TraceQueryStartData{}
}

func (r *recorder) TraceQueryStart(ctx context.Context, _ *pgx.Conn, data pgx.TraceQueryStartData) context.Context {
	r.queries = append(r.queries, data)
	return ctx
}

func (r *recorder) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}
