package cli

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"sync/atomic"
	"time"

	"github.com/outreachhq/outreach/core/auth"
	"github.com/outreachhq/outreach/core/engine"
	"github.com/outreachhq/outreach/core/secrets"
	"github.com/outreachhq/outreach/core/service"
	"github.com/outreachhq/outreach/core/store"
	"github.com/outreachhq/outreach/core/store/bunt"
	"github.com/outreachhq/outreach/core/store/postgres"
)

// backend is an open store and what runs on it: the service, and the
// engine once work runs. It is the one place that knows which store
// implementation holds the data: the data dir's buntdb file, or Postgres.
type backend struct {
	// One of bs and pg is set.
	bs *bunt.Store
	pg *postgres.Store
	// sealer seals the store's secrets.
	sealer *secrets.Sealer
	svc    *service.Service
	// wake wakes the engine, once one runs, when the service writes work
	// (on buntdb; on Postgres the queue's jobs, inserted with the work,
	// wake the workers).
	wake atomic.Pointer[func()]
}

// storeEnv names the environment variable that names the store when
// --store does not.
const storeEnv = "OUTREACH_STORE"

// storeSpec is where the data lives: --store, else $OUTREACH_STORE, else
// the data dir. A postgres:// URL names a Postgres database; anything else
// a data dir.
func (g *global) storeSpec() string {
	if g.store != "" {
		return g.store
	}
	if s := os.Getenv(storeEnv); s != "" {
		return s
	}
	return g.dataDir()
}

func isPostgresURL(s string) bool {
	return strings.HasPrefix(s, "postgres://") || strings.HasPrefix(s, "postgresql://")
}

// open opens the store, naming this process as its holder, and the service
// over it.
func (g *global) open(what string) (*backend, error) {
	return g.openStore(g.storeSpec(), what, g.migrate, g.secretKeyFile)
}

// openStore opens the store spec names (a data dir or a postgres:// URL)
// with the sealing key of keyFile (see sealerFor), and checks that the key
// is the one the store's secrets are sealed with. migrate applies pending
// schema migrations first (Postgres).
func (g *global) openStore(spec, what string, migrate bool, keyFile string) (*backend, error) {
	b := &backend{}
	var err error
	if isPostgresURL(spec) {
		b.pg, err = g.openPostgres(spec, migrate)
	} else {
		b.bs, err = bunt.Open(spec, fmt.Sprintf("%s (pid %d)", what, os.Getpid()))
	}
	if err != nil {
		return nil, err
	}
	if b.sealer, err = sealerFor(spec, keyFile); err == nil {
		err = b.checkKey()
	}
	if err != nil {
		b.Close()
		return nil, err
	}
	b.svc = service.New(b.serviceStore(), service.Options{
		Clock: g.opts.Clock, Sealer: b.sealer, Wake: b.wakeEngine,
	})
	return b, nil
}

func (g *global) openPostgres(url string, migrate bool) (*postgres.Store, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	pg, err := postgres.Open(ctx, url, postgres.Options{
		MaxConns: int32(g.dbMaxConns), StatementTimeout: g.dbStatementTimeout, Migrate: migrate,
	})
	if err != nil {
		return nil, fmt.Errorf("open the Postgres store: %w", err)
	}
	return pg, nil
}

// sealerFor is the key that seals the secrets of the store spec names: for a
// Postgres store, $OUTREACH_SECRET_KEY or else --secret-key-file (every
// process of a cluster is given the same key, which the database never
// holds); for a data dir, --secret-key-file or else the data dir's own key
// file, made on first use.
func sealerFor(spec, keyFile string) (*secrets.Sealer, error) {
	if isPostgresURL(spec) {
		if sl, ok, err := secrets.SealerFromEnv(); ok || err != nil {
			return sl, err
		}
	}
	if keyFile != "" {
		return secrets.SealerFromFile(keyFile)
	}
	if isPostgresURL(spec) {
		return nil, fmt.Errorf("a Postgres store needs the sealing key every process of the cluster shares: set $%s (32 random bytes in base64: head -c 32 /dev/urandom | base64) or pass --secret-key-file", secrets.KeyEnv)
	}
	sl, err := secrets.LoadSealer(spec)
	if err != nil {
		return nil, fmt.Errorf("load the data dir's secret key: %w", err)
	}
	return sl, nil
}

// keyCheckSetting holds the check value of the key the store's secrets
// are sealed with.
const keyCheckSetting = "secret_key_check"

// errOtherKey is what a process started with another key than the store's
// meets.
var errOtherKey = errors.New("this process's sealing key is not the one the store's secrets are sealed with")

// checkKey refuses a key other than the one the store's secrets are sealed
// with, and records the key's check on a store that has none yet.
func (b *backend) checkKey() error {
	want := b.sealer.Check()
	return b.updateSettings(func(tx store.SettingsTx) error {
		got, err := tx.Setting(keyCheckSetting)
		switch {
		case err != nil:
			return err
		case got == "":
			return tx.PutSetting(keyCheckSetting, want)
		case got != want:
			return fmt.Errorf("%w: start every process of a store with the same key ($%s or --secret-key-file); nothing was written", errOtherKey, secrets.KeyEnv)
		}
		return nil
	})
}

