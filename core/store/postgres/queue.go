package postgres

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/rivertype"
)

// The queue: River, in the same database. Our jobs table stays the record
// of every job (its state, attempts, intents, tallies); River holds what
// makes work run on a cluster of worker processes:
//
//   - a lane per account with work (kind outreach.lane): it works the
//     account once (in-doubt sends, a due read of replies, the next send)
//     and snoozes until the account's next slot, so at most one worker of
//     the cluster holds an account at a time and its pacing holds across
//     processes;
//   - a job per scrape (outreach.scrape), due when our job is;
//   - a periodic job (outreach.due) that River's leader enqueues, once per
//     cluster: it lists every unit with work and restarts the lanes the
//     queue lost (one that ended just as new work came).
//
// Lanes and scrapes are inserted in the same transaction as the jobs that
// call for them (Update's commit step), and only when none is live: a
// lane that is live is left alone (River's completer updates it all the
// time, and writing it too would make our SERIALIZABLE transactions
// conflict with it), unless it sleeps past the new work, which wakes it.
//
// River's stuck-job rescue is what hands a killed worker's lanes to
// another: lanes run for seconds, so the rescue window is short (a lane
// that runs past it may run twice at once, which the engine's stored
// leases and intents make harmless).

const (
	kindLane   = "outreach.lane"
	kindScrape = "outreach.scrape"
	kindDue    = "outreach.due"

	queueLanes   = "lanes"
	queueScrapes = "scrapes"

	// laneTimeout bounds one run of a lane; rescueAfter is when River takes
	// a running job for dead and runs it again.
	laneTimeout   = 10 * time.Second
	rescueAfter   = 15 * time.Second
	scrapeTimeout = time.Minute
	// dueEvery is how often the leader lists the units with work.
	dueEvery = 10 * time.Second
	// schedulerLag is how late River may run a job it holds scheduled: its
	// leader makes scheduled jobs available every 5 seconds. Work due
	// sooner than that is queued available, and a lane that runs early
	// snoozes until its account is ready: a short snooze leaves a job
	// available, due at its time, with no scheduler in between.
	schedulerLag = 5 * time.Second
	// maxAttempts of a lane or scrape before River gives up on it (the next
	// listing of due work starts a new one). Snoozes do not count.
	maxAttempts = 1000
)

// unitArgs names a lane's account or a scrape's job.
type unitArgs struct {
	Workspace string `json:"workspace"`
	ID        string `json:"id"`
}

type laneArgs struct{ unitArgs }

func (laneArgs) Kind() string { return kindLane }

type scrapeArgs struct{ unitArgs }

func (scrapeArgs) Kind() string { return kindScrape }

type dueArgs struct{}

func (dueArgs) Kind() string { return kindDue }

// Handlers are what the queue's workers run: the engine's units.
type Handlers struct {
	// Lane works an account once and returns when it next has work (zero:
	// none).
	Lane func(ctx context.Context, ws, accountID string) (time.Time, error)
	// Scrape works a scrape job once and returns when it is next due
	// (zero: it is final).
	Scrape func(ctx context.Context, ws, jobID string) (time.Time, error)
	// Due lists every unit with work: accounts (JobID empty) and jobs
	// without an account.
	Due func(ctx context.Context) ([]Unit, error)
}

// Unit is an account's lane (JobID empty) or a scrape job, ready at At.
type Unit struct {
	Workspace, AccountID, JobID string
	At                          time.Time
}

func (u Unit) kind() string {
	if u.JobID != "" {
		return kindScrape
	}
	return kindLane
}

func (u Unit) args() river.JobArgs {
	if u.JobID != "" {
		return scrapeArgs{unitArgs{u.Workspace, u.JobID}}
	}
	return laneArgs{unitArgs{u.Workspace, u.AccountID}}
}

func (u Unit) id() string { return u.AccountID + u.JobID }

// WorkOptions configure a worker process's share of the queue.
type WorkOptions struct {
	// ID names this process in River (leader election, job attempts).
	ID string
	// Lanes is how many accounts it works at once; scrapes get a quarter
	// as many slots, at least one.
	Lanes  int
	Logger *slog.Logger
}

