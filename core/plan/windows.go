package plan

import (
	"slices"
	"sync"
	"time"

	"github.com/outreachhq/outreach/core/config"
)

// nextOpen returns t if window w is open at t, else when it next opens. A
// nil window is always open.
func nextOpen(w *config.Window, t time.Time) time.Time {
	if w == nil {
		return t
	}
	loc := location(w)
	y, m, d := t.In(loc).Date()
	var best time.Time
	// A window that runs past midnight may have opened the day before.
	for off := -1; off <= 7; off++ {
		day := time.Date(y, m, d+off, 0, 0, 0, 0, loc)
		if !slices.Contains(w.Days, dayName(day.Weekday())) {
			continue
		}
		open := clockOn(day, w.Start)
		end := clockOn(day, w.End)
		if w.End <= w.Start {
			end = clockOn(day.AddDate(0, 0, 1), w.End)
		}
		if !t.Before(open) && t.Before(end) {
			return t
		}
		if open.After(t) && (best.IsZero() || open.Before(best)) {
			best = open
		}
	}
	return best.UTC()
}

// locations caches time zones: loading one reads the zone database, and an
// estimate asks for it once per send.
var locations sync.Map

func location(w *config.Window) *time.Location {
	if l, ok := locations.Load(w.TimeZone); ok {
		return l.(*time.Location)
	}
	l := w.Location()
	locations.Store(w.TimeZone, l)
	return l
}

// clockOn is the wall-clock time d after midnight on day, in day's zone;
// time.Date also places times that a DST change skips.
func clockOn(day time.Time, d time.Duration) time.Time {
	return time.Date(day.Year(), day.Month(), day.Day(), int(d/time.Hour), int(d%time.Hour/time.Minute), 0, 0, day.Location())
}

func dayName(wd time.Weekday) string {
	return config.AllDays[(int(wd)+6)%7]
}

// nextSlot returns the first time from t when every window is open, or the
// zero time when they never are together.
func nextSlot(t time.Time, windows ...*config.Window) time.Time {
	for range 64 {
		moved := false
		for _, w := range windows {
			n := nextOpen(w, t)
			if n.IsZero() {
				return n
			}
			if n.After(t) {
				t, moved = n, true
			}
		}
		if !moved {
			return t.UTC()
		}
	}
	return time.Time{}
}
