package engine

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/hashicorp/go-hclog"

	"github.com/outreachhq/outreach/core/clock"
	"github.com/outreachhq/outreach/core/store"
	"github.com/outreachhq/outreach/sdk"
)

// Options configure an Engine.
type Options struct {
	Store *store.Store
	// Network returns the network plugin an account uses.
	Network func(name string) (sdk.Network, error)
	// Session returns the session (with credentials) an account acts as.
	Session func(ctx context.Context, a store.Account) (sdk.Session, error)
	Clock   clock.Clock
	Rand    *rand.Rand
	Logger  hclog.Logger
	// PollInterval is how often replies are read while conversations are
	// open. Default one minute.
	PollInterval time.Duration
	// Observe, if set, is told about progress as it happens.
	Observe func(Event)
}

// Engine executes jobs. Its methods are not safe for concurrent use: one
// goroutine runs it.
type Engine struct {
	opts Options
	st   *store.Store

	// nextSend is the earliest time each account may send again: its
	// pacing, or a rate limit or expired session holding all its sends.
	nextSend map[string]time.Time
	// blocked is when each send lane (see store.Lane) may send next, as
	// its last try found: its campaign's window, the account's hours, cap
	// or pause. It is kept here, not written into each waiting job, so that
	// waiting costs no store writes however long the queue.
	blocked  map[store.Lane]time.Time
	nextPoll time.Time
	// filters caches each source's compiled filter, by source id.
	filters map[string]compiledFilter

	wakeMu sync.Mutex
	wake   chan struct{}
}

// New returns an engine. It starts nothing.
func New(opts Options) *Engine {
	if opts.Clock == nil {
		opts.Clock = clock.Real{}
	}
	if opts.Rand == nil {
		opts.Rand = rand.New(rand.NewPCG(rand.Uint64(), rand.Uint64()))
	}
	if opts.Logger == nil {
		opts.Logger = hclog.NewNullLogger()
	}
	if opts.PollInterval <= 0 {
		opts.PollInterval = time.Minute
	}
	if opts.Observe == nil {
		opts.Observe = func(Event) {}
	}
	return &Engine{
		opts:     opts,
		st:       opts.Store,
		nextSend: map[string]time.Time{},
		blocked:  map[store.Lane]time.Time{},
		filters:  map[string]compiledFilter{},
		wake:     make(chan struct{}, 1),
	}
}

// Wake tells a waiting Run that new work may be due now.
func (e *Engine) Wake() {
	select {
	case e.wake <- struct{}{}:
	default:
	}
}

// batch is how many due jobs one RunDue leases at a time.
const batch = 64

// RunDue runs every job due now, polls replies when a poll is due, and
// returns when the next job is due (zero if none is pending).
//
// Jobs other than sends (scrapes) are leased from the store's due index.
// Sends wait in per-account lanes (store.SendLanes) and only a lane's first
// job is looked at: a lane whose account or campaign cannot send now is
// held in memory until it can, so a send costs the same few store writes
// whether one job or 25,000 wait behind it.
func (e *Engine) RunDue(ctx context.Context) (time.Time, error) {
	// ran is when each job run by this call was due, to catch a job that
	// comes back due at the same time: run must finish, reschedule or hold
	// every job, and one that did none of these would be run again and
	// again (for ever on a virtual clock).
	ran := map[string]ranAt{}
	for {
		now := e.opts.Clock.Now()
		if !now.Before(e.nextPoll) {
			if err := e.syncWarmups(now); err != nil {
				return time.Time{}, err
			}
			if err := e.pollReplies(ctx); err != nil {
				return time.Time{}, err
			}
			e.nextPoll = now.Add(e.opts.PollInterval)
		}
		ranDue, err := e.runDueIndex(ctx, now, ran)
		if err != nil {
			return time.Time{}, err
		}
		ranSends, wake, err := e.runSends(ctx, now, ran)
		if err != nil {
			return time.Time{}, err
		}
		if ranDue || ranSends {
			continue
		}
		// Nothing ran, so wake (from lanes that all wait past now) stands.
		err = e.st.View(func(tx *store.Tx) error {
			at, ok, err := tx.NextDue()
			if ok && (wake.IsZero() || at.Before(wake)) {
				wake = at
			}
			return err
		})
		return wake, err
	}
}

