package engine

import (
	"time"

	"github.com/outreachhq/outreach/core/schedule"
	"github.com/outreachhq/outreach/core/store"
)

// windowOf converts a stored window for core/schedule; nil stays nil
// (always open).
func windowOf(w *store.Window) *schedule.Window {
	if w == nil {
		return nil
	}
	return schedule.NewWindow(w.Start, w.End, w.TimeZone, w.Days)
}

// capLocation is the time zone whose days the account's daily cap counts
// in: its active hours' zone, or UTC.
func capLocation(a store.Account) *time.Location {
	return schedule.CapLocation(windowOf(a.ActiveHours))
}

// sentDay is the counter of an account's DMs on one day of its cap's time
// zone. The plan's estimate reads it too (SentOn).
const sentDay = "sent_day"

// SentOn returns how many DMs (first DMs and follow-ups) the account sent
// on day d of its cap's time zone (see schedule.CapLocation).
func SentOn(tx *store.Tx, a store.Account, d schedule.Day) (int, error) {
	return tx.Counter(a.Workspace, sentDay, a.ID, d.Key())
}

// sendSlot returns when the account may send next for the campaign: the
// first time from now that its pacing allows, its active hours and the
// campaign's window are both open, and the day's cap (lowered by warmup)
// is not reached. It returns schedule.ErrNeverOpen if the two windows are
// never open together.
func (e *Engine) sendSlot(tx *store.Tx, a store.Account, c store.Campaign, now time.Time) (time.Time, error) {
	// The pause after the last send is kept in the store too, so it holds
	// across a restart.
	next, err := tx.NextSend(a.Workspace, a.ID)
	if err != nil {
		return time.Time{}, err
	}
	if mem := e.nextSend[a.ID]; mem.After(next) {
		next = mem
	}
	if now.After(next) {
		next = now
	}
	dc, err := DailyCap(tx, a, now)
	if err != nil {
		return time.Time{}, err
	}
	full := func(d schedule.Day) (bool, error) {
		n, err := SentOn(tx, a, d)
		return dc.Full(d, n), err
	}
	return schedule.Slot(next, dc.Loc, full, windowOf(a.ActiveHours), windowOf(c.Window))
}

// paced records a send by the account and draws its next gap.
func (e *Engine) paced(a store.Account, now time.Time) {
	p := schedule.Pacing{MinGap: a.MinGap, MaxGap: a.MaxGap, Jitter: a.Jitter}
	e.nextSend[a.ID] = now.Add(p.Gap(e.opts.Rand))
}
