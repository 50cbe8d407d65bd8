package engine

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/outreachhq/outreach/core/message"
	"github.com/outreachhq/outreach/core/service"
	"github.com/outreachhq/outreach/core/store"
	"github.com/outreachhq/outreach/core/store/storetest"
)

// TestLeadWithoutAName: a lead whose display name is empty gets the
// neutral greeting, from {{firstName}} and from {{first_name}} alike.
func TestLeadWithoutAName(t *testing.T) {
	h := newHarness(t)
	acct := h.account("sales", h.known)
	src := h.source("s")
	nameless := h.x.addUser("nameless", "", 10)
	h.update(func(tx storetest.Tx) error {
		_, err := tx.AddSourceLead(ws, src.ID, leadFromUser(ws, nameless, h.clk.Now()))
		return err
	})
	h.campaign("c", []store.Source{src}, []store.Account{acct}, []store.Variant{{Message: "Hey {{first_name}}, quick question."}})
	h.runUntilIdle(h.engine())
	if got := h.x.dmsTo(nameless.ID); len(got) != 1 || got[0] != "Hey there, quick question." {
		t.Errorf("the nameless lead got %q; want one DM, \"Hey there, quick question.\"", got)
	}
}

// TestUnfilledPlaceholderIsNotSent: a campaign stored with a placeholder no
// lead fills (configuration and the API refuse one, but a record may
// predate that check) sends nothing with braces in it: each of its first
// DMs fails, saying why, and the rest of the engine goes on.
func TestUnfilledPlaceholderIsNotSent(t *testing.T) {
	h := newHarness(t)
	acct := h.account("sales", h.known)
	src := h.source("s")
	h.leads(src, 3)
	bad := h.campaign("bad", []store.Source{src}, []store.Account{acct}, []store.Variant{{Message: "Hi {{firstName}}, how is {{company}}?"}})
	other := h.source("other")
	h.leads(other, 2)
	good := h.campaign("good", []store.Source{other}, []store.Account{acct}, variants(1, false))
	h.runUntilIdle(h.engine())
	for _, c := range h.x.sendCalls {
		if strings.Contains(c.Text, "{{") {
			t.Errorf("sent %q", c.Text)
		}
	}
	for _, j := range h.campaignJobs(bad, store.JobDM) {
		if j.State != store.JobFailed || !strings.Contains(j.LastError, "{{company}}") {
			t.Errorf("job %s: %s (%q); want failed, naming {{company}}", j.ID, j.State, j.LastError)
		}
	}
	if n := len(h.eventsOf(Failed)); n != 3 {
		t.Errorf("%d Failed events; want 3", n)
	}
	for _, j := range h.campaignJobs(good, store.JobDM) {
		if j.State != store.JobDone {
			t.Errorf("job %s of the other campaign: %s; want done", j.ID, j.State)
		}
	}
}