// updateSettings runs fn in an Update of whichever store is open.
func (b *backend) updateSettings(fn func(store.SettingsTx) error) error {
	ctx := context.Background()
	if b.pg != nil {
		return b.pg.Update(ctx, func(tx *postgres.Tx) error { return fn(tx) })
	}
	return b.bs.Update(ctx, func(tx *bunt.Tx) error { return fn(tx) })
}

func (b *backend) serviceStore() store.Transactor[service.Tx] {
	if b.pg != nil {
		return store.Narrow(b.pg, func(tx *postgres.Tx) service.Tx { return tx })
	}
	return store.Narrow(b.bs, func(tx *bunt.Tx) service.Tx { return tx })
}

// authStore is what the OAuth token keeper reads, writes and locks: the
// install's settings, and locks that hold across the store's processes.
func (b *backend) authStore() auth.Store {
	if b.pg != nil {
		return auth.StoreOf(store.Narrow(b.pg, func(tx *postgres.Tx) store.SettingsTx { return tx }), b.pg)
	}
	return auth.StoreOf(store.Narrow(b.bs, func(tx *bunt.Tx) store.SettingsTx { return tx }), b.bs)
}

func (b *backend) engineStore() store.Transactor[engine.Tx] {
	if b.pg != nil {
		return store.Narrow(b.pg, func(tx *postgres.Tx) engine.Tx { return tx })
	}
	return store.Narrow(b.bs, func(tx *bunt.Tx) engine.Tx { return tx })
}

func (b *backend) Close() error {
	if b.pg != nil {
		b.pg.Close()
		return nil
	}
	return b.bs.Close()
}

// ping reports whether the store answers.
func (b *backend) ping(ctx context.Context) error {
	if b.pg != nil {
		return b.pg.Ping(ctx)
	}
	return nil
}

// engine builds an engine over the store; the service wakes it from then
// on. On Postgres its leases are shorter: a worker that dies hands its
// accounts on sooner.
func (b *backend) engine(opts engine.Options) *engine.Engine {
	opts.Store = b.engineStore()
	if b.pg != nil {
		opts.LeaseTTL = clusterLeaseTTL
	}
	e := engine.New(opts)
	wake := e.Wake
	b.wake.Store(&wake)
	return e
}

// clusterLeaseTTL is the engine's lease on Postgres: within the queue's
// rescue window, so that a rescued lane finds its account free.
const clusterLeaseTTL = 10 * time.Second

func (b *backend) wakeEngine() {
	if w := b.wake.Load(); w != nil {
		(*w)()
	}
}

// run runs the engine until ctx is done or, if idle is set, until idle
// reports that nothing is left to do. On buntdb the engine schedules its
// own work; on Postgres this process takes its share of the cluster's
// queue, alongside any other workers. beside (nil for none) starts what
// runs beside the engine, once the engine runs: on a test's virtual clock,
// nothing else may let time move while the engine starts.
func (b *backend) run(ctx context.Context, eng *engine.Engine, idle func() (bool, error), lanes int, log *slog.Logger, beside func()) error {
	if beside == nil {
		beside = func() {}
	}
	if b.pg == nil {
		if err := eng.Recover(ctx); err != nil {
			return err
		}
		wait := eng.Start(ctx, idle)
		beside()
		return wait()
	}
	// Schedules missed while nothing ran are due now: run them before a
	// foreground apply can find nothing pending and end. (The leader runs
	// them from then on; each run is checked in its own transaction, so
	// two processes never both run one.)
	if _, err := eng.RunSchedules(ctx); err != nil {
		return err
	}
	beside()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	host, _ := os.Hostname()
	done := make(chan error, 1)
	go func() {
		done <- b.pg.Work(ctx, postgres.Handlers{
			Lane:   eng.Lane,
			Scrape: eng.Scrape,
			Due:    dueUnits(eng),
		}, postgres.WorkOptions{
			ID:     fmt.Sprintf("%s/%d", host, os.Getpid()),
			Lanes:  lanes,
			Logger: log,
		})
	}()
	if idle == nil {
		return <-done
	}
	tick := time.NewTicker(250 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case err := <-done:
			return err
		case <-tick.C:
		}
		finished, err := idle()
		if err != nil || finished {
			cancel()
			<-done
			if err != nil {
				return err
			}
			// One last read, so that replies to the last sends are recorded.
			return eng.ReadReplies(context.WithoutCancel(ctx))
		}
	}
}

// dueUnits adapts the engine's listing of due work to the queue's.
func dueUnits(eng *engine.Engine) func(context.Context) ([]postgres.Unit, error) {
	return func(ctx context.Context) ([]postgres.Unit, error) {
		// The leader runs the cron schedules too; what they queue is
		// listed below.
		if _, err := eng.RunSchedules(ctx); err != nil {
			return nil, err
		}
		due, err := eng.ListDue(ctx)
		units := make([]postgres.Unit, len(due))
		for i, d := range due {
			units[i] = postgres.Unit{Workspace: d.Workspace, AccountID: d.AccountID, JobID: d.JobID, At: d.At}
		}
		return units, err
	}
}
