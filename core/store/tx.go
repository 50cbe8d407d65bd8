package store

import (
	"context"
	"errors"
)

// ErrNotFound is the one "no such record" error of the whole core: a store
// returns it (possibly wrapped) for a record that does not exist, or that
// exists in another workspace; the API maps it to 404 in one place.
var ErrNotFound = errors.New("not found")

// IsNotFound reports whether err means a record does not exist.
func IsNotFound(err error) bool { return errors.Is(err, ErrNotFound) }

// Transactor runs functions in transactions of type T. Update is all or
// nothing: it commits (durably: a committed intent survives a crash) only
// if fn returns nil, and leaves no trace of fn's writes otherwise. View
// runs fn on a consistent read-only snapshot; any number of Views run
// alongside one another and alongside an Update.
//
// Update may run fn more than once: a store may roll back a transaction
// that lost a race with another and run fn again from the start. So fn
// must have no effect outside the transaction but its writes and the
// variables it assigns, and must assign each of those afresh on every
// run: reset what it appends to or sets on some paths only, and leave
// plugin calls, progress reports and wake-ups until Update has returned.
//
// A transaction must not be used after fn returns, nor from another
// goroutine while fn runs.
type Transactor[T any] interface {
	View(ctx context.Context, fn func(T) error) error
	Update(ctx context.Context, fn func(T) error) error
}

// Snapshot marks ctx for an Update that may run under snapshot isolation
// (PostgreSQL's REPEATABLE READ) rather than serializable: it sees one
// snapshot, and fails only on a write to a row that a concurrent
// transaction wrote since (then Update runs it again, as it does a
// serialization failure); reads no longer fail it for what concurrent
// transactions write near what they read. A store whose writers take
// turns (buntdb) ignores it.
//
// Only a transaction that needs no more may ask: one whose decisions
// rest on records that one worker at a time writes (an account's queue,
// state and counts, under the account's lease), and whose other writes
// go to rows that concurrent writers would write too (a job, a counter),
// so that two of them conflict on the row itself. Two transactions that
// each read what the other writes and decide on it (write skew: two
// accounts each finding the other's last job pending) must not.
func Snapshot(ctx context.Context) context.Context {
	return context.WithValue(ctx, snapshotKey{}, true)
}

// IsSnapshot reports whether ctx was marked by Snapshot.
func IsSnapshot(ctx context.Context) bool { return ctx.Value(snapshotKey{}) != nil }

type snapshotKey struct{}

// Narrow adapts a store whose transactions are T to a consumer that asks
// for transactions of its own interface N. as converts one transaction; it
// is nearly always a function literal that returns its argument, which is
// where the compiler checks that T implements N:
//
//	db := store.Narrow(bs, func(tx *bunt.Tx) engine.Tx { return tx })
func Narrow[N, T any](db Transactor[T], as func(T) N) Transactor[N] {
	return narrowed[N, T]{db: db, as: as}
}

type narrowed[N, T any] struct {
	db Transactor[T]
	as func(T) N
}

func (n narrowed[N, T]) View(ctx context.Context, fn func(N) error) error {
	return n.db.View(ctx, func(tx T) error { return fn(n.as(tx)) })
}

func (n narrowed[N, T]) Update(ctx context.Context, fn func(N) error) error {
	return n.db.Update(ctx, func(tx T) error { return fn(n.as(tx)) })
}

// Locker holds named locks across every process that shares the store:
// what must happen once at a time anywhere (refreshing an account's OAuth
// token, which the network rotates) takes one. Lock waits while another
// holds the lock, or until ctx ends.
type Locker interface {
	Lock(ctx context.Context, name string) (unlock func(), err error)
}
