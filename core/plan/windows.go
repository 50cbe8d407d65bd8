package plan

import (
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
