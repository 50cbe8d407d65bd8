package store

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// TestSendLanes: DMs and follow-ups wait in their account's send queue, one
// lane per campaign and kind, each headed by its earliest job; rescheduling
// or finishing a job moves or drops its entry; they never show in the due
// index, and HasPending still sees them.
func TestSendLanes(t *testing.T) {
	st := open(t, t.TempDir())
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	dm := func(id, acct, camp string, due time.Time) Job {
		return Job{ID: id, Workspace: "w", Kind: JobDM, State: JobPending, DueAt: due, AccountID: acct, CampaignID: camp}
	}
	fu := dm("fu-1", "a", "c", t0)
	fu.Kind = JobFollowup
	jobs := []Job{
		dm("dm-3", "a", "c", t0.Add(time.Hour)),
		dm("dm-2", "a", "c", t0),
		dm("dm-1", "a", "c", t0),
		dm("dm-9", "a", "d", t0.Add(time.Minute)),
		dm("dm-5", "b", "c", t0.Add(2*time.Hour)),
		fu,
		{ID: "scrape-1", Workspace: "w", Kind: JobScrape, State: JobPending, DueAt: t0.Add(3 * time.Hour)},
	}
	err := st.Update(func(tx *Tx) error {
		for _, j := range jobs {
			if err := tx.PutJob(j); err != nil {
				return err
			}
		}
		// dm-1 sent; dm-5 retried later: each moves once, with its job.
		done := jobs[2]
		done.State = JobDone
		if err := tx.PutJob(done); err != nil {
			return err
		}
		later := jobs[4]
		later.DueAt = t0.Add(5 * time.Hour)
		return tx.PutJob(later)
	})
	if err != nil {
		t.Fatal(err)
	}
	err = st.View(func(tx *Tx) error {
		heads, err := tx.SendLanes()
		if err != nil {
			return err
		}
		var got []string
		for _, h := range heads {
			got = append(got, fmt.Sprintf("%s/%s/%s:%s@%s", h.AccountID, h.CampaignID, h.Kind, h.Job.ID, h.Job.DueAt.Sub(t0)))
		}
		want := "a/c/dm:dm-2@0s a/c/followup:fu-1@0s a/d/dm:dm-9@1m0s b/c/dm:dm-5@5h0m0s"
		if g := strings.Join(got, " "); g != want {
			t.Errorf("SendLanes =\n %s\nwant\n %s", g, want)
		}
		if h := heads[0]; LaneOf(h.Job) != h.Lane {
			t.Errorf("LaneOf(%s) = %+v, want %+v", h.Job.ID, LaneOf(h.Job), h.Lane)
		}
		due, err := tx.DueJobs(t0.Add(24*time.Hour), 10)
		if err != nil || len(due) != 1 || due[0].ID != "scrape-1" {
			t.Errorf("DueJobs = %v, %v; want only the scrape", due, err)
		}
		if ok, err := tx.HasPending("w"); !ok || err != nil {
			t.Errorf("HasPending(w) = %v, %v; want true", ok, err)
		}
		if ok, err := tx.HasPending("x"); ok || err != nil {
			t.Errorf("HasPending(x) = %v, %v; want false", ok, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestSendLanesMovesLegacyDueEntries: a store written before send queues
// indexed DMs by due time; rewriting such a job moves it to its queue.
func TestSendLanesMovesLegacyDueEntries(t *testing.T) {
	st := open(t, t.TempDir())
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	j := Job{ID: "dm-1", Workspace: "w", Kind: JobDM, State: JobPending, DueAt: t0, AccountID: "a", CampaignID: "c"}
	err := st.Update(func(tx *Tx) error {
		if err := tx.put(jobKey(j.Workspace, j.ID), j); err != nil {
			return err
		}
		return tx.setString(dueKey(j.DueAt, j.Workspace, j.ID), "")
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Update(func(tx *Tx) error { return tx.PutJob(j) }); err != nil {
		t.Fatal(err)
	}
	_ = st.View(func(tx *Tx) error {
		if due, err := tx.DueJobs(t0, 10); len(due) != 0 || err != nil {
			t.Errorf("DueJobs = %v, %v; want the job moved out of the due index", due, err)
		}
		if heads, err := tx.SendLanes(); len(heads) != 1 || heads[0].Job.ID != "dm-1" || err != nil {
			t.Errorf("SendLanes = %v, %v; want the job in its queue", heads, err)
		}
		return nil
	})
}

// TestCommitsCountsCommittedUpdates: only committed transactions count.
func TestCommitsCountsCommittedUpdates(t *testing.T) {
	st := open(t, t.TempDir())
	before := st.Commits()
	_ = st.Update(func(tx *Tx) error { return tx.SetDMCursor("w", "a", "1") })
	_ = st.Update(func(tx *Tx) error { return fmt.Errorf("rolled back") })
	if n := st.Commits() - before; n != 1 {
		t.Errorf("Commits moved by %d; want 1", n)
	}
}
