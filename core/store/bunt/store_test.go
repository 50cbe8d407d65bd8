package bunt_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/outreachhq/outreach/core/store"
	"github.com/outreachhq/outreach/core/store/bunt"
)

var t0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

func update(t *testing.T, st *bunt.Store, fn func(*bunt.Tx) error) {
	t.Helper()
	if err := st.Update(t.Context(), fn); err != nil {
		t.Fatalf("Update: %v", err)
	}
}

func view(t *testing.T, st *bunt.Store, fn func(*bunt.Tx) error) {
	t.Helper()
	if err := st.View(t.Context(), fn); err != nil {
		t.Fatalf("View: %v", err)
	}
}

func TestOpenLocksTheDataDir(t *testing.T) {
	dir := t.TempDir()
	first, err := bunt.Open(dir, "outreach serve (pid 42)")
	if err != nil {
		t.Fatal(err)
	}
	_, err = bunt.Open(dir, "outreach apply (pid 43)")
	if !errors.Is(err, bunt.ErrLocked) || !strings.Contains(err.Error(), "outreach serve (pid 42)") {
		t.Fatalf("second Open = %v; want ErrLocked naming the holder", err)
	}
	if err := first.Close(); err != nil {
		t.Fatal(err)
	}
	again, err := bunt.Open(dir, "outreach apply (pid 43)")
	if err != nil {
		t.Fatalf("Open after the holder closed: %v", err)
	}
	if err := again.Close(); err != nil {
		t.Fatal(err)
	}
	if first.Dir() != dir {
		t.Errorf("Dir = %q, want %q", first.Dir(), dir)
	}
}

// TestAnnounce: a holder that serves an API records its address in the
// lock file, and a second Open finds it there; a holder that announced
// nothing has no address, and a new holder's file forgets the last one's.
func TestAnnounce(t *testing.T) {
	dir := t.TempDir()
	first, err := bunt.Open(dir, "outreach serve (pid 42)")
	if err != nil {
		t.Fatal(err)
	}
	locked := func() *bunt.LockedError {
		t.Helper()
		_, err := bunt.Open(dir, "outreach webhooks list (pid 43)")
		var le *bunt.LockedError
		if !errors.As(err, &le) || !errors.Is(err, bunt.ErrLocked) {
			t.Fatalf("second Open = %v; want a *LockedError that is ErrLocked", err)
		}
		return le
	}
	if le := locked(); le.Holder != "outreach serve (pid 42)" || le.API != "" || le.Dir != dir {
		t.Errorf("before Announce: %+v; want the holder and no API", le)
	}
	if err := first.Announce("http://127.0.0.1:8080"); err != nil {
		t.Fatal(err)
	}
	le := locked()
	if le.Holder != "outreach serve (pid 42)" || le.API != "http://127.0.0.1:8080" {
		t.Errorf("after Announce: %+v; want the holder and its API", le)
	}
	if !strings.Contains(le.Error(), "is held by outreach serve (pid 42)") || strings.Contains(le.Error(), "\n") {
		t.Errorf("message %q; want one line naming the holder", le.Error())
	}
	if err := first.Announce("http://127.0.0.1:80\n"); err == nil {
		t.Error("Announce accepted a URL with a line break")
	}
	if err := first.Close(); err != nil {
		t.Fatal(err)
	}

	second, err := bunt.Open(dir, "outreach apply (pid 44)")
	if err != nil {
		t.Fatal(err)
	}
	defer second.Close()
	if le := locked(); le.Holder != "outreach apply (pid 44)" || le.API != "" {
		t.Errorf("a new holder that announced nothing: %+v; want no API", le)
	}
}

func TestDataSurvivesReopen(t *testing.T) {
	dir := t.TempDir()
	st, err := bunt.Open(dir, "first")
	if err != nil {
		t.Fatal(err)
	}
	job := store.Job{ID: "dm-c-1", Workspace: "w", Kind: store.JobDM, State: store.JobPending, DueAt: t0, CampaignID: "c", AccountID: "a1", LeadID: "1"}
	var first store.Event
	update(t, st, func(tx *bunt.Tx) error {
		err := errors.Join(
			tx.PutAccount(store.Account{ID: "a1", Workspace: "w", Handle: "Acme", Address: "account.main", CreatedAt: t0}),
			tx.PutJob(job),
			tx.PutConversation(store.Conversation{ID: "1-2", Workspace: "w", AccountID: "a1", CampaignID: "c", Replied: true, LastAt: t0}),
		)
		first, _ = tx.AppendEvent(store.Event{ID: "e1", Workspace: "w", Type: store.EventNewReply, At: t0})
		return err
	})
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}

	st = open(t, dir)
	var next store.Event
	update(t, st, func(tx *bunt.Tx) (err error) {
		next, err = tx.AppendEvent(store.Event{ID: "e2", Workspace: "w", Type: store.EventNewReply, At: t0})
		return err
	})
	if next.Seq <= first.Seq {
		t.Errorf("Seq after reopen = %d, want more than %d", next.Seq, first.Seq)
	}
	view(t, st, func(tx *bunt.Tx) error {
		if a, err := tx.AccountByHandle("@acme"); err != nil || a.Address != "account.main" {
			t.Errorf("AccountByHandle after reopen = %+v, %v", a, err)
		}
		if heads, err := tx.QueueHeads("w", "a1"); err != nil || len(heads) != 1 || heads[0].ID != job.ID {
			t.Errorf("QueueHeads after reopen = %v, %v", heads, err)
		}
		if ts, err := tx.CampaignTallies("w", "c"); err != nil || len(ts) != 1 || ts[0].N != 1 {
			t.Errorf("CampaignTallies after reopen = %v, %v", ts, err)
		}
		if rs, err := tx.ReplyTallies("w", "c"); err != nil || len(rs) != 1 {
			t.Errorf("ReplyTallies after reopen = %v, %v", rs, err)
		}
		return nil
	})
}

