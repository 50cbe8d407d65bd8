package plan

import (
	"time"

	"github.com/outreachhq/outreach/core/config"
	"github.com/outreachhq/outreach/core/schedule"
)

// The calendar arithmetic lives in core/schedule, shared with the engine
// so that the estimate and the sends cannot disagree; these convert the
// config's windows at the edge.

// window converts a config window; nil stays nil (always open).
func window(w *config.Window) *schedule.Window {
	if w == nil {
		return nil
	}
	return schedule.NewWindow(w.Start, w.End, w.TimeZone, w.Days)
}

// nextOpen returns t if window w is open at t, else when it next opens.
func nextOpen(w *config.Window, t time.Time) time.Time {
	return schedule.NextOpen(window(w), t)
}

// nextSlot returns the first time from t when every window is open, or the
// zero time when they never are together.
func nextSlot(t time.Time, windows ...*config.Window) time.Time {
	ws := make([]*schedule.Window, len(windows))
	for i, w := range windows {
		ws[i] = window(w)
	}
	return schedule.NextSlot(t, ws...)
}
