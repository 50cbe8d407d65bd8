package engine

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/outreachhq/outreach/core/message"
	"github.com/outreachhq/outreach/core/store"
	"github.com/outreachhq/outreach/core/store/storetest"
	"github.com/outreachhq/outreach/core/store/teststore"
	"github.com/outreachhq/outreach/sdk"
)

// TestIntentCommittedBeforeSend looks at the store from inside SendDM: the
// intent naming the recipient and the text is already there.
func TestIntentCommittedBeforeSend(t *testing.T) {
	h := newHarness(t)
	acct := h.account("sales")
	src := h.source("s")
	leads := h.leads(src, 2)
	h.campaign("c", []store.Source{src}, []store.Account{acct}, variants(1, true))
	send := h.net.SendDMF
	calls := 0
	h.net.SendDMF = func(ctx context.Context, s sdk.Session, to, text string) (sdk.SentDM, error) {
		calls++
		var found bool
		err := h.st.View(context.Background(), func(tx storetest.Tx) error {
			ins, err := tx.ExpiredIntents(t0.AddDate(100, 0, 0), 1000)
			for _, in := range ins {
				found = found || in.RecipientID == to && in.Text == text && in.AccountID == acct.ID
			}
			return err
		})
		if err != nil || !found {
			t.Errorf("SendDM to %s called without a committed intent (%v)", to, err)
		}
		return send(ctx, s, to, text)
	}
	h.runUntilIdle(h.engine())
	if calls != 2*len(leads) {
		t.Errorf("SendDM called %d times; want a first DM and a follow-up per lead", calls)
	}
	if n := len(h.intents()); n != 0 {
		t.Errorf("%d intents left after every outcome was recorded", n)
	}
}

// inDoubt is one way a send ends without the engine knowing its outcome.
type inDoubt struct {
	name string
	// happen makes the send happen (delivered or not) and returns the
	// engine to carry on with.
	happen func(h *harness, j store.Job, in store.Intent, delivered bool) *Engine
}

var inDoubtWays = []inDoubt{
	{
		// The process died inside SendDM: the intent is committed, the job
		// still pending; a new process recovers.
		name: "crash inside SendDM",
		happen: func(h *harness, j store.Job, in store.Intent, delivered bool) *Engine {
			h.update(func(tx storetest.Tx) error { return tx.PutIntent(in) })
			if delivered {
				h.x.deliver(h.x.byName["sales"], in.RecipientID, in.Text)
			}
			h.clk.Advance(time.Minute)
			return h.restart()
		},
	},
	{
		// SendDM returned an error that says nothing (a broken connection).
		name: "untyped SendDM error",
		happen: func(h *harness, j store.Job, in store.Intent, delivered bool) *Engine {
			send := h.net.SendDMF
			h.net.SendDMF = func(ctx context.Context, s sdk.Session, to, text string) (sdk.SentDM, error) {
				h.net.SendDMF = send
				if delivered {
					h.x.deliver(s.UserID, to, text)
				}
				return sdk.SentDM{}, errBoom
			}
			e := h.engine()
			h.runDue(e)
			return e
		},
	},
	{
		// The run was interrupted (Ctrl-C) while SendDM was in flight.
		name: "interrupted during SendDM",
		happen: func(h *harness, j store.Job, in store.Intent, delivered bool) *Engine {
			ctx, cancel := context.WithCancel(context.Background())
			send := h.net.SendDMF
			h.net.SendDMF = func(ctx context.Context, s sdk.Session, to, text string) (sdk.SentDM, error) {
				h.net.SendDMF = send
				if delivered {
					h.x.deliver(s.UserID, to, text)
				}
				cancel()
				return sdk.SentDM{}, ctx.Err()
			}
			e := h.engine()
			if _, err := e.RunDue(ctx); err == nil {
				h.t.Error("RunDue returned no error after its context was cancelled")
			}
			if teststore.Postgres() {
				// Reopening buntdb voids the leases (one process holds its
				// file); Postgres is shared by every process, so the new
				// one finds the interrupted one's leases live and settles
				// its send once they expire.
				h.clk.Advance(e.ttl)
			}
			return h.restart()
		},
	},
}

