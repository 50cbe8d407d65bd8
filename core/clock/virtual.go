package clock

import (
	"container/heap"
	"context"
	"slices"
	"sync"
	"time"
)

var _ Clock = (*Virtual)(nil)

// Virtual is a clock for tests. Its time moves only while every actor (a
// goroutine started with Go that has not returned) is parked in Wait and
// at least one parked Wait has a deadline: it then jumps to the earliest
// deadline and wakes every Wait that has reached it. Advance moves it by
// hand; with no actors at all, nothing else does.
//
// The clock counts actors (Go adds one before it returns, so no gap opens
// before the goroutine runs; the actor's return removes it) and parked
// Waits, and moves time only while parked >= actors. A Wait stops being
// parked the moment the clock decides to release it, under the clock's
// lock: inside Notify, inside the time jump that reaches its deadline, or
// when the clock finds its ctx done. The clock therefore never sees
// everyone parked between a wake and the woken goroutine running. Before
// moving time the clock releases every parked Wait whose ctx is done, so a
// cancellation never lets time jump past the waiter it cancels.
//
// Wait does not know whether its caller is an actor; a Wait from any other
// goroutine parks and wakes in the same way and counts as parked. With no
// actors running that is what one wants: a lone waiter sees time jump to
// its deadline at once. While actors run, such a Wait could let time move
// under an actor that still works, so while actors run only actors should
// Wait on a Virtual clock; other goroutines wait for quiescence with
// WaitIdle. An actor blocked on anything but Wait (a channel, a mutex, a
// WaitGroup) counts as running and holds time still. For the same reason,
// actors that must start at one instant are best started by one actor:
// between two Go calls from another goroutine, the first actor may park
// alone and let time jump.
type Virtual struct {
	mu     sync.Mutex
	now    time.Time
	actors int                  // started with Go and not yet returned
	parked map[*waiter]struct{} // every Wait that blocks, from an actor or not
	due    deadlines            // the parked Waits that have a deadline
	idle   []chan struct{}      // WaitIdle calls to release at quiescence
}

// NewVirtual returns a virtual clock set to start.
func NewVirtual(start time.Time) *Virtual {
	return &Virtual{now: start, parked: map[*waiter]struct{}{}}
}

// waitState says whether a Wait still blocks and, once released, why.
type waitState int

const (
	waiting waitState = iota
	woken
	cancelled
)

// waiter is one blocked Wait. Its fields after done are guarded by the
// clock's lock.
type waiter struct {
	until time.Time       // zero: no deadline
	sig   *virtualSignal  // nil: none
	done  <-chan struct{} // the Wait's ctx.Done()
	woke  chan struct{}   // closed when state leaves waiting
	state waitState
	index int // in Virtual.due; -1 when not there
}

// Now implements Clock.
func (v *Virtual) Now() time.Time {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.now
}

// Go implements Clock: fn runs as an actor.
func (v *Virtual) Go(fn func()) {
	v.mu.Lock()
	v.actors++
	v.mu.Unlock()
	go func() {
		defer v.exit()
		fn()
	}()
}

func (v *Virtual) exit() {
	v.mu.Lock()
	defer v.mu.Unlock()
	v.actors--
	v.settle()
}

// NewSignal implements Clock.
func (v *Virtual) NewSignal() Signal { return &virtualSignal{v: v} }

// Wait implements Clock.
func (v *Virtual) Wait(ctx context.Context, until time.Time, s Signal) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	sig := v.signal(s)
	v.mu.Lock()
	if sig != nil && sig.pending {
		sig.pending = false
		v.mu.Unlock()
		return nil
	}
	if !until.IsZero() && !v.now.Before(until) {
		v.mu.Unlock()
		return nil
	}
	w := &waiter{until: until, sig: sig, done: ctx.Done(), woke: make(chan struct{}), index: -1}
	v.parked[w] = struct{}{}
	if !until.IsZero() {
		heap.Push(&v.due, w)
	}
	if sig != nil {
		sig.waiters = append(sig.waiters, w)
	}
	v.settle()
	v.mu.Unlock()

	select {
	case <-w.woke:
	case <-w.done:
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	if w.state == waiting {
		v.release(w, cancelled)
	}
	if w.state == cancelled {
		return ctx.Err()
	}
	return nil
}

// Advance moves the time forward by d (never backward), wakes every Wait
// whose deadline it reaches, and returns the new time.
func (v *Virtual) Advance(d time.Duration) time.Time {
	v.mu.Lock()
	defer v.mu.Unlock()
	if d > 0 {
		v.now = v.now.Add(d)
	}
	v.wakeDue()
	v.settle()
	return v.now
}

