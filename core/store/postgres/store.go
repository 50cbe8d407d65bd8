package postgres

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"

	"github.com/outreachhq/outreach/core/store"
)

// Options configure a Store.
type Options struct {
	// MaxConns is the size of the connection pool; 0 is pgxpool's default.
	MaxConns int32
	// StatementTimeout bounds every statement (PostgreSQL's
	// statement_timeout, set on each connection); 0 is none.
	StatementTimeout time.Duration
	// Migrate applies pending migrations at Open; without it, Open refuses
	// a database whose schema is older than this binary's.
	Migrate bool
}

// Store is an outreach database on a PostgreSQL server, shared by every
// process of an install. Its transactions are *Tx; it is a
// store.Transactor[*Tx].
type Store struct {
	pool *pgxpool.Pool
	opts Options
	// queue is the River client that inserts the queue's jobs (queue.go).
	queue *river.Client[pgx.Tx]
	// commits counts the Updates that committed writes, and lost their
	// attempts that lost to concurrent transactions.
	commits, lost atomic.Uint64
}

var _ store.Transactor[*Tx] = (*Store)(nil)

// minConns is the smallest pool a store works with.
const minConns = 4

// Open connects to the database at url (a PostgreSQL URL or key=value
// string) and checks its schema: it refuses one newer than SchemaVersion
// (ErrSchemaNewer) and, unless opts.Migrate, one older (ErrSchemaOlder).
func Open(ctx context.Context, url string, opts Options) (*Store, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("open store: %w", err)
	}
	if opts.MaxConns > 0 {
		if opts.MaxConns < minConns {
			return nil, fmt.Errorf("open store: a pool of %d connections is too small: give %d or more (the queue holds some while it works)", opts.MaxConns, minConns)
		}
		cfg.MaxConns = opts.MaxConns
	}
	if opts.StatementTimeout > 0 {
		cfg.ConnConfig.RuntimeParams["statement_timeout"] = strconv.FormatInt(opts.StatementTimeout.Milliseconds(), 10)
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("open store: %w", err)
	}
	if err := checkSchema(ctx, pool, opts.Migrate); err != nil {
		pool.Close()
		return nil, fmt.Errorf("open store: %w", err)
	}
	s := &Store{pool: pool, opts: opts}
	if s.queue, err = newQueueClient(s, nil, WorkOptions{}); err != nil {
		pool.Close()
		return nil, fmt.Errorf("open store: %w", err)
	}
	return s, nil
}

// checkSchema migrates the database if migrate, then checks that its
// schema is the one this binary knows.
func checkSchema(ctx context.Context, pool *pgxpool.Pool, migrate bool) error {
	if migrate {
		_, _, err := migratePool(ctx, pool)
		return err
	}
	conn, err := pool.Acquire(ctx)
	if err != nil {
		return err
	}
	v, err := schemaVersion(ctx, conn.Conn())
	conn.Release()
	if err != nil {
		return err
	}
	if err := compareVersion(v); err != nil {
		return err
	}
	return checkRiver(ctx, pool)
}

// Commits returns how many Updates have committed writes since Open. An
// Update that wrote nothing, or failed, does not count; one that ran its
// function again counts once.
func (s *Store) Commits() uint64 { return s.commits.Load() }

// Lost returns how many attempts of Updates have lost to concurrent
// transactions (serialization failures and deadlocks) since Open: each ran
// its function again.
func (s *Store) Lost() uint64 { return s.lost.Load() }

// Pool is the store's connection pool.
func (s *Store) Pool() *pgxpool.Pool { return s.pool }

// Ping checks that the database answers.
func (s *Store) Ping(ctx context.Context) error { return s.pool.Ping(ctx) }

// Close closes every connection of the pool, waiting for those in use.
func (s *Store) Close() { s.pool.Close() }

// View runs fn in a REPEATABLE READ, READ ONLY transaction: a consistent
// snapshot of what had committed when its first statement ran. Any number
// of Views run at once, alongside Updates; a write in one fails.
func (s *Store) View(ctx context.Context, fn func(*Tx) error) error {
	ptx, err := s.pool.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
	if err != nil {
		return fmt.Errorf("begin view: %w", err)
	}
	// A read-only transaction has nothing to commit, so ending it either
	// way is the same; it commits when fn succeeds so that the database's
	// count of rollbacks (Stats) counts only failures.
	defer func() { _ = ptx.Rollback(context.WithoutCancel(ctx)) }()
	tx := &Tx{ctx: ctx, tx: ptx}
	err = fn(tx)
	tx.close()
	if err != nil {
		return err
	}
	if err := ptx.Commit(ctx); err != nil {
		return fmt.Errorf("end view: %w", err)
	}
	return nil
}

// updateAttempts bounds how many times Update runs fn when its
// transaction keeps losing to concurrent ones.
const updateAttempts = 20