// TestClockJumps: mid-campaign, the clock jumps 25 hours one way and later
// 25 hours the other, as a corrected system clock does. As the clock tells
// time, no day of the account's time zone has more DMs (first DMs and
// follow-ups) than its cap, no follow-up goes before it is due (a day after
// its first DM), every lead gets its first DM once, and the campaign ends.
func TestClockJumps(t *testing.T) {
	const cap = 4
	for _, tt := range []struct {
		name  string
		jumps []time.Duration
	}{
		{"forward, then back", []time.Duration{25 * time.Hour, -25 * time.Hour}},
		{"back, then forward", []time.Duration{-25 * time.Hour, 25 * time.Hour}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t)
			h.poll = 6 * time.Hour // replies are not what is tested
			berlin := &store.Window{Start: 0, End: 24 * time.Hour, TimeZone: "Europe/Berlin", Days: []string{"mon", "tue", "wed", "thu", "fri", "sat", "sun"}}
			acct := h.account("sales", h.known, func(a *store.Account) {
				a.DailyDMLimit, a.MinGap, a.MaxGap, a.ActiveHours = cap, 10*time.Minute, 20*time.Minute, berlin
			})
			src := h.source("s")
			leads := h.leads(src, 10)
			h.campaign("c", []store.Source{src}, []store.Account{acct}, variants(1, true))
			e := h.engine()
			jumpAt := []int{2, 6} // jump once this many DMs are sent
			// backs are the jumps back: when to, and how many DMs went before.
			type back struct {
				at    time.Time
				after int
			}
			var backs []back
			for step := 0; ; step++ {
				if step == 10_000 {
					t.Fatal("the campaign did not end")
				}
				next, err := e.RunDue(context.Background())
				if err != nil {
					t.Fatal(err)
				}
				if len(tt.jumps) > 0 && len(h.x.sendCalls) >= jumpAt[0] {
					h.clk.Set(h.clk.Now().Add(tt.jumps[0]))
					if tt.jumps[0] < 0 {
						backs = append(backs, back{h.clk.Now(), len(h.x.sendCalls)})
					}
					t.Logf("after %d DMs, the clock jumps %s to %s", len(h.x.sendCalls), tt.jumps[0], h.clk.Now().Format(time.DateTime))
					tt.jumps, jumpAt = tt.jumps[1:], jumpAt[1:]
					continue
				}
				if idle, err := h.idle(); err != nil || idle {
					break
				}
				if next.IsZero() {
					t.Fatalf("nothing to wait for at %s, with work pending", h.clk.Now())
				}
				if d := next.Sub(h.clk.Now()); d > 0 {
					h.clk.Advance(d)
				}
			}
			loc, _ := time.LoadLocation("Europe/Berlin")
			perDay := map[string]int{}
			firstAt := map[string]time.Time{}
			for _, c := range h.x.sendCalls {
				perDay[c.At.In(loc).Format(time.DateOnly)]++
				if c.Text[0] == 'V' {
					if _, twice := firstAt[c.To]; twice {
						t.Errorf("lead %s got a second first DM at %s", c.To, c.At)
					}
					firstAt[c.To] = c.At
				}
			}
			for day, n := range perDay {
				if n > cap {
					t.Errorf("%s (Berlin): %d DMs; the cap is %d", day, n, cap)
				}
			}
			followups := 0
			for _, c := range h.x.sendCalls {
				if c.Text[0] != 'F' {
					continue
				}
				followups++
				if due := firstAt[c.To].Add(24 * time.Hour); c.At.Before(due) {
					t.Errorf("lead %s: follow-up at %s, before it was due at %s", c.To, c.At, due)
				}
			}
			if len(firstAt) != len(leads) || followups != len(leads) {
				t.Errorf("%d first DMs and %d follow-ups; want %d of each", len(firstAt), followups, len(leads))
			}
			// A jump back does not stall the account for the jump's length:
			// if its day has room, its next DM comes within its longest gap
			// (or, back before the campaign was made, once it was made).
			for _, b := range backs {
				day := b.at.In(loc).Format(time.DateOnly)
				sentThatDay := 0
				for _, c := range h.x.sendCalls[:b.after] {
					if c.At.In(loc).Format(time.DateOnly) == day {
						sentThatDay++
					}
				}
				if sentThatDay >= cap || b.after == len(h.x.sendCalls) {
					continue
				}
				by := later(b.at.Add(20*time.Minute), t0).Add(lateSlack)
				if next := h.x.sendCalls[b.after].At; next.After(by) {
					t.Errorf("after the clock jumped back to %s, the next DM came at %s; want by %s", b.at, next, by)
				}
			}
			t.Logf("DMs per day: %v; ended at %s", perDay, h.clk.Now().Format(time.DateTime))
		})
	}
}

