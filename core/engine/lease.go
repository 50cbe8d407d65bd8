package engine

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"github.com/outreachhq/outreach/core/store"
)

// lease is what one worker holds while it works: an account's lease (for
// sends and reply reads), a job's (for scrapes), or both, along with the
// intent of the send in flight. It is renewed while the worker works, so
// that no other engine takes over a live account, resolves a live intent
// or runs a job twice.
type lease struct {
	ws, accountID string
	// ghost marks the lease of a removed account: nothing to store.
	ghost bool

	mu    sync.Mutex
	jobID string // the job whose lease (and intent's) is renewed too

	lost atomic.Bool
}

func (l *lease) setJob(id string) {
	l.mu.Lock()
	l.jobID = id
	l.mu.Unlock()
}

func (l *lease) job() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.jobID
}

// grant is a lease of this engine from now on.
func (e *Engine) grant(now time.Time) store.Lease {
	return store.Lease{Owner: e.owner, Expires: now.Add(e.ttl)}
}

// acquireAccount takes an account's lease. It returns nil, with when the
// holder's lease expires, if another engine's worker holds it.
func (e *Engine) acquireAccount(ctx context.Context, ws, accountID string) (*lease, time.Time, error) {
	var (
		busyUntil time.Time
		ghost     bool
	)
	err := e.update(ctx, func(tx Tx) error {
		busyUntil, ghost = time.Time{}, false
		if _, err := tx.Account(ws, accountID); store.IsNotFound(err) {
			// Removed: nobody can act as it any more, but its sends in doubt
			// still need settling.
			ghost = true
			return nil
		} else if err != nil {
			return err
		}
		st, err := tx.AccountState(ws, accountID)
		if err != nil {
			return err
		}
		now := e.clk.Now()
		if st.Lease.Live(now) && st.Lease.Owner != e.owner {
			busyUntil = st.Lease.Expires
			return nil
		}
		st.Lease = e.grant(now)
		return tx.PutAccountState(st)
	})
	if err != nil || !busyUntil.IsZero() {
		return nil, busyUntil, err
	}
	return &lease{ws: ws, accountID: accountID, ghost: ghost}, time.Time{}, nil
}

// releaseAccount gives an account's lease back, if it is still ours.
func (e *Engine) releaseAccount(ctx context.Context, l *lease) error {
	if l.ghost {
		return nil
	}
	return e.update(ctx, func(tx Tx) error {
		st, err := tx.AccountState(l.ws, l.accountID)
		if err != nil || st.Lease.Owner != e.owner {
			return err
		}
		st.Lease = store.Lease{}
		return tx.PutAccountState(st)
	})
}

// renew extends what l holds by a lease's length from now, and marks l
// lost if another owner has taken any of it meanwhile (this engine stalled
// past the expiry).
func (e *Engine) renew(ctx context.Context, l *lease) error {
	jobID := l.job()
	lost := false
	err := e.update(ctx, func(tx Tx) error {
		lost = false
		g := e.grant(e.clk.Now())
		if l.accountID != "" && !l.ghost {
			st, err := tx.AccountState(l.ws, l.accountID)
			if err != nil {
				return err
			}
			if st.Lease.Owner != e.owner {
				lost = true
				return nil
			}
			st.Lease = g
			if err := tx.PutAccountState(st); err != nil {
				return err
			}
		}
		if jobID == "" {
			return nil
		}
		j, err := tx.Job(l.ws, jobID)
		if err != nil || j.Lease.Owner != e.owner {
			return err
		}
		j.Lease = g
		if err := tx.PutJob(j); err != nil {
			return err
		}
		in, err := tx.Intent(l.ws, jobID)
		if store.IsNotFound(err) || err == nil && in.Lease.Owner != e.owner {
			return nil
		}
		if err != nil {
			return err
		}
		in.Lease = g
		return tx.PutIntent(in)
	})
	if err == nil && lost {
		l.lost.Store(true)
	}
	return err
}

// keepAlive renews l every third of a lease's length until the returned
// function is called; that function stops the renewals and waits for them.
func (e *Engine) keepAlive(ctx context.Context, l *lease) (stop func()) {
	stopSig := e.clk.NewSignal()
	var stopped atomic.Bool
	done := make(chan struct{})
	e.clk.Go(func() {
		defer close(done)
		for {
			err := e.clk.Wait(ctx, e.clk.Now().Add(e.ttl/3), stopSig)
			if err != nil || stopped.Load() {
				return
			}
			if err := e.renew(ctx, l); err != nil {
				e.log.Error("renew a lease", "account", l.accountID, "job", l.job(), "error", err)
			}
		}
	})
	return func() {
		stopped.Store(true)
		stopSig.Notify()
		<-done
	}
}
