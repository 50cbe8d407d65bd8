package schedule

import (
	"errors"
	"time"
)

// ErrNeverOpen is returned by Slot when its windows are never open at the
// same time.
var ErrNeverOpen = errors.New("the windows are never open at the same time")

// ErrNoSlot is returned by Slot when every day it looked at was full.
var ErrNoSlot = errors.New("no day with room under the daily cap in the next 1000 days")

// maxDays bounds how many full days Slot skips.
const maxDays = 1000

// Slot returns the first time from t at which every window is open on a
// day (in loc, the cap's time zone) that full says has room: the time an
// account may send next, given its windows and its daily cap.
func Slot(t time.Time, loc *time.Location, full func(Day) (bool, error), windows ...*Window) (time.Time, error) {
	for range maxDays {
		t = NextSlot(t, windows...)
		if t.IsZero() {
			return t, ErrNeverOpen
		}
		d := DayOf(t, loc)
		f, err := full(d)
		if err != nil {
			return time.Time{}, err
		}
		if !f {
			return t, nil
		}
		t = (d + 1).Start(loc)
	}
	return time.Time{}, ErrNoSlot
}
