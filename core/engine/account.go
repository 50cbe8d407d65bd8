package engine

import (
	"context"
	"time"

	"github.com/outreachhq/outreach/core/store"
)

// workAccount works an account under its lease: first the sends in doubt
// the last sweep found (only those, if recoverOnly), then a due read of
// its replies, then its next send if one is ready. It reports whether it
// did anything; another engine holding the account is not an error.
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
	var (
		a     store.Account
		st    store.AccountState
		heads []store.Job
	)
	err = e.view(ctx, func(tx Tx) (err error) {
		if a, err = tx.Account(k.ws, k.account); err != nil {
			return err
		}
		if st, err = tx.AccountState(k.ws, k.account); err != nil {
			return err
		}
		heads, err = tx.QueueHeads(k.ws, k.account)
		return err
	})
	if store.IsNotFound(err) {
		return progressed, nil // removed: its jobs were cancelled with it
	}
	if err != nil {
		return progressed, err
	}
	now := e.clk.Now()
	if !st.NextPollAt.IsZero() && !st.NextPollAt.After(now) {
		if err := e.poll(ctx, a); err != nil {
			return true, err
		}
		progressed = true
	}
	j, ok, err := e.nextSend(ctx, a, st, heads, now)
	if err != nil || !ok || l.lost.Load() {
		return progressed, err
	}
	run := e.send
	if j.Kind == store.JobTweet {
		run = e.postTweet
	}
	did, err := run(ctx, l, j)
	return progressed || did, err
}

// nextSend picks, among an account's queue heads (sends and tweets), the
// one ready now that is due earliest.
func (e *Engine) nextSend(ctx context.Context, a store.Account, st store.AccountState, heads []store.Job, now time.Time) (store.Job, bool, error) {
	var (
		pick  store.Job
		found bool
	)
	err := e.view(ctx, func(tx Tx) error {
		for _, h := range heads {
			ready, err := headReady(tx, a, st, h, now)
			if err != nil {
				return err
			}
			if ready.IsZero() || ready.After(now) {
				continue
			}
			if !found || h.DueAt.Before(pick.DueAt) || h.DueAt.Equal(pick.DueAt) && h.ID < pick.ID {
				pick, found = h, true
			}
		}
		return nil
	})
	return pick, found, err
}