// ranAt is when a job run by one RunDue was due, when it first ran, and
// how often it ran.
type ranAt struct {
	due, at time.Time
	runs    int
}

// again reports whether running j now would repeat a run that changed
// nothing: the same job, still due at the same time, picked again at the
// same instant (or a third time at all). A run that holds a lane moves the
// lane's time past now, so only a run that failed to finish, reschedule or
// hold its job comes back this way.
func again(ran map[string]ranAt, j store.Job, now time.Time) bool {
	r, ok := ran[j.ID]
	if !ok || !r.due.Equal(j.DueAt) {
		ran[j.ID] = ranAt{due: j.DueAt, at: now, runs: 1}
		return false
	}
	r.runs++
	ran[j.ID] = r
	return !now.After(r.at) || r.runs > 2
}

// runDueIndex runs one batch of jobs of the due index due now, and reports
// whether there were any.
func (e *Engine) runDueIndex(ctx context.Context, now time.Time, ran map[string]ranAt) (bool, error) {
	var jobs []store.Job
	if err := e.st.View(func(tx *store.Tx) (err error) {
		jobs, err = tx.DueJobs(now, batch)
		return err
	}); err != nil {
		return false, err
	}
	for _, j := range jobs {
		if err := ctx.Err(); err != nil {
			return false, err
		}
		if j.Kind.Sends() {
			// Indexed by a version before send queues: move it to its lane.
			if err := e.st.Update(func(tx *store.Tx) error { return tx.PutJob(j) }); err != nil {
				return false, err
			}
			continue
		}
		if again(ran, j, e.opts.Clock.Now()) {
			if err := e.parkStuck(j); err != nil {
				return false, err
			}
			continue
		}
		if err := e.run(ctx, j, now); err != nil {
			return false, fmt.Errorf("job %s: %w", j.ID, err)
		}
	}
	return len(jobs) > 0, nil
}

// runSends runs, for each account that may send now, the first job of its
// lane that is ready now and due earliest. It reports whether it ran any,
// and otherwise when the earliest lane will be ready (zero if no send is
// queued).
func (e *Engine) runSends(ctx context.Context, now time.Time, ran map[string]ranAt) (bool, time.Time, error) {
	var heads []store.LaneHead
	if err := e.st.View(func(tx *store.Tx) (err error) {
		heads, err = tx.SendLanes()
		return err
	}); err != nil {
		return false, time.Time{}, err
	}
	for l, at := range e.blocked {
		if !at.After(now) {
			delete(e.blocked, l) // passed: forget it, and any lane now gone
		}
	}
	var (
		wake  time.Time
		picks []store.Job
		// pick is the index in picks of each account's choice.
		pick = map[[2]string]int{}
	)
	for _, h := range heads {
		ready := e.readyAt(h)
		if ready.After(now) {
			if wake.IsZero() || ready.Before(wake) {
				wake = ready
			}
			continue
		}
		acct := [2]string{h.Workspace, h.AccountID}
		i, ok := pick[acct]
		if !ok {
			pick[acct] = len(picks)
			picks = append(picks, h.Job)
			continue
		}
		if p := picks[i]; h.Job.DueAt.Before(p.DueAt) || h.Job.DueAt.Equal(p.DueAt) && h.Job.ID < p.ID {
			picks[i] = h.Job
		}
	}
	for _, j := range picks {
		if err := ctx.Err(); err != nil {
			return false, time.Time{}, err
		}
		if again(ran, j, e.opts.Clock.Now()) {
			if err := e.parkStuck(j); err != nil {
				return false, time.Time{}, err
			}
			continue
		}
		if err := e.run(ctx, j, now); err != nil {
			return false, time.Time{}, fmt.Errorf("job %s: %w", j.ID, err)
		}
	}
	return len(picks) > 0, wake, nil
}

// readyAt is when the first job of a lane may run: when it is due, its
// account's pacing allows and the lane is not held.
func (e *Engine) readyAt(h store.LaneHead) time.Time {
	at := h.Job.DueAt
	if b := e.blocked[h.Lane]; b.After(at) {
		at = b
	}
	if n := e.nextSend[h.AccountID]; n.After(at) {
		at = n
	}
	return at
}