// TestOpenVoidsLeases: a lease in the file belongs to a process that is
// gone (the lock says so), so Open clears every one.
func TestOpenVoidsLeases(t *testing.T) {
	dir := t.TempDir()
	st, err := bunt.Open(dir, "crashed")
	if err != nil {
		t.Fatal(err)
	}
	lease := store.Lease{Owner: "worker-1", Expires: t0.Add(time.Hour)}
	job := store.Job{ID: "dm-c-1", Workspace: "w", Kind: store.JobDM, State: store.JobPending, DueAt: t0, CampaignID: "c", AccountID: "a1", Lease: lease}
	scrape := store.Job{ID: "scrape-1", Workspace: "v", Kind: store.JobScrape, State: store.JobPending, DueAt: t0, Lease: lease}
	in := store.Intent{JobID: job.ID, Workspace: "w", Kind: store.JobDM, AccountID: "a1", RecipientID: "1", At: t0, Lease: lease}
	state := store.AccountState{Workspace: "w", AccountID: "a1", DMCursor: "c1", Lease: lease}
	update(t, st, func(tx *bunt.Tx) error {
		return errors.Join(tx.PutJob(job), tx.PutJob(scrape), tx.PutIntent(in), tx.PutAccountState(state))
	})
	// The process dies without closing: the kernel would release the flock.
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}

	st = open(t, dir)
	view(t, st, func(tx *bunt.Tx) error {
		for _, want := range []store.Job{job, scrape} {
			got, err := tx.Job(want.Workspace, want.ID)
			want.Lease = store.Lease{}
			if err != nil || got.Lease != want.Lease || got.State != store.JobPending {
				t.Errorf("job %s after reopen = %+v, %v; want its lease cleared", want.ID, got, err)
			}
		}
		gotState, err := tx.AccountState("w", "a1")
		if err != nil || gotState.Lease != (store.Lease{}) || gotState.DMCursor != "c1" {
			t.Errorf("account state after reopen = %+v, %v; want its lease cleared, the rest kept", gotState, err)
		}
		// A voided intent is in doubt at once, whatever the clock says.
		expired, err := tx.ExpiredIntents(t0.AddDate(-1, 0, 0), 10)
		if err != nil || len(expired) != 1 || expired[0].Lease != (store.Lease{}) {
			t.Errorf("ExpiredIntents after reopen = %+v, %v; want the intent, lease cleared", expired, err)
		}
		if heads, err := tx.QueueHeads("w", "a1"); err != nil || len(heads) != 1 {
			t.Errorf("QueueHeads after reopen = %v, %v; want the job still queued", heads, err)
		}
		return nil
	})
	if n := st.Commits(); n != 0 {
		t.Errorf("Commits after Open = %d; voiding leases is not the caller's commit", n)
	}
}

func TestCommitsCountsCommittedWrites(t *testing.T) {
	st := open(t, t.TempDir())
	steps := []struct {
		name string
		run  func() error
		want uint64
	}{
		{"an update that writes", func() error {
			return st.Update(t.Context(), func(tx *bunt.Tx) error { return tx.PutWorkspace("w") })
		}, 1},
		{"an update that fails", func() error {
			_ = st.Update(t.Context(), func(tx *bunt.Tx) error {
				if err := tx.PutWorkspace("v"); err != nil {
					return err
				}
				return errors.New("no")
			})
			return nil
		}, 1},
		{"an update that writes nothing", func() error {
			return st.Update(t.Context(), func(tx *bunt.Tx) error { _, err := tx.Workspaces(); return err })
		}, 1},
		{"a view", func() error {
			return st.View(t.Context(), func(tx *bunt.Tx) error { _, err := tx.Workspaces(); return err })
		}, 1},
		{"a second update that writes", func() error {
			return st.Update(t.Context(), func(tx *bunt.Tx) error { return tx.AddSentOn("w", "a", "2026-03-02", 1) })
		}, 2},
	}
	for _, s := range steps {
		if err := s.run(); err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		if got := st.Commits(); got != s.want {
			t.Errorf("Commits after %s = %d, want %d", s.name, got, s.want)
		}
	}
}

func TestDoneContextRunsNothing(t *testing.T) {
	st := open(t, t.TempDir())
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	ran := false
	fn := func(*bunt.Tx) error { ran = true; return nil }
	if err := st.Update(ctx, fn); !errors.Is(err, context.Canceled) {
		t.Errorf("Update with a done context = %v, want context.Canceled", err)
	}
	if err := st.View(ctx, fn); !errors.Is(err, context.Canceled) {
		t.Errorf("View with a done context = %v, want context.Canceled", err)
	}
	if ran {
		t.Error("a transaction ran with a done context")
	}
}

func TestTxIsDeadAfterItsFunction(t *testing.T) {
	st := open(t, t.TempDir())
	var kept *bunt.Tx
	update(t, st, func(tx *bunt.Tx) error { kept = tx; return nil })
	if err := kept.PutWorkspace("late"); err == nil {
		t.Error("a write through a transaction after its Update returned succeeded")
	}
	view(t, st, func(tx *bunt.Tx) error {
		if ws, _ := tx.Workspaces(); len(ws) != 0 {
			t.Errorf("Workspaces = %q; the late write was stored", ws)
		}
		return nil
	})
}
