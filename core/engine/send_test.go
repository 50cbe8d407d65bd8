package engine

import (
	"context"
	"testing"
	"time"

	"github.com/outreachhq/outreach/core/store"
	"github.com/outreachhq/outreach/core/store/storetest"
	"github.com/outreachhq/outreach/sdk"
)

// scrapeCampaign sets up what `apply` does for a source over the followers
// of @target and a campaign over two paced accounts, and returns the
// followers.
func scrapeCampaign(h *harness, followers int, followup bool) (store.Source, store.Campaign, []sdk.User) {
	h.t.Helper()
	paced := func(a *store.Account) { a.MinGap, a.MaxGap = time.Minute, 2*time.Minute }
	accounts := []store.Account{h.account("sales", paced), h.account("growth", paced)}
	target := h.x.addUser("target", "Target", 0)
	users := h.users("f", followers)
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
	c := h.campaign("hello", []store.Source{src}, accounts, variants(2, followup))
	return src, c, users
}

// TestFirstDMAtMostOnce disturbs a running campaign in the ways a user or a
// crash can, then runs it to the end: every lead gets its first DM exactly
// once.
func TestFirstDMAtMostOnce(t *testing.T) {
	tests := []struct {
		name    string
		disturb func(h *harness, e *Engine, src store.Source, c store.Campaign) *Engine
	}{
		{"undisturbed", func(h *harness, e *Engine, _ store.Source, _ store.Campaign) *Engine { return e }},
		{"RunDue again at the same instant", func(h *harness, e *Engine, _ store.Source, _ store.Campaign) *Engine {
			h.runDue(e)
			h.runDue(e)
			return e
		}},
		{"campaign applied again", func(h *harness, e *Engine, _ store.Source, c store.Campaign) *Engine {
			if n := h.fill(c.ID); n != 0 {
				h.t.Errorf("re-apply queued %d jobs", n)
			}
			return e
		}},
		{"same pages scraped again", func(h *harness, e *Engine, src store.Source, _ store.Campaign) *Engine {
			// As if the checkpoint had not moved: the scrape starts over.
			h.update(func(tx storetest.Tx) error {
				j, err := tx.Job(ws, store.ScrapeJobID(src.ID, "followers", "target"))
				if err != nil {
					return err
				}
				j.State, j.Cursor, j.DueAt = store.JobPending, "", h.clk.Now()
				return tx.PutJob(j)
			})
			h.runDue(e)
			return e
		}},
		{"process restarted", func(h *harness, _ *Engine, _ store.Source, _ store.Campaign) *Engine {
			return h.restart()
		}},
		{"restarted twice, running in between", func(h *harness, _ *Engine, _ store.Source, _ store.Campaign) *Engine {
			e := h.restart()
			h.runDue(e)
			return h.restart()
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t)
			h.poll = 10 * time.Minute
			src, c, users := scrapeCampaign(h, 10, true)
			e := h.engine()
			h.runDue(e) // scrapes, and each account sends its first DM
			if got := len(h.x.sendCalls); got != 2 {
				t.Fatalf("after the first round %d DMs were sent; want one per account", got)
			}
			h.clk.Advance(90 * time.Second)
			e = tt.disturb(h, e, src, c)
			h.runUntilIdle(e)
			h.clk.Advance(72 * time.Hour)
			h.runDue(h.restart())

			for _, u := range users {
				if n := h.x.firstDMsTo(u.ID); n != 1 {
					t.Errorf("@%s got %d first DMs; want 1", u.Username, n)
				}
			}
			h.view(func(tx storetest.Tx) error {
				if n, err := tx.SourceLeadCount(ws, src.ID); n != len(users) || err != nil {
					t.Errorf("source kept %d leads (%v); want %d", n, err, len(users))
				}
				return nil
			})
			if n := len(h.jobs(store.JobQuery{CampaignID: c.ID, Kind: store.JobDM})); n != len(users) {
				t.Errorf("%d first DM jobs; want %d", n, len(users))
			}
			if n := h.sent("acct-sales") + h.sent("acct-growth"); n != 2*len(users) {
				t.Errorf("dms_sent = %d; want %d first DMs and follow-ups", n, 2*len(users))
			}
		})
	}
}

