package engine

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/outreachhq/outreach/core/filter"
	"github.com/outreachhq/outreach/core/store"
	"github.com/outreachhq/outreach/core/store/storetest"
	"github.com/outreachhq/outreach/sdk"
)

// scrapeSetup creates @target with n followers (follower i has i*50
// followers of their own), a source over it with mod applied, its scrape
// job, and a campaign over the source.
func scrapeSetup(h *harness, n int, mod func(*store.Source)) (store.Source, store.Job, store.Campaign) {
	h.t.Helper()
	acct := h.account("sales")
	target := h.x.addUser("target", "Target", 0)
	for _, u := range h.users("f", n) {
		h.x.follower[target.ID] = append(h.x.follower[target.ID], u.ID)
	}
	src := h.source("fans", func(s *store.Source) {
		s.Targets = []store.Target{{Handle: "target", Followers: true}}
		if mod != nil {
			mod(s)
		}
	})
	j := h.scrapeJob(src, "target")
	c := h.campaign("c", []store.Source{src}, []store.Account{acct}, variants(1, false))
	return src, j, c
}

// scrapeJob queues the scrape of handle's followers for src, as apply does.
func (h *harness) scrapeJob(src store.Source, handle string) store.Job {
	h.t.Helper()
	j := store.Job{
		ID: store.ScrapeJobID(src.ID, "followers", handle), Workspace: ws, Kind: store.JobScrape, State: store.JobPending,
		DueAt: h.clk.Now(), SourceID: src.ID, Handle: handle, Relation: "followers", CreatedAt: h.clk.Now(),
	}
	h.update(func(tx storetest.Tx) error { return tx.PutJob(j) })
	return j
}

func (h *harness) sourceLeads(src store.Source) []string {
	h.t.Helper()
	var ids []string
	h.view(func(tx storetest.Tx) (err error) {
		ids, err = tx.SourceLeads(ws, src.ID, 0, 1000)
		return err
	})
	return ids
}

// TestScrapeResumesFromLastCommittedPage: the plugin dies after two pages;
// those pages' leads and DM jobs are kept with their cursor, and the next
// run picks up after them, with no lead twice.
func TestScrapeResumesFromLastCommittedPage(t *testing.T) {
	h := newHarness(t)
	src, j, c := scrapeSetup(h, 10, nil) // pages of 3: cursors "3", "6", "9"
	scrape := h.net.ScrapeF
	var cursors []string
	h.net.ScrapeF = func(ctx context.Context, req sdk.ScrapeRequest, emit func(sdk.Page) error) error {
		cursors = append(cursors, req.Cursor)
		if len(cursors) > 1 {
			return scrape(ctx, req, emit)
		}
		pages := 0
		err := scrape(ctx, req, func(p sdk.Page) error {
			if pages == 2 {
				return errBoom // the plugin process dies here
			}
			pages++
			return emit(p)
		})
		return err
	}
	e := h.engine()
	h.runDue(e)
	got := h.job(j.ID)
	if got.State != store.JobPending || got.Cursor != "6" || got.Seen != 6 {
		t.Fatalf("after the crash the scrape is %s at cursor %q with %d seen; want pending at \"6\" with 6", got.State, got.Cursor, got.Seen)
	}
	if n := len(h.sourceLeads(src)); n != 6 {
		t.Fatalf("%d leads kept; want the 6 of the two committed pages", n)
	}
	if n := len(h.campaignJobs(c, store.JobDM)); n != 6 {
		t.Fatalf("%d first DM jobs; want 6", n)
	}

	e = h.restart()
	h.clk.Advance(time.Hour)
	h.runUntilIdle(e)
	if len(cursors) != 2 || cursors[1] != "6" {
		t.Errorf("scrape started from cursors %q; want the top, then \"6\"", cursors)
	}
	got = h.job(j.ID)
	ids := h.sourceLeads(src)
	seen := map[string]bool{}
	for _, id := range ids {
		if seen[id] {
			t.Errorf("lead %s kept twice", id)
		}
		seen[id] = true
	}
	if got.State != store.JobDone || len(ids) != 10 || got.Seen != 10 || got.Kept != 10 {
		t.Errorf("scrape %s with %d leads, seen %d, kept %d; want done with 10, 10, 10", got.State, len(ids), got.Seen, got.Kept)
	}
	for _, id := range ids {
		if n := h.x.firstDMsTo(id); n != 1 {
			t.Errorf("lead %s got %d first DMs", id, n)
		}
	}
}