// TestSendInDoubtIsResolvedFromX: whichever way a send ends in doubt, the
// engine reads the conversation on X: the DM is there (recorded, never
// resent), it is not (sent once more), or X cannot say (parked for review,
// never resent).
func TestSendInDoubtIsResolvedFromX(t *testing.T) {
	outcomes := []struct {
		name      string
		delivered bool
		// xCannotSay makes ConversationEvents fail.
		xCannotSay bool
		wantState  store.JobState
		wantFirsts int
	}{
		{name: "DM on X", delivered: true, wantState: store.JobDone, wantFirsts: 1},
		{name: "DM not on X", delivered: false, wantState: store.JobPending, wantFirsts: 1},
		{name: "X cannot say", delivered: true, xCannotSay: true, wantState: store.JobNeedsReview, wantFirsts: 1},
		{name: "X cannot say, not delivered", delivered: false, xCannotSay: true, wantState: store.JobNeedsReview, wantFirsts: 0},
	}
	for _, way := range inDoubtWays {
		for _, o := range outcomes {
			t.Run(way.name+"/"+o.name, func(t *testing.T) {
				t.Parallel()
				h := newHarness(t)
				// The account's X user id is known, as it is once the account
				// has been used.
				acct := h.account("sales", h.known)
				src := h.source("s")
				lead := h.leads(src, 1)[0]
				c := h.campaign("c", []store.Source{src}, []store.Account{acct}, variants(1, true))
				j := h.job(store.DMJobID(c.ID, lead.UserID))
				in := store.Intent{JobID: j.ID, Workspace: ws, AccountID: acct.ID, RecipientID: lead.UserID, Text: message.Render(c.Variants[0].Message, lead), At: h.clk.Now()}
				if o.xCannotSay {
					h.net.ConversationEventsF = func(context.Context, sdk.Session, string, int) ([]sdk.DMEvent, error) {
						return nil, sdk.Errorf(sdk.Retryable, "503 from X")
					}
				}
				e := way.happen(h, j, in, o.delivered)

				got := h.job(j.ID)
				if got.State != o.wantState {
					t.Fatalf("job is %s (%s); want %s", got.State, got.LastError, o.wantState)
				}
				if n := len(h.intents()); n != 0 {
					t.Errorf("%d intents left unresolved", n)
				}
				switch o.wantState {
				case store.JobDone:
					if n := len(h.conversations()); n != 1 || h.sent(acct.ID) != 1 {
						t.Errorf("%d conversations, dms_sent %d; want the DM recorded once", n, h.sent(acct.ID))
					}
					if n := len(h.jobs(store.JobQuery{CampaignID: c.ID, LeadID: lead.UserID, Kind: store.JobFollowup})); n != 1 {
						t.Errorf("%d follow-ups queued; want 1", n)
					}
				case store.JobNeedsReview:
					if !strings.Contains(got.LastError, "in doubt") || len(h.eventsOf(Failed)) == 0 {
						t.Errorf("parked job says %q, Failed observed %d times; want the reason shown", got.LastError, len(h.eventsOf(Failed)))
					}
				}
				h.net.ConversationEventsF = h.x.network().ConversationEventsF
				h.runFor(e, 3*time.Hour, 5*time.Minute)
				if n := h.x.firstDMsTo(lead.UserID); n != o.wantFirsts {
					t.Errorf("the lead holds %d first DMs; want %d", n, o.wantFirsts)
				}
			})
		}
	}
}

// TestRecoverEdgeCases: intents whose surroundings changed while the
// process was down.
func TestRecoverEdgeCases(t *testing.T) {
	tests := []struct {
		name string
		// change runs after the crash, before the restart.
		change    func(h *harness, c store.Campaign, in store.Intent)
		delivered bool
		wantState store.JobState
		// wantFollowup is whether a follow-up job is queued.
		wantFollowup bool
	}{
		{
			name: "account removed",
			change: func(h *harness, _ store.Campaign, in store.Intent) {
				h.update(func(tx storetest.Tx) error {
					return tx.DeleteAccount(ws, in.AccountID)
				})
			},
			delivered: true, wantState: store.JobNeedsReview,
		},
		{
			name: "campaign removed, DM on X",
			change: func(h *harness, c store.Campaign, _ store.Intent) {
				h.update(func(tx storetest.Tx) error { return tx.DeleteCampaign(ws, c.ID) })
			},
			delivered: true, wantState: store.JobDone,
		},
		{
			name: "X changed the text (links wrapped)",
			change: func(h *harness, _ store.Campaign, in store.Intent) {
				// X delivered it with its link shortened: not the same text,
				// but a DM from us since the intent all the same.
				h.x.events[len(h.x.events)-1].Text = strings.Replace(in.Text, "https://example.com", "https://t.co/xyz", 1)
			},
			delivered: true, wantState: store.JobNeedsReview,
		},
		{
			name: "X's events lack the conversation id",
			change: func(h *harness, _ store.Campaign, _ store.Intent) {
				events := h.net.ConversationEventsF
				h.net.ConversationEventsF = func(ctx context.Context, s sdk.Session, with string, n int) ([]sdk.DMEvent, error) {
					evs, err := events(ctx, s, with, n)
					for i := range evs {
						evs[i].ConversationID = ""
					}
					return evs, err
				}
			},
			delivered: true, wantState: store.JobDone, wantFollowup: true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t)
			acct := h.account("sales", h.known)
			src := h.source("s")
			lead := h.leads(src, 1)[0]
			vs := variants(1, true)
			vs[0].Message = "V0 Hi {{firstName}}, see https://example.com"
			c := h.campaign("c", []store.Source{src}, []store.Account{acct}, vs)
			j := h.job(store.DMJobID(c.ID, lead.UserID))
			in := store.Intent{JobID: j.ID, Workspace: ws, AccountID: acct.ID, RecipientID: lead.UserID, Text: message.Render(vs[0].Message, lead), At: h.clk.Now()}
			h.update(func(tx storetest.Tx) error { return tx.PutIntent(in) })
			if tt.delivered {
				h.x.deliver(acct.XUserID, lead.UserID, in.Text)
			}
			tt.change(h, c, in)
			e := h.restart()
			got := h.job(j.ID)
			if got.State != tt.wantState {
				t.Fatalf("job is %s (%s); want %s", got.State, got.LastError, tt.wantState)
			}
			if n := len(h.intents()); n != 0 {
				t.Errorf("%d intents left unresolved", n)
			}
			fus := h.jobs(store.JobQuery{CampaignID: c.ID, LeadID: lead.UserID, Kind: store.JobFollowup})
			if (len(fus) == 1) != tt.wantFollowup {
				t.Fatalf("%d follow-ups queued; want queued = %v", len(fus), tt.wantFollowup)
			}
			if tt.wantFollowup {
				// The follow-up belongs to the conversation X knows, so the
				// lead's reply stops it.
				if want := convID(acct.XUserID, lead.UserID); fus[0].ConversationID != want {
					t.Errorf("follow-up's conversation is %q; want %q", fus[0].ConversationID, want)
				}
				h.clk.Advance(time.Hour)
				h.x.deliver(lead.UserID, acct.XUserID, "sounds good")
			}
			h.runFor(e, 48*time.Hour, 10*time.Minute)
			if n := len(h.x.dmsTo(lead.UserID)); n != 1 {
				t.Errorf("the lead holds %d DMs; want the one first DM only", n)
			}
		})
	}
}