// Set sets the time to t, backward as well as forward, as when a system
// clock is corrected, and wakes every Wait whose deadline it reaches. It is
// for tests of clock jumps, run step by step: while actors are parked on
// deadlines, the clock moves on to the earliest of them at once, past a
// jump backward.
func (v *Virtual) Set(t time.Time) time.Time {
	v.mu.Lock()
	defer v.mu.Unlock()
	v.now = t
	v.wakeDue()
	v.settle()
	return v.now
}

// WaitIdle returns when the clock is quiescent: every actor is parked in
// Wait with no deadline (or there is no actor), so nothing will happen
// until someone outside the actors notifies a Signal, cancels a Wait or
// calls Advance. It returns ctx.Err() if ctx is done first. Only a
// goroutine that is not an actor may call it: an actor waiting here counts
// as running, so the clock would never be idle.
func (v *Virtual) WaitIdle(ctx context.Context) error {
	v.mu.Lock()
	v.settle()
	if v.quiet() {
		v.mu.Unlock()
		return nil
	}
	ch := make(chan struct{})
	v.idle = append(v.idle, ch)
	v.mu.Unlock()

	select {
	case <-ch:
		return nil
	case <-ctx.Done():
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	i := slices.Index(v.idle, ch)
	if i < 0 {
		return nil // the clock fell quiet as ctx was done
	}
	v.idle = slices.Delete(v.idle, i, i+1)
	return ctx.Err()
}

// settle moves time for as long as every actor is parked and a parked Wait
// has a deadline, then releases WaitIdle if that left the clock quiet. It
// runs, with v.mu held, after every change that can park the last actor.
func (v *Virtual) settle() {
	for v.quiet() {
		v.releaseCancelled()
		if !v.quiet() || len(v.due) == 0 {
			break
		}
		if next := v.due[0].until; next.After(v.now) {
			v.now = next
		}
		v.wakeDue()
	}
	if v.quiet() {
		for _, ch := range v.idle {
			close(ch)
		}
		v.idle = nil
	}
}

// quiet reports whether no actor runs. After settle, it also means that no
// parked Wait has a deadline.
func (v *Virtual) quiet() bool { return len(v.parked) >= v.actors }

// wakeDue wakes every parked Wait whose deadline is reached.
func (v *Virtual) wakeDue() {
	for len(v.due) > 0 && !v.due[0].until.After(v.now) {
		v.wake(v.due[0])
	}
}

// wake releases w as woken, or as cancelled if its ctx is already done,
// and reports whether it was woken. Whatever the clock decides first
// under its lock, a wake or a cancellation, is what Wait returns.
func (v *Virtual) wake(w *waiter) bool {
	select {
	case <-w.done:
		v.release(w, cancelled)
		return false
	default:
		v.release(w, woken)
		return true
	}
}

// releaseCancelled releases every parked Wait whose ctx is done, so that
// it counts as running from now on, as it would had its goroutine taken
// the lock first.
func (v *Virtual) releaseCancelled() {
	for w := range v.parked {
		select {
		case <-w.done:
			v.release(w, cancelled)
		default:
		}
	}
}

// release unparks w for the reason st and lets its goroutine run.
func (v *Virtual) release(w *waiter, st waitState) {
	w.state = st
	delete(v.parked, w)
	if w.index >= 0 {
		heap.Remove(&v.due, w.index)
	}
	if w.sig != nil {
		if i := slices.Index(w.sig.waiters, w); i >= 0 {
			w.sig.waiters = slices.Delete(w.sig.waiters, i, i+1)
		}
	}
	close(w.woke)
}

// signal returns s as this clock's signal, nil if s is nil.
func (v *Virtual) signal(s Signal) *virtualSignal {
	if s == nil {
		return nil
	}
	sig, ok := s.(*virtualSignal)
	if !ok || sig != nil && sig.v != v {
		panic("clock: Virtual.Wait on a Signal that this clock's NewSignal did not make")
	}
	return sig
}

// virtualSignal wakes the longest-waiting Wait on it, or is kept pending.
// Its fields are guarded by v.mu.
type virtualSignal struct {
	v       *Virtual
	pending bool
	waiters []*waiter // in the order they parked
}

// Notify implements Signal. The Wait it wakes counts as running before
// Notify returns. Waits whose ctx is done are passed over (and released
// as cancelled): if none is left, the Notify is kept pending.
func (s *virtualSignal) Notify() {
	s.v.mu.Lock()
	defer s.v.mu.Unlock()
	for len(s.waiters) > 0 {
		if s.v.wake(s.waiters[0]) {
			return
		}
	}
	s.pending = true
}
