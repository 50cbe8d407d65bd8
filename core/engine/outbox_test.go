package engine

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/outreachhq/outreach/core/store"
	"github.com/outreachhq/outreach/core/store/storetest"
	"github.com/outreachhq/outreach/sdk"
)

// TestOutboxEvents runs a small campaign to its end and reads the outbox:
// each event is there once, in the order things happened, with the fields
// a webhook receiver needs.
func TestOutboxEvents(t *testing.T) {
	h := newHarness(t)
	acct := h.account("sales", h.known)
	target := h.x.addUser("target", "Target", 0)
	users := h.users("f", 3)
	for _, u := range users {
		h.x.follower[target.ID] = append(h.x.follower[target.ID], u.ID)
	}
	src := h.source("fans", func(s *store.Source) { s.Targets = []store.Target{{Handle: "target", Followers: true}} })
	h.update(func(tx storetest.Tx) error {
		return tx.PutJob(store.Job{
			ID: store.ScrapeJobID(src.ID, "followers", "target"), Workspace: ws, Kind: store.JobScrape, State: store.JobPending,
			DueAt: h.clk.Now(), SourceID: src.ID, Handle: "target", Relation: "followers", CreatedAt: h.clk.Now(),
		})
	})
	c := h.campaign("hello", []store.Source{src}, []store.Account{acct}, variants(1, true))

	// The first lead says stop; the second's send ends in doubt and X
	// cannot say; the third stays silent.
	send := h.net.SendDMF
	h.net.SendDMF = func(ctx context.Context, s sdk.Session, to, text string) (sdk.SentDM, error) {
		switch to {
		case users[0].ID:
			sent, err := send(ctx, s, to, text)
			h.x.deliver(to, s.UserID, "please stop messaging me")
			return sent, err
		case users[1].ID:
			return sdk.SentDM{}, errBoom
		}
		return send(ctx, s, to, text)
	}
	events := h.net.ConversationEventsF
	h.net.ConversationEventsF = func(ctx context.Context, s sdk.Session, with string, n int) ([]sdk.DMEvent, error) {
		if with == users[1].ID {
			return nil, sdk.Errorf(sdk.Retryable, "503 from X")
		}
		return events(ctx, s, with, n)
	}
	h.runUntilIdle(h.engine())

	var types []string
	h.view(func(tx storetest.Tx) error {
		all, err := tx.Events(ws, 0, 0)
		for _, ev := range all {
			types = append(types, ev.Type)
		}
		return err
	})
	count := map[string]int{}
	for _, typ := range types {
		count[typ]++
	}
	want := map[string]int{
		store.EventScrapingCompleted: 1, store.EventLeadsExhausted: 1, store.EventNewReply: 1,
		store.EventLeadOptedOut: 1, store.EventLeadNeedsReview: 1, store.EventCampaignCompleted: 1,
	}
	for typ, n := range want {
		if count[typ] != n {
			t.Errorf("%d %s events; want %d (outbox: %v)", count[typ], typ, n, types)
		}
	}
	if types[len(types)-1] != store.EventCampaignCompleted {
		t.Errorf("outbox %v; want campaign_completed last", types)
	}

	var reply store.NewReplyData
	if err := json.Unmarshal(h.outbox(store.EventNewReply)[0].Data, &reply); err != nil {
		t.Fatal(err)
	}
	if reply.AccountHandle != "sales" || reply.Receiver.ScreenName != users[0].Username || reply.Message.Text != "please stop messaging me" ||
		reply.ConversationID != convID(acct.XUserID, users[0].ID) {
		t.Errorf("new_reply data = %+v", reply)
	}
	sentEvents := h.outbox(store.EventDMSent)
	if len(sentEvents) != count[store.EventDMSent] || len(sentEvents) < 2 {
		t.Fatalf("%d dm_sent events; want one for each of the 2 first DMs at least", len(sentEvents))
	}
	var sent store.DMSentData
	if err := json.Unmarshal(sentEvents[0].Data, &sent); err != nil {
		t.Fatal(err)
	}
	if sent.Kind != "first" || sent.Step != 0 || sent.CampaignID != c.ID || sent.CampaignName != "hello" || sent.Variant != "A" ||
		sent.AccountHandle != "sales" || sent.Receiver.ScreenName != users[0].Username || sent.Message.Text == "" || sent.Message.ID == "" ||
		sent.ConversationID != convID(acct.XUserID, users[0].ID) {
		t.Errorf("dm_sent data = %+v", sent)
	}
	var review store.LeadNeedsReviewData
	if err := json.Unmarshal(h.outbox(store.EventLeadNeedsReview)[0].Data, &review); err != nil {
		t.Fatal(err)
	}
	if review.JobID != store.DMJobID(c.ID, users[1].ID) || review.CampaignName != "hello" || review.Receiver.ScreenName != users[1].Username || review.Reason == "" {
		t.Errorf("lead_needs_review data = %+v", review)
	}
	var done store.CampaignCompletedData
	if err := json.Unmarshal(h.outbox(store.EventCampaignCompleted)[0].Data, &done); err != nil {
		t.Fatal(err)
	}
	if done.TotalSent != 2 || done.Replies != 1 || done.Failed != 1 {
		t.Errorf("campaign_completed data = %+v; want 2 sent, 1 reply, 1 failed", done)
	}
	var prev int64
	h.view(func(tx storetest.Tx) error {
		all, err := tx.Events(ws, 0, 0)
		for _, ev := range all {
			if ev.Seq <= prev || ev.ID == "" || ev.At.IsZero() {
				t.Errorf("event %+v: want a rising Seq, an id and a time", ev)
			}
			prev = ev.Seq
		}
		return err
	})
}

