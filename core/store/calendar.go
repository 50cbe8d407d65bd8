package store

import (
	"time"

	"github.com/outreachhq/outreach/core/schedule"
)

// The calendar arithmetic of the records, in core/schedule's terms. The
// engine sends by these and the plan estimates by them, so the two cannot
// disagree on when an account may send or how many DMs a day it may send.

// Calendar converts a stored window for core/schedule; nil stays nil
// (always open).
func (w *Window) Calendar() *schedule.Window {
	if w == nil {
		return nil
	}
	return schedule.NewWindow(w.Start, w.End, w.TimeZone, w.Days)
}

// CapLocation is the time zone whose days the account's daily caps count
// in: its active hours' zone, or UTC.
func (a Account) CapLocation() *time.Location {
	return schedule.CapLocation(a.ActiveHours.Calendar())
}

// Pacing is the wait between two of the account's automated sends.
func (a Account) Pacing() schedule.Pacing {
	return schedule.Pacing{MinGap: a.MinGap, MaxGap: a.MaxGap, Jitter: a.Jitter}
}

// RehearsalPacing is how an account paces its sends on the simulated X
// when nobody set its pacing: gaps of seconds, so that a rehearsal
// campaign made without pacing (through the API, or from a configuration
// with no pacing block) finishes in a minute or so, not in hours.
var RehearsalPacing = schedule.Pacing{MinGap: 2 * time.Second, MaxGap: 4 * time.Second}

// PacingOn is the account's pacing where it runs: on the simulated X
// (simulated), pacing nobody set (PacingDefault) is RehearsalPacing;
// pacing that configuration set always holds.
func (a Account) PacingOn(simulated bool) schedule.Pacing {
	if simulated && a.PacingDefault {
		return RehearsalPacing
	}
	return a.Pacing()
}

// WarmupStart is the day the account's ramp counts from: when warmup was
// declared, or when the account was created if that was not recorded.
func (a Account) WarmupStart() time.Time {
	if a.WarmupStartedAt.IsZero() {
		return a.CreatedAt
	}
	return a.WarmupStartedAt
}

// Ramp returns the account's warmup ramp as stored in r (the state's
// Ramp); nil without warmup. A stored ramp of another warmup start (one
// declared afresh) is ignored: the new ramp starts afresh.
func (a Account) Ramp(r *RampState) *schedule.Ramp {
	if a.Warmup == nil {
		return nil
	}
	start := a.WarmupStart()
	ramp := schedule.Ramp{
		Start: a.Warmup.Start, Increase: a.Warmup.Increase, Max: a.DailyDMLimit,
		Day0: schedule.DayOf(start, a.CapLocation()),
	}
	if r != nil && r.Start.Equal(start) {
		ramp.Shift = r.Shift
		if r.Held > 0 {
			ramp.Holding, ramp.Held = true, r.Held-1
		}
	}
	return &ramp
}

// RampStateOf is what a synced ramp stores (the inverse of Ramp).
func (a Account) RampStateOf(r schedule.Ramp) *RampState {
	s := &RampState{Start: a.WarmupStart(), Shift: r.Shift}
	if r.Holding {
		s.Held = r.Held + 1
	}
	return s
}

// DailyCap returns the account's DM cap per day as it applies from now on:
// its limit, lowered by its warmup ramp (stored in r), held or released as
// its warmup_paused flag says today.
func (a Account) DailyCap(r *RampState, now time.Time) schedule.DailyCap {
	dc := schedule.DailyCap{Limit: a.DailyDMLimit, Loc: a.CapLocation()}
	if ramp := a.Ramp(r); ramp != nil {
		synced := ramp.Sync(schedule.DayOf(now, dc.Loc), a.WarmupPaused)
		dc.Ramp = &synced
	}
	return dc
}