// newQueueClient is the River client of a store: it inserts (and, with
// workers, works) jobs.
func newQueueClient(s *Store, workers *river.Workers, o WorkOptions) (*river.Client[pgx.Tx], error) {
	cfg := &river.Config{
		ID:                          o.ID,
		Logger:                      o.Logger,
		JobTimeout:                  laneTimeout,
		RescueStuckJobsAfter:        rescueAfter,
		MaxAttempts:                 maxAttempts,
		RetryPolicy:                 retryPolicy{},
		FetchPollInterval:           200 * time.Millisecond,
		CompletedJobRetentionPeriod: time.Hour,
		SkipUnknownJobCheck:         workers == nil,
	}
	if workers != nil {
		lanes := max(o.Lanes, 1)
		cfg.Workers = workers
		cfg.Queues = map[string]river.QueueConfig{
			queueLanes:         {MaxWorkers: lanes},
			queueScrapes:       {MaxWorkers: max(lanes/4, 1)},
			river.QueueDefault: {MaxWorkers: 1},
		}
		cfg.PeriodicJobs = []*river.PeriodicJob{river.NewPeriodicJob(river.PeriodicInterval(dueEvery),
			func() (river.JobArgs, *river.InsertOpts) { return dueArgs{}, nil },
			&river.PeriodicJobOpts{RunOnStart: true})}
	}
	return river.NewClient(riverpgxv5.New(s.pool), cfg)
}

// retryPolicy runs a job River retries at once. The units never return an
// error (they snooze after one, see unitDone), so River retries only what
// its rescuer took from a dead worker, which must not wait.
type retryPolicy struct{}

func (retryPolicy) NextRetry(*rivertype.JobRow) time.Time { return time.Now() }

// liveStates are the states of a unit's live queue job: at most one job of
// a unit is in any of them. River's default would count completed jobs
// too, and a lane that ended would keep its account from ever getting
// another (until River deleted it).
var liveStates = []rivertype.JobState{
	rivertype.JobStateAvailable, rivertype.JobStatePending, rivertype.JobStateRetryable,
	rivertype.JobStateRunning, rivertype.JobStateScheduled,
}

// ensure makes sure each unit has a live queue job, due no later than its
// At, inside tx: it inserts the missing ones and wakes those that sleep
// past their unit's At. It reads River's jobs first and writes only what
// needs it (see the top of this file).
func (s *Store) ensure(ctx context.Context, tx pgx.Tx, units []Unit) error {
	if len(units) == 0 {
		return nil
	}
	kinds := make([]string, len(units))
	wss := make([]string, len(units))
	ids := make([]string, len(units))
	for i, u := range units {
		kinds[i], wss[i], ids[i] = u.kind(), u.Workspace, u.id()
	}
	rows, err := tx.Query(ctx, `
		SELECT j.id, j.kind, j.args->>'workspace', j.args->>'id', j.state, j.scheduled_at
		FROM unnest($1::text[], $2::text[], $3::text[]) AS u(kind, ws, id)
		JOIN river_job j ON j.kind = u.kind AND j.args->>'workspace' = u.ws AND j.args->>'id' = u.id
		WHERE j.kind IN ('outreach.lane', 'outreach.scrape')
		  AND j.state IN ('available', 'pending', 'scheduled', 'retryable', 'running')`,
		kinds, wss, ids)
	if err != nil {
		return fmt.Errorf("read the queue: %w", err)
	}
	type live struct {
		id    int64
		state string
		at    time.Time
	}
	found := map[[3]string]live{}
	for rows.Next() {
		var (
			l            live
			kind, ws, id string
		)
		if err := rows.Scan(&l.id, &kind, &ws, &id, &l.state, &l.at); err != nil {
			rows.Close()
			return fmt.Errorf("read the queue: %w", err)
		}
		found[[3]string{kind, ws, id}] = l
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read the queue: %w", err)
	}
	var inserts []river.InsertManyParams
	soon := time.Now().Add(schedulerLag)
	for _, u := range units {
		l, ok := found[[3]string{u.kind(), u.Workspace, u.id()}]
		switch {
		case !ok:
			queue := queueLanes
			if u.JobID != "" {
				queue = queueScrapes
			}
			opts := &river.InsertOpts{Queue: queue, UniqueOpts: river.UniqueOpts{ByArgs: true, ByState: liveStates}}
			// Work due soon is available at once: River would hold a
			// scheduled job until its scheduler's next run (schedulerLag).
			if u.At.After(soon) {
				opts.ScheduledAt = u.At
			}
			inserts = append(inserts, river.InsertManyParams{Args: u.args(), InsertOpts: opts})
		case late(l.state, l.at, u.At, soon):
			if _, err := s.queue.JobRetryTx(ctx, tx, l.id); err != nil && !errors.Is(err, river.ErrNotFound) {
				return fmt.Errorf("wake the lane of %s: %w", u.id(), err)
			}
		}
	}
	if len(inserts) == 0 {
		return nil
	}
	if _, err := s.queue.InsertManyTx(ctx, tx, inserts); err != nil {
		return fmt.Errorf("queue work: %w", err)
	}
	return nil
}

// late reports whether a live queue job, in state and due at, runs too late
// for its unit's work due at want: it sleeps past it by more than a second
// (a lane snoozed until its account's next read of replies, say, when new
// sends came), or it is scheduled, and want comes before River's scheduler
// would make it available (schedulerLag). A running job is never late: it
// looks for its work when it ends.
func late(state string, at, want, soon time.Time) bool {
	switch state {
	case "available":
		return at.After(want.Add(time.Second))
	case "scheduled", "retryable":
		return at.After(want.Add(time.Second)) || !want.After(soon)
	}
	return false
}

