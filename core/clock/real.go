package clock

import (
	"context"
	"time"
)

var _ Clock = Real{}

// Real is the system clock.
type Real struct{}

// Now implements Clock.
func (Real) Now() time.Time { return time.Now() }

// Go implements Clock with the go statement.
func (Real) Go(fn func()) { go fn() }

// NewSignal implements Clock.
func (Real) NewSignal() Signal { return make(realSignal, 1) }

// Wait implements Clock.
func (Real) Wait(ctx context.Context, until time.Time, s Signal) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	var sig realSignal // nil when s is: receiving from it blocks forever
	if s != nil {
		var ok bool
		if sig, ok = s.(realSignal); !ok {
			panic("clock: Real.Wait on a Signal that Real.NewSignal did not make")
		}
	}
	select {
	case <-sig:
		return nil
	default:
	}
	var deadline <-chan time.Time
	if !until.IsZero() {
		d := time.Until(until)
		if d <= 0 {
			return nil
		}
		t := time.NewTimer(d)
		defer t.Stop()
		deadline = t.C
	}
	select {
	case <-sig:
		return nil
	case <-deadline:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// realSignal holds at most one pending Notify.
type realSignal chan struct{}

// Notify implements Signal.
func (s realSignal) Notify() {
	select {
	case s <- struct{}{}:
	default:
	}
}
