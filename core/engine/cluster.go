package engine

import (
	"context"
	"time"

	"github.com/outreachhq/outreach/core/store"
)

// A cluster's queue drives the engine instead of Run's scheduler: on
// Postgres, River holds one lane job per account with work, runs it on
// whichever worker process fetches it, and snoozes it until the account's
// next slot. Lane, Scrape and ListDue are what its workers call. Each unit runs
// under the same stored leases, intents and in-doubt rule as under Run, so
// two processes never send for one account at once and a unit that runs
// twice (a queue may run a job again after a worker dies) settles what is
// in doubt before it sends anything.

// Lane works an account once: the sends of its jobs left in doubt by a
// worker that died (or by a run of this engine that was stopped), a due
// read of its replies, then its next send if one is ready. It returns when
// the account next has work: zero if it has none, which ends the lane
// until new work starts another.
//
// A queue may run two jobs of one account at once (one it took for dead
// and one still running): one run of an account at a time in this engine,
// the stored lease across engines. While another engine's send of the
// account is unsettled, the account sends nothing new.
func (e *Engine) Lane(ctx context.Context, ws, accountID string) (time.Time, error) {
	k := unitKey{ws: ws, account: accountID}
	if !e.claim(k) {
		return e.clk.Now().Add(time.Second), nil
	}
	defer e.unclaim(k)
	// Work the account while it is ready now, for up to laneSlice: with
	// short gaps, a lane sends several messages a run rather than going
	// back to the queue between two.
	start := e.clk.Now()
	for {
		now := e.clk.Now()
		busyUntil, err := e.sweepAccount(ctx, k, now)
		if err != nil {
			return time.Time{}, err
		}
		progressed, err := e.workAccount(ctx, k, !busyUntil.IsZero())
		if err != nil {
			return time.Time{}, err
		}
		next, err := e.accountNext(ctx, k, e.clk.Now())
		if err != nil || next.IsZero() {
			return next, err
		}
		next = later(next, busyUntil)
		if now = e.clk.Now(); !progressed || next.After(now) || now.Sub(start) >= laneSlice || ctx.Err() != nil {
			return next, nil
		}
	}
}

// laneSlice is how long one run of a lane keeps working an account that
// stays ready; the queue's time for a run is longer.
const laneSlice = 2 * time.Second

// claim marks a unit as worked by this engine, and reports false if it
// already was.
func (e *Engine) claim(k unitKey) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.running[k] {
		return false
	}
	e.running[k] = true
	return true
}

func (e *Engine) unclaim(k unitKey) {
	e.mu.Lock()
	delete(e.running, k)
	e.mu.Unlock()
}

// Scrape works a job that names no account (a scrape) once, and returns
// when it is next due: zero once it is final.
func (e *Engine) Scrape(ctx context.Context, ws, jobID string) (time.Time, error) {
	k := unitKey{ws: ws, job: jobID}
	if !e.claim(k) {
		return e.clk.Now().Add(time.Second), nil
	}
	defer e.unclaim(k)
	if _, err := e.workJob(ctx, k); err != nil {
		return time.Time{}, err
	}
	var next time.Time
	err := e.view(ctx, func(tx Tx) error {
		j, err := tx.Job(ws, jobID)
		if store.IsNotFound(err) || err == nil && j.State.Final() {
			return nil
		}
		if err != nil {
			return err
		}
		next = j.DueAt
		if j.Lease.Live(e.clk.Now()) && j.Lease.Owner != e.owner {
			next = later(next, j.Lease.Expires)
		}
		return nil
	})
	return next, err
}

// ReadReplies reads every account's replies once, as Run does before it
// returns: the last read of a foreground run whose queue has stopped.
func (e *Engine) ReadReplies(ctx context.Context) (err error) {
	e.asActor(func() { err = e.pollAll(ctx) })
	return err
}

// Due is a unit of work that a cluster's queue should hold a job for: an
// account's lane (JobID empty) or a job that names no account, and when it
// is next ready.
type Due struct {
	Workspace, AccountID, JobID string
	At                          time.Time
}