// TestDoNotContactAfterQueueing: a lead put on the list after its job was
// queued is not sent to.
func TestDoNotContactAfterQueueing(t *testing.T) {
	h := newHarness(t)
	acct := h.account("sales")
	src := h.source("s")
	leads := h.leads(src, 3)
	c := h.campaign("c", []store.Source{src}, []store.Account{acct}, variants(1, false))
	h.update(func(tx storetest.Tx) error { return tx.AddDoNotContact(ws, leads[1].UserID, "asked by email") })
	h.runUntilIdle(h.engine())
	if n := len(h.x.dmsTo(leads[1].UserID)); n != 0 {
		t.Errorf("a do-not-contact lead got %d DMs", n)
	}
	if j := h.job(store.DMJobID(c.ID, leads[1].UserID)); j.State != store.JobCancelled {
		t.Errorf("job of the do-not-contact lead is %s; want cancelled", j.State)
	}
}

// TestTypedSendErrors: what each kind of plugin error does to a first DM.
func TestTypedSendErrors(t *testing.T) {
	resetIn := 20 * time.Minute
	tests := []struct {
		name string
		err  func(now time.Time) error
		// always fails every call, not only the first.
		always bool
		// wantState, wantDue and wantAttempts describe the job after the
		// first failure; wantDue 0 means any time after it, -1 not pending.
		wantState    store.JobState
		wantDue      time.Duration
		wantAttempts int
		// wantCalls is the SendDM calls after running two more days, and
		// wantDMs the DMs the lead holds then.
		wantCalls int
		wantDMs   int
		wantFail  bool // a Failed event is observed
	}{
		{
			name: "rate limited: retried at the reset, lead kept",
			err: func(now time.Time) error {
				return &sdk.Error{Kind: sdk.RateLimited, Message: "429", ResetAt: now.Add(resetIn)}
			},
			wantState: store.JobPending, wantDue: resetIn, wantCalls: 2, wantDMs: 1,
		},
		{
			name:      "rate limited without a reset time",
			err:       func(time.Time) error { return sdk.Errorf(sdk.RateLimited, "429") },
			wantState: store.JobPending, wantDue: 15 * time.Minute, wantCalls: 2, wantDMs: 1,
		},
		{
			name:      "recipient closed: failed for good",
			err:       func(time.Time) error { return sdk.Errorf(sdk.RecipientClosed, "user does not accept DMs") },
			wantState: store.JobFailed, wantDue: -1, wantCalls: 1, wantFail: true,
		},
		{
			name:      "not found: failed for good",
			err:       func(time.Time) error { return sdk.Errorf(sdk.NotFound, "user suspended") },
			wantState: store.JobFailed, wantDue: -1, wantCalls: 1, wantFail: true,
		},
		{
			name:      "permanent: failed for good",
			err:       func(time.Time) error { return sdk.Errorf(sdk.Permanent, "text too long") },
			wantState: store.JobFailed, wantDue: -1, wantCalls: 1, wantFail: true,
		},
		{
			name:      "retryable once: sent on the retry",
			err:       func(time.Time) error { return sdk.Errorf(sdk.Retryable, "503") },
			wantState: store.JobPending, wantAttempts: 1, wantCalls: 2, wantDMs: 1,
		},
		{
			name:      "retryable every time: fails after maxAttempts",
			err:       func(time.Time) error { return sdk.Errorf(sdk.Retryable, "503") },
			always:    true,
			wantState: store.JobPending, wantAttempts: 1, wantCalls: maxAttempts, wantFail: true,
		},
		{
			// Waiting for new credentials uses up no attempt: the lead is
			// not failed however long the renewal takes.
			name:      "session expired: not sent, retried later",
			err:       func(time.Time) error { return sdk.Errorf(sdk.SessionExpired, "401") },
			wantState: store.JobPending, wantDue: heldRetry, wantAttempts: 0, wantCalls: 2, wantDMs: 1,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t)
			acct := h.account("sales")
			src := h.source("s")
			lead := h.leads(src, 1)[0]
			c := h.campaign("c", []store.Source{src}, []store.Account{acct}, variants(1, false))
			send := h.net.SendDMF
			calls := 0
			h.net.SendDMF = func(ctx context.Context, s sdk.Session, to, text string) (sdk.SentDM, error) {
				calls++
				if calls == 1 || tt.always {
					return sdk.SentDM{}, tt.err(h.clk.Now())
				}
				return send(ctx, s, to, text)
			}
			e := h.engine()
			failedAt := h.clk.Now()
			h.runDue(e)
			j := h.job(store.DMJobID(c.ID, lead.UserID))
			if j.State != tt.wantState {
				t.Fatalf("after the error the job is %s (%s); want %s", j.State, j.LastError, tt.wantState)
			}
			switch {
			case tt.wantDue > 0 && !j.DueAt.Equal(failedAt.Add(tt.wantDue)):
				t.Errorf("rescheduled at %s; want %s", j.DueAt, failedAt.Add(tt.wantDue))
			case tt.wantDue == 0 && !j.DueAt.After(failedAt):
				t.Errorf("retry due at %s, not after the failure at %s", j.DueAt, failedAt)
			}
			if j.Attempts != tt.wantAttempts {
				t.Errorf("%d attempts used; want %d", j.Attempts, tt.wantAttempts)
			}
			if j.LastError == "" {
				t.Error("the job does not say why it did not send")
			}
			if n := len(h.intents()); n != 0 {
				t.Errorf("%d intents left behind: a typed error means nothing was sent", n)
			}

			h.runFor(e, 48*time.Hour, 5*time.Minute)
			if calls != tt.wantCalls {
				t.Errorf("SendDM called %d times; want %d", calls, tt.wantCalls)
			}
			if got := len(h.x.dmsTo(lead.UserID)); got != tt.wantDMs {
				t.Errorf("the lead holds %d DMs; want %d", got, tt.wantDMs)
			}
			if got := len(h.eventsOf(Failed)) > 0; got != tt.wantFail {
				t.Errorf("Failed observed = %v; want %v", got, tt.wantFail)
			}
			if tt.wantFail {
				if j := h.job(store.DMJobID(c.ID, lead.UserID)); j.State != store.JobFailed {
					t.Errorf("job ended %s; want failed", j.State)
				}
			}
		})
	}
}

