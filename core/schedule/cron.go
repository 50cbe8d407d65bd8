package schedule

import (
	"fmt"
	"strings"
	"time"

	"github.com/robfig/cron/v3"
)

// cronParser reads 5-field ("0 9 * * mon-fri") and 6-field (with seconds
// first) expressions, descriptors ("@daily", "@every 90s") and a CRON_TZ=
// or TZ= prefix.
var cronParser = cron.NewParser(cron.SecondOptional | cron.Minute | cron.Hour | cron.Dom | cron.Month | cron.Dow | cron.Descriptor)

// ParseCron parses a cron schedule as a `schedule` attribute takes it:
// configuration validates with it, and the plan and the engine compute
// run times with it, so all three read a schedule the same way.
func ParseCron(s string) (cron.Schedule, error) {
	s = strings.TrimSpace(s)
	// robfig/cron v3 slices a time zone prefix up to the first space, and
	// panics when there is none ("TZ=UTC", "CRON_TZ=UTC\t@daily").
	if (strings.HasPrefix(s, "TZ=") || strings.HasPrefix(s, "CRON_TZ=")) && !strings.Contains(s, " ") {
		return nil, fmt.Errorf("%q: a time zone prefix needs a space and the schedule after it, like \"CRON_TZ=Europe/Paris 0 9 * * *\"", s)
	}
	sched, err := cronParser.Parse(s)
	if spec, ok := sched.(*cron.SpecSchedule); ok {
		return onceADay{spec}, err
	}
	return sched, err
}

// onceADay is a cron schedule that runs once at a local time the autumn
// clock change repeats: robfig/cron runs at both 01:30s of that night, and
// a daily run should not come twice in a day.
type onceADay struct{ *cron.SpecSchedule }

func (s onceADay) Next(t time.Time) time.Time {
	next := s.SpecSchedule.Next(t)
	for !next.IsZero() && repeated(next, s.Location) {
		next = s.SpecSchedule.Next(next)
	}
	return next
}

// repeated reports whether t's local time in loc was also the local time
// an hour before: the second pass through the hour the clocks go back.
func repeated(t time.Time, loc *time.Location) bool {
	now, before := t.In(loc), t.Add(-time.Hour).In(loc)
	return now.Hour() == before.Hour() && now.Minute() == before.Minute() && now.Second() == before.Second()
}

// Due is when a cron schedule, last run at ranAt (zero: never, and then
// it counts from created), runs next. A run missed while no
// process was running is due at once, and only once: the run that
// catches up counts as the last, so the next comes after it. A last run
// in the future (the clock went back) counts as now.
func Due(expr string, ranAt, created, now time.Time) (time.Time, error) {
	sched, err := ParseCron(expr)
	if err != nil {
		return time.Time{}, fmt.Errorf("schedule %q: %w", expr, err)
	}
	from := ranAt
	if from.IsZero() {
		from = created
	}
	if from.After(now) {
		from = now
	}
	return sched.Next(from), nil
}

// NextRuns are the next n times a cron schedule runs after now.
func NextRuns(expr string, now time.Time, n int) ([]time.Time, error) {
	sched, err := ParseCron(expr)
	if err != nil {
		return nil, fmt.Errorf("schedule %q: %w", expr, err)
	}
	var out []time.Time
	for t := now; len(out) < n; {
		if t = sched.Next(t); t.IsZero() {
			break
		}
		out = append(out, t)
	}
	return out, nil
}
