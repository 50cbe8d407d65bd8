package schedule

import (
	"testing"
	"time"
)

func TestDayOf(t *testing.T) {
	ny := Location("America/New_York")
	tests := []struct {
		t    string
		loc  *time.Location
		want string
	}{
		{"2026-03-03T03:00:00Z", time.UTC, "2026-03-03"},
		{"2026-03-03T03:00:00Z", ny, "2026-03-02"}, // 22:00 the evening before
		{"2026-03-03T05:00:00Z", ny, "2026-03-03"},
		{"1969-12-31T23:00:00Z", time.UTC, "1969-12-31"},
	}
	for _, tt := range tests {
		d := DayOf(at(t, tt.t), tt.loc)
		if d.Key() != tt.want {
			t.Errorf("DayOf(%s, %s) = %s, want %s", tt.t, tt.loc, d.Key(), tt.want)
		}
		if start := d.Start(tt.loc); DayOf(start, tt.loc) != d || DayOf(start.Add(-time.Nanosecond), tt.loc) != d-1 {
			t.Errorf("%s: Start = %s is not the first instant of the day", tt.want, start)
		}
	}
	if got := (DayOf(at(t, "2026-03-08T12:00:00Z"), ny) + 1).Start(ny); !got.Equal(at(t, "2026-03-09T04:00:00Z")) {
		t.Errorf("the day after the spring-forward day starts at %s, want 04:00 UTC", got)
	}
}
