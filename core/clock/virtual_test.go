package clock

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"
)

var t0 = time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)

// waitIdle waits for v to fall quiet. The real-time limit only turns a
// hang into a failure.
func waitIdle(t *testing.T, v *Virtual) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := v.WaitIdle(ctx); err != nil {
		t.Fatalf("the clock never fell idle: %v", err)
	}
}

func TestVirtualManyActorsWakeAtTheirDeadlines(t *testing.T) {
	const actors, rounds = 50, 40
	step := func(i int) time.Duration { return time.Duration(i+1) * 7 * time.Minute }
	v := NewVirtual(t0)
	woke := make([][]time.Time, actors)
	errs := make([]error, actors)
	// Actors start actors, as the engine's scheduler starts its workers.
	v.Go(func() {
		for i := range actors {
			v.Go(func() {
				for range rounds {
					if err := v.Wait(context.Background(), v.Now().Add(step(i)), nil); err != nil {
						errs[i] = err
						return
					}
					woke[i] = append(woke[i], v.Now())
				}
			})
		}
	})
	waitIdle(t, v)

	for i := range actors {
		if errs[i] != nil {
			t.Fatalf("actor %d: Wait: %v", i, errs[i])
		}
		if len(woke[i]) != rounds {
			t.Fatalf("actor %d woke %d times, want %d", i, len(woke[i]), rounds)
		}
		for k, at := range woke[i] {
			if want := t0.Add(time.Duration(k+1) * step(i)); !at.Equal(want) {
				t.Fatalf("actor %d woke the %d. time at %v, want %v", i, k+1, at, want)
			}
		}
	}
	if want := t0.Add(rounds * step(actors-1)); !v.Now().Equal(want) {
		t.Errorf("the clock ended at %v, want %v", v.Now(), want)
	}
}

func TestVirtualNotifyHandsOverWithoutMovingTime(t *testing.T) {
	const rounds = 500
	v := NewVirtual(t0)
	far := t0.Add(time.Hour)
	ping, pong := v.NewSignal(), v.NewSignal()
	var moved, failed atomic.Int32
	wait := func(s Signal) {
		if err := v.Wait(context.Background(), far, s); err != nil {
			failed.Add(1)
		}
		if !v.Now().Equal(t0) {
			moved.Add(1)
		}
	}
	// One actor starts both, so that neither parks alone before the other
	// is counted.
	v.Go(func() {
		v.Go(func() {
			for range rounds {
				ping.Notify()
				wait(pong)
			}
		})
		v.Go(func() {
			for range rounds {
				wait(ping)
				pong.Notify()
			}
		})
	})
	waitIdle(t, v)

	if n := failed.Load(); n > 0 {
		t.Errorf("%d Waits failed", n)
	}
	if n := moved.Load(); n > 0 || !v.Now().Equal(t0) {
		t.Errorf("time moved to %v during the ping-pong (%d wakes saw it move), want it still at %v", v.Now(), n, t0)
	}
}

func TestVirtualWaitWithoutDeadlineStaysParked(t *testing.T) {
	v := NewVirtual(t0)
	s := v.NewSignal()
	woke := make(chan time.Time, 2)
	v.Go(func() {
		for range 2 {
			if err := v.Wait(context.Background(), time.Time{}, s); err != nil {
				return
			}
			woke <- v.Now()
		}
	})
	v.Go(func() {
		for range 3 {
			_ = Sleep(context.Background(), v, time.Hour)
		}
	})
	waitIdle(t, v)
	if want := t0.Add(3 * time.Hour); !v.Now().Equal(want) {
		t.Fatalf("the sleeper left the clock at %v, want %v", v.Now(), want)
	}
	select {
	case at := <-woke:
		t.Fatalf("the waiter without a deadline woke at %v with no Notify", at)
	default:
	}

	for range 2 {
		s.Notify()
		waitIdle(t, v)
		select {
		case at := <-woke:
			if want := t0.Add(3 * time.Hour); !at.Equal(want) {
				t.Errorf("the notified waiter woke at %v, want %v", at, want)
			}
		default:
			t.Fatal("Notify did not wake the waiter")
		}
	}
}

