package storetest

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/outreachhq/outreach/core/store"
)

// Opener returns a fresh, empty store; the caller registers its cleanup.
type Opener = func(t *testing.T) store.Transactor[Tx]

// t0 is the suite's clock: every time is fixed, in UTC, so that records
// come back equal whatever a store's encoding of times does to monotonic
// readings or locations.
var t0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

// at is t0 plus minutes.
func at(minutes int) time.Time { return t0.Add(time.Duration(minutes) * time.Minute) }

// update runs fn in an Update and fails the test if it fails.
func update[T any](t *testing.T, db store.Transactor[T], fn func(T) error) {
	t.Helper()
	if err := db.Update(t.Context(), fn); err != nil {
		t.Fatalf("Update: %v", err)
	}
}

// read runs fn in a View and returns its result, failing the test on an
// error.
func read[R, T any](t *testing.T, db store.Transactor[T], fn func(T) (R, error)) R {
	t.Helper()
	var r R
	err := db.View(t.Context(), func(tx T) error {
		var err error
		r, err = fn(tx)
		return err
	})
	if err != nil {
		t.Fatalf("View: %v", err)
	}
	return r
}

// write runs fn in an Update and returns its result, failing the test on
// an error.
func write[R, T any](t *testing.T, db store.Transactor[T], fn func(T) (R, error)) R {
	t.Helper()
	var r R
	err := db.Update(t.Context(), func(tx T) error {
		var err error
		r, err = fn(tx)
		return err
	})
	if err != nil {
		t.Fatalf("Update: %v", err)
	}
	return r
}

// readErr runs fn in a View and returns its error.
func readErr[T any](t *testing.T, db store.Transactor[T], fn func(T) error) error {
	t.Helper()
	return db.View(t.Context(), fn)
}

// wantNotFound fails the test unless err is store.ErrNotFound.
func wantNotFound(t *testing.T, what string, err error) {
	t.Helper()
	if !errors.Is(err, store.ErrNotFound) {
		t.Errorf("%s: err = %v, want store.ErrNotFound", what, err)
	}
}

var errRollback = errors.New("the transaction fails on purpose")

// rolledBack runs fn in an Update that then fails, and checks the Update
// answers that failure.
func rolledBack[T any](t *testing.T, db store.Transactor[T], fn func(T) error) {
	t.Helper()
	err := db.Update(t.Context(), func(tx T) error {
		if err := fn(tx); err != nil {
			return fmt.Errorf("writes before the failure: %w", err)
		}
		return errRollback
	})
	if !errors.Is(err, errRollback) {
		t.Fatalf("Update = %v, want the function's own error", err)
	}
}

// same compares a record or a list as read with what was put: times with
// Equal, and an empty slice or map like a missing one (a store need not
// tell them apart).
func same[V any](t *testing.T, what string, got, want V) {
	t.Helper()
	if d := cmp.Diff(want, got, cmpopts.EquateEmpty()); d != "" {
		t.Errorf("%s (-want +got):\n%s", what, d)
	}
}

// ids returns the ids of records, in order.
func ids[R any](rs []R, id func(R) string) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = id(r)
	}
	return out
}

func jobIDs(js []store.Job) []string { return ids(js, func(j store.Job) string { return j.ID }) }

func conversationIDs(cs []store.Conversation) []string {
	return ids(cs, func(c store.Conversation) string { return c.ID })
}
