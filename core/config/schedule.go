package config

import (
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/hcl/v2"

	"github.com/outreachhq/outreach/core/schedule"
)

// minScheduleInterval is the shortest time between two runs a schedule may
// ask for: re-scraping or relaunching more often would only burn rate
// limits.
const minScheduleInterval = time.Minute

// decodeSchedule reads a `schedule` attribute and checks that it parses and
// does not run more often than once a minute.
func (sc *scope) decodeSchedule(attr *hcl.Attribute, diags *hcl.Diagnostics) (string, bool) {
	s, ok := sc.decodeString(attr, diags)
	if !ok {
		return "", false
	}
	sched, err := schedule.ParseCron(s)
	if err != nil {
		*diags = append(*diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Invalid cron schedule",
			Detail: fmt.Sprintf("The schedule %q does not parse: %v. Write a cron expression of 5 fields (minute hour day-of-month month day-of-week), like \"0 9 * * mon-fri\", or a descriptor like \"@daily\" or \"@every 6h\".",
				s, err),
			Subject: attr.Expr.Range().Ptr(),
		})
		return "", false
	}
	// Two consecutive runs from a fixed instant show the interval.
	t0 := sched.Next(time.Date(2030, 1, 7, 0, 0, 0, 0, time.UTC))
	if t1 := sched.Next(t0); !t0.IsZero() && !t1.IsZero() && t1.Sub(t0) < minScheduleInterval {
		*diags = append(*diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Schedule too frequent",
			Detail:   fmt.Sprintf("The schedule %q runs every %s. Run it at most once a minute, like \"@every 1h\" or \"*/15 * * * *\".", s, t1.Sub(t0)),
			Subject:  attr.Expr.Range().Ptr(),
		})
		return "", false
	}
	return strings.TrimSpace(s), true
}
