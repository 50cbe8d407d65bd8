package engine

import (
	"strconv"
	"time"

	"github.com/outreachhq/outreach/core/schedule"
	"github.com/outreachhq/outreach/core/store"
)

// A paused warmup holds its ramp across days (schedule.Ramp), which takes
// two numbers the account record has no field for; they are counters,
// per account and warmup start (so a warmup declared afresh starts
// afresh).
const (
	// warmupHeld is the ramp day a pause holds at, plus one; 0 when the
	// ramp is not held.
	warmupHeld = "warmup_held"
	// warmupShift is how many days earlier pauses held the ramp.
	warmupShift = "warmup_shift"
)

func rampKey(a store.Account, counter string) []string {
	return []string{counter, a.ID, strconv.FormatInt(warmupStart(a).Unix(), 10)}
}

// warmupStart is the day the account's ramp counts from: when warmup was
// declared, or when the account was created if that was not recorded.
func warmupStart(a store.Account) time.Time {
	if a.WarmupStartedAt.IsZero() {
		return a.CreatedAt
	}
	return a.WarmupStartedAt
}

// storedRamp returns the account's ramp as last stored; nil without warmup.
func storedRamp(tx *store.Tx, a store.Account) (*schedule.Ramp, error) {
	if a.Warmup == nil {
		return nil, nil
	}
	loc := capLocation(a)
	r := schedule.Ramp{
		Start: a.Warmup.Start, Increase: a.Warmup.Increase, Max: a.DailyDMLimit,
		Day0: schedule.DayOf(warmupStart(a), loc),
	}
	held, err := tx.Counter(a.Workspace, rampKey(a, warmupHeld)...)
	if err != nil {
		return nil, err
	}
	if r.Shift, err = tx.Counter(a.Workspace, rampKey(a, warmupShift)...); err != nil {
		return nil, err
	}
	if held > 0 {
		r.Holding, r.Held = true, held-1
	}
	return &r, nil
}

// DailyCap returns the account's DM cap per day as the engine applies it
// from now on: its limit, lowered by its warmup ramp, with the ramp held
// or released as its warmup_paused flag says today. The plan's estimate
// calls it too.
func DailyCap(tx *store.Tx, a store.Account, now time.Time) (schedule.DailyCap, error) {
	dc := schedule.DailyCap{Limit: a.DailyDMLimit, Loc: capLocation(a)}
	r, err := storedRamp(tx, a)
	if err != nil || r == nil {
		return dc, err
	}
	synced := r.Sync(schedule.DayOf(now, dc.Loc), a.WarmupPaused)
	dc.Ramp = &synced
	return dc, nil
}

// syncWarmups stores, for every account with warmup, whether a pause holds
// its ramp, so that the ramp holds on later days and across restarts. It
// runs with each reply poll: a pause declared by an apply is seen within a
// poll interval, whether or not the account has anything to send.
func (e *Engine) syncWarmups(now time.Time) error {
	var stale []store.Account
	err := e.st.View(func(tx *store.Tx) error {
		accounts, err := tx.AllAccounts()
		if err != nil {
			return err
		}
		for _, a := range accounts {
			r, err := storedRamp(tx, a)
			if err != nil {
				return err
			}
			if r != nil && r.Sync(schedule.DayOf(now, capLocation(a)), a.WarmupPaused) != *r {
				stale = append(stale, a)
			}
		}
		return nil
	})
	if err != nil || len(stale) == 0 {
		return err
	}
	return e.st.Update(func(tx *store.Tx) error {
		for _, a := range stale {
			a, err := tx.Account(a.Workspace, a.ID)
			if store.IsNotFound(err) {
				continue
			}
			if err != nil {
				return err
			}
			r, err := storedRamp(tx, a)
			if err != nil || r == nil {
				return err
			}
			s := r.Sync(schedule.DayOf(now, capLocation(a)), a.WarmupPaused)
			if err := tx.AddCounter(a.Workspace, heldCount(s)-heldCount(*r), rampKey(a, warmupHeld)...); err != nil {
				return err
			}
			if err := tx.AddCounter(a.Workspace, s.Shift-r.Shift, rampKey(a, warmupShift)...); err != nil {
				return err
			}
		}
		return nil
	})
}

// heldCount is the warmupHeld counter of a ramp.
func heldCount(r schedule.Ramp) int {
	if !r.Holding {
		return 0
	}
	return r.Held + 1
}
