package engine

import (
	"context"
	"time"

	"github.com/outreachhq/outreach/core/store"
)

// workAccount works an account under its lease: first the sends in doubt
// the last sweep found (only those, if recoverOnly), then turns of work
// (see turn) while the account stays ready, for up to laneSlice. It
// reports whether it did anything; another engine holding the account is
// not an error.
//
// Keeping the lease from one send to the next, rather than taking it and
// giving it back around each, saves two synced commits a send when gaps
// are short: a send then costs its intent and its outcome.
func (e *Engine) workAccount(ctx context.Context, k unitKey, recoverOnly bool) (bool, error) {
	l, _, err := e.acquireAccount(ctx, k.ws, k.account)
	if l == nil || err != nil {
		return false, err
	}
	stop := e.keepAlive(ctx, l)
	defer func() {
		stop()
		if err := e.releaseAccount(ctx, l); err != nil {
			e.log.Error("release an account's lease", "account", k.account, "error", err)
		}
	}()
	progressed := false
	for _, in := range e.takeInDoubt(k) {
		if err := e.recoverIntent(ctx, l, in); err != nil {
			return true, err
		}
		progressed = true
	}
	if recoverOnly {
		return progressed, nil
	}
	start := e.clk.Now()
	for {
		did, err := e.turn(ctx, l, k)
		if err != nil && e.accountRemoved(ctx, k) {
			// Removed while its turn ran (through the API, say): its jobs
			// were cancelled with it, and what failed was only reading or
			// writing it.
			e.log.Info("account removed during its turn", "account", k.account, "error", err)
			return true, nil
		}
		progressed = progressed || did
		if err != nil || !did || l.lost.Load() || ctx.Err() != nil || e.clk.Now().Sub(start) >= laneSlice {
			return progressed, err
		}
	}
}

// accountRemoved reports whether k's account is no longer stored.
func (e *Engine) accountRemoved(ctx context.Context, k unitKey) bool {
	err := e.view(ctx, func(tx Tx) error {
		_, err := tx.Account(k.ws, k.account)
		return err
	})
	return store.IsNotFound(err)
}

// turn does what an account has due now, under its lease l: a due read of
// its replies, then its next send if one is ready. It reports whether it
// did anything.
func (e *Engine) turn(ctx context.Context, l *lease, k unitKey) (bool, error) {
	var (
		a     store.Account
		st    store.AccountState
		j     store.Job
		ready bool
	)
	err := e.view(ctx, func(tx Tx) (err error) {
		if a, err = tx.Account(k.ws, k.account); err != nil {
			return err
		}
		if st, err = tx.AccountState(k.ws, k.account); err != nil {
			return err
		}
		heads, err := tx.QueueHeads(k.ws, k.account)
		if err != nil {
			return err
		}
		j, ready, err = readyHead(tx, a, st, heads, e.clk.Now())
		return err
	})
	if store.IsNotFound(err) {
		return false, nil // removed: its jobs were cancelled with it
	}
	if err != nil {
		return false, err
	}
	progressed := false
	if now := e.clk.Now(); !st.NextPollAt.IsZero() && !st.NextPollAt.After(now) {
		if err := e.poll(ctx, a); err != nil {
			return true, err
		}
		progressed = true
	}
	if !ready || l.lost.Load() {
		return progressed, nil
	}
	run := e.send
	if j.Kind == store.JobTweet {
		run = e.postTweet
	}
	did, err := run(ctx, l, j)
	return progressed || did, err
}

// readyHead picks, among an account's queue heads (sends and tweets), the
// one ready at now that is due earliest.
func readyHead(tx Tx, a store.Account, st store.AccountState, heads []store.Job, now time.Time) (store.Job, bool, error) {
	var (
		pick  store.Job
		found bool
	)
	for _, h := range heads {
		ready, err := headReady(tx, a, st, h, now)
		if err != nil {
			return store.Job{}, false, err
		}
		if ready.IsZero() || ready.After(now) {
			continue
		}
		if !found || h.DueAt.Before(pick.DueAt) || h.DueAt.Equal(pick.DueAt) && h.ID < pick.ID {
			pick, found = h, true
		}
	}
	return pick, found, nil
}
