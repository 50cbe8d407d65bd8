package engine

import (
	"context"
	"testing"
	"time"

	"github.com/outreachhq/outreach/core/schedule"
	"github.com/outreachhq/outreach/core/service"
	"github.com/outreachhq/outreach/core/store"
	"github.com/outreachhq/outreach/core/store/storetest"
	"github.com/outreachhq/outreach/sdk"
)

// pricedNetwork is the fake X with a price table: a DM costs $1.
type pricedNetwork struct{ *fakeNetwork }

func (pricedNetwork) Prices(context.Context) (sdk.PriceTable, error) {
	return sdk.PriceTable{AsOf: "2026-11-15", Currency: "USD", Prices: []sdk.Price{{Operation: sdk.OpSendDM, PerRequest: 1}}}, nil
}

// TestMaxDailySpendHoldsSends: with max_daily_api_spend = 3 and DMs at $1,
// three DMs go out today; the account is then held until 00:00 UTC with
// the reason, and the other two go out the next day.
func TestMaxDailySpendHoldsSends(t *testing.T) {
	h := newHarness(t)
	acct := h.account("sales", func(a *store.Account) { a.MinGap, a.MaxGap = time.Minute, time.Minute })
	src := h.source("s")
	h.leads(src, 5)
	h.campaign("c", []store.Source{src}, []store.Account{acct}, variants(1, false))
	h.update(func(tx storetest.Tx) error { return service.SetMaxDailySpend(tx, acct.Workspace, 3) })
	day := h.clk.Now().UTC()
	midnight := time.Date(day.Year(), day.Month(), day.Day()+1, 0, 0, 0, 0, time.UTC)

	e := h.engine()
	e.opts.Network = func(string) (sdk.Network, error) { return pricedNetwork{h.net}, nil }
	h.runUntilIdle(e)

	sends := h.sendsBy("sales")
	if len(sends) != 5 {
		t.Fatalf("%d DMs sent, want 5", len(sends))
	}
	for i, s := range sends {
		if today := s.At.Before(midnight); today != (i < 3) {
			t.Errorf("DM %d went out at %v; want the first 3 before %v and the rest from then", i+1, s.At, midnight)
		}
	}
	var st store.AccountState
	h.view(func(tx storetest.Tx) (err error) { st, err = tx.AccountState(acct.Workspace, acct.ID); return err })
	want := "max_daily_api_spend of $3.00 reached today ($3.00 spent); work resumes at 00:00 UTC"
	found := false
	for _, hd := range st.Holds {
		found = found || hd.Reason == want && hd.Until.Equal(midnight)
	}
	if !found {
		t.Errorf("account holds %+v; want one until %v saying %q", st.Holds, midnight, want)
	}
	spent := func(d time.Time) store.Spend {
		var s store.Spend
		h.view(func(tx storetest.Tx) (err error) {
			s, err = tx.WorkspaceSpendOn(acct.Workspace, d.Format(time.DateOnly))
			return err
		})
		return s
	}
	if a, b := spent(day), spent(midnight); a != store.SpendOf(3) || b != store.SpendOf(2) {
		t.Errorf("spend by day = $%.2f, $%.2f; want $3.00 then $2.00", a.Dollars(), b.Dollars())
	}
}

// appBudgetNetwork is the fake X with an app's daily budget of 4 DMs,
// shared by every account signed in through it.
type appBudgetNetwork struct{ *fakeNetwork }

func (appBudgetNetwork) RateBudgets(context.Context) ([]sdk.Budget, error) {
	return []sdk.Budget{
		{Operation: sdk.OpSendDM, Requests: 15, Window: 15 * time.Minute},
		{Operation: sdk.OpSendDM, Requests: 4, Window: 24 * time.Hour, Scope: sdk.ScopeApp},
	}, nil
}

// TestAppBudgetIsShared: two accounts on an app whose budget is 4 DMs a
// day send 2 each on the first day, whatever their own caps (50), and the
// rest the next day: neither takes the other's share.
func TestAppBudgetIsShared(t *testing.T) {
	h := newHarness(t)
	pace := func(a *store.Account) { a.MinGap, a.MaxGap = time.Minute, time.Minute }
	sales, founder := h.account("sales", pace), h.account("founder", pace)
	src := h.source("s")
	h.leads(src, 6)
	h.campaign("c", []store.Source{src}, []store.Account{sales, founder}, variants(1, false))
	day := h.clk.Now()
	tomorrow := schedule.DayOf(day, time.UTC) + 1

	e := h.engine()
	e.opts.Network = func(string) (sdk.Network, error) { return appBudgetNetwork{h.net}, nil }
	h.runUntilIdle(e)

	for _, handle := range []string{"sales", "founder"} {
		sends := h.sendsBy(handle)
		if len(sends) != 3 {
			t.Fatalf("@%s sent %d DMs, want 3", handle, len(sends))
		}
		first := 0
		for _, s := range sends {
			if s.At.Before(tomorrow.Start(time.UTC)) {
				first++
			}
		}
		if first != 2 {
			t.Errorf("@%s sent %d DMs on the first day, want its share of the app's 4: 2", handle, first)
		}
	}
}

// userBudgetNetwork is the fake X with X's per-user send budget only.
type userBudgetNetwork struct{ *fakeNetwork }

func (userBudgetNetwork) RateBudgets(context.Context) ([]sdk.Budget, error) {
	return []sdk.Budget{{Operation: sdk.OpSendDM, Requests: 15, Window: 15 * time.Minute}}, nil
}

// TestPerUserBudgetSpacesSends: off the simulator, an account paced a
// second apart sends no faster than X's 15 DMs per 15 minutes allow: a
// minute apart.
func TestPerUserBudgetSpacesSends(t *testing.T) {
	h := newHarness(t)
	acct := h.account("sales", func(a *store.Account) { a.MinGap, a.MaxGap = time.Second, time.Second })
	src := h.source("s")
	h.leads(src, 4)
	h.campaign("c", []store.Source{src}, []store.Account{acct}, variants(1, false))
	e := h.engine()
	e.opts.Network = func(string) (sdk.Network, error) { return userBudgetNetwork{h.net}, nil }
	h.runUntilIdle(e)

	sends := h.sendsBy("sales")
	if len(sends) != 4 {
		t.Fatalf("%d DMs sent, want 4", len(sends))
	}
	for i := 1; i < len(sends); i++ {
		if gap := sends[i].At.Sub(sends[i-1].At); gap < time.Minute {
			t.Errorf("DMs %d and %d went %s apart; X's 15 per 15 minutes want a minute", i, i+1, gap)
		}
	}
}