// TestScrapeLastPageIsFinal: a plugin that fails after delivering its last
// page does not make the scrape start over.
func TestScrapeLastPageIsFinal(t *testing.T) {
	h := newHarness(t)
	_, j, _ := scrapeSetup(h, 7, nil)
	scrape := h.net.ScrapeF
	calls := 0
	h.net.ScrapeF = func(ctx context.Context, req sdk.ScrapeRequest, emit func(sdk.Page) error) error {
		calls++
		if err := scrape(ctx, req, emit); err != nil {
			return err
		}
		return errBoom
	}
	h.runUntilIdle(h.engine())
	got := h.job(j.ID)
	if calls != 1 || got.State != store.JobDone || got.Seen != 7 {
		t.Errorf("scraped %d times, job %s (%s) with %d seen; want once, done, 7", calls, got.State, got.LastError, got.Seen)
	}
}

func TestScrape(t *testing.T) {
	atLeast100 := 100
	tests := []struct {
		name      string
		followers int
		source    func(*store.Source)
		// lookupNone makes the target handle unknown on X.
		lookupNone bool
		wantState  store.JobState
		wantErr    string
		wantLeads  int
		wantSeen   int
		// wantPages is how many pages the engine took from the plugin.
		wantPages int
	}{
		{name: "every follower", followers: 7, wantState: store.JobDone, wantLeads: 7, wantSeen: 7, wantPages: 3},
		{
			name: "lead budget stops the scrape", followers: 12,
			source:    func(s *store.Source) { s.MaxLeads = 5 },
			wantState: store.JobDone, wantLeads: 5, wantSeen: 5, wantPages: 2,
		},
		{
			name: "filter keeps the big accounts", followers: 10,
			source: func(s *store.Source) {
				s.Filter = &filter.Spec{Followers: filter.Range{Min: &atLeast100}}
			},
			wantState: store.JobDone, wantLeads: 8, wantSeen: 10, wantPages: 4,
		},
		{
			name: "filter and budget", followers: 10,
			source: func(s *store.Source) {
				s.Filter = &filter.Spec{Where: "followers >= 250"}
				s.MaxLeads = 2
			},
			wantState: store.JobDone, wantLeads: 2, wantSeen: 7, wantPages: 3,
		},
		{
			name: "missing handle", followers: 3, lookupNone: true,
			wantState: store.JobFailed, wantErr: "@target does not exist",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			src, j, c := scrapeSetup(h, tt.followers, tt.source)
			if tt.lookupNone {
				h.net.LookupUsersF = func(context.Context, sdk.Session, []string) ([]sdk.User, error) { return nil, nil }
			}
			pages := 0
			scrape := h.net.ScrapeF
			h.net.ScrapeF = func(ctx context.Context, req sdk.ScrapeRequest, emit func(sdk.Page) error) error {
				return scrape(ctx, req, func(p sdk.Page) error { pages++; return emit(p) })
			}
			h.runUntilIdle(h.engine())
			got := h.job(j.ID)
			if got.State != tt.wantState || !strings.Contains(got.LastError, tt.wantErr) {
				t.Fatalf("scrape is %s (%q); want %s (%q)", got.State, got.LastError, tt.wantState, tt.wantErr)
			}
			if tt.wantErr != "" {
				failed := h.eventsOf(Failed)
				if len(failed) != 1 || !strings.Contains(failed[0].Err.Error(), tt.wantErr) {
					t.Errorf("Failed events %v; want one saying %q", failed, tt.wantErr)
				}
			}
			leads := h.sourceLeads(src)
			if len(leads) != tt.wantLeads || got.Seen != tt.wantSeen || pages != tt.wantPages {
				t.Errorf("%d leads, %d seen, %d pages; want %d, %d, %d", len(leads), got.Seen, pages, tt.wantLeads, tt.wantSeen, tt.wantPages)
			}
			if n := len(h.campaignJobs(c, store.JobDM)); n != tt.wantLeads {
				t.Errorf("%d first DM jobs; want one per lead, %d", n, tt.wantLeads)
			}
			if src.Filter != nil {
				h.view(func(tx storetest.Tx) error {
					for _, id := range leads {
						if l, err := tx.Lead(ws, id); err != nil || l.Followers < 100 {
							t.Errorf("lead %s with %d followers passed the filter (%v)", id, l.Followers, err)
						}
					}
					return nil
				})
			}
			var queued int
			for _, ev := range h.eventsOf(Queued) {
				queued += ev.Count
			}
			if queued != tt.wantLeads {
				t.Errorf("Queued events count %d jobs; want %d", queued, tt.wantLeads)
			}
		})
	}
}
