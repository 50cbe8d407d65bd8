package engine

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/outreachhq/outreach/core/store"
)

// unitKey names a unit of work: an account (its sends and reply reads,
// under its lease) or a job that names no account (a scrape).
type unitKey struct{ ws, account, job string }

func (k unitKey) String() string {
	if k.account != "" {
		return "account " + k.account
	}
	return "job " + k.job
}

// Run runs work as it falls due, on a bounded pool of workers, until ctx
// is done or idle reports, after a round of work, that there is nothing
// left to wait for. It returns the first error of the store.
func (e *Engine) Run(ctx context.Context, idle func() (bool, error)) error {
	return e.Start(ctx, idle)()
}

// Start starts what Run runs and returns at once, with a function that
// waits for it to end and returns its error. On a virtual clock the
// scheduler counts as running from the moment Start returns, so several
// engines started one after the other see time move only once all run.
func (e *Engine) Start(ctx context.Context, idle func() (bool, error)) (wait func() error) {
	errc := make(chan error, 1)
	e.clk.Go(func() { errc <- e.loop(ctx, idle) })
	return func() error { return <-errc }
}

// loop is the scheduler: it finds the units ready now, hands each to a
// worker of its own (up to Workers at once), and waits until the next one
// is due, a worker finishes, or the engine is woken.
func (e *Engine) loop(ctx context.Context, idle func() (bool, error)) error {
	ctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	stop := func(err error) error {
		cancel()
		wg.Wait()
		return err
	}
	// A pass reads every account's queue heads; it runs when work falls
	// due, when something wakes the engine, or when a sweep finds sends in
	// doubt. A sweep of expired intents alone (one index read) runs every
	// two lease lengths, to take over the work of engines that died.
	var (
		sweepAt time.Time
		// passAt is when the next pass is due (zero: no work is known);
		// woken forces one.
		passAt time.Time
		woken  = true
		// scheduleAt is when the next cron schedule runs (zero: none);
		// schedules are read at start, then when one is due or something
		// woke the engine (a change may have added one).
		scheduleAt time.Time
		scheduled  bool
	)
	for {
		if err := e.failure(); err != nil {
			return stop(err)
		}
		now := e.clk.Now()
		// With no work known, a pass comes with each sweep: another engine
		// may have written work that nothing wakes this one for.
		due := woken || passAt.IsZero() || !now.Before(passAt)
		if !scheduled || e.schedulesChanged.Swap(false) || !scheduleAt.IsZero() && !now.Before(scheduleAt) {
			next, err := e.RunSchedules(ctx)
			if err != nil {
				return stop(err)
			}
			scheduleAt, scheduled, due = next, true, true
		}
		if !now.Before(sweepAt) {
			found, err := e.sweep(ctx, now)
			if err != nil {
				return stop(err)
			}
			due = due || found
			sweepAt = now.Add(2 * e.ttl)
		}
		if due {
			units, wake, err := e.pass(ctx, now)
			if err != nil {
				return stop(err)
			}
			started := 0
			for _, k := range units {
				if e.busy() >= e.opts.Workers {
					break
				}
				e.start(ctx, &wg, k, now)
				started++
			}
			if started == 0 && e.busy() == 0 && idle != nil {
				done, err := idle()
				if err != nil {
					return stop(err)
				}
				if done {
					// One last read, so that replies to the last sends are
					// recorded before returning. The AI setter may answer
					// what it reads: then those answers run too.
					if err := e.pollAll(ctx); err != nil {
						return stop(err)
					}
					if done, err = idle(); err != nil || done {
						return stop(err)
					}
					wake = now
				}
			}
			passAt, woken = wake, false
		}
		next := earlier(earlier(passAt, sweepAt), scheduleAt)
		if err := e.clk.Wait(ctx, next, e.wake); err != nil {
			return stop(err)
		}
		woken = e.clk.Now().Before(next) // before any deadline: a signal

	}
}

// start runs a unit on a worker of its own.
func (e *Engine) start(ctx context.Context, wg *sync.WaitGroup, k unitKey, now time.Time) {
	e.mu.Lock()
	e.running[k] = true
	e.mu.Unlock()
	wg.Add(1)
	e.clk.Go(func() {
		defer wg.Done()
		progressed, err := e.runUnit(ctx, k)
		e.mu.Lock()
		delete(e.running, k)
		if !progressed {
			e.idleAt[k] = now
		}
		if err != nil && ctx.Err() == nil && e.fatal == nil {
			e.fatal = fmt.Errorf("%s: %w", k, err)
		}
		e.mu.Unlock()
		e.wake.Notify()
	})
}

