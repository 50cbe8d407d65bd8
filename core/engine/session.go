package engine

import (
	"context"
	"fmt"
	"time"

	"github.com/outreachhq/outreach/core/store"
	"github.com/outreachhq/outreach/sdk"
)

// connectErr is a failure to reach an account's network or to sign it
// in, as opposed to the store failing.
type connectErr struct{ err error }

func (c *connectErr) Error() string { return c.err.Error() }
func (c *connectErr) Unwrap() error { return c.err }

// connect returns the network plugin and session of an account. The first
// time an account is used its session is checked, which also tells its X
// user id (needed to tell its messages from its leads') and profile.
func (e *Engine) connect(ctx context.Context, a store.Account) (sdk.Network, sdk.Session, error) {
	net, err := e.opts.Network(a.Network)
	if err != nil {
		return nil, sdk.Session{}, connectError(a, err)
	}
	e.facts(ctx, a.Network, net)
	sess, err := e.opts.Session(ctx, a)
	if err != nil {
		return nil, sdk.Session{}, connectError(a, err)
	}
	if a.XUserID != "" {
		sess.UserID = a.XUserID
		return net, sess, nil
	}
	u, err := net.CheckSession(ctx, sess)
	if err != nil {
		return nil, sdk.Session{}, connectError(a, err)
	}
	err = e.update(ctx, func(tx Tx) error {
		cur, err := tx.Account(a.Workspace, a.ID)
		if err != nil {
			return err
		}
		cur.XUserID, cur.DisplayName, cur.ProfileImageURL, cur.Verified = u.ID, u.Name, u.ProfileImageURL, u.Verified
		return tx.PutAccount(cur)
	})
	sess.UserID = u.ID
	return net, sess, err
}

// connectError is err, from reaching an account's network, marked so.
func connectError(a store.Account, err error) error {
	return &connectErr{fmt.Errorf("account @%s: %w", a.Handle, err)}
}

// defaultPoll is how often replies are read from a network plugin that
// declares no rate budget for reading DM events: about what X's current
// per-user limit allows.
const defaultPoll = 90 * time.Second

// netFacts is what the engine learns of a network from its plugin, once:
// how often its accounts may read their replies, its DM send budgets
// (appbudget.go), and its prices (spend.go).
type netFacts struct {
	poll   time.Duration
	send   sendBudgets
	prices sdk.PriceTable
}

// facts returns the network's facts, asking its plugin for its rate
// budgets and prices the first time (and again after a failure that may
// pass: the plugin may be back). The simulated X charges nothing, as plan
// says, whatever its plugin's table.
func (e *Engine) facts(ctx context.Context, network string, net sdk.Network) netFacts {
	if v, ok := e.nets.Load(network); ok {
		return v.(netFacts)
	}
	f, final := netFacts{poll: defaultPoll}, true
	if rb, ok := net.(sdk.RateBudgeter); ok {
		budgets, err := rb.RateBudgets(ctx)
		switch {
		case err != nil && sdk.KindOf(err) != sdk.Permanent:
			final = false
		case err != nil:
			e.log.Debug("no rate budgets; reading replies at the default pace", "network", network, "error", err)
		}
		f.poll, f.send = pollFrom(budgets), sendBudgetsFrom(budgets)
	}
	if p, ok := net.(sdk.Pricer); ok && !e.opts.Simulated {
		table, err := p.Prices(ctx)
		if err != nil && sdk.KindOf(err) != sdk.Permanent {
			final = false
		}
		f.prices = table
	}
	if final {
		e.nets.Store(network, f)
	}
	return f
}

// known returns the network's facts as last learned, for a transaction
// that cannot call its plugin; zero if none were.
func (e *Engine) known(network string) netFacts {
	v, _ := e.nets.Load(network)
	f, _ := v.(netFacts)
	return f
}

// pollFrom is how often an account reads its replies under the budgets:
// what the budget for reading DM events allows, with a third of it left
// for the reads that resolve sends in doubt (which share it on X);
// defaultPoll without one.
func pollFrom(budgets []sdk.Budget) time.Duration {
	d := defaultPoll
	for _, b := range budgets {
		if b.Operation == sdk.OpDMEvents && b.Requests > 0 && b.Window > 0 {
			d = max(b.Window*3/time.Duration(2*b.Requests), time.Second)
		}
	}
	return d
}

// pollInterval is how often an account on the network reads its replies.
func (e *Engine) pollInterval(ctx context.Context, network string, net sdk.Network) time.Duration {
	if e.opts.PollInterval > 0 {
		return e.opts.PollInterval
	}
	return e.facts(ctx, network, net).poll
}
