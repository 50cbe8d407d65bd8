package engine

import (
	"context"
	"testing"
	"time"

	"github.com/outreachhq/outreach/core/store"
	"github.com/outreachhq/outreach/core/store/storetest"
	"github.com/outreachhq/outreach/sdk"
)

// TestReplyStopsFollowups: a lead who answers gets no follow-up, however
// close to the follow-up the answer comes; a lead who does not gets it.
func TestReplyStopsFollowups(t *testing.T) {
	const followupAfter = 24 * time.Hour
	tests := []struct {
		name string
		// replyAt is when the lead answers, after the first DM; zero for
		// never.
		replyAt time.Duration
		text    string
		// poll is the engine's PollInterval: a long one leaves the reply
		// to be found by the follow-up's own read.
		poll time.Duration
		// readsFail makes ReadDMEvents fail until the follow-up is ten minutes
		// overdue.
		readsFail    bool
		wantFollowup bool
		wantDNC      bool
	}{
		{name: "no reply", poll: time.Minute, wantFollowup: true},
		{name: "reply read by the regular poll", replyAt: 10 * time.Minute, text: "tell me more", poll: time.Minute},
		{name: "reply a minute before the follow-up", replyAt: followupAfter - time.Minute, text: "tell me more", poll: 1000 * time.Hour},
		{name: "reply when reads fail at the follow-up", replyAt: followupAfter - time.Minute, text: "tell me more", poll: 1000 * time.Hour, readsFail: true},
		{name: "opt-out", replyAt: time.Hour, text: "STOP please", poll: time.Minute, wantDNC: true},
		{name: "unsubscribe, just before the follow-up", replyAt: followupAfter - time.Second, text: "unsubscribe", poll: 1000 * time.Hour, wantDNC: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t)
			h.poll = tt.poll
			acct := h.account("sales")
			src := h.source("s")
			lead := h.leads(src, 1)[0]
			c := h.campaign("c", []store.Source{src}, []store.Account{acct}, variants(1, true))
			// A second campaign that would DM the lead later: an opt-out
			// must stop it too.
			other := h.campaign("later", []store.Source{src}, []store.Account{acct}, variants(1, false), func(c *store.Campaign) { c.Dedupe = false })
			h.update(func(tx storetest.Tx) error {
				j, err := tx.Job(ws, store.DMJobID(other.ID, lead.UserID))
				if err != nil {
					return err
				}
				j.DueAt = t0.Add(3 * followupAfter)
				return tx.PutJob(j)
			})
			fuID := store.FollowupJobID(c.ID, lead.UserID, 1)
			// When the reply is observed, its effects are already committed.
			h.onEvent = func(ev Event) {
				if ev.Kind != Replied {
					return
				}
				if j := h.job(fuID); j.State != store.JobCancelled {
					t.Errorf("at the Replied event the follow-up is %s; want cancelled", j.State)
				}
				if tt.wantDNC && !h.dnc(lead.UserID) {
					t.Error("at the Replied event the lead is not on the do-not-contact list")
				}
			}
			if tt.readsFail {
				read := h.net.ReadDMEventsF
				h.net.ReadDMEventsF = func(ctx context.Context, s sdk.Session, cursor string) ([]sdk.DMEvent, string, error) {
					if h.clk.Now().Before(t0.Add(followupAfter + 10*time.Minute)) {
						return nil, "", sdk.Errorf(sdk.Retryable, "503")
					}
					return read(ctx, s, cursor)
				}
			}
			e := h.engine()
			h.runDue(e)
			if tt.replyAt > 0 {
				h.runFor(e, tt.replyAt, time.Minute)
				h.x.deliver(lead.UserID, h.x.byName["sales"], tt.text)
			}
			h.runFor(e, 4*followupAfter-h.clk.Now().Sub(t0), 5*time.Minute)

			var followups int
			for _, txt := range h.x.dmsTo(lead.UserID) {
				if txt[0] == 'F' {
					followups++
				}
			}
			if (followups == 1) != tt.wantFollowup || followups > 1 {
				t.Errorf("%d follow-ups sent; want sent = %v", followups, tt.wantFollowup)
			}
			fu := h.job(fuID)
			convs := h.conversations()
			if len(convs) != 1 {
				t.Fatalf("%d conversations; want 1", len(convs))
			}
			if tt.replyAt > 0 {
				if fu.State != store.JobCancelled || !convs[0].Replied || len(h.eventsOf(Replied)) != 1 {
					t.Errorf("follow-up %s, conversation replied %v, %d Replied events; want cancelled, true, 1",
						fu.State, convs[0].Replied, len(h.eventsOf(Replied)))
				}
			}
			if got := h.dnc(lead.UserID); got != tt.wantDNC {
				t.Errorf("do-not-contact = %v; want %v", got, tt.wantDNC)
			}
			if n := h.x.firstDMsTo(lead.UserID); tt.wantDNC && n != 1 {
				t.Errorf("an opted-out lead received %d first DMs; want only the one before the opt-out", n)
			}
		})
	}
}
