package engine

import (
	"context"
	"time"

	"github.com/outreachhq/outreach/core/schedule"
	"github.com/outreachhq/outreach/core/store"
)

// A paused warmup holds its ramp across days (schedule.Ramp): the day it
// holds at, and how long pauses held it back, are stored in the account's
// state. The scheduler brings them up to date as it looks at the account,
// so that a pause holds the ramp whether or not the account has anything
// to send, and across restarts.

// syncedRamp is the account's ramp brought up to date at now; nil without
// warmup.
func syncedRamp(a store.Account, st store.AccountState, now time.Time) *store.RampState {
	r := a.Ramp(st.Ramp)
	if r == nil {
		return nil
	}
	return a.RampStateOf(r.Sync(schedule.DayOf(now, a.CapLocation()), a.WarmupPaused))
}

// rampStale reports whether the account's stored ramp is not up to date.
func rampStale(a store.Account, st store.AccountState, now time.Time) bool {
	want := syncedRamp(a, st, now)
	switch {
	case want == nil:
		return false
	case st.Ramp == nil:
		return true
	}
	return !want.Start.Equal(st.Ramp.Start) || want.Held != st.Ramp.Held || want.Shift != st.Ramp.Shift
}

// stateStale reports whether the scheduler should bring the account's
// stored state up to date: its warmup ramp, or a pause set before the
// clock jumped back (pauseStale).
func stateStale(a store.Account, st store.AccountState, now time.Time) bool {
	return rampStale(a, st, now) || pauseStale(a, st, now)
}

// syncStates brings the stored states of accounts up to date: their ramps,
// and their pauses after a clock that jumped back.
func (e *Engine) syncStates(ctx context.Context, accounts []store.Account, now time.Time) error {
	return e.update(ctx, func(tx Tx) error {
		for _, a := range accounts {
			a, err := tx.Account(a.Workspace, a.ID)
			if store.IsNotFound(err) {
				continue
			}
			if err != nil {
				return err
			}
			st, err := tx.AccountState(a.Workspace, a.ID)
			if err != nil {
				return err
			}
			if !stateStale(a, st, now) {
				continue
			}
			st.Ramp = syncedRamp(a, st, now)
			st.NextSendAt = pauseEnd(a, st, now)
			if err := tx.PutAccountState(st); err != nil {
				return err
			}
		}
		return nil
	})
}
