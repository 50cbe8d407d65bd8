package storetest

import (
	"fmt"
	"testing"
	"time"

	"github.com/outreachhq/outreach/core/store"
)

// dm is a pending first DM of a campaign to a lead, from an account.
func dm(ws, campaign, account, lead string, due time.Time) store.Job {
	return store.Job{ID: store.DMJobID(campaign, lead), Workspace: ws, Kind: store.JobDM, State: store.JobPending, DueAt: due,
		CampaignID: campaign, AccountID: account, LeadID: lead, CreatedAt: t0, UpdatedAt: t0}
}

// followup is a pending follow-up.
func followup(ws, campaign, account, lead string, step int, due time.Time) store.Job {
	j := dm(ws, campaign, account, lead, due)
	j.ID, j.Kind, j.Step = store.FollowupJobID(campaign, lead, step), store.JobFollowup, step
	return j
}

// scrape is a pending scrape of a source's target: a job without an
// account.
func scrape(ws, source, handle string, due time.Time) store.Job {
	return store.Job{ID: store.ScrapeJobID(source, store.RelationFollowers, handle), Workspace: ws, Kind: store.JobScrape,
		State: store.JobPending, DueAt: due, SourceID: source, Handle: handle, Relation: store.RelationFollowers, CreatedAt: t0, UpdatedAt: t0}
}

func with(j store.Job, change func(*store.Job)) store.Job {
	change(&j)
	return j
}

func done(j store.Job) store.Job {
	return with(j, func(j *store.Job) { j.State, j.DoneAt = store.JobDone, at(60) })
}

func putJobs(t *testing.T, db store.Transactor[Jobs], jobs ...store.Job) {
	t.Helper()
	update(t, db, func(tx Jobs) error {
		for _, j := range jobs {
			if err := tx.PutJob(j); err != nil {
				return fmt.Errorf("PutJob(%s): %w", j.ID, err)
			}
		}
		return nil
	})
}