// ListDue lists every unit with work: each account with work (its sends in
// doubt count as work now), and the scrapes due by now. A queue runs it
// now and then to restart what it lost (a lane that ended just as new work
// came, say); it is one read of every account's queue heads.
func (e *Engine) ListDue(ctx context.Context) ([]Due, error) {
	now := e.clk.Now()
	var (
		out   []Due
		stale []store.Account
	)
	err := e.view(ctx, func(tx Tx) error {
		expired, err := tx.ExpiredIntents(now, 1024)
		if err != nil {
			return err
		}
		inDoubt := map[unitKey]bool{}
		for _, in := range expired {
			inDoubt[unitKey{ws: in.Workspace, account: in.AccountID}] = true
		}
		accounts, err := tx.AllAccounts()
		if err != nil {
			return err
		}
		for _, a := range accounts {
			st, err := tx.AccountState(a.Workspace, a.ID)
			if err != nil {
				return err
			}
			if stateStale(a, st, now) {
				stale = append(stale, a)
			}
			ready, err := accountReady(tx, a, st, now)
			if err != nil {
				return err
			}
			k := unitKey{ws: a.Workspace, account: a.ID}
			if inDoubt[k] {
				ready = now
			}
			delete(inDoubt, k)
			if !ready.IsZero() {
				out = append(out, Due{Workspace: a.Workspace, AccountID: a.ID, At: ready})
			}
		}
		// Sends in doubt of removed accounts still need settling.
		for k := range inDoubt {
			out = append(out, Due{Workspace: k.ws, AccountID: k.account, At: now})
		}
		jobs, err := tx.DueJobs(now, 1024)
		for _, j := range jobs {
			out = append(out, Due{Workspace: j.Workspace, JobID: j.ID, At: j.DueAt})
		}
		return err
	})
	if err == nil && len(stale) > 0 {
		err = e.syncStates(ctx, stale, now)
	}
	return out, err
}

// sweepAccount finds the account's sends in doubt, for workAccount to
// settle first: the intents whose lease has expired, and those of this
// engine (the caller has the account's claim, so none of them is in
// flight: a run that was stopped left them). It returns, if another
// engine's send of the account is still live, when that send's lease ends:
// until then the account sends nothing new.
func (e *Engine) sweepAccount(ctx context.Context, k unitKey, now time.Time) (busyUntil time.Time, err error) {
	var mine []store.Intent
	err = e.view(ctx, func(tx Tx) error {
		// Intents are the sends in flight: few, whatever the store holds.
		all, err := tx.ExpiredIntents(endOfTime, 4096)
		mine, busyUntil = mine[:0], time.Time{}
		for _, in := range all {
			switch {
			case in.Workspace != k.ws || in.AccountID != k.account:
			case !in.Lease.Live(now) || in.Lease.Owner == e.owner:
				mine = append(mine, in)
			default:
				busyUntil = later(busyUntil, in.Lease.Expires)
			}
		}
		return err
	})
	if err != nil {
		return time.Time{}, err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if len(mine) > 0 {
		e.inDoubt[k] = mine
	} else {
		delete(e.inDoubt, k)
	}
	return busyUntil, nil
}

// endOfTime is after every lease: the intents expired by then are all.
var endOfTime = time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)

// accountNext is when an account next has work at now, as seen from this
// engine: never if it is gone or has none; not before another engine's
// lease on it expires.
func (e *Engine) accountNext(ctx context.Context, k unitKey, now time.Time) (time.Time, error) {
	var (
		next  time.Time
		stale bool
		a     store.Account
	)
	err := e.view(ctx, func(tx Tx) error {
		var err error
		a, err = tx.Account(k.ws, k.account)
		if store.IsNotFound(err) {
			next = time.Time{}
			return nil
		}
		if err != nil {
			return err
		}
		st, err := tx.AccountState(k.ws, k.account)
		if err != nil {
			return err
		}
		stale = stateStale(a, st, now)
		if next, err = accountReady(tx, a, st, now); err != nil || next.IsZero() {
			return err
		}
		if st.Lease.Live(now) && st.Lease.Owner != e.owner {
			next = later(next, st.Lease.Expires)
		}
		return nil
	})
	if err == nil && stale {
		err = e.syncStates(ctx, []store.Account{a}, now)
	}
	return next, err
}