// Work runs this process's share of the queue until ctx is done: the
// lanes and scrapes River hands it, and, while it is River's leader, the
// periodic listing of due work. A lost database does not end it: River
// retries, and Work keeps trying to start until it can. When ctx is done it
// lets the jobs in hand finish (for up to stopGrace), then cancels them.
func (s *Store) Work(ctx context.Context, h Handlers, o WorkOptions) error {
	workers := river.NewWorkers()
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	river.AddWorker(workers, &laneWorker{h: h, log: o.Logger})
	river.AddWorker(workers, &scrapeWorker{h: h, log: o.Logger})
	river.AddWorker(workers, &dueWorker{s: s, h: h, log: o.Logger})
	client, err := newQueueClient(s, workers, o)
	if err != nil {
		return fmt.Errorf("start the queue: %w", err)
	}
	for attempt := 1; ; attempt++ {
		err := client.Start(ctx)
		if err == nil {
			break
		}
		if ctx.Err() != nil {
			return nil
		}
		wait := min(time.Duration(attempt)*time.Second, 30*time.Second)
		o.Logger.Error("start the queue; retrying", "error", err, "in", wait)
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(wait):
		}
	}
	<-ctx.Done()
	stopCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), stopGrace)
	defer cancel()
	if err := client.Stop(stopCtx); err != nil {
		hard, cancel := context.WithTimeout(context.WithoutCancel(ctx), stopGrace)
		defer cancel()
		return client.StopAndCancel(hard)
	}
	return nil
}

// stopGrace is how long a stopping worker waits for the jobs in hand.
const stopGrace = 10 * time.Second

// unitDone ends a run of a unit: done if next is zero, else snoozed until
// next. A unit that failed (the store did not answer, say) is snoozed for
// errorBackoff, with jitter, and tried again: its work is all in our jobs
// table, so nothing is lost, and River never counts it as a failure.
func unitDone(log *slog.Logger, what string, next time.Time, err error) error {
	if err != nil {
		wait := errorBackoff/2 + rand.N(errorBackoff)
		log.Error("work "+what+"; trying again", "error", err, "in", wait)
		return river.JobSnooze(wait)
	}
	if next.IsZero() {
		return nil
	}
	return river.JobSnooze(max(time.Until(next), time.Millisecond))
}

// errorBackoff is about how long a unit that failed waits.
const errorBackoff = 10 * time.Second

type laneWorker struct {
	river.WorkerDefaults[laneArgs]
	h   Handlers
	log *slog.Logger
}

func (w *laneWorker) Work(ctx context.Context, job *river.Job[laneArgs]) error {
	next, err := w.h.Lane(ctx, job.Args.Workspace, job.Args.ID)
	return unitDone(w.log, "account "+job.Args.ID, next, err)
}

type scrapeWorker struct {
	river.WorkerDefaults[scrapeArgs]
	h   Handlers
	log *slog.Logger
}

func (w *scrapeWorker) Work(ctx context.Context, job *river.Job[scrapeArgs]) error {
	next, err := w.h.Scrape(ctx, job.Args.Workspace, job.Args.ID)
	return unitDone(w.log, "job "+job.Args.ID, next, err)
}

// Timeout: a scrape walks pages for up to a minute a run; when the time is
// up the engine requeues it from its last committed page, and the job
// snoozes until it is due. A worker that dies mid-scrape has its scrape
// rescued a minute later.
func (w *scrapeWorker) Timeout(*river.Job[scrapeArgs]) time.Duration { return scrapeTimeout }

type dueWorker struct {
	river.WorkerDefaults[dueArgs]
	s   *Store
	h   Handlers
	log *slog.Logger
}

func (w *dueWorker) Work(ctx context.Context, _ *river.Job[dueArgs]) error {
	units, err := w.h.Due(ctx)
	if err == nil {
		err = pgx.BeginFunc(ctx, w.s.pool, func(tx pgx.Tx) error { return w.s.ensure(ctx, tx, units) })
	}
	if err != nil {
		// The next listing, dueEvery from now, tries again.
		w.log.Error("list the work due", "error", err)
	}
	return nil
}

// RunningWorkers names the worker processes running on the store, as far
// as River can tell: its leader, while its leadership lasts (every worker
// stands for it, and a stopped one resigns).
func (s *Store) RunningWorkers(ctx context.Context) ([]string, error) {
	rows, err := s.pool.Query(ctx, `SELECT leader_id FROM river_leader WHERE expires_at > now()`)
	if err != nil {
		return nil, fmt.Errorf("read the queue's leader: %w", err)
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("read the queue's leader: %w", err)
	}
	return ids, nil
}