func TestVirtualKeepsOnePendingNotify(t *testing.T) {
	// No actor runs: the test's own Waits see time jump to their deadline.
	v := NewVirtual(t0)
	s := v.NewSignal()
	s.Notify()
	s.Notify()
	if err := v.Wait(context.Background(), t0.Add(time.Minute), s); err != nil || !v.Now().Equal(t0) {
		t.Fatalf("Wait after a pending Notify: err %v at %v; want it to return at once at %v", err, v.Now(), t0)
	}
	if err := v.Wait(context.Background(), t0.Add(time.Minute), s); err != nil || !v.Now().Equal(t0.Add(time.Minute)) {
		t.Fatalf("second Wait: err %v at %v; want it to wait for its deadline %v, a second Notify is not kept", err, v.Now(), t0.Add(time.Minute))
	}
}

func TestVirtualCancel(t *testing.T) {
	type result struct {
		err error
		at  time.Time
	}
	t.Run("a parked actor returns ctx.Err() and time does not jump", func(t *testing.T) {
		v := NewVirtual(t0)
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		got := make(chan result, 1)
		v.Go(func() {
			err := v.Wait(ctx, time.Time{}, nil)
			got <- result{err, v.Now()}
		})
		waitIdle(t, v)
		cancel()
		// A new actor parks with a deadline at once. Had the clock taken
		// the cancelled actor for parked, time would have jumped before
		// it ran.
		later := make(chan time.Time, 1)
		v.Go(func() {
			_ = v.Wait(context.Background(), t0.Add(time.Hour), nil)
			later <- v.Now()
		})
		waitIdle(t, v)
		if r := <-got; !errors.Is(r.err, context.Canceled) || !r.at.Equal(t0) {
			t.Errorf("cancelled Wait: err %v at %v; want %v at %v", r.err, r.at, context.Canceled, t0)
		}
		if at := <-later; !at.Equal(t0.Add(time.Hour)) {
			t.Errorf("the other actor woke at %v, want %v", at, t0.Add(time.Hour))
		}
	})
	t.Run("woken before the cancel returns nil", func(t *testing.T) {
		v := NewVirtual(t0)
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		s := v.NewSignal()
		got := make(chan error, 1)
		v.Go(func() { got <- v.Wait(ctx, time.Time{}, s) })
		waitIdle(t, v)
		s.Notify()
		cancel()
		if err := <-got; err != nil {
			t.Errorf("Wait notified before its cancel returned %v, want nil", err)
		}
	})
	t.Run("a Notify after the cancel is kept for the next Wait", func(t *testing.T) {
		v := NewVirtual(t0)
		ctx, cancel := context.WithCancel(context.Background())
		s := v.NewSignal()
		got := make(chan error, 1)
		v.Go(func() { got <- v.Wait(ctx, time.Time{}, s) })
		waitIdle(t, v)
		cancel()
		s.Notify()
		if err := <-got; !errors.Is(err, context.Canceled) {
			t.Errorf("Wait cancelled before a Notify returned %v, want %v", err, context.Canceled)
		}
		if err := v.Wait(context.Background(), t0.Add(time.Minute), s); err != nil || !v.Now().Equal(t0) {
			t.Errorf("next Wait: err %v at %v; want the kept Notify to return it at once at %v", err, v.Now(), t0)
		}
	})
	t.Run("a done ctx returns at once", func(t *testing.T) {
		v := NewVirtual(t0)
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if err := v.Wait(ctx, t0.Add(time.Hour), nil); !errors.Is(err, context.Canceled) || !v.Now().Equal(t0) {
			t.Errorf("Wait with a done ctx: err %v at %v; want %v at %v", err, v.Now(), context.Canceled, t0)
		}
	})
}

