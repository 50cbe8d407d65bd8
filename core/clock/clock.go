package clock

import (
	"context"
	"time"
)

// Clock tells the time, runs the goroutines that wait on it, and waits.
type Clock interface {
	Now() time.Time
	// Go runs fn in a new goroutine that the clock knows of (an actor):
	// a Virtual clock moves time only while every actor is waiting in Wait.
	// The caller still owns the goroutine and waits for it as it would for
	// one started with the go statement.
	Go(fn func())
	// NewSignal returns a Signal that wakes a Wait on it.
	NewSignal() Signal
	// Wait blocks until the time is at or after until (the zero time means
	// no deadline), s (nil allowed) is notified, or ctx is done. It returns
	// ctx.Err() in the last case and nil otherwise. A Notify that came while
	// nobody waited on s is kept (one, like a buffered channel of 1) and
	// makes the next Wait on s return at once. s must come from the same
	// clock's NewSignal.
	Wait(ctx context.Context, until time.Time, s Signal) error
}

// Signal wakes a goroutine waiting on it. Notify never blocks; when several
// goroutines wait on one Signal, it wakes one of them.
type Signal interface{ Notify() }

// Sleep waits for d on c, or until ctx is done, and returns ctx.Err() in
// that case. A d of zero or less returns at once.
func Sleep(ctx context.Context, c Clock, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	return c.Wait(ctx, c.Now().Add(d), nil)
}
