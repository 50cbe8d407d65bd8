package engine

import (
	"context"
	"errors"
	"time"

	"github.com/outreachhq/outreach/core/service"
	"github.com/outreachhq/outreach/core/store"
	"github.com/outreachhq/outreach/sdk"
)

// Spend: each send adds its price (sdk.Pricer) to its account's spend of
// the UTC day, in the transaction that records it; before a send, the
// guard holds the account until the next UTC day when the workspace's
// spend of the day plus the send's price would pass max_daily_api_spend.
//
// The spend counters are not yet part of storetest.Tx (they were added
// beside it while it changed elsewhere); a transaction that has them
// (every store's does) is used through service.SpendTx, and one that has
// not counts and limits nothing.

// sendPrice is what one DM send costs on the network; 0 when its plugin
// prices nothing. It is asked once per network.
func (e *Engine) sendPrice(ctx context.Context, network string, net sdk.Network) float64 {
	if v, ok := e.prices.Load(network); ok {
		return v.(float64)
	}
	price := 0.0
	if p, ok := net.(sdk.Pricer); ok {
		table, err := p.Prices(ctx)
		if err != nil && sdk.KindOf(err) != sdk.Permanent {
			return 0 // asked again next time
		}
		price, _ = table.Cost(sdk.OpSendDM, 1, 0)
	}
	e.prices.Store(network, price)
	return price
}

// cachedSendPrice is sendPrice as last asked, for a transaction that
// cannot call the plugin.
func (e *Engine) cachedSendPrice(network string) float64 {
	v, _ := e.prices.Load(network)
	f, _ := v.(float64)
	return f
}

// addSpend counts a recorded send's price against its account's day.
func (e *Engine) addSpend(tx Tx, a store.Account, now time.Time) error {
	st, ok := tx.(service.SpendTx)
	price := e.cachedSendPrice(a.Network)
	if !ok || price == 0 {
		return nil
	}
	return service.AddSpend(st, a, price, now)
}

// overSpend holds the account of a send that would take the workspace's
// spend of the day past its max_daily_api_spend, until the next UTC day,
// and leaves the send waiting until then; it reports whether it did. The
// hold's reason is the account's, shown by the API and by plan.
func (e *Engine) overSpend(ctx context.Context, g guarded, price float64) (bool, error) {
	held := false
	err := e.updateReporting(ctx, func(tx Tx) (report, error) {
		held = false
		st, ok := tx.(service.SpendTx)
		if !ok {
			return report{}, nil
		}
		now := e.clk.Now()
		h, over, err := service.SpendHold(st, g.job.Workspace, price, now)
		if err != nil || !over {
			return report{}, err
		}
		j, err := tx.Job(g.job.Workspace, g.job.ID)
		if err != nil {
			return report{}, err
		}
		held = true
		r, err := e.holdAccount(tx, g.account, j, h, errors.New(h.Reason), now)
		if r.log == nil {
			r.log = func() { e.log.Warn("account held", "account", g.account.Handle, "reason", h.Reason, "until", h.Until) }
		}
		return r, err
	})
	return held, err
}
