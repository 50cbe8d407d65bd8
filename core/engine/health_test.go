package engine

import (
	"context"
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
