package store

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func open(t *testing.T, dir string) *Store {
	t.Helper()
	st, err := Open(dir, "test holder (pid 1)")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func TestOpenLocksDataDir(t *testing.T) {
	dir := t.TempDir()
	first, err := Open(dir, "outreach serve (pid 4242)")
	if err != nil {
		t.Fatal(err)
	}
	_, err = Open(dir, "outreach apply (pid 4343)")
	if !errors.Is(err, ErrLocked) || !strings.Contains(err.Error(), "outreach serve (pid 4242)") {
		t.Fatalf("second Open: %v; want ErrLocked naming the holder", err)
	}
	if err := first.Close(); err != nil {
		t.Fatal(err)
	}
	again, err := Open(dir, "outreach apply (pid 4343)")
	if err != nil {
		t.Fatalf("Open after Close: %v", err)
	}
	again.Close()
}

func TestDataSurvivesReopen(t *testing.T) {
	dir := t.TempDir()
	st, err := Open(dir, "t")
	if err != nil {
		t.Fatal(err)
	}
	a := Account{ID: "a1", Workspace: "w", Name: "main", Handle: "me"}
	if err := st.Update(func(tx *Tx) error { return tx.PutAccount(a) }); err != nil {
		t.Fatal(err)
	}
	st.Close()
	st = open(t, dir)
	err = st.View(func(tx *Tx) error {
		got, err := tx.AccountByName("w", "main")
		if err != nil || got.Handle != "me" {
			t.Errorf("AccountByName after reopen = %+v, %v", got, err)
		}
		_, err = tx.AccountByName("other", "main")
		if !IsNotFound(err) {
			t.Errorf("another workspace sees the account: %v", err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestDueJobsInTimeOrder(t *testing.T) {
	st := open(t, t.TempDir())
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	jobs := []Job{
		{ID: "late", Workspace: "w", State: JobPending, DueAt: t0.Add(time.Hour)},
		{ID: "early", Workspace: "w", State: JobPending, DueAt: t0},
		{ID: "done", Workspace: "w", State: JobDone, DueAt: t0},
		{ID: "future", Workspace: "w", State: JobPending, DueAt: t0.Add(48 * time.Hour)},
	}
	err := st.Update(func(tx *Tx) error {
		for _, j := range jobs {
			if err := tx.PutJob(j); err != nil {
				return err
			}
		}
		// Rescheduling moves the index entry instead of adding one.
		j := jobs[0]
		j.DueAt = t0.Add(2 * time.Hour)
		return tx.PutJob(j)
	})
	if err != nil {
		t.Fatal(err)
	}
	err = st.View(func(tx *Tx) error {
		due, err := tx.DueJobs(t0.Add(3*time.Hour), 10)
		if err != nil {
			return err
		}
		var ids []string
		for _, j := range due {
			ids = append(ids, j.ID)
		}
		if got := strings.Join(ids, ","); got != "early,late" {
			t.Errorf("DueJobs = %s, want early,late", got)
		}
		next, ok, err := tx.NextDue()
		if err != nil || !ok || !next.Equal(t0) {
			t.Errorf("NextDue = %v %v %v, want %v", next, ok, err, t0)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestUpdateIsAllOrNothing(t *testing.T) {
	st := open(t, t.TempDir())
	boom := errors.New("boom")
	err := st.Update(func(tx *Tx) error {
		if err := tx.PutAccount(Account{ID: "a", Workspace: "w", Name: "n"}); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("Update = %v", err)
	}
	_ = st.View(func(tx *Tx) error {
		if _, err := tx.Account("w", "a"); !IsNotFound(err) {
			t.Errorf("a failed transaction left the account behind: %v", err)
		}
		return nil
	})
}

func TestDueJobsIncludesJobsDueExactlyNow(t *testing.T) {
	st := open(t, t.TempDir())
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	err := st.Update(func(tx *Tx) error {
		return tx.PutJob(Job{ID: "j", Workspace: "w", State: JobPending, DueAt: now})
	})
	if err != nil {
		t.Fatal(err)
	}
	_ = st.View(func(tx *Tx) error {
		due, err := tx.DueJobs(now, 10)
		if err != nil || len(due) != 1 {
			t.Errorf("DueJobs(now) = %v, %v; want the job due now", due, err)
		}
		return nil
	})
}
