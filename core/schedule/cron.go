package schedule

import (
	"strings"

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
	return cronParser.Parse(strings.TrimSpace(s))
}