// TestDMFailedEvent: a DM that fails for good (the recipient takes no
// DMs) appends dm_failed, with the lead and X's reason.
func TestDMFailedEvent(t *testing.T) {
	h := newHarness(t)
	acct := h.account("sales", h.known)
	src := h.source("s")
	leads := h.leads(src, 1)
	c := h.campaign("c", []store.Source{src}, []store.Account{acct}, variants(1, false))
	h.net.SendDMF = func(context.Context, sdk.Session, string, string) (sdk.SentDM, error) {
		return sdk.SentDM{}, sdk.Errorf(sdk.RecipientClosed, "the recipient does not take DMs from you")
	}
	h.runUntilIdle(h.engine())

	failed := h.outbox(store.EventDMFailed)
	if len(failed) != 1 || len(h.outbox(store.EventDMSent)) != 0 {
		t.Fatalf("%d dm_failed and %d dm_sent events; want 1 and 0", len(failed), len(h.outbox(store.EventDMSent)))
	}
	var d store.DMFailedData
	if err := json.Unmarshal(failed[0].Data, &d); err != nil {
		t.Fatal(err)
	}
	if d.JobID != store.DMJobID(c.ID, leads[0].UserID) || d.Kind != "first" || d.CampaignName != "c" || d.AccountHandle != "sales" ||
		d.Receiver.ScreenName != leads[0].Username || !strings.Contains(d.ErrorMessage, "does not take DMs") {
		t.Errorf("dm_failed data = %+v", d)
	}
}

// budgetedNetwork declares a rate budget for reading DM events.
type budgetedNetwork struct {
	*fakeNetwork
	budget sdk.Budget
}

func (n budgetedNetwork) RateBudgets(context.Context) ([]sdk.Budget, error) {
	return []sdk.Budget{n.budget}, nil
}

// TestReplyPollFollowsTheBudget: an account reads its replies as often as
// its network plugin's budget for DM event reads allows, keeping a third
// of it for the reads that settle sends in doubt; without a budget, about
// once a minute and a half, as X's current limit allows.
func TestReplyPollFollowsTheBudget(t *testing.T) {
	for _, tt := range []struct {
		name   string
		budget *sdk.Budget
		want   time.Duration
	}{
		{"X's 15 reads per 15 minutes", &sdk.Budget{Operation: sdk.OpDMEvents, Requests: 15, Window: 15 * time.Minute}, 90 * time.Second},
		{"the simulator's 300 per 15 minutes", &sdk.Budget{Operation: sdk.OpDMEvents, Requests: 300, Window: 15 * time.Minute}, 4500 * time.Millisecond},
		{"no budget", nil, defaultPoll},
	} {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			acct := h.account("sales", h.known)
			src := h.source("s")
			h.leads(src, 1)
			h.campaign("c", []store.Source{src}, []store.Account{acct}, variants(1, false))
			var reads []time.Time
			read := h.net.ReadDMEventsF
			h.net.ReadDMEventsF = func(ctx context.Context, s sdk.Session, cursor string) ([]sdk.DMEvent, string, error) {
				reads = append(reads, h.clk.Now())
				return read(ctx, s, cursor)
			}
			var net sdk.Network = h.net
			if tt.budget != nil {
				net = budgetedNetwork{h.net, *tt.budget}
			}
			e := New(Options{
				Store:   h.db(),
				Network: func(string) (sdk.Network, error) { return net, nil },
				Session: func(_ context.Context, a store.Account) (sdk.Session, error) {
					return sdk.Session{AccountID: a.ID, Handle: a.Handle, UserID: a.XUserID}, nil
				},
				Clock: h.clk,
			})
			h.runFor(e, 10*time.Minute, time.Second/2)
			if len(reads) < 3 {
				t.Fatalf("%d reads in 10 minutes", len(reads))
			}
			for i := 1; i < len(reads); i++ {
				if gap := reads[i].Sub(reads[i-1]); gap != tt.want {
					t.Fatalf("reads %s apart; want %s", gap, tt.want)
				}
			}
		})
	}
}
