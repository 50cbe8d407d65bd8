package engine

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/outreachhq/outreach/core/clock"
	"github.com/outreachhq/outreach/core/store"
	"github.com/outreachhq/outreach/sdk"
)

// lane runs e.Lane as one of the clock's actors, so that a virtual clock
// does not move under it.
func (h *harness) lane(ctx context.Context, e *Engine, accountID string) (next time.Time, err error) {
	e.asActor(func() { next, err = e.Lane(ctx, ws, accountID) })
	return next, err
}

// TestPauseStartsWhenXAnswers: two sends of an account are never closer on
// X than its gap, however long the first took to reach X. The first DM
// reaches X 3 s after its intent, the second at once.
func TestPauseStartsWhenXAnswers(t *testing.T) {
	h := newHarness(t)
	a := h.account("sales", h.known, func(a *store.Account) { a.MinGap, a.MaxGap = 10*time.Second, 10*time.Second })
	src := h.source("s")
	h.leads(src, 2)
	h.campaign("c", []store.Source{src}, []store.Account{a}, variants(1, false))
	send := h.net.SendDMF
	var calls atomic.Int32
	h.net.SendDMF = func(ctx context.Context, s sdk.Session, to, text string) (sdk.SentDM, error) {
		if calls.Add(1) == 1 {
			if err := clock.Sleep(ctx, h.clk, 3*time.Second); err != nil {
				return sdk.SentDM{}, err
			}
		}
		return send(ctx, s, to, text)
	}
	h.runUntilIdle(h.engine())

	sends := h.sendsBy("sales")
	if len(sends) != 2 {
		t.Fatalf("%d sends, want 2", len(sends))
	}
	if gap := sends[1].At.Sub(sends[0].At); gap < 10*time.Second {
		t.Errorf("X took the two DMs %v apart, under the account's 10s gap", gap)
	}
}

// TestLaneOneRunPerAccount: while a run of an account's lane is in
// flight, a second run of it in the same engine (a queue that rescued a
// job still running) does nothing and asks to come back shortly.
func TestLaneOneRunPerAccount(t *testing.T) {
	h := newHarness(t)
	a := h.account("sales", h.known, func(a *store.Account) { a.MinGap, a.MaxGap = time.Second, time.Second })
	src := h.source("s")
	h.leads(src, 3)
	h.campaign("c", []store.Source{src}, []store.Account{a}, variants(1, false))
	send := h.net.SendDMF
	inCall, release := make(chan struct{}), make(chan struct{})
	var calls atomic.Int32
	h.net.SendDMF = func(ctx context.Context, s sdk.Session, to, text string) (sdk.SentDM, error) {
		if calls.Add(1) == 1 {
			close(inCall)
			<-release
		}
		return send(ctx, s, to, text)
	}
	e := h.engine()
	first := make(chan error, 1)
	go func() {
		_, err := h.lane(context.Background(), e, a.ID)
		first <- err
	}()
	<-inCall
	now := h.clk.Now()
	next, err := h.lane(context.Background(), e, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if want := now.Add(time.Second); !next.Equal(want) {
		t.Errorf("the second run asks to come back at %v, want %v", next, want)
	}
	close(release)
	if err := <-first; err != nil {
		t.Fatal(err)
	}
	if n := len(h.sendsBy("sales")); n != 1 {
		t.Errorf("%d sends, want the first run's one", n)
	}
}

// TestLaneWaitsForAnotherEnginesSend: a run stopped during its call to X
// leaves the send in doubt under its engine's lease. Another engine's lane
// then sends nothing new for the account (not even another campaign's DM)
// until that lease ends, and then settles the send from X (it went out)
// before sending the next.
func TestLaneWaitsForAnotherEnginesSend(t *testing.T) {
	h := newHarness(t)
	a := h.account("sales", h.known, func(a *store.Account) { a.MinGap, a.MaxGap = time.Second, time.Second })
	src := h.source("s")
	h.leads(src, 2)
	c := h.campaign("c", []store.Source{src}, []store.Account{a}, variants(1, false))
	other := h.source("other")
	h.leads(other, 1)
	c2 := h.campaign("c2", []store.Source{other}, []store.Account{a}, variants(1, false))
	send := h.net.SendDMF
	ctx, cancel := context.WithCancel(context.Background())
	first := true
	h.net.SendDMF = func(c context.Context, s sdk.Session, to, text string) (sdk.SentDM, error) {
		sent, err := send(c, s, to, text)
		if first {
			// X took the DM, but the run is stopped before it hears so.
			first = false
			cancel()
			return sdk.SentDM{}, context.Canceled
		}
		return sent, err
	}

	a1, b := h.engine(), h.engine()
	if _, err := h.lane(ctx, a1, a.ID); err == nil {
		t.Fatal("the stopped run reported no error")
	}
	in := h.intents()
	if len(in) != 1 {
		t.Fatalf("%d intents after the stopped run, want its send's", len(in))
	}
	h.clk.Advance(2 * time.Second) // past the account's pause: only the unsettled send holds it
	next, err := h.lane(context.Background(), b, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(h.sendsBy("sales")); n != 1 {
		t.Fatalf("%d sends while the other engine's send was unsettled, want 1", n)
	}
	if !next.Equal(in[0].Lease.Expires) {
		t.Errorf("the lane asks to come back at %v, want when the send's lease ends, %v", next, in[0].Lease.Expires)
	}

	h.clk.Advance(next.Sub(h.clk.Now()))
	for range 4 {
		if _, err := h.lane(context.Background(), b, a.ID); err != nil {
			t.Fatal(err)
		}
		h.clk.Advance(time.Second)
	}
	if n := len(h.sendsBy("sales")); n != 3 {
		t.Errorf("%d sends on X, want 3: the settled one and the next two", n)
	}
	for _, j := range append(h.campaignJobs(c, store.JobDM), h.campaignJobs(c2, store.JobDM)...) {
		if j.State != store.JobDone {
			t.Errorf("job %s is %s, want done", j.ID, j.State)
		}
	}
	if in := h.intents(); len(in) != 0 {
		t.Errorf("%d intents left", len(in))
	}
}
