package engine

import (
	"context"
	"testing"

	"github.com/outreachhq/outreach/core/store"
	"github.com/outreachhq/outreach/core/store/storetest"
	"github.com/outreachhq/outreach/sdk"
)

// TestLeadListLookup: a lead list's one job looks its handles up on X in
// batches, keeps those X knows with the list's names, skips the others,
// and fills the campaign over it, as a scrape does.
func TestLeadListLookup(t *testing.T) {
	h := newHarness(t)
	acct := h.account("sales")
	users := h.users("p", listBatch+2)
	var listed []store.Listed
	for i, u := range users {
		l := store.Listed{Handle: u.Username}
		if i == 0 {
			l.Name = "Alex From The List"
		}
		listed = append(listed, l)
	}
	listed = append(listed, store.Listed{Handle: "nobody_on_x"})
	src := h.source("list", func(s *store.Source) { s.Listed = listed })
	j := store.Job{
		ID: store.ScrapeJobID(src.ID, store.RelationList, ""), Workspace: ws, Kind: store.JobScrape, State: store.JobPending,
		DueAt: h.clk.Now(), SourceID: src.ID, Relation: store.RelationList, CreatedAt: h.clk.Now(),
	}
	h.update(func(tx storetest.Tx) error { return tx.PutJob(j) })
	c := h.campaign("c", []store.Source{src}, []store.Account{acct}, variants(1, false))
	var lookups [][]string
	lookup := h.net.LookupUsersF
	h.net.LookupUsersF = func(ctx context.Context, s sdk.Session, names []string) ([]sdk.User, error) {
		lookups = append(lookups, names)
		return lookup(ctx, s, names)
	}

	h.runUntilIdle(h.engine())

	got := h.job(j.ID)
	ids := h.sourceLeads(src)
	if got.State != store.JobDone || len(ids) != len(users) || got.Seen != len(users) || got.Kept != len(users) {
		t.Fatalf("lookup %s (%s): %d leads, seen %d, kept %d; want done with %d", got.State, got.LastError, len(ids), got.Seen, got.Kept, len(users))
	}
	if len(lookups) != 2 || len(lookups[0]) != listBatch || len(lookups[1]) != 3 {
		t.Errorf("lookups of %d batches; want %d handles, then 3", len(lookups), listBatch)
	}
	var first store.Lead
	h.view(func(tx storetest.Tx) (err error) { first, err = tx.Lead(ws, users[0].ID); return err })
	if first.Name != "Alex From The List" {
		t.Errorf("the first lead is named %q; want the list's name", first.Name)
	}
	if n := len(h.campaignJobs(c, store.JobDM)); n != len(users) {
		t.Errorf("%d first DM jobs; want %d", n, len(users))
	}
}