// hold keeps a lane from sending until at, without touching its jobs.
func (e *Engine) hold(j store.Job, at time.Time) {
	l := store.LaneOf(j)
	if at.After(e.blocked[l]) {
		e.blocked[l] = at
	}
}

// parkStuck parks a job that a run left due at the same time.
func (e *Engine) parkStuck(j store.Job) error {
	var cur store.Job
	err := e.st.View(func(tx *store.Tx) (err error) {
		cur, err = tx.Job(j.Workspace, j.ID)
		return err
	})
	if err != nil {
		return err
	}
	if cur.State != store.JobPending {
		return fmt.Errorf("job %s is %s but indexed as due: the store's job index is inconsistent", j.ID, cur.State)
	}
	e.opts.Logger.Error("job did not move past its due time; parked", "job", j.ID)
	return e.finish(cur, store.JobNeedsReview, errors.New("the engine left this job due after running it; parked to avoid a busy loop"))
}

// Run runs jobs as they fall due until ctx is done or idle reports, after
// a round of work, that there is nothing left to wait for.
func (e *Engine) Run(ctx context.Context, idle func() (bool, error)) error {
	for {
		next, err := e.RunDue(ctx)
		if err != nil {
			return err
		}
		if idle != nil {
			done, err := idle()
			if err != nil {
				return err
			}
			if done {
				// One last read so replies that arrived during the last
				// sends are recorded before returning.
				return e.pollReplies(ctx)
			}
		}
		wakeAt := e.nextPoll
		if !next.IsZero() && next.Before(wakeAt) {
			wakeAt = next
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-e.wake:
		case <-e.opts.Clock.After(wakeAt.Sub(e.opts.Clock.Now())):
		}
	}
}

// run executes one job due at now; an error here is the store failing (or
// ctx ending), not the job.
func (e *Engine) run(ctx context.Context, j store.Job, now time.Time) error {
	// A batch is read before its jobs run, and running one can change
	// another (a reply cancels a follow-up): act on the job as it is now.
	err := e.st.View(func(tx *store.Tx) (err error) {
		j, err = tx.Job(j.Workspace, j.ID)
		return err
	})
	if store.IsNotFound(err) {
		return nil
	}
	if err != nil {
		return err
	}
	if j.State != store.JobPending || j.DueAt.After(now) {
		return nil
	}
	switch j.Kind {
	case store.JobScrape:
		return e.scrape(ctx, j)
	case store.JobDM, store.JobFollowup:
		return e.send(ctx, j)
	}
	return e.finish(j, store.JobFailed, fmt.Errorf("unknown job kind %q", j.Kind))
}

// finish records a job's final state.
func (e *Engine) finish(j store.Job, state store.JobState, cause error) error {
	return e.st.Update(func(tx *store.Tx) error {
		return tx.PutJob(e.finished(j, state, cause))
	})
}

func (e *Engine) finished(j store.Job, state store.JobState, cause error) store.Job {
	now := e.opts.Clock.Now()
	j.State, j.UpdatedAt = state, now
	if state.Final() {
		j.DoneAt = now
	}
	if cause != nil {
		j.LastError = cause.Error()
	}
	return j
}

// retryLater puts a job back to pending at a later time.
func (e *Engine) retryLater(j store.Job, at time.Time, cause error) error {
	j.State, j.DueAt, j.UpdatedAt = store.JobPending, at, e.opts.Clock.Now()
	if cause != nil {
		j.LastError = cause.Error()
	}
	return e.st.Update(func(tx *store.Tx) error { return tx.PutJob(j) })
}

// backoff is the wait before retry number attempt (1-based): 30s doubling,
// capped at an hour, with jitter so accounts do not retry in step.
func (e *Engine) backoff(attempt int) time.Duration {
	d := 30 * time.Second << min(attempt-1, 7)
	d = min(d, time.Hour)
	return d/2 + time.Duration(e.opts.Rand.Int64N(int64(d/2)+1))
}

// maxAttempts is how often a transient failure is retried before a job fails.
const maxAttempts = 8