// Update runs fn in a SERIALIZABLE transaction (REPEATABLE READ if ctx
// asks, store.Snapshot) and commits it if fn returns nil; if fn returns
// an error, it rolls back and returns that error as it is.
//
// PostgreSQL aborts a serializable transaction that conflicts with a
// concurrent one (a serialization failure, or a deadlock), at any
// statement or at commit. Update then rolls back and runs fn again from
// the start, on a fresh snapshot, after a short random wait; after
// updateAttempts tries it returns the failure. So fn may run more than
// once: it must have no effect outside the transaction but assigning its
// results (which the last run overwrites).
//
// When fn put pending jobs, the queue's jobs that will run them are
// inserted (or woken) in the same transaction, after fn (queue.go).
func (s *Store) Update(ctx context.Context, fn func(*Tx) error) error {
	// serial names the spots of contention fn writes to: its attempts
	// take their locks first (see serially).
	var serial []string
	for attempt := 1; ; {
		unlocked, err := s.try(ctx, fn, serial)
		if errors.Is(err, errSerial) {
			// fn came to a spot whose lock it did not hold, and stopped
			// there: run it again at once with the lock. This attempt
			// wrote nothing, and does not count.
			serial = append(serial, unlocked...)
			continue
		}
		if err == nil || !retryable(err) {
			return err
		}
		s.lost.Add(1)
		if attempt == updateAttempts {
			return fmt.Errorf("update: %d attempts lost to concurrent transactions: %w", attempt, err)
		}
		// Full jitter over a window that doubles, so that transactions that
		// collided do not collide again in step.
		window := min(time.Millisecond<<attempt, 250*time.Millisecond)
		select {
		case <-ctx.Done():
			return fmt.Errorf("update: %w after %d attempts lost to concurrent transactions (the last: %v)", ctx.Err(), attempt, err)
		case <-time.After(rand.N(window)):
		}
		attempt++
	}
}

// try runs fn once in a transaction and commits it, holding the locks of
// serial (see serially) for the transaction's whole life. If fn came to
// spots of contention whose locks it did not hold, it returns errSerial
// and their keys.
func (s *Store) try(ctx context.Context, fn func(*Tx) error, serial []string) ([]string, error) {
	conn, err := s.pool.Acquire(ctx)
	if err != nil {
		return nil, fmt.Errorf("begin update: %w", err)
	}
	unlock, err := serially(ctx, conn, serial)
	if err != nil {
		conn.Release()
		return nil, err
	}
	defer unlock()
	iso := pgx.Serializable
	if store.IsSnapshot(ctx) {
		iso = pgx.RepeatableRead
	}
	ptx, err := conn.BeginTx(ctx, pgx.TxOptions{IsoLevel: iso})
	if err != nil {
		return nil, fmt.Errorf("begin update: %w", err)
	}
	// After a commit, a rollback does nothing; before one, it ends the
	// transaction whatever ended fn, a panic included.
	defer func() { _ = ptx.Rollback(context.WithoutCancel(ctx)) }()
	tx := &Tx{ctx: ctx, tx: ptx, write: true, locked: serial}
	err = fn(tx)
	if err == nil && tx.conflict == nil {
		// The writes still queued, and the error of any queued write, even
		// one fn made nothing of: an aborted transaction does not commit.
		// The answers fn's callers wait for are told (putThen), and what
		// they run is part of fn's transaction.
		err = tx.flush()
	}
	tx.close()
	if err == nil && tx.conflict != nil {
		// fn went on past a failed statement: what came before it must not
		// commit.
		err = tx.conflict
	}
	if err == nil {
		err = s.onCommit(ctx, tx)
	}
	if err != nil {
		// A statement that lost to a concurrent transaction (or came to a
		// spot without its lock) stopped this one, whatever fn made of its
		// error: run fn again.
		if tx.conflict != nil && !retryable(err) && !errors.Is(err, errSerial) {
			err = tx.conflict
		}
		return tx.unlocked, err
	}
	if err := ptx.Commit(ctx); err != nil {
		if tx.conflict != nil {
			return nil, tx.conflict
		}
		return nil, fmt.Errorf("commit: %w", err)
	}
	if tx.wrote {
		s.commits.Add(1)
	}
	return nil, nil
}

// errSerial stops a transaction that came to a spot of contention without
// its lock (Tx.serial).
var errSerial = errors.New("postgres: a spot of contention needs its lock")

// serially takes, on conn and before its transaction begins, a session
// advisory lock per key, and returns what releases them and conn.
//
// Some writes all go to one spot: every scrape of a source appends its
// leads after the source's last position. Under SERIALIZABLE, two such
// transactions at once fail one of them, and with several workers
// scraping one source's targets, the failed ones fail again, each time
// after all of a page's work. So a transaction that comes to such a spot
// stops there (Tx.serial) and runs again holding the spot's lock: such
// transactions wait for one another instead of failing one another. The
// lock is taken before BEGIN, so that the transaction's snapshot, taken
// at its first statement, sees what the holder before it committed; a
// lock taken inside the transaction would come after its snapshot and
// fail all the same.
func serially(ctx context.Context, conn *pgxpool.Conn, keys []string) (func(), error) {
	if len(keys) == 0 {
		return conn.Release, nil
	}
	keys = slices.Sorted(slices.Values(keys)) // one order: no deadlock
	if _, err := conn.Exec(ctx, `SELECT pg_advisory_lock(hashtextextended(k, 0)) FROM unnest($1::text[]) AS k`, keys); err != nil {
		return nil, fmt.Errorf("wait for %s: %w", strings.Join(keys, ", "), err)
	}
	return func() {
		// A connection that could not let go of its locks must not go back
		// to the pool, where it would hold them for ever.
		if _, err := conn.Exec(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock_all()`); err != nil {
			_ = conn.Conn().Close(context.WithoutCancel(ctx))
		}
		conn.Release()
	}, nil
}

// onCommit queues what fn's pending jobs need, in its transaction.
func (s *Store) onCommit(ctx context.Context, tx *Tx) error {
	units := tx.units()
	if len(units) == 0 {
		return nil
	}
	if err := s.ensure(ctx, tx.tx, units); err != nil {
		tx.note(err)
		return err
	}
	return nil
}

// retryable reports whether err means the transaction lost to a concurrent
// one and may succeed if run again.
func retryable(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && (pe.Code == "40001" || pe.Code == "40P01")
}
