package engine

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/google/uuid"
	"github.com/hashicorp/go-hclog"

	"github.com/outreachhq/outreach/core/clock"
	"github.com/outreachhq/outreach/core/store"
	"github.com/outreachhq/outreach/sdk"
)

// Options configure an Engine. Store, Network and Session are required.
type Options struct {
	Store store.Transactor[Tx]
	// Network returns the network plugin an account uses.
	Network func(name string) (sdk.Network, error)
	// Session returns the session (with credentials) an account acts as.
	Session func(ctx context.Context, a store.Account) (sdk.Session, error)
	// AI, if set, returns the AI plugin that classifies the leads' replies
	// (and tags their conversations interested_reply, negative_reply or
	// neutral_reply) and writes the comments campaigns post before their
	// first DMs. Without it, or when it fails, replies are recorded
	// unclassified and comments skipped, with the reason.
	AI     func(ctx context.Context) (sdk.AI, error)
	Clock  clock.Clock
	Rand   *rand.Rand
	Logger hclog.Logger
	// Workers bounds how many accounts and scrapes are worked at once.
	// Default 16.
	Workers int
	// LeaseTTL is how long a lease lasts without renewal: how soon another
	// engine takes over the accounts of one that died. Default 30s.
	LeaseTTL time.Duration
	// PollInterval, if set, is how often each account's replies are read,
	// in place of what its network plugin's rate budget allows.
	PollInterval time.Duration
	// Owner names this engine in the leases it takes; default a random id
	// with the host and process.
	Owner string
	// Observe, if set, is told about progress as it happens, one event at
	// a time.
	Observe func(Event)
	// Simulated says every account runs on the simulated X: an account
	// whose pacing nobody set paces its sends as a rehearsal does
	// (store.RehearsalPacing), in seconds.
	Simulated bool
}

// Engine executes jobs. Its methods are safe for concurrent use; one Run
// at a time.
type Engine struct {
	opts  Options
	db    store.Transactor[Tx]
	clk   clock.Clock
	log   hclog.Logger
	owner string
	ttl   time.Duration

	randMu sync.Mutex
	rand   *rand.Rand

	observeMu sync.Mutex

	// wake is notified when work may be due sooner than the scheduler
	// thought: the service wrote work, or a worker finished.
	wake clock.Signal
	// schedulesChanged is set by Wake: what was written may have added or
	// changed a cron schedule, which the scheduler then reads again.
	schedulesChanged atomic.Bool

	// mu guards what the scheduler and the workers share.
	mu sync.Mutex
	// running marks the units being worked, so none runs twice at once.
	running map[unitKey]bool
	// idleAt marks units that had nothing to do at an instant: they are
	// not run again until the time moves on or something wakes the engine.
	idleAt map[unitKey]time.Time
	// inDoubt are the expired intents the last sweep found, by account.
	inDoubt map[unitKey][]store.Intent
	// fatal is the first store error a worker met: it stops Run.
	fatal error

	// filters caches each source's compiled filter; nets what each
	// network's plugin declares.
	filters sync.Map // source id -> compiledFilter
	nets    sync.Map // network name -> netFacts (session.go)
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
	if opts.Workers <= 0 {
		opts.Workers = 16
	}
	if opts.LeaseTTL <= 0 {
		opts.LeaseTTL = 30 * time.Second
	}
	if opts.Owner == "" {
		host, _ := os.Hostname()
		opts.Owner = fmt.Sprintf("%s/%d/%s", host, os.Getpid(), uuid.NewString()[:8])
	}
	if opts.Observe == nil {
		opts.Observe = func(Event) {}
	}
	return &Engine{
		opts: opts, db: opts.Store, clk: opts.Clock, log: opts.Logger, owner: opts.Owner, ttl: opts.LeaseTTL,
		rand:    opts.Rand,
		wake:    opts.Clock.NewSignal(),
		running: map[unitKey]bool{},
		idleAt:  map[unitKey]time.Time{},
		inDoubt: map[unitKey][]store.Intent{},
	}
}

// Wake tells the engine that work may be due now: the service calls it
// when it writes work.
func (e *Engine) Wake() {
	e.schedulesChanged.Store(true)
	e.mu.Lock()
	clear(e.idleAt)
	e.mu.Unlock()
	e.wake.Notify()
}

// observe reports progress, one event at a time.
func (e *Engine) observe(ev Event) {
	e.observeMu.Lock()
	defer e.observeMu.Unlock()
	e.opts.Observe(ev)
}

// gap draws an account's wait after a send.
func (e *Engine) gap(a store.Account) time.Duration {
	p := a.PacingOn(e.opts.Simulated)
	e.randMu.Lock()
	defer e.randMu.Unlock()
	return p.Gap(e.rand)
}

// spacing is the least gap between two sends of the account that its
// network's per-user send budget allows (appbudget.go): X's 15 DMs per 15
// minutes space sends a minute apart whatever the account's pacing says.
// On the simulator, whose limits are loose, the account's pacing alone
// decides.
func (e *Engine) spacing(a store.Account) time.Duration {
	if e.opts.Simulated {
		return 0
	}
	return e.known(a.Network).send.spacing
}

// paced is the account with the pacing its sends keep in this engine
// (store.Account.PacingOn).
func (e *Engine) paced(a store.Account) store.Account {
	p := a.PacingOn(e.opts.Simulated)
	a.MinGap, a.MaxGap, a.Jitter = p.MinGap, p.MaxGap, p.Jitter
	return a
}

// backoff is the wait before retry number attempt (1-based): 30s doubling,
// capped at an hour, with jitter so accounts do not retry in step.
func (e *Engine) backoff(attempt int) time.Duration {
	d := 30 * time.Second << min(attempt-1, 7)
	d = min(d, time.Hour)
	e.randMu.Lock()
	defer e.randMu.Unlock()
	return d/2 + time.Duration(e.rand.Int64N(int64(d/2)+1))
}

// maxAttempts is how often a transient failure is retried before a job
// fails.
const maxAttempts = 8

// view and update run fn in a transaction of the engine's store.
func (e *Engine) view(ctx context.Context, fn func(Tx) error) error {
	return e.db.View(context.WithoutCancel(ctx), fn)
}

// update commits fn; it does so even when ctx is done, so that an outcome
// learnt from X is never lost to a Ctrl-C.
func (e *Engine) update(ctx context.Context, fn func(Tx) error) error {
	return e.db.Update(context.WithoutCancel(ctx), fn)
}