func testJobs(t *testing.T, open Opener) {
	t.Run("put and get", func(t *testing.T) {
		db := store.Narrow(open(t), func(tx Tx) Jobs { return tx })
		j := with(scrape("w", "s1", "naval", t0), func(j *store.Job) {
			j.Attempts, j.LastError, j.Cursor, j.TargetUserID, j.Seen, j.Kept = 2, "rate limited", "next-page", "745273", 400, 37
			j.Lease = store.Lease{Owner: "worker-1", Expires: at(5)}
		})
		putJobs(t, db, j)
		same(t, "Job", read(t, db, func(tx Jobs) (store.Job, error) { return tx.Job("w", j.ID) }), j)
		wantNotFound(t, "Job of another workspace", readErr(t, db, func(tx Jobs) error { _, err := tx.Job("v", j.ID); return err }))
		wantNotFound(t, "Job of a missing id", readErr(t, db, func(tx Jobs) error { _, err := tx.Job("w", "nope"); return err }))
	})

	t.Run("queries", func(t *testing.T) {
		db := store.Narrow(open(t), func(tx Tx) Jobs { return tx })
		msg := store.Job{ID: "m1", Workspace: "w", Kind: store.JobMessage, State: store.JobPending, DueAt: t0, AccountID: "a1", Text: "hi", CreatedAt: t0}
		putJobs(t, db,
			dm("w", "c1", "a1", "100", t0), done(dm("w", "c1", "a1", "101", t0)), followup("w", "c1", "a1", "100", 1, at(60)),
			dm("w", "c1", "a2", "102", t0), dm("w", "c2", "a1", "100", t0),
			scrape("w", "s1", "naval", t0), done(scrape("w", "s1", "paulg", t0)), msg,
			dm("v", "c1", "a1", "100", t0),
		)
		tests := []struct {
			name string
			q    store.JobQuery
			want []string
		}{
			{"campaign", store.JobQuery{CampaignID: "c1"}, []string{"dm-c1-100", "dm-c1-101", "dm-c1-102", "fu-c1-100-1"}},
			{"campaign and lead", store.JobQuery{CampaignID: "c1", LeadID: "100"}, []string{"dm-c1-100", "fu-c1-100-1"}},
			{"campaign and state", store.JobQuery{CampaignID: "c1", State: store.JobDone}, []string{"dm-c1-101"}},
			{"campaign and kind", store.JobQuery{CampaignID: "c1", Kind: store.JobFollowup}, []string{"fu-c1-100-1"}},
			{"campaign and account", store.JobQuery{CampaignID: "c1", AccountID: "a2"}, []string{"dm-c1-102"}},
			{"source", store.JobQuery{SourceID: "s1"}, []string{"scrape-s1-followers-naval", "scrape-s1-followers-paulg"}},
			{"source and state", store.JobQuery{SourceID: "s1", State: store.JobPending}, []string{"scrape-s1-followers-naval"}},
			{"account", store.JobQuery{AccountID: "a1"}, []string{"dm-c1-100", "dm-c1-101", "dm-c2-100", "fu-c1-100-1", "m1"}},
			{"account and state", store.JobQuery{AccountID: "a1", State: store.JobPending}, []string{"dm-c1-100", "dm-c2-100", "fu-c1-100-1", "m1"}},
			{"account and kind", store.JobQuery{AccountID: "a1", Kind: store.JobMessage}, []string{"m1"}},
			{"state", store.JobQuery{State: store.JobPending}, []string{"dm-c1-100", "dm-c1-102", "dm-c2-100", "fu-c1-100-1", "m1", "scrape-s1-followers-naval"}},
			{"state and kind", store.JobQuery{State: store.JobDone, Kind: store.JobScrape}, []string{"scrape-s1-followers-paulg"}},
			{"after an id", store.JobQuery{CampaignID: "c1", AfterID: "dm-c1-101"}, []string{"dm-c1-102", "fu-c1-100-1"}},
			{"after an id that is not a job", store.JobQuery{CampaignID: "c1", AfterID: "dm-c1-1015"}, []string{"dm-c1-102", "fu-c1-100-1"}},
			{"limit", store.JobQuery{CampaignID: "c1", Limit: 2}, []string{"dm-c1-100", "dm-c1-101"}},
			{"after and limit", store.JobQuery{CampaignID: "c1", AfterID: "dm-c1-100", Limit: 2}, []string{"dm-c1-101", "dm-c1-102"}},
			{"limit with a filter", store.JobQuery{AccountID: "a1", State: store.JobPending, Limit: 2}, []string{"dm-c1-100", "dm-c2-100"}},
			{"missing campaign", store.JobQuery{CampaignID: "c9"}, nil},
		}
		for _, tt := range tests {
			for range 2 { // the same query twice, the same order
				got := read(t, db, func(tx Jobs) ([]store.Job, error) { return tx.Jobs("w", tt.q) })
				same(t, "Jobs, "+tt.name, jobIDs(got), tt.want)
			}
		}
		got := read(t, db, func(tx Jobs) ([]store.Job, error) { return tx.Jobs("v", store.JobQuery{CampaignID: "c1"}) })
		same(t, "Jobs of the other workspace", got, []store.Job{dm("v", "c1", "a1", "100", t0)})

		// Paging one job at a time walks every job once.
		var walked []string
		for q := (store.JobQuery{AccountID: "a1", Limit: 1}); ; {
			page := read(t, db, func(tx Jobs) ([]store.Job, error) { return tx.Jobs("w", q) })
			if len(page) == 0 {
				break
			}
			walked = append(walked, jobIDs(page)...)
			q.AfterID = page[len(page)-1].ID
		}
		same(t, "Jobs paged one by one", walked, []string{"dm-c1-100", "dm-c1-101", "dm-c2-100", "fu-c1-100-1", "m1"})

		// A change of state moves the job between the state's listings.
		putJobs(t, db, done(dm("w", "c1", "a1", "100", t0)))
		pending := read(t, db, func(tx Jobs) ([]store.Job, error) { return tx.Jobs("w", store.JobQuery{State: store.JobPending}) })
		same(t, "pending after one is done", jobIDs(pending), []string{"dm-c1-102", "dm-c2-100", "fu-c1-100-1", "m1", "scrape-s1-followers-naval"})
		doneJobs := read(t, db, func(tx Jobs) ([]store.Job, error) { return tx.Jobs("w", store.JobQuery{State: store.JobDone}) })
		same(t, "done after one is done", jobIDs(doneJobs), []string{"dm-c1-100", "dm-c1-101", "scrape-s1-followers-paulg"})

		// A query that names nothing lists every job of the workspace.
		all := read(t, db, func(tx Jobs) ([]store.Job, error) { return tx.Jobs("w", store.JobQuery{}) })
		same(t, "every job", jobIDs(all), []string{"dm-c1-100", "dm-c1-101", "dm-c1-102", "dm-c2-100", "fu-c1-100-1", "m1",
			"scrape-s1-followers-naval", "scrape-s1-followers-paulg"})
		allAfter := read(t, db, func(tx Jobs) ([]store.Job, error) { return tx.Jobs("w", store.JobQuery{AfterID: "m1", Limit: 1}) })
		same(t, "every job after m1, one", jobIDs(allAfter), []string{"scrape-s1-followers-naval"})
	})

	t.Run("pending count", func(t *testing.T) {
		db := store.Narrow(open(t), func(tx Tx) Jobs { return tx })
		pending := func(ws string) int { return read(t, db, func(tx Jobs) (int, error) { return tx.PendingJobs(ws) }) }
		if got := pending("w"); got != 0 {
			t.Errorf("PendingJobs of an empty workspace = %d", got)
		}
		a, b, c := dm("w", "c1", "a1", "1", t0), scrape("w", "s1", "naval", t0), dm("v", "c1", "a1", "1", t0)
		putJobs(t, db, a, b, c, done(dm("w", "c1", "a1", "2", t0)))
		if got := pending("w"); got != 2 {
			t.Errorf("PendingJobs = %d, want 2", got)
		}
		// Rescheduling keeps the count; finishing takes one off; a retry
		// puts it back.
		putJobs(t, db, with(a, func(j *store.Job) { j.DueAt = at(30) }), done(b))
		if got := pending("w"); got != 1 {
			t.Errorf("PendingJobs after one is done = %d, want 1", got)
		}
		putJobs(t, db, b)
		if got := pending("w"); got != 2 {
			t.Errorf("PendingJobs after one is pending again = %d, want 2", got)
		}
		if got := pending("v"); got != 1 {
			t.Errorf("PendingJobs of the other workspace = %d, want 1", got)
		}
	})
}
