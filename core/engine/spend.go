package engine

import (
	"context"
	"errors"
	"time"

	"github.com/outreachhq/outreach/core/service"
	"github.com/outreachhq/outreach/core/store"
	"github.com/outreachhq/outreach/sdk"
)

// Spend: each network call the engine makes adds its price (the plugin's
// sdk.Pricer table) to its account's spend of the UTC day, in the
// transaction that records what the call did: a send, a page of followers
// (by the users it returned), a read of DM events (by the events). Before
// a send or a scrape, the guard holds the work until the next UTC day when
// the workspace's spend of the day plus the call's price would pass
// max_daily_api_spend.

// cost is what calls of op on the network, returning items in all, cost
// under its price table (facts); 0 when it is not priced.
func (e *Engine) cost(network, op string, calls, items int) float64 {
	c, _ := e.known(network).prices.Cost(op, calls, items)
	return c
}

// addSpend counts what the account's calls of op cost against its day.
func (e *Engine) addSpend(tx Tx, a store.Account, op string, calls, items int, now time.Time) error {
	c := e.cost(a.Network, op, calls, items)
	if c == 0 {
		return nil
	}
	return service.AddSpend(tx, a, c, now)
}

// spendLimit returns the hold that keeps a call costing cost from a
// workspace whose spend of the day would pass its max_daily_api_spend
// (over), and whether the workspace has a limit at all.
func (e *Engine) spendLimit(ctx context.Context, ws string, cost float64) (h store.Hold, over, limited bool, err error) {
	if cost == 0 {
		return store.Hold{}, false, false, nil
	}
	err = e.view(ctx, func(tx Tx) (err error) {
		h, over, limited, err = service.SpendHold(tx, ws, cost, e.clk.Now())
		return err
	})
	return h, over, limited, err
}

// overSpend holds the account of a send that would take the workspace's
// spend of the day past its max_daily_api_spend, until the next UTC day,
// and leaves the send waiting until then: held says so. limited says the
// workspace has a limit, so that each send must pass this check.
func (e *Engine) overSpend(ctx context.Context, g guarded) (held, limited bool, err error) {
	h, over, limited, err := e.spendLimit(ctx, g.job.Workspace, e.cost(g.account.Network, sdk.OpSendDM, 1, 0))
	if err != nil || !over {
		return false, limited, err
	}
	err = e.updateReporting(ctx, func(tx Tx) (report, error) {
		j, err := tx.Job(g.job.Workspace, g.job.ID)
		if err != nil {
			return report{}, err
		}
		now := e.clk.Now()
		h.Since = now
		r, err := e.holdAccount(tx, g.account, j, h, &spendError{h.Reason}, now)
		if r.log == nil {
			r.log = func() { e.log.Warn("account held", "account", g.account.Handle, "reason", h.Reason, "until", h.Until) }
		}
		return r, err
	})
	return err == nil, true, err
}

// spendError is why a send waits for the next day's budget.
type spendError struct{ reason string }

func (e *spendError) Error() string { return e.reason }

// scrapeOverSpend leaves a scrape waiting until the next UTC day when a
// page of it would take the workspace's spend past its limit: held says
// so. The scrape's account is not held: its sends pass their own check.
func (e *Engine) scrapeOverSpend(ctx context.Context, j store.Job, a store.Account) (bool, error) {
	h, over, _, err := e.spendLimit(ctx, j.Workspace, e.cost(a.Network, sdk.OpScrape, 1, scrapePage))
	if err != nil || !over {
		return false, err
	}
	e.log.Warn("scrape waits", "job", j.ID, "reason", h.Reason, "until", h.Until)
	return true, e.update(ctx, func(tx Tx) error { return tx.PutJob(requeued(j, h.Until, errors.New(h.Reason))) })
}
