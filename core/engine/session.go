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
	e.loadPrices(ctx, a.Network, net)
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

// pollInterval is how often an account on the network reads its replies:
// what the plugin's budget for reading DM events allows, with a third of
// it left for the reads that resolve sends in doubt (which share it on X).
func (e *Engine) pollInterval(ctx context.Context, network string, net sdk.Network) time.Duration {
	if e.opts.PollInterval > 0 {
		return e.opts.PollInterval
	}
	if d, ok := e.budgets.Load(network); ok {
		return d.(time.Duration)
	}
	d := defaultPoll
	if rb, ok := net.(sdk.RateBudgeter); ok {
		budgets, err := rb.RateBudgets(ctx)
		if err != nil && sdk.KindOf(err) != sdk.Permanent {
			return d // asked again next time: the plugin may be back
		}
		if err != nil {
			e.log.Debug("no rate budgets; reading replies at the default pace", "network", network, "error", err)
		}
		for _, b := range budgets {
			if b.Operation == sdk.OpDMEvents && b.Requests > 0 && b.Window > 0 {
				d = max(b.Window*3/time.Duration(2*b.Requests), time.Second)
			}
		}
	}
	e.budgets.Store(network, d)
	return d
}
