package engine

import (
	"context"
	"testing"
	"time"

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
			s, err = tx.(service.SpendTx).WorkspaceSpendOn(acct.Workspace, d.Format(time.DateOnly))
			return err
		})
		return s
	}
	if a, b := spent(day), spent(midnight); a != store.SpendOf(3) || b != store.SpendOf(2) {
		t.Errorf("spend by day = $%.2f, $%.2f; want $3.00 then $2.00", a.Dollars(), b.Dollars())
	}
}
