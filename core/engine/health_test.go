package engine

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/outreachhq/outreach/core/store"
	"github.com/outreachhq/outreach/core/store/storetest"
	"github.com/outreachhq/outreach/sdk"
)

// TestHealthScore: an account's health falls with what X refuses it (two
// 429s, before its first send), not with leads who do not take DMs, and
// heals as sends that go out push the failures out of its recent
// outcomes.
func TestHealthScore(t *testing.T) {
	h := newHarness(t)
	acct := h.account("sales", func(a *store.Account) { a.MinGap, a.MaxGap = time.Second, time.Second })
	src := h.source("s")
	leads := h.leads(src, 30)
	h.campaign("c", []store.Source{src}, []store.Account{acct}, variants(1, false))
	closed := leads[len(leads)-2].UserID // among the last 20 outcomes
	send := h.net.SendDMF
	limited := 0
	h.net.SendDMF = func(ctx context.Context, s sdk.Session, to, text string) (sdk.SentDM, error) {
		switch {
		case to == closed:
			return sdk.SentDM{}, sdk.Errorf(sdk.RecipientClosed, "this user does not accept DMs")
		case limited < 2:
			limited++
			return sdk.SentDM{}, &sdk.Error{Kind: sdk.RateLimited, Message: "Too Many Requests", ResetAt: h.clk.Now().Add(time.Minute)}
		}
		return send(ctx, s, to, text)
	}
	health := func() (int, []store.Outcome) {
		var st store.AccountState
		h.view(func(tx storetest.Tx) (err error) {
			st, err = tx.AccountState(ws, acct.ID)
			return err
		})
		return st.Score(), st.Recent
	}
	if score, _ := health(); score != 100 {
		t.Fatalf("a new account's health is %d; want 100", score)
	}
	var lowest int = 100
	h.onEvent = func(ev Event) {
		if ev.Kind == Sent {
			score, _ := health()
			lowest = min(lowest, score)
		}
	}
	h.runUntilIdle(h.engine())
	if lowest != 90 {
		t.Errorf("after two 429s the health was at lowest %d; want 90 (5 off for each)", lowest)
	}
	score, recent := health()
	if score != 100 || len(recent) != store.RecentOutcomes {
		t.Errorf("after 20 more sends went out: health %d from %v; want 100 from the last %d outcomes", score, recent, store.RecentOutcomes)
	}
}

// holdsOf returns the holds on an account, in force or not.
func (h *harness) holdsOf(accountID string) []store.Hold {
	h.t.Helper()
	var st store.AccountState
	h.view(func(tx storetest.Tx) (err error) {
		st, err = tx.AccountState(ws, accountID)
		return err
	})
	return st.Holds
}

// TestAutomatedCoolDownGrows: each time X says an account's requests look
// automated (226), it cools down longer (1 h, 4 h, 24 h), its DM waits
// without losing an attempt, and account_paused says why.
func TestAutomatedCoolDownGrows(t *testing.T) {
	h := newHarness(t)
	acct := h.account("sales", func(a *store.Account) { a.MinGap, a.MaxGap = time.Second, time.Second })
	src := h.source("s")
	h.leads(src, 2)
	h.campaign("c", []store.Source{src}, []store.Account{acct}, variants(1, false))
	send := h.net.SendDMF
	var refusedAt []time.Time
	h.net.SendDMF = func(ctx context.Context, s sdk.Session, to, text string) (sdk.SentDM, error) {
		if len(refusedAt) < 3 {
			refusedAt = append(refusedAt, h.clk.Now())
			return sdk.SentDM{}, sdk.Errorf(sdk.Automated, "This request looks like it might be automated.")
		}
		return send(ctx, s, to, text)
	}
	h.runUntilIdle(h.engine())
	if len(refusedAt) != 3 {
		t.Fatalf("X refused %d sends; want 3", len(refusedAt))
	}
	for i, want := range []time.Duration{time.Hour, 4 * time.Hour} {
		if got := refusedAt[i+1].Sub(refusedAt[i]); got < want || got > want+time.Minute {
			t.Errorf("cool-down %d lasted %s; want %s", i+1, got, want)
		}
	}
	if sends := h.sendsBy("sales"); len(sends) != 2 || sends[0].At.Sub(refusedAt[2]) < 24*time.Hour {
		t.Errorf("sends after the third 226: %v; want both, 24 h after it (at %s)", sends, refusedAt[2])
	}
	if paused := h.outbox(store.EventAccountPaused); len(paused) != 3 || !strings.Contains(string(paused[2].Data), "cooling down for 24h") {
		t.Errorf("account_paused events: %d (%v); want 3, the last for 24 h", len(paused), paused)
	}
	for _, j := range h.jobs(store.JobQuery{Kind: store.JobDM}) {
		if j.State != store.JobDone || j.Attempts != 0 {
			t.Errorf("job %s: %s after %d attempts; want done, with no attempt used by the cool-downs", j.ID, j.State, j.Attempts)
		}
	}
}

