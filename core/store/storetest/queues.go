package storetest

import (
	"testing"
	"time"

	"github.com/outreachhq/outreach/core/store"
)

func testQueues(t *testing.T, open Opener) {
	t.Run("queue heads", func(t *testing.T) {
		db := store.Narrow(open(t), func(tx Tx) Jobs { return tx })
		heads := func(ws, account string) []string {
			return jobIDs(read(t, db, func(tx Jobs) ([]store.Job, error) { return tx.QueueHeads(ws, account) }))
		}
		if got := heads("w", "a1"); len(got) != 0 {
			t.Errorf("QueueHeads of an empty queue = %q", got)
		}
		msg := store.Job{ID: "m1", Workspace: "w", Kind: store.JobMessage, State: store.JobPending, DueAt: at(90), AccountID: "a1", Text: "hi"}
		first := dm("w", "c1", "a1", "104", at(1))
		putJobs(t, db,
			dm("w", "c1", "a1", "105", at(1)), first, dm("w", "c1", "a1", "100", at(3)), // lane c1/dm: 104 and 105 due first, 104 the lower id
			done(dm("w", "c1", "a1", "090", at(-10))), // final: in no queue
			followup("w", "c1", "a1", "100", 1, at(30)),
			dm("w", "c2", "a1", "100", at(0)),
			msg,                                // a lane without a campaign
			dm("w", "c1", "a2", "200", at(-5)), // another account's
			scrape("w", "s1", "naval", at(-5)), // no account: in no queue
			dm("v", "c1", "a1", "104", at(-5)), // another workspace's
		)
		for range 2 {
			same(t, "QueueHeads (by campaign, then kind)", heads("w", "a1"), []string{"m1", "dm-c1-104", "fu-c1-100-1", "dm-c2-100"})
		}
		after := func(jobID string) []string {
			return jobIDs(read(t, db, func(tx Jobs) ([]store.Job, error) { return tx.QueueHeadsAfter("w", "a1", jobID) }))
		}
		same(t, "QueueHeadsAfter a lane's head", after("dm-c1-104"), []string{"m1", "dm-c1-105", "fu-c1-100-1", "dm-c2-100"})
		same(t, "QueueHeadsAfter the only job of a lane", after("dm-c2-100"), []string{"m1", "dm-c1-104", "fu-c1-100-1"})
		same(t, "QueueHeadsAfter a job behind a head", after("dm-c1-100"), []string{"m1", "dm-c1-104", "fu-c1-100-1", "dm-c2-100"})
		same(t, "QueueHeadsAfter another account's job", after("dm-c1-200"), []string{"m1", "dm-c1-104", "fu-c1-100-1", "dm-c2-100"})
		got := read(t, db, func(tx Jobs) ([]store.Job, error) { return tx.QueueHeads("w", "a1") })
		same(t, "a head is the whole job", got[1], first)
		same(t, "QueueHeads of another account", heads("w", "a2"), []string{"dm-c1-200"})
		same(t, "QueueHeads of the other workspace", heads("v", "a1"), []string{"dm-c1-104"})

		// Rescheduling the head moves it behind the next job of its lane.
		putJobs(t, db, with(first, func(j *store.Job) { j.DueAt = at(60) }))
		same(t, "QueueHeads after a reschedule", heads("w", "a1"), []string{"m1", "dm-c1-105", "fu-c1-100-1", "dm-c2-100"})
		// A final job leaves its queue; a lane left empty is gone.
		putJobs(t, db, done(dm("w", "c1", "a1", "105", at(1))), with(dm("w", "c2", "a1", "100", at(0)), func(j *store.Job) { j.State = store.JobFailed }))
		same(t, "QueueHeads after jobs finish", heads("w", "a1"), []string{"m1", "dm-c1-100", "fu-c1-100-1"})
		// A job that moves to another account moves queue.
		putJobs(t, db, dm("w", "c1", "a2", "100", at(3)))
		same(t, "QueueHeads of the account a job left", heads("w", "a1"), []string{"m1", "dm-c1-104", "fu-c1-100-1"})
		same(t, "QueueHeads of the account a job joined", heads("w", "a2"), []string{"dm-c1-200"})
	})

	t.Run("due order", func(t *testing.T) {
		db := store.Narrow(open(t), func(tx Tx) Jobs { return tx })
		next := func() (time.Time, bool) {
			var at time.Time
			var ok bool
			if err := readErr(t, db, func(tx Jobs) error {
				var err error
				at, ok, err = tx.NextDueAt()
				return err
			}); err != nil {
				t.Fatalf("NextDueAt: %v", err)
			}
			return at, ok
		}
		if _, ok := next(); ok {
			t.Errorf("NextDueAt of an empty store reports a job")
		}
		due := func(now time.Time, limit int) []string {
			return ids(read(t, db, func(tx Jobs) ([]store.Job, error) { return tx.DueJobs(now, limit) }),
				func(j store.Job) string { return j.Workspace + "/" + j.ID })
		}
		a := scrape("w", "s1", "a", at(0))
		putJobs(t, db,
			a, scrape("w", "s1", "b", at(5)), scrape("w", "s1", "c", at(10)),
			scrape("w-2", "s1", "d", at(0)), scrape("v", "s1", "e", at(0)),
			done(scrape("w", "s1", "f", at(-5))), // final
			dm("w", "c1", "a1", "100", at(-5)),   // has an account: waits in its queue, not here
		)
		tests := []struct {
			now   time.Time
			limit int
			want  []string
		}{
			{at(5), 10, []string{"v/scrape-s1-followers-e", "w/scrape-s1-followers-a", "w-2/scrape-s1-followers-d", "w/scrape-s1-followers-b"}},
			{at(5), 2, []string{"v/scrape-s1-followers-e", "w/scrape-s1-followers-a"}},
			{at(4), 10, []string{"v/scrape-s1-followers-e", "w/scrape-s1-followers-a", "w-2/scrape-s1-followers-d"}},
			{at(-1), 10, nil},
		}
		for _, tt := range tests {
			same(t, "DueJobs("+tt.now.Format(time.Kitchen)+")", due(tt.now, tt.limit), tt.want)
		}
		if got, ok := next(); !ok || !got.Equal(at(0)) {
			t.Errorf("NextDueAt = %v, %v; want %v", got, ok, at(0))
		}

		// Rescheduling moves a job in the due order; a final one leaves it.
		putJobs(t, db, with(a, func(j *store.Job) { j.DueAt = at(20) }), done(scrape("v", "s1", "e", at(0))), done(scrape("w-2", "s1", "d", at(0))))
		same(t, "DueJobs after changes", due(at(20), 10), []string{"w/scrape-s1-followers-b", "w/scrape-s1-followers-c", "w/scrape-s1-followers-a"})
		if got, ok := next(); !ok || !got.Equal(at(5)) {
			t.Errorf("NextDueAt after changes = %v, %v; want %v", got, ok, at(5))
		}
	})
}
