package schedule

import "time"

// Day is a calendar day in some time zone, as a count of days since
// 1970-01-01; a day number means nothing without the zone it was taken in.
type Day int64

// DayOf returns the day t falls on in loc.
func DayOf(t time.Time, loc *time.Location) Day {
	y, m, d := t.In(loc).Date()
	return Day(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400)
}

// date is the day's calendar date.
func (d Day) date() (int, time.Month, int) {
	return time.Unix(int64(d)*86400, 0).UTC().Date()
}

// Start returns when the day begins in loc: its midnight, or the first
// instant after it on a day a DST change skips midnight.
func (d Day) Start(loc *time.Location) time.Time {
	y, m, dd := d.date()
	return time.Date(y, m, dd, 0, 0, 0, 0, loc)
}

// Key is the day as YYYY-MM-DD, the key daily counters are kept under.
func (d Day) Key() string {
	y, m, dd := d.date()
	return time.Date(y, m, dd, 0, 0, 0, 0, time.UTC).Format(time.DateOnly)
}

// CapLocation is the time zone whose days an account's daily caps count
// in: the zone of its active hours, or UTC when it declares none. A user
// who says "50 a day" and works 9 to 5 in New York means a New York day.
func CapLocation(activeHours *Window) *time.Location { return activeHours.Location() }
