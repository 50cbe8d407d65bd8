package storetest

import (
	"cmp"
	"slices"
	"testing"

	"github.com/outreachhq/outreach/core/store"
)

// sortTallies puts tallies in one order: the contract leaves theirs open.
func sortTallies(ts []store.JobTally) []store.JobTally {
	slices.SortFunc(ts, func(a, b store.JobTally) int {
		return cmp.Or(cmp.Compare(a.CampaignID, b.CampaignID), cmp.Compare(a.AccountID, b.AccountID), cmp.Compare(a.Kind, b.Kind),
			cmp.Compare(a.Variant, b.Variant), cmp.Compare(a.State, b.State))
	})
	return ts
}

func testTallies(t *testing.T, open Opener) {
	db := store.Narrow(open(t), func(tx Tx) Jobs { return tx })
	campaign := func(ws, id string) []store.JobTally {
		return sortTallies(read(t, db, func(tx Jobs) ([]store.JobTally, error) { return tx.CampaignTallies(ws, id) }))
	}
	account := func(ws, id string) []store.JobTally {
		return sortTallies(read(t, db, func(tx Jobs) ([]store.JobTally, error) { return tx.AccountTallies(ws, id) }))
	}
	same(t, "CampaignTallies of a campaign without jobs", campaign("w", "c1"), nil)

	dm1 := dm("w", "c1", "a1", "1", t0)
	dm2 := with(dm("w", "c1", "a1", "2", t0), func(j *store.Job) { j.Variant = 1 })
	dm3 := dm("w", "c1", "a2", "3", t0)
	fu1 := followup("w", "c1", "a1", "1", 1, at(60))
	putJobs(t, db, dm1, dm2, dm3, fu1, dm("w", "c2", "a1", "1", t0), scrape("w", "s1", "naval", t0), dm("v", "c1", "a1", "1", t0))

	pending := store.JobPending
	same(t, "CampaignTallies", campaign("w", "c1"), []store.JobTally{
		{CampaignID: "c1", AccountID: "a1", Kind: store.JobDM, Variant: 0, State: pending, N: 1},
		{CampaignID: "c1", AccountID: "a1", Kind: store.JobDM, Variant: 1, State: pending, N: 1},
		{CampaignID: "c1", AccountID: "a1", Kind: store.JobFollowup, Variant: 0, State: pending, N: 1},
		{CampaignID: "c1", AccountID: "a2", Kind: store.JobDM, Variant: 0, State: pending, N: 1},
	})
	same(t, "AccountTallies", account("w", "a1"), []store.JobTally{
		{AccountID: "a1", Kind: store.JobDM, State: pending, N: 3},
		{AccountID: "a1", Kind: store.JobFollowup, State: pending, N: 1},
	})

	// Tallies follow state changes; a reschedule changes none; a bucket
	// emptied is not reported.
	putJobs(t, db,
		done(dm1),
		with(dm3, func(j *store.Job) { j.State, j.LastError = store.JobFailed, "blocked" }),
		with(dm2, func(j *store.Job) { j.DueAt, j.Attempts = at(30), 1 }),
	)
	same(t, "CampaignTallies after changes", campaign("w", "c1"), []store.JobTally{
		{CampaignID: "c1", AccountID: "a1", Kind: store.JobDM, Variant: 0, State: store.JobDone, N: 1},
		{CampaignID: "c1", AccountID: "a1", Kind: store.JobDM, Variant: 1, State: pending, N: 1},
		{CampaignID: "c1", AccountID: "a1", Kind: store.JobFollowup, Variant: 0, State: pending, N: 1},
		{CampaignID: "c1", AccountID: "a2", Kind: store.JobDM, Variant: 0, State: store.JobFailed, N: 1},
	})
	same(t, "AccountTallies after changes", account("w", "a1"), []store.JobTally{
		{AccountID: "a1", Kind: store.JobDM, State: store.JobDone, N: 1},
		{AccountID: "a1", Kind: store.JobDM, State: pending, N: 2},
		{AccountID: "a1", Kind: store.JobFollowup, State: pending, N: 1},
	})
	// A job put again unchanged counts once.
	putJobs(t, db, done(dm1), done(dm1))
	if got := campaign("w", "c1")[0]; got.N != 1 {
		t.Errorf("a job put three times counts %d times", got.N)
	}
	same(t, "CampaignTallies of the other workspace", campaign("v", "c1"), []store.JobTally{
		{CampaignID: "c1", AccountID: "a1", Kind: store.JobDM, State: pending, N: 1},
	})
	same(t, "CampaignTallies of a missing campaign", campaign("w", "c9"), nil)
	same(t, "AccountTallies of a missing account", account("w", "a9"), nil)
}