// TestLeftoverIntentIsNotResent: an engine that runs a job whose intent is
// still there (Recover was skipped) resolves it instead of sending again.
func TestLeftoverIntentIsNotResent(t *testing.T) {
	h := newHarness(t)
	acct := h.account("sales", h.known)
	src := h.source("s")
	lead := h.leads(src, 1)[0]
	c := h.campaign("c", []store.Source{src}, []store.Account{acct}, variants(1, false))
	j := h.job(store.DMJobID(c.ID, lead.UserID))
	in := store.Intent{JobID: j.ID, Workspace: ws, AccountID: acct.ID, RecipientID: lead.UserID, Text: message.Render(c.Variants[0].Message, lead), At: h.clk.Now()}
	h.update(func(tx storetest.Tx) error { return tx.PutIntent(in) })
	h.x.deliver(acct.XUserID, lead.UserID, in.Text)
	h.runUntilIdle(h.engine())
	if n := h.x.firstDMsTo(lead.UserID); n != 1 {
		t.Errorf("the lead holds %d first DMs; want 1", n)
	}
	if j := h.job(j.ID); j.State != store.JobDone {
		t.Errorf("job is %s; want done", j.State)
	}
}

// TestLeftoverIntentOfTheNextDMIsNotResent: when the account goes on from
// a sent DM to its next one in the same transaction, and the next one's
// job has an intent left (whose DM went out), the engine resolves it
// instead of replacing the intent and sending again.
func TestLeftoverIntentOfTheNextDMIsNotResent(t *testing.T) {
	h := newHarness(t)
	acct := h.account("sales", h.known) // no pacing: the sends go back to back
	src := h.source("s")
	leads := h.leads(src, 3)
	c := h.campaign("c", []store.Source{src}, []store.Account{acct}, variants(1, false))
	var heads []store.Job
	h.view(func(tx storetest.Tx) (err error) {
		heads, err = tx.QueueHeads(ws, acct.ID)
		return err
	})
	if len(heads) != 1 {
		t.Fatalf("the account's queue has %d lanes, want 1", len(heads))
	}
	// Every DM but the first went out, and left its intent, whose lease
	// has not expired yet, so that no sweep takes it: the engine's own, as
	// when a worker of its name ended.
	e := h.engine()
	for _, l := range leads {
		j := h.job(store.DMJobID(c.ID, l.UserID))
		if j.ID == heads[0].ID {
			continue
		}
		in := store.Intent{JobID: j.ID, Workspace: ws, Kind: store.JobDM, AccountID: acct.ID, RecipientID: l.UserID, Text: message.Render(c.Variants[0].Message, l),
			At: h.clk.Now(), Lease: store.Lease{Owner: e.owner, Expires: h.clk.Now().Add(time.Minute)}}
		h.update(func(tx storetest.Tx) error { return tx.PutIntent(in) })
		h.x.deliver(acct.XUserID, l.UserID, in.Text)
	}
	h.runUntilIdle(e)
	for _, l := range leads {
		if n := h.x.firstDMsTo(l.UserID); n != 1 {
			t.Errorf("lead %s holds %d first DMs; want 1", l.UserID, n)
		}
		if j := h.job(store.DMJobID(c.ID, l.UserID)); j.State != store.JobDone {
			t.Errorf("the job of lead %s is %s; want done", l.UserID, j.State)
		}
	}
}
