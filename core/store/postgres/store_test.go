package postgres_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/jackc/pgx/v5"

	"github.com/outreachhq/outreach/core/store"
	"github.com/outreachhq/outreach/core/store/postgres"
	"github.com/outreachhq/outreach/core/store/postgres/pgtest"
)

var t0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

// TestConcurrentUpdatesRetry: Updates that read and write one record, from
// two processes' pools at once, all take effect: those that lose to a
// concurrent one run again.
func TestConcurrentUpdatesRetry(t *testing.T) {
	url := pgtest.NewDatabase(t)
	stores := []*postgres.Store{open(t, url, postgres.Options{}), open(t, url, postgres.Options{})}
	const n = 20
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Go(func() {
			errs <- stores[i%2].Update(t.Context(), func(tx *postgres.Tx) error {
				s, err := tx.AccountState("w", "a1")
				if err != nil {
					return err
				}
				v, _ := strconv.Atoi(s.DMCursor)
				s.DMCursor = strconv.Itoa(v + 1)
				return tx.PutAccountState(s)
			})
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Errorf("Update: %v", err)
		}
	}
	var s store.AccountState
	if err := stores[0].View(t.Context(), func(tx *postgres.Tx) (err error) {
		s, err = tx.AccountState("w", "a1")
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if s.DMCursor != strconv.Itoa(n) {
		t.Errorf("after %d concurrent increments the count is %s", n, s.DMCursor)
	}
	if got := stores[0].Commits() + stores[1].Commits(); got != n {
		t.Errorf("Commits = %d, want one per Update that wrote: %d", got, n)
	}
}

// TestConcurrentSourceLeads: scrapes that add to one source at once keep
// every lead, each at a position of its own, and take turns rather than
// fail one another: no attempt is lost to a serialization failure.
func TestConcurrentSourceLeads(t *testing.T) {
	st := open(t, pgtest.NewDatabase(t), postgres.Options{})
	const n = 16
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Go(func() {
			errs <- st.Update(t.Context(), func(tx *postgres.Tx) error {
				for j := range 5 {
					id := fmt.Sprintf("%d-%d", i, j)
					if _, err := tx.AddSourceLead("w", "s1", store.Lead{UserID: id, Workspace: "w", FoundAt: t0}); err != nil {
						return err
					}
				}
				return nil
			})
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Errorf("Update: %v", err)
		}
	}
	var ids []string
	var kept int
	err := st.View(t.Context(), func(tx *postgres.Tx) (err error) {
		if kept, err = tx.SourceLeadCount("w", "s1"); err != nil {
			return err
		}
		ids, err = tx.SourceLeads("w", "s1", 0, 0)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, id := range ids {
		seen[id] = true
	}
	if kept != n*5 || len(ids) != n*5 || len(seen) != n*5 {
		t.Errorf("SourceLeadCount = %d, %d leads listed, %d distinct; want %d each", kept, len(ids), len(seen), n*5)
	}
	if lost := st.Lost(); lost != 0 {
		t.Errorf("%d attempts lost to concurrent transactions, want none: appenders to one source wait for each other", lost)
	}
}

// TestConcurrentFirstConversations: transactions that each create a
// conversation of their own, all open at once (first DMs of many
// accounts), do not fail one another: creating one reads nothing.
func TestConcurrentFirstConversations(t *testing.T) {
	const n = 8
	// A connection for each transaction, all open at once.
	st := open(t, pgtest.NewDatabase(t), postgres.Options{MaxConns: 2 * n})
	var created, all sync.WaitGroup
	created.Add(n)
	errs := make(chan error, n)
	for i := range n {
		all.Go(func() {
			first := true
			errs <- st.Update(t.Context(), func(tx *postgres.Tx) error {
				c := store.Conversation{ID: fmt.Sprintf("100-%d", 200+i), Workspace: "w", AccountID: fmt.Sprintf("a%d", i), LastAt: t0}
				m := store.Message{ID: "e1", Workspace: "w", ConversationID: c.ID, Text: "hello", At: t0}
				if err := tx.CreateConversation(c, &m, func() error { return fmt.Errorf("conversation %s: there already", c.ID) }); err != nil {
					return err
				}
				// The insert goes with the next statement that answers.
				m.ID = "e2"
				if _, err := tx.AddMessage(m); err != nil {
					return err
				}
				if first {
					// Every transaction holds its write open until all have
					// written theirs.
					first = false
					created.Done()
					created.Wait()
				}
				return nil
			})
		})
	}
	all.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Errorf("Update: %v", err)
		}
	}
	if lost := st.Lost(); lost != 0 {
		t.Errorf("%d attempts lost to concurrent transactions, want none", lost)
	}
}

// TestAppendersWaitForEachOther: an appender holds the outbox until it
// commits, so no event commits with a smaller Seq than one already
// visible: a consumer that reads up to a Seq never misses one later.
func TestAppendersWaitForEachOther(t *testing.T) {
	url := pgtest.NewDatabase(t)
	st := open(t, url, postgres.Options{})
	event := func(id string) store.Event {
		return store.Event{ID: id, Workspace: "w", Type: store.EventNewReply, At: t0, Data: json.RawMessage(`{"n": 1}`)}
	}
	appended, release := make(chan struct{}), make(chan struct{})
	first := make(chan store.Event, 1)
	go func() {
		var e store.Event
		err := st.Update(context.Background(), func(tx *postgres.Tx) (err error) {
			e, err = tx.AppendEvent(event("e1"))
			if err == nil {
				close(appended)
				<-release
			}
			return err
		})
		if err != nil {
			t.Errorf("first append: %v", err)
		}
		first <- e
	}()
	<-appended
	second := make(chan store.Event, 1)
	go func() {
		var e store.Event
		err := st.Update(context.Background(), func(tx *postgres.Tx) (err error) {
			e, err = tx.AppendEvent(event("e2"))
			return err
		})
		if err != nil {
			t.Errorf("second append: %v", err)
		}
		second <- e
	}()
	// The second appender waits for the first's advisory lock.
	deadline := time.Now().Add(30 * time.Second)
	for count(t, url, `SELECT count(*) FROM pg_stat_activity
		WHERE datname = current_database() AND wait_event_type = 'Lock' AND wait_event = 'advisory'`) == 0 {
		if time.Now().After(deadline) {
			close(release)
			t.Fatal("a second appender did not wait for the first to commit")
		}
		time.Sleep(time.Millisecond)
	}
	close(release)
	e1, e2 := <-first, <-second
	if e2.Seq <= e1.Seq {
		t.Errorf("the second appender's Seq %d is not after the first's %d", e2.Seq, e1.Seq)
	}
	var got []store.Event
	if err := st.View(t.Context(), func(tx *postgres.Tx) (err error) {
		got, err = tx.Events("w", 0, 0)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff([]store.Event{e1, e2}, got); d != "" {
		t.Errorf("Events (-want +got):\n%s", d)
	}
	if string(got[0].Data) != `{"n": 1}` {
		t.Errorf("an event's Data came back as %s, want it byte for byte", got[0].Data)
	}
}

// TestUpdateQueuesWork: an Update that puts pending jobs inserts, in its
// own transaction, one lane per account (due at its earliest job) and one
// queue job per scrape; a later Update leaves a live lane alone unless it
// sleeps past the new work, which wakes it; a rolled-back Update queues
// nothing.
func TestUpdateQueuesWork(t *testing.T) {
	st := open(t, pgtest.NewDatabase(t), postgres.Options{})
	job := func(id, account string, state store.JobState, due time.Time) store.Job {
		return store.Job{ID: id, Workspace: "w", Kind: store.JobDM, State: state, DueAt: due, AccountID: account, CreatedAt: t0}
	}
	put := func(fail bool, jobs ...store.Job) error {
		return st.Update(t.Context(), func(tx *postgres.Tx) error {
			for _, j := range jobs {
				if err := tx.PutJob(j); err != nil {
					return err
				}
			}
			if fail {
				return errors.New("changed my mind")
			}
			return nil
		})
	}
	type queued struct {
		Kind, ID, State string
		At              time.Time
	}
	read := func() []queued {
		rows, err := st.Pool().Query(t.Context(), `
			SELECT kind, args->>'id', state::text, scheduled_at FROM river_job ORDER BY kind, args->>'id'`)
		if err != nil {
			t.Fatal(err)
		}
		qs, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (queued, error) {
			var q queued
			err := r.Scan(&q.Kind, &q.ID, &q.State, &q.At)
			q.At = q.At.UTC()
			return q, err
		})
		if err != nil {
			t.Fatal(err)
		}
		return qs
	}
	if err := put(false,
		job("j3", "a2", store.JobPending, t0.Add(2*time.Hour)), job("j1", "a1", store.JobPending, t0.Add(time.Hour)),
		job("j2", "a1", store.JobPending, t0.Add(30*time.Minute)),
		job("s1", "", store.JobPending, t0.Add(time.Hour)),
		job("s2", "", store.JobPending, t0), job("s2", "", store.JobDone, t0), // put pending, then final
		job("j4", "a3", store.JobDone, t0),
	); err != nil {
		t.Fatal(err)
	}
	// The jobs are due (t0 is past): each unit is available at once.
	want := []queued{
		{"outreach.lane", "a1", "available", time.Time{}},
		{"outreach.lane", "a2", "available", time.Time{}},
		{"outreach.scrape", "s1", "available", time.Time{}},
	}
	ignoreAt := cmpopts.IgnoreFields(queued{}, "At")
	if d := cmp.Diff(want, read(), ignoreAt); d != "" {
		t.Errorf("queued after the first Update (-want +got):\n%s", d)
	}
	// More work for a1: its lane is live and due before it, so nothing
	// changes. A rolled-back Update queues nothing.
	if err := put(false, job("j5", "a1", store.JobPending, t0.Add(time.Hour))); err != nil {
		t.Fatal(err)
	}
	if err := put(true, job("j6", "a4", store.JobPending, t0)); err == nil {
		t.Fatal("the failing Update succeeded")
	}
	if d := cmp.Diff(want, read(), ignoreAt); d != "" {
		t.Errorf("queued after more work and a rollback (-want +got):\n%s", d)
	}

	// A lane that ended (no work left then) does not keep its account from
	// the next one: new work starts a new lane.
	if _, err := st.Pool().Exec(t.Context(), `
		UPDATE river_job SET state = 'completed', finalized_at = now() WHERE kind = 'outreach.lane' AND args->>'id' = 'a2'`); err != nil {
		t.Fatal(err)
	}
	if err := put(false, job("j9", "a2", store.JobPending, t0)); err != nil {
		t.Fatal(err)
	}
	var lanes []string
	for _, q := range read() {
		if q.ID == "a2" {
			lanes = append(lanes, q.State)
		}
	}
	if !slices.Equal(lanes, []string{"available", "completed"}) && !slices.Equal(lanes, []string{"completed", "available"}) {
		t.Errorf("a2's lanes after its lane ended and new work came: %v, want a completed one and an available one", lanes)
	}

	// A lane that sleeps until tomorrow is woken by work due now.
	now := time.Now().UTC()
	if err := put(false, job("j7", "a5", store.JobPending, now.Add(24*time.Hour))); err != nil {
		t.Fatal(err)
	}
	lane := func() queued {
		for _, q := range read() {
			if q.ID == "a5" {
				return q
			}
		}
		t.Fatal("no lane for a5")
		return queued{}
	}
	if q := lane(); q.State != "scheduled" || !q.At.Equal(now.Add(24*time.Hour).Truncate(time.Microsecond)) {
		t.Fatalf("a5's lane is %s at %v, want scheduled for tomorrow", q.State, q.At)
	}
	if err := put(false, job("j8", "a5", store.JobPending, now)); err != nil {
		t.Fatal(err)
	}
	if q := lane(); q.State != "available" || q.At.After(time.Now()) {
		t.Errorf("a5's lane after work due now: %s at %v, want available now", q.State, q.At)
	}

	// Work due in a second is queued available, due then: River's
	// scheduler, which makes scheduled jobs available, runs only every
	// five seconds.
	soon := time.Now().UTC().Add(time.Second)
	if err := put(false, job("j10", "a6", store.JobPending, soon)); err != nil {
		t.Fatal(err)
	}
	a6 := func() queued {
		for _, q := range read() {
			if q.ID == "a6" {
				return q
			}
		}
		t.Fatal("no lane for a6")
		return queued{}
	}
	if q := a6(); q.State != "available" || q.At.After(time.Now()) {
		t.Errorf("a6's lane for work due in a second: %s at %v, want available now", q.State, q.At)
	}
	// A lane snoozed a few seconds (available, due later: until its
	// account's next read of replies, say) is woken by work due now.
	if _, err := st.Pool().Exec(t.Context(), `
		UPDATE river_job SET state = 'available', scheduled_at = now() + interval '3 seconds' WHERE kind = 'outreach.lane' AND args->>'id' = 'a6'`); err != nil {
		t.Fatal(err)
	}
	if err := put(false, job("j11", "a6", store.JobPending, time.Now())); err != nil {
		t.Fatal(err)
	}
	if q := a6(); q.State != "available" || q.At.After(time.Now()) {
		t.Errorf("a6's snoozed lane after work due now: %s at %v, want available now", q.State, q.At)
	}
}

// TestUpdateReturnsItsError: the function's error comes back as it was.
func TestUpdateReturnsItsError(t *testing.T) {
	st := open(t, pgtest.NewDatabase(t), postgres.Options{})
	err := st.Update(t.Context(), func(tx *postgres.Tx) error {
		_, err := tx.Job("w", "nope")
		return fmt.Errorf("look up: %w", err)
	})
	if !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Update = %v, want store.ErrNotFound", err)
	}
}

// TestStatementTimeout: Options.StatementTimeout bounds each statement.
// The bound also holds for the statements Open runs, so it leaves them
// room on a loaded machine (50ms did not, under -race on two cores).
func TestStatementTimeout(t *testing.T) {
	st := open(t, pgtest.NewDatabase(t), postgres.Options{StatementTimeout: time.Second})
	err := st.View(t.Context(), func(tx *postgres.Tx) error {
		_, err := tx.PG().Exec(t.Context(), `SELECT pg_sleep(10)`)
		return err
	})
	if err == nil || !strings.Contains(err.Error(), "statement timeout") {
		t.Errorf("a statement past the timeout: %v, want it cancelled", err)
	}
}

// TestOddStrings: records come back as put whatever their strings hold,
// NUL characters included (which jsonb, and text columns, refuse).
func TestOddStrings(t *testing.T) {
	st := open(t, pgtest.NewDatabase(t), postgres.Options{})
	l := store.Lead{UserID: "1", Workspace: "w", Name: "a\x00b", Bio: `"quoted" \ <b>🚀</b>` + "\n\t", FoundAt: t0.Add(123456789)}
	var got store.Lead
	err := st.Update(t.Context(), func(tx *postgres.Tx) (err error) {
		if err := tx.PutLead(l); err != nil {
			return err
		}
		got, err = tx.Lead("w", "1")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(l, got); d != "" {
		t.Errorf("Lead (-put +got):\n%s", d)
	}
}

// TestSnapshotUpdates: an Update runs SERIALIZABLE, or REPEATABLE READ when
// its context asks (store.Snapshot), and then still fails, and runs fn
// again, on a row a concurrent transaction wrote.
func TestSnapshotUpdates(t *testing.T) {
	st := open(t, pgtest.NewDatabase(t), postgres.Options{})
	level := func(ctx context.Context) string {
		var got string
		err := st.Update(ctx, func(tx *postgres.Tx) error {
			return tx.PG().QueryRow(ctx, `SHOW transaction_isolation`).Scan(&got)
		})
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	if got := level(t.Context()); got != "serializable" {
		t.Errorf("an Update runs %s, want serializable", got)
	}
	if got := level(store.Snapshot(t.Context())); got != "repeatable read" {
		t.Errorf("a snapshot Update runs %s, want repeatable read", got)
	}

	// A snapshot Update that writes a row a concurrent Update wrote after
	// its snapshot loses, and its second run sees that write.
	cursor := func(tx *postgres.Tx, c string) error {
		return tx.PutAccountState(store.AccountState{Workspace: "w", AccountID: "a1", DMCursor: c})
	}
	if err := st.Update(t.Context(), func(tx *postgres.Tx) error { return cursor(tx, "0") }); err != nil {
		t.Fatal(err)
	}
	var runs int
	read, wrote := make(chan struct{}), make(chan struct{})
	done := make(chan error, 1)
	go func() {
		done <- st.Update(store.Snapshot(t.Context()), func(tx *postgres.Tx) error {
			runs++
			cur, err := tx.AccountState("w", "a1")
			if err != nil {
				return err
			}
			if runs == 1 {
				close(read)
				<-wrote
			}
			return cursor(tx, cur.DMCursor+"+1")
		})
	}()
	<-read
	if err := st.Update(t.Context(), func(tx *postgres.Tx) error { return cursor(tx, "x") }); err != nil {
		t.Fatal(err)
	}
	close(wrote)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	var got store.AccountState
	if err := st.View(t.Context(), func(tx *postgres.Tx) (err error) { got, err = tx.AccountState("w", "a1"); return err }); err != nil {
		t.Fatal(err)
	}
	if runs != 2 || got.DMCursor != "x+1" {
		t.Errorf("the snapshot Update ran %d times and left %q; want 2 runs and %q", runs, got.DMCursor, "x+1")
	}
}