// TestSessionExpiryFailsOver: when X stops taking an account's session,
// the account is held and paused (account_paused, once), and its waiting
// first DMs move to the campaign's other account, each lead keeping its
// variant and getting one first DM.
func TestSessionExpiryFailsOver(t *testing.T) {
	for _, kind := range []sdk.ErrorKind{sdk.SessionExpired, sdk.AccountBlocked} {
		t.Run(string(kind), func(t *testing.T) {
			h := newHarness(t)
			paced := func(a *store.Account) { a.MinGap, a.MaxGap = time.Minute, time.Minute }
			sales, growth := h.account("sales", paced), h.account("growth", paced)
			src := h.source("s")
			leads := h.leads(src, 12)
			c := h.campaign("c", []store.Source{src}, []store.Account{sales, growth}, variants(2, false))
			variantOf := map[string]int{}
			for _, j := range h.campaignJobs(c, store.JobDM) {
				variantOf[j.LeadID] = j.Variant
			}
			send := h.net.SendDMF
			h.net.SendDMF = func(ctx context.Context, s sdk.Session, to, text string) (sdk.SentDM, error) {
				if s.Handle == "sales" && len(h.sendsBy("sales")) >= 2 {
					return sdk.SentDM{}, sdk.Errorf(kind, "the account cannot act")
				}
				return send(ctx, s, to, text)
			}
			e := h.engine()
			h.runFor(e, 30*time.Minute, time.Minute)

			if got := len(h.sendsBy("sales")); got != 2 {
				t.Errorf("@sales sent %d DMs; want 2, before X refused it", got)
			}
			got := map[string]int{}
			for _, s := range h.x.sendCalls {
				got[s.To]++
			}
			for _, l := range leads {
				if got[l.UserID] != 1 {
					t.Errorf("lead %s got %d first DMs; want 1", l.UserID, got[l.UserID])
				}
			}
			for _, j := range h.campaignJobs(c, store.JobDM) {
				if j.Variant != variantOf[j.LeadID] {
					t.Errorf("lead %s moved from variant %d to %d", j.LeadID, variantOf[j.LeadID], j.Variant)
				}
				if j.State != store.JobDone {
					t.Errorf("lead %s: job %s; want done", j.LeadID, j.State)
				}
			}
			if paused := h.outbox(store.EventAccountPaused); len(paused) != 1 || !strings.Contains(string(paused[0].Data), `"account_handle":"sales"`) {
				t.Errorf("account_paused events: %v; want one, for @sales", paused)
			}
			holds := h.holdsOf(sales.ID)
			if len(holds) != 1 || (kind == sdk.AccountBlocked) != holds[0].Until.IsZero() {
				t.Errorf("holds on @sales: %+v; want one (until a person acts for a blocked account)", holds)
			}
		})
	}
}
