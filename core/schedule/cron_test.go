package schedule

import (
	"testing"
	"time"
)

func TestDue(t *testing.T) {
	created := time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC)
	tests := []struct {
		name       string
		expr       string
		ranAt, now time.Time
		want       time.Time
	}{
		{name: "never ran: counts from creation", expr: "0 * * * *", now: created, want: time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)},
		{name: "missed runs are due once, at the first missed", expr: "0 * * * *", ranAt: time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC),
			now: time.Date(2026, 3, 2, 15, 10, 0, 0, time.UTC), want: time.Date(2026, 3, 2, 11, 0, 0, 0, time.UTC)},
		{name: "a last run in the future counts as now", expr: "0 * * * *", ranAt: time.Date(2026, 3, 3, 12, 0, 0, 0, time.UTC),
			now: time.Date(2026, 3, 2, 12, 5, 0, 0, time.UTC), want: time.Date(2026, 3, 2, 13, 0, 0, 0, time.UTC)},
		{name: "six fields", expr: "30 0 9 * * *", now: created, want: time.Date(2026, 3, 3, 9, 0, 30, 0, time.UTC)},
		{name: "descriptor", expr: "@daily", now: created, want: time.Date(2026, 3, 3, 0, 0, 0, 0, time.UTC)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Due(tt.expr, tt.ranAt, created, tt.now)
			if err != nil || !got.Equal(tt.want) {
				t.Errorf("Due = %s, %v; want %s", got, err, tt.want)
			}
		})
	}
	if _, err := Due("every day", time.Time{}, created, created); err == nil {
		t.Error("Due of a schedule that does not parse gave no error")
	}
}

// TestNextRunsAcrossDST: a zoned schedule keeps its local time across both
// changes of the clocks; a time the spring change skips runs at none.
func TestNextRunsAcrossDST(t *testing.T) {
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	local := func(runs []time.Time) []string {
		out := make([]string, len(runs))
		for i, r := range runs {
			out[i] = r.In(ny).Format("Jan 2 15:04")
		}
		return out
	}
	tests := []struct {
		expr string
		from time.Time
		want []string
	}{
		{"CRON_TZ=America/New_York 0 9 * * *", time.Date(2026, 3, 7, 0, 0, 0, 0, time.UTC), []string{"Mar 7 09:00", "Mar 8 09:00", "Mar 9 09:00"}},
		{"CRON_TZ=America/New_York 0 9 * * *", time.Date(2026, 10, 31, 0, 0, 0, 0, time.UTC), []string{"Oct 31 09:00", "Nov 1 09:00", "Nov 2 09:00"}},
		// 02:30 does not exist on 8 March in New York.
		{"CRON_TZ=America/New_York 30 2 * * *", time.Date(2026, 3, 7, 0, 0, 0, 0, time.UTC), []string{"Mar 7 02:30", "Mar 9 02:30", "Mar 10 02:30"}},
		// 01:30 comes twice on 1 November in New York: it runs once.
		{"CRON_TZ=America/New_York 30 1 * * *", time.Date(2026, 10, 31, 0, 0, 0, 0, time.UTC), []string{"Oct 31 01:30", "Nov 1 01:30", "Nov 2 01:30"}},
		{"CRON_TZ=America/New_York */30 1 * * *", time.Date(2026, 11, 1, 4, 59, 0, 0, time.UTC), []string{"Nov 1 01:00", "Nov 1 01:30", "Nov 2 01:00"}},
	}
	for _, tt := range tests {
		runs, err := NextRuns(tt.expr, tt.from, 3)
		if err != nil {
			t.Fatal(err)
		}
		got := local(runs)
		if len(got) != len(tt.want) {
			t.Fatalf("%s from %s: %v; want %v", tt.expr, tt.from, got, tt.want)
		}
		for i := range got {
			if got[i] != tt.want[i] {
				t.Errorf("%s from %s: %v; want %v", tt.expr, tt.from, got, tt.want)
				break
			}
		}
	}
}

// TestParseCronTimeZoneWithoutSchedule checks the inputs on which
// robfig/cron panics: a time zone prefix with no space after it.
func TestParseCronTimeZoneWithoutSchedule(t *testing.T) {
	for _, s := range []string{"TZ=", "CRON_TZ=UTC", "TZ=UTC\t@daily", " CRON_TZ=Europe/Paris "} {
		if _, err := ParseCron(s); err == nil {
			t.Errorf("ParseCron(%q) = nil error", s)
		}
	}
	if _, err := ParseCron("CRON_TZ=Europe/Paris 0 9 * * *"); err != nil {
		t.Errorf("a prefix and a schedule: %v", err)
	}
}
