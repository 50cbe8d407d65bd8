package schedule

import (
	"testing"
	"time"
)

func at(t *testing.T, s string) time.Time {
	t.Helper()
	v, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

var (
	weekdays = []string{"mon", "tue", "wed", "thu", "fri"}
	// berlin9to5 is office hours in Berlin, Monday to Friday.
	berlin9to5 = NewWindow(9*time.Hour, 17*time.Hour, "Europe/Berlin", weekdays)
	// nyNight opens 22:00 in New York on Saturdays and Sundays and closes
	// at 06:00 the next morning.
	nyNight = NewWindow(22*time.Hour, 6*time.Hour, "America/New_York", []string{"Saturday", "sun"})
	// berlinSmallHours opens at 02:30, a time the spring-forward night skips.
	berlinSmallHours = NewWindow(2*time.Hour+30*time.Minute, 4*time.Hour, "Europe/Berlin", []string{"sun"})
	// utcMonday and utcTuesday are open around the clock on one day each
	// (a zone of "" is UTC).
	utcMonday  = NewWindow(0, 24*time.Hour, "UTC", []string{"mon"})
	utcTuesday = NewWindow(0, 24*time.Hour, "", []string{"TUE"})
)

func TestNextOpen(t *testing.T) {
	tests := []struct {
		name string
		w    *Window
		t    string
		want string
	}{
		{"nil window is always open", nil, "2026-03-04T03:00:00Z", "2026-03-04T03:00:00Z"},
		{"inside", berlin9to5, "2026-03-04T09:00:00Z", "2026-03-04T09:00:00Z"}, // 10:00 CET
		{"at opening", berlin9to5, "2026-03-04T08:00:00Z", "2026-03-04T08:00:00Z"},
		{"before opening", berlin9to5, "2026-03-04T06:00:00Z", "2026-03-04T08:00:00Z"},
		{"closing time is closed", berlin9to5, "2026-03-04T16:00:00Z", "2026-03-05T08:00:00Z"},
		{"friday evening to monday", berlin9to5, "2026-03-06T17:00:00Z", "2026-03-09T08:00:00Z"},
		{"a day's date in the zone, not in UTC", berlin9to5, "2026-03-08T23:30:00Z", "2026-03-09T08:00:00Z"}, // 00:30 Monday in Berlin
		{"spring forward moves the opening an hour earlier in UTC", berlin9to5, "2026-03-27T17:00:00Z", "2026-03-30T07:00:00Z"},
		{"fall back moves it an hour later", berlin9to5, "2026-10-23T17:00:00Z", "2026-10-26T08:00:00Z"},
		{"past midnight: open after midnight on the next day", nyNight, "2026-03-02T09:00:00Z", "2026-03-02T09:00:00Z"}, // Mon 04:00 EST, Sunday's window
		{"past midnight: closed at its end", nyNight, "2026-03-02T11:00:00Z", "2026-03-08T03:00:00Z"},                   // Mon 06:00 EST, to Sat 22:00 EST
		{"past midnight: Saturday evening", nyNight, "2026-03-01T02:30:00Z", "2026-03-01T03:00:00Z"},                    // Sat 21:30 EST
		// Saturday 7 March's night opens at 22:00 EST and closes at 06:00 EDT:
		// the clocks go forward at 02:00 in between.
		{"past midnight across spring forward: open at 05:30 EDT", nyNight, "2026-03-08T09:30:00Z", "2026-03-08T09:30:00Z"},
		{"past midnight across spring forward: closed at 06:00 EDT", nyNight, "2026-03-08T10:00:00Z", "2026-03-09T02:00:00Z"},
		// Saturday 31 October's night opens at 22:00 EDT and closes at 06:00 EST.
		{"past midnight across fall back: open at 05:30 EST", nyNight, "2026-11-01T10:30:00Z", "2026-11-01T10:30:00Z"},
		{"past midnight across fall back: closed at 06:00 EST", nyNight, "2026-11-01T11:00:00Z", "2026-11-02T03:00:00Z"},
		{"spring forward skips 02:30: opens at 03:30 CEST", berlinSmallHours, "2026-03-28T12:00:00Z", "2026-03-29T01:30:00Z"},
		{"fall back: 02:30 happens twice; it opens at the second (time.Date's choice)", berlinSmallHours, "2026-10-24T12:00:00Z", "2026-10-25T01:30:00Z"},
		{"only its days", utcMonday, "2026-03-03T00:00:00Z", "2026-03-09T00:00:00Z"},
		{"a window with no days never opens", NewWindow(0, time.Hour, "UTC", nil), "2026-03-03T00:00:00Z", "0001-01-01T00:00:00Z"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := NextOpen(tt.w, at(t, tt.t)).UTC(); !got.Equal(at(t, tt.want)) {
				t.Errorf("NextOpen(%s) = %s, want %s", tt.t, got.Format(time.RFC3339), tt.want)
			}
		})
	}
}

func TestNextSlot(t *testing.T) {
	// nyOffice is 9 to 5 in New York on weekdays.
	nyOffice := NewWindow(9*time.Hour, 17*time.Hour, "America/New_York", weekdays)
	tests := []struct {
		name    string
		windows []*Window
		t       string
		want    string // "" for never
	}{
		{"no windows", nil, "2026-03-04T03:00:00Z", "2026-03-04T03:00:00Z"},
		{"nil windows", []*Window{nil, nil}, "2026-03-04T03:00:00Z", "2026-03-04T03:00:00Z"},
		{"both open", []*Window{berlin9to5, utcMonday}, "2026-03-02T10:00:00Z", "2026-03-02T10:00:00Z"},
		// Berlin 09:00-17:00 CET is 08:00-16:00 UTC, New York 09:00-17:00 EST
		// is 14:00-22:00 UTC: they share 14:00-16:00 UTC.
		{"two zones meet in the afternoon", []*Window{berlin9to5, nyOffice}, "2026-03-02T08:00:00Z", "2026-03-02T14:00:00Z"},
		// In the weeks when New York has summer time and Berlin not yet,
		// they share 13:00-16:00 UTC.
		{"two zones, one on summer time", []*Window{berlin9to5, nyOffice}, "2026-03-10T08:00:00Z", "2026-03-10T13:00:00Z"},
		{"from Friday evening to Monday", []*Window{berlin9to5, nyOffice}, "2026-03-06T16:00:00Z", "2026-03-09T13:00:00Z"},
		{"days that never meet", []*Window{utcMonday, utcTuesday}, "2026-03-02T10:00:00Z", ""},
		{"hours that never meet", []*Window{
			NewWindow(9*time.Hour, 12*time.Hour, "UTC", weekdays),
			NewWindow(13*time.Hour, 17*time.Hour, "UTC", weekdays),
		}, "2026-03-02T10:00:00Z", ""},
		{"hours that meet only past midnight", []*Window{
			NewWindow(22*time.Hour, 2*time.Hour, "UTC", []string{"mon"}),
			NewWindow(1*time.Hour, 5*time.Hour, "UTC", []string{"tue"}),
		}, "2026-03-02T10:00:00Z", "2026-03-03T01:00:00Z"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := NextSlot(at(t, tt.t), tt.windows...)
			switch {
			case tt.want == "" && !got.IsZero():
				t.Errorf("NextSlot = %s, want the zero time (never)", got.Format(time.RFC3339))
			case tt.want != "" && !got.Equal(at(t, tt.want)):
				t.Errorf("NextSlot = %s, want %s", got.Format(time.RFC3339), tt.want)
			}
		})
	}
}
