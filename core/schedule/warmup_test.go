package schedule

import "testing"

// TestRampDayByDay walks a ramp one day at a time, pausing and resuming
// on some days, and checks each day's cap.
func TestRampDayByDay(t *testing.T) {
	const day0 = Day(20000)
	tests := []struct {
		name string
		ramp Ramp
		// paused[i] is whether warmup is paused on day i.
		paused []bool
		want   []int
	}{
		{"start 5, +5 a day, up to 20", Ramp{Start: 5, Increase: 5, Max: 20, Day0: day0},
			make([]bool, 6), []int{5, 10, 15, 20, 20, 20}},
		{"no increase", Ramp{Start: 3, Max: 50, Day0: day0},
			make([]bool, 3), []int{3, 3, 3}},
		{"limit below start", Ramp{Start: 10, Increase: 5, Max: 4, Day0: day0},
			make([]bool, 2), []int{4, 4}},
		{"no limit", Ramp{Start: 1, Increase: 2, Day0: day0},
			make([]bool, 4), []int{1, 3, 5, 7}},
		{"paused from day 1 to 3: holds at 10, then goes on", Ramp{Start: 5, Increase: 5, Max: 30, Day0: day0},
			[]bool{false, true, true, true, false, false, false}, []int{5, 10, 10, 10, 10, 15, 20}},
		{"paused on the first day", Ramp{Start: 5, Increase: 5, Max: 30, Day0: day0},
			[]bool{true, true, false, false}, []int{5, 5, 5, 10}},
		{"two pauses add up", Ramp{Start: 1, Increase: 1, Max: 30, Day0: day0},
			[]bool{false, true, false, true, true, false, false}, []int{1, 2, 2, 3, 3, 3, 4}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := tt.ramp
			for i, want := range tt.want {
				d := day0 + Day(i)
				r = r.Sync(d, tt.paused[i])
				if got := r.Cap(d); got != want {
					t.Errorf("day %d (paused %t): cap %d, want %d", i, tt.paused[i], got, want)
				}
			}
		})
	}
}

// TestRampHeldAhead: a held ramp gives the same cap on every later day,
// which is how the estimate looks ahead while warmup is paused.
func TestRampHeldAhead(t *testing.T) {
	r := Ramp{Start: 5, Increase: 5, Max: 50, Day0: 100}.Sync(102, true)
	for d := Day(102); d < 110; d++ {
		if got := r.Cap(d); got != 15 {
			t.Fatalf("day %d: cap %d, want 15 held", d, got)
		}
	}
	// Syncing again while still paused changes nothing.
	if r2 := r.Sync(105, true); r2 != r {
		t.Errorf("Sync while paused moved the ramp: %+v -> %+v", r, r2)
	}
}

func TestDailyCapFull(t *testing.T) {
	ramp := &Ramp{Start: 2, Increase: 1, Max: 3, Day0: 10}
	tests := []struct {
		name string
		c    DailyCap
		day  Day
		sent int
		want bool
	}{
		{"no limit, no ramp", DailyCap{}, 10, 1000, false},
		{"under the limit", DailyCap{Limit: 3}, 10, 2, false},
		{"at the limit", DailyCap{Limit: 3}, 10, 3, true},
		{"ramp day 0", DailyCap{Limit: 3, Ramp: ramp}, 10, 2, true},
		{"ramp day 1", DailyCap{Limit: 3, Ramp: ramp}, 11, 2, false},
		{"ramp at the limit", DailyCap{Limit: 3, Ramp: ramp}, 20, 3, true},
		{"a ramp of 0 is a cap of 0", DailyCap{Ramp: &Ramp{}}, 10, 0, true},
	}
	for _, tt := range tests {
		if got := tt.c.Full(tt.day, tt.sent); got != tt.want {
			t.Errorf("%s: Full(%d sent) = %t, want %t", tt.name, tt.sent, got, tt.want)
		}
	}
}
