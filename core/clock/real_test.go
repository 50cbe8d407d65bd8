package clock

import (
	"context"
	"errors"
	"testing"
	"time"
)

// These tests wait on the system clock itself, in milliseconds.
func TestRealWait(t *testing.T) {
	c := Real{}
	t.Run("deadline", func(t *testing.T) {
		until := time.Now().Add(20 * time.Millisecond)
		if err := c.Wait(context.Background(), until, c.NewSignal()); err != nil {
			t.Fatalf("Wait: %v", err)
		}
		if now := time.Now(); now.Before(until) {
			t.Errorf("Wait returned %v before its deadline", until.Sub(now))
		}
		if err := c.Wait(context.Background(), until, nil); err != nil {
			t.Errorf("Wait for a past deadline: %v", err)
		}
	})
	t.Run("signal", func(t *testing.T) {
		s := c.NewSignal()
		done := make(chan struct{})
		c.Go(func() {
			defer close(done)
			s.Notify()
		})
		if err := c.Wait(context.Background(), time.Time{}, s); err != nil {
			t.Errorf("Wait: %v", err)
		}
		<-done
	})
	t.Run("one pending signal is kept", func(t *testing.T) {
		s := c.NewSignal()
		s.Notify()
		s.Notify()
		if err := c.Wait(context.Background(), time.Time{}, s); err != nil {
			t.Fatalf("Wait after a pending Notify: %v", err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
		defer cancel()
		if err := c.Wait(ctx, time.Time{}, s); !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("second Wait returned %v, want %v: a second Notify is not kept", err, context.DeadlineExceeded)
		}
	})
	t.Run("ctx", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan struct{})
		c.Go(func() {
			defer close(done)
			cancel()
		})
		if err := c.Wait(ctx, time.Now().Add(time.Hour), c.NewSignal()); !errors.Is(err, context.Canceled) {
			t.Errorf("Wait returned %v, want %v", err, context.Canceled)
		}
		<-done
	})
}