func TestVirtualAdvance(t *testing.T) {
	v := NewVirtual(t0)
	gate := make(chan struct{})
	v.Go(func() { <-gate }) // a running actor holds time still
	woke := make(chan time.Time, 1)
	v.Go(func() {
		_ = v.Wait(context.Background(), t0.Add(30*time.Minute), nil)
		woke <- v.Now()
	})

	if got, want := v.Advance(10*time.Minute), t0.Add(10*time.Minute); !got.Equal(want) {
		t.Fatalf("Advance(10m) = %v, want %v", got, want)
	}
	if got, want := v.Advance(-time.Hour), t0.Add(10*time.Minute); !got.Equal(want) {
		t.Fatalf("Advance(-1h) moved the clock to %v, want it left at %v", got, want)
	}
	select {
	case at := <-woke:
		t.Fatalf("the waiter woke at %v, before its deadline", at)
	default:
	}
	v.Advance(20 * time.Minute)
	if at, want := <-woke, t0.Add(30*time.Minute); !at.Equal(want) {
		t.Errorf("the waiter woke at %v, want %v", at, want)
	}
	close(gate)
	waitIdle(t, v)
}

func TestVirtualWaitIdle(t *testing.T) {
	v := NewVirtual(t0)
	waitIdle(t, v) // no actor at all

	gate := make(chan struct{})
	v.Go(func() { <-gate })
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := v.WaitIdle(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("WaitIdle while an actor runs returned %v, want %v", err, context.Canceled)
	}
	close(gate)
	waitIdle(t, v)
}

func TestSleep(t *testing.T) {
	tests := []struct {
		d    time.Duration
		want time.Time
	}{
		{-time.Minute, t0},
		{0, t0},
		{90 * time.Minute, t0.Add(90 * time.Minute)},
	}
	for _, tt := range tests {
		v := NewVirtual(t0)
		if err := Sleep(context.Background(), v, tt.d); err != nil || !v.Now().Equal(tt.want) {
			t.Errorf("Sleep(%v): err %v, clock at %v; want nil at %v", tt.d, err, v.Now(), tt.want)
		}
	}
}

func TestWaitOnAnotherClocksSignalPanics(t *testing.T) {
	v := NewVirtual(t0)
	tests := []struct {
		name string
		c    Clock
		s    Signal
	}{
		{"virtual with a real signal", v, Real{}.NewSignal()},
		{"virtual with another virtual clock's signal", v, NewVirtual(t0).NewSignal()},
		{"real with a virtual signal", Real{}, v.NewSignal()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Error("Wait did not panic")
				}
			}()
			_ = tt.c.Wait(context.Background(), time.Time{}, tt.s)
		})
	}
}

// TestVirtualSet: Set moves the time backward as well as forward, and
// wakes the Waits whose deadline a jump forward reaches.
func TestVirtualSet(t *testing.T) {
	v := NewVirtual(t0)
	if got := v.Set(t0.Add(-25 * time.Hour)); !got.Equal(t0.Add(-25*time.Hour)) || !v.Now().Equal(got) {
		t.Fatalf("Set back: now %s; want %s", v.Now(), t0.Add(-25*time.Hour))
	}
	woke := make(chan time.Time, 1)
	go func() {
		_ = v.Wait(context.Background(), t0, nil)
		woke <- v.Now()
	}()
	// A lone waiter parked with a deadline lets time jump to it, so wait
	// for that rather than racing it.
	if at := <-woke; !at.Equal(t0) {
		t.Errorf("the Wait woke at %s; want %s", at, t0)
	}
	if got := v.Set(t0.Add(time.Hour)); !got.Equal(t0.Add(time.Hour)) {
		t.Errorf("Set forward: now %s; want %s", got, t0.Add(time.Hour))
	}
}
