package schedule

import (
	"strings"
	"sync"
	"time"
	_ "time/tzdata" // time zones must load on machines without a zoneinfo database
)

// Window is a daily time window in a time zone: open from Start to End
// after midnight on each of its days. A window whose End is not after its
// Start runs past midnight (22:00 to 06:00) and belongs to the day it
// opens on. A nil *Window is always open.
//
// Wall-clock times follow time.Date across a DST change: a time the
// change skips (02:30 on a spring-forward night) is moved forward by the
// gap, and one it repeats is read in one of its two offsets.
type Window struct {
	// Start and End are offsets from local midnight; End may be 24h.
	Start, End time.Duration
	// Days are the weekdays the window opens on, by time.Weekday.
	Days [7]bool
	Loc  *time.Location
}

// NewWindow returns a window from its parts as config and store hold them:
// days are "mon" ... "sun" (or full names, any case; others are ignored),
// timeZone an IANA name ("" or unknown means UTC: config rejects unknown
// names before they reach here).
func NewWindow(start, end time.Duration, timeZone string, days []string) *Window {
	w := &Window{Start: start, End: end, Loc: Location(timeZone)}
	for _, d := range days {
		if wd, ok := weekday(d); ok {
			w.Days[wd] = true
		}
	}
	return w
}

var dayNames = [7]string{"sun", "mon", "tue", "wed", "thu", "fri", "sat"}

func weekday(name string) (time.Weekday, bool) {
	name = strings.ToLower(strings.TrimSpace(name))
	if len(name) < 3 {
		return 0, false
	}
	for i, d := range dayNames {
		if name[:3] == d {
			return time.Weekday(i), true
		}
	}
	return 0, false
}

// locations caches time zones: loading one reads the zone database, and
// the estimate asks for one per simulated send.
var locations sync.Map

// Location loads an IANA time zone, or returns UTC for "" or an unknown
// name.
func Location(name string) *time.Location {
	if l, ok := locations.Load(name); ok {
		return l.(*time.Location)
	}
	l, err := time.LoadLocation(name)
	if err != nil || name == "" || strings.EqualFold(name, "local") {
		l = time.UTC
	}
	locations.Store(name, l)
	return l
}

// Location is the window's time zone: UTC for a nil window.
func (w *Window) Location() *time.Location {
	if w == nil || w.Loc == nil {
		return time.UTC
	}
	return w.Loc
}

// NextOpen returns t if w is open at t, else when it next opens, or the
// zero time if it never does (no days). A nil window is always open.
func NextOpen(w *Window, t time.Time) time.Time {
	if w == nil {
		return t
	}
	loc := w.Location()
	y, m, d := t.In(loc).Date()
	var best time.Time
	// A window that runs past midnight may have opened the day before.
	for off := -1; off <= 7; off++ {
		day := time.Date(y, m, d+off, 0, 0, 0, 0, loc)
		if !w.Days[day.Weekday()] {
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

// clockOn is the wall-clock time d after midnight on day, in day's zone.
func clockOn(day time.Time, d time.Duration) time.Time {
	return time.Date(day.Year(), day.Month(), day.Day(), int(d/time.Hour), int(d%time.Hour/time.Minute), 0, 0, day.Location())
}

// searchSpan is how far NextSlot looks for a time when all its windows are
// open: a year and a week, since DST rules can make two windows in
// different zones meet only some weeks of the year.
const searchSpan = 373 * 24 * time.Hour

// NextSlot returns the first time from t at which every window is open
// (nil windows always are), or the zero time if they are never open
// together.
func NextSlot(t time.Time, windows ...*Window) time.Time {
	limit := t.Add(searchSpan)
	for t.Before(limit) {
		moved := false
		for _, w := range windows {
			n := NextOpen(w, t)
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
