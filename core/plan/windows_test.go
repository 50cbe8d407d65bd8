package plan

import (
	"time"

	"github.com/outreachhq/outreach/core/config"
	"github.com/outreachhq/outreach/core/schedule"
)

// The estimate's window tests read config windows; these convert them for
// core/schedule, which the estimate calls.

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