// TestRateLimitHoldsTheAccount: once X says an account is rate limited, its
// other jobs wait for the reset instead of each hitting the limit again.
func TestRateLimitHoldsTheAccount(t *testing.T) {
	h := newHarness(t)
	acct := h.account("sales")
	src := h.source("s")
	h.leads(src, 5)
	h.campaign("c", []store.Source{src}, []store.Account{acct}, variants(1, false))
	reset := h.clk.Now().Add(15 * time.Minute)
	send := h.net.SendDMF
	h.net.SendDMF = func(ctx context.Context, s sdk.Session, to, text string) (sdk.SentDM, error) {
		if h.clk.Now().Before(reset) {
			h.x.sendCalls = append(h.x.sendCalls, sendCall{At: h.clk.Now(), Handle: s.Handle, To: to, Text: text})
			return sdk.SentDM{}, &sdk.Error{Kind: sdk.RateLimited, Message: "429", ResetAt: reset}
		}
		return send(ctx, s, to, text)
	}
	h.runUntilIdle(h.engine())
	limited := 0
	for _, c := range h.x.sendCalls {
		if c.At.Before(reset) {
			limited++
		}
	}
	if limited != 1 {
		t.Errorf("%d DM attempts while rate limited; want 1", limited)
	}
	if n := len(h.x.events); n != 5 {
		t.Errorf("%d DMs sent; want 5", n)
	}
}

// TestAccountRemovedDuringItsTurn: an account removed while its turn
// runs (through the API, by a person: here while its session is first
// checked on X, before its first read of replies) ends its turn quietly,
// and the engine goes on.
func TestAccountRemovedDuringItsTurn(t *testing.T) {
	h := newHarness(t)
	acct := h.account("sales")
	h.update(func(tx storetest.Tx) error { // its replies are due for a read
		return tx.PutAccountState(store.AccountState{Workspace: ws, AccountID: acct.ID, NextPollAt: t0})
	})
	check, checked := h.net.CheckSessionF, 0
	h.net.CheckSessionF = func(ctx context.Context, s sdk.Session) (sdk.User, error) {
		checked++
		h.update(func(tx storetest.Tx) error { return tx.DeleteAccount(ws, acct.ID) })
		return check(ctx, s)
	}
	if _, err := h.engine().RunDue(context.Background()); err != nil {
		t.Fatalf("RunDue: %v", err)
	}
	if checked == 0 {
		t.Fatal("the account's session was never checked")
	}
}