// TestAccountRemovedMidRun: an account is removed (through the API, as the
// dashboard does) while a campaign's DMs wait on it, one of its sends in
// doubt after a crash. Its waiting first DMs move to the campaign's other
// account; its follow-ups end cancelled, saying why; its send in doubt is
// parked for review (X cannot be asked for an account that is gone). The
// other account goes on, leads found later are queued on it alone, no lead
// gets two first DMs, and the campaign completes.
func TestAccountRemovedMidRun(t *testing.T) {
	h := newHarness(t)
	h.poll = 6 * time.Hour
	paced := func(a *store.Account) { a.MinGap, a.MaxGap = time.Minute, time.Minute }
	sales, growth := h.account("sales", h.known, paced), h.account("growth", h.known, paced)
	src := h.source("s")
	h.leads(src, 10)
	c := h.campaign("c", []store.Source{src}, []store.Account{sales, growth}, variants(1, true), func(c *store.Campaign) { c.MaxLeads = 14 })
	e := h.engine()
	h.runFor(e, 90*time.Second, 30*time.Second) // two first DMs each

	// A send of @growth in doubt: its worker died after the DM reached X.
	var doubt store.Job
	for _, j := range h.campaignJobs(c, store.JobDM) {
		if j.AccountID == growth.ID && j.State == store.JobPending {
			doubt = j
			break
		}
	}
	h.update(func(tx storetest.Tx) error {
		text := message.Render(c.Variants[0].Message, store.Lead{})
		lease := store.Lease{Owner: "a dead engine", Expires: h.clk.Now().Add(30 * time.Second)}
		doubt.Lease = lease
		if err := tx.PutJob(doubt); err != nil {
			return err
		}
		return tx.PutIntent(store.Intent{JobID: doubt.ID, Workspace: ws, Kind: store.JobDM, AccountID: growth.ID,
			RecipientID: doubt.LeadID, Text: text, At: h.clk.Now(), Lease: lease})
	})
	h.x.deliver(growth.XUserID, doubt.LeadID, "V0 Hey there")

	if _, err := h.service().RemoveAccount(context.Background(), ws, service.AccountRef{ID: growth.ID}); err != nil {
		t.Fatal(err)
	}
	// Leads found since are queued on the campaign's remaining account.
	h.leads(src, 4)
	if n := h.fill(c.ID); n != 4 {
		t.Fatalf("the refill queued %d first DMs; want 4", n)
	}
	h.runUntilIdle(e)

	for _, j := range h.campaignJobs(c, store.JobDM) {
		switch {
		case j.ID == doubt.ID:
			if j.State != store.JobNeedsReview || !strings.Contains(j.LastError, "removed") {
				t.Errorf("the send in doubt: %s (%q); want needs_review, saying the account was removed", j.State, j.LastError)
			}
		case j.State != store.JobDone:
			t.Errorf("first DM %s: %s (%q); want done", j.ID, j.State, j.LastError)
		case j.AccountID != sales.ID && j.AccountID != growth.ID:
			t.Errorf("first DM %s was sent from %s", j.ID, j.AccountID)
		}
		if n := h.x.firstDMsTo(j.LeadID); n != 1 {
			t.Errorf("lead %s got %d first DMs; want 1", j.LeadID, n)
		}
	}
	if n := len(h.sendsBy("growth")); n != 2 {
		t.Errorf("@growth sent %d DMs; want the 2 before it was removed", n)
	}
	for _, j := range h.campaignJobs(c, store.JobFollowup) {
		want := store.JobDone
		if j.AccountID == growth.ID {
			want = store.JobCancelled
		}
		if j.State != want || want == store.JobCancelled && !strings.Contains(j.LastError, "@growth was removed") {
			t.Errorf("follow-up %s of %s: %s (%q); want %s", j.ID, j.AccountID, j.State, j.LastError, want)
		}
	}
	var camp store.Campaign
	h.view(func(tx storetest.Tx) (err error) {
		camp, err = tx.Campaign(ws, c.ID)
		return err
	})
	if camp.CompletedAt.IsZero() || len(h.outbox(store.EventCampaignCompleted)) != 1 {
		t.Errorf("the campaign did not complete: completed at %s, %d campaign_completed events", camp.CompletedAt, len(h.outbox(store.EventCampaignCompleted)))
	}
	if slices.Contains(camp.AccountIDs, growth.ID) {
		t.Errorf("the campaign still sends from the removed account: %v", camp.AccountIDs)
	}
}
