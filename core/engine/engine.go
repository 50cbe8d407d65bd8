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

	// nextSend is the earliest time each account may send again (pacing).
	nextSend map[string]time.Time
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
func (e *Engine) RunDue(ctx context.Context) (time.Time, error) {
	// ran is when each job run by this call was due, to catch a job that
	// comes back due at the same time: run must finish or reschedule every
	// job, and one that did neither would be run again and again (for ever
	// on a virtual clock).
	ran := map[string]time.Time{}
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
		var jobs []store.Job
		if err := e.st.View(func(tx *store.Tx) (err error) {
			jobs, err = tx.DueJobs(now, batch)
			return err
		}); err != nil {
			return time.Time{}, err
		}
		if len(jobs) == 0 {
			break
		}
		for _, j := range jobs {
			if err := ctx.Err(); err != nil {
				return time.Time{}, err
			}
			if at, ok := ran[j.ID]; ok && at.Equal(j.DueAt) {
				if j.State != store.JobPending {
					return time.Time{}, fmt.Errorf("job %s is %s but indexed as due: the store's due index is inconsistent", j.ID, j.State)
				}
				e.opts.Logger.Error("job did not move past its due time; parked", "job", j.ID)
				if err := e.finish(j, store.JobNeedsReview, errors.New("the engine left this job due after running it; parked to avoid a busy loop")); err != nil {
					return time.Time{}, err
				}
				continue
			}
			ran[j.ID] = j.DueAt
			if err := e.run(ctx, j, now); err != nil {
				return time.Time{}, fmt.Errorf("job %s: %w", j.ID, err)
			}
		}
	}
	var next time.Time
	err := e.st.View(func(tx *store.Tx) error {
		at, ok, err := tx.NextDue()
		if ok {
			next = at
		}
		return err
	})
	return next, err
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