func (e *Engine) busy() int {
	e.mu.Lock()
	defer e.mu.Unlock()
	return len(e.running)
}

func (e *Engine) failure() error {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.fatal
}

// RunDue runs every unit of work ready now, one after the other, until
// none is, and returns when the next will be (zero if nothing waits on
// time). Tests drive the engine step by step with it.
func (e *Engine) RunDue(ctx context.Context) (next time.Time, err error) {
	e.asActor(func() { next, err = e.runDue(ctx) })
	return next, err
}

// asActor runs fn as one of the clock's actors and waits for it, so that a
// virtual clock knows work is running and does not move time under it.
func (e *Engine) asActor(fn func()) {
	done := make(chan struct{})
	e.clk.Go(func() {
		defer close(done)
		fn()
	})
	<-done
}

func (e *Engine) runDue(ctx context.Context) (time.Time, error) {
	scheduleAt, err := e.RunSchedules(ctx)
	if err != nil {
		return time.Time{}, err
	}
	for {
		now := e.clk.Now()
		if _, err := e.sweep(ctx, now); err != nil {
			return time.Time{}, err
		}
		units, wake, err := e.pass(ctx, now)
		if err != nil || len(units) == 0 {
			return earlier(wake, scheduleAt), err
		}
		for _, k := range units {
			progressed, err := e.runUnit(ctx, k)
			if err != nil {
				return time.Time{}, fmt.Errorf("%s: %w", k, err)
			}
			if !progressed {
				e.mu.Lock()
				e.idleAt[k] = now
				e.mu.Unlock()
			}
		}
	}
}

// runUnit works one unit and reports whether it did anything.
func (e *Engine) runUnit(ctx context.Context, k unitKey) (bool, error) {
	if k.account != "" {
		return e.workAccount(ctx, k, false)
	}
	return e.workJob(ctx, k)
}

// skip reports whether the scheduler should pass over a unit at now: it
// runs, or it had nothing to do at this very instant. (Not "at or after":
// a clock that jumps back would keep it passed over for the jump's
// length.)
func (e *Engine) skip(k unitKey, now time.Time) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	at, idle := e.idleAt[k]
	return e.running[k] || idle && now.Equal(at)
}

// pass finds the units ready at now and when the next one will be: it
// reads each account's queue heads and state, and the due scrapes. It
// writes nothing but warmup ramps gone stale.
func (e *Engine) pass(ctx context.Context, now time.Time) ([]unitKey, time.Time, error) {
	var (
		units []unitKey
		wake  time.Time
		stale []store.Account
	)
	err := e.view(ctx, func(tx Tx) error {
		accounts, err := tx.AllAccounts()
		if err != nil {
			return err
		}
		// Sends in doubt of removed accounts still need settling: their
		// units are ready now.
		ghosts := e.inDoubtAccounts()
		for _, a := range accounts {
			k := unitKey{ws: a.Workspace, account: a.ID}
			delete(ghosts, k)
			st, err := tx.AccountState(a.Workspace, a.ID)
			if err != nil {
				return err
			}
			if stateStale(a, st, now) {
				stale = append(stale, a)
			}
			if e.skip(k, now) {
				continue
			}
			ready, err := accountReady(tx, a, st, now)
			if err != nil {
				return err
			}
			if st.Lease.Live(now) && st.Lease.Owner != e.owner {
				ready = later(ready, st.Lease.Expires)
			}
			if e.hasInDoubt(k) && !st.Lease.Live(now) {
				ready = now
			}
			switch {
			case ready.IsZero():
			case !ready.After(now):
				units = append(units, k)
			default:
				wake = earlier(wake, ready)
			}
		}
		for k := range ghosts {
			if !e.skip(k, now) {
				units = append(units, k)
			}
		}
		jobs, err := tx.DueJobs(now, 64)
		if err != nil {
			return err
		}
		for _, j := range jobs {
			k := unitKey{ws: j.Workspace, job: j.ID}
			switch {
			case e.skip(k, now):
			case j.Lease.Live(now) && j.Lease.Owner != e.owner:
				wake = earlier(wake, j.Lease.Expires)
			default:
				units = append(units, k)
			}
		}
		next, ok, err := tx.NextDueAt()
		if ok && next.After(now) {
			wake = earlier(wake, next)
		}
		return err
	})
	if err == nil && len(stale) > 0 {
		err = e.syncStates(ctx, stale, now)
	}
	return units, wake, err
}
