package schedule

import (
	"testing"
	"time"
)

func TestSlot(t *testing.T) {
	ny := Location("America/New_York")
	office := NewWindow(9*time.Hour, 17*time.Hour, "America/New_York", weekdays)
	counts := map[Day]int{}
	full := func(d Day) (bool, error) { return counts[d] >= 2, nil }
	// Thursday 5 March, 16:30 in New York.
	now := at(t, "2026-03-05T21:30:00Z")
	var got []string
	for range 5 {
		s, err := Slot(now, ny, full, office)
		if err != nil {
			t.Fatal(err)
		}
		counts[DayOf(s, ny)]++
		got = append(got, s.In(ny).Format("Mon 15:04"))
		now = s.Add(10 * time.Minute)
	}
	want := []string{"Thu 16:30", "Thu 16:40", "Fri 09:00", "Fri 09:10", "Mon 09:00"}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("sends at %v, want %v", got, want)
			break
		}
	}
	never := []*Window{utcMonday, utcTuesday}
	if _, err := Slot(now, time.UTC, full, never...); err != ErrNeverOpen {
		t.Errorf("windows that never meet: error %v, want ErrNeverOpen", err)
	}
}
