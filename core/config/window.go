package config

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // time zones must load on machines without a zoneinfo database

	"github.com/hashicorp/hcl/v2"
)

// Window is a daily time window: an account's `active_hours { ... }` or a
// campaign's sending `window { ... }`:
//
//	active_hours {
//	  start     = "09:00"
//	  end       = "18:00"
//	  time_zone = "Europe/Berlin"
//	  days      = ["mon", "tue", "wed", "thu", "fri"]
//	}
//
// A window whose end is not after its start runs past midnight (22:00 to
// 06:00); days are the days it starts on.
type Window struct {
	// Start and End are offsets from midnight; End may be 24h.
	Start, End time.Duration
	// TimeZone is an IANA time zone name; "UTC" by default.
	TimeZone string
	// Days are the days the window opens, as "mon" ... "sun" in week
	// order; every day by default.
	Days      []string
	DeclRange hcl.Range
}

// AllDays are the day names of a window, in week order.
var AllDays = []string{"mon", "tue", "wed", "thu", "fri", "sat", "sun"}

// Weekday converts a day name of a window.
func Weekday(day string) time.Weekday {
	return time.Weekday((indexOf(AllDays, day) + 1) % 7)
}

// Location loads the window's time zone.
func (w *Window) Location() *time.Location {
	loc, err := time.LoadLocation(w.TimeZone)
	if err != nil { // checked when decoded
		return time.UTC
	}
	return loc
}

var windowSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "start"},
		{Name: "end"},
		{Name: "time_zone"},
		{Name: "days"},
	},
}

func defaultWindow() Window {
	return Window{End: 24 * time.Hour, TimeZone: "UTC", Days: AllDays}
}

// decodeWindowBlock decodes a window over base: what the block leaves out
// keeps base's value.
func (sc *scope) decodeWindowBlock(block *hcl.Block, base *Window) (*Window, hcl.Diagnostics) {
	w := defaultWindow()
	if base != nil {
		w = *base
	}
	w.DeclRange = block.DefRange
	content, diags := block.Body.Content(windowSchema)

	clock := func(name string, dst *time.Duration, allow24 bool) (*hcl.Attribute, bool) {
		attr, ok := content.Attributes[name]
		if !ok {
			return nil, true
		}
		s, ok := sc.decodeString(attr, &diags)
		if !ok {
			return attr, false
		}
		d, ok := parseClock(s, allow24)
		if !ok {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Invalid time of day",
				Detail:   fmt.Sprintf("The %s %q is not a time of day. Write it as HH:MM on a 24-hour clock, like \"09:00\" or \"17:30\"%s.", name, s, map[bool]string{true: " (\"24:00\" is the end of the day)", false: ""}[allow24]),
				Subject:  attr.Expr.Range().Ptr(),
			})
			return attr, false
		}
		*dst = d
		return attr, true
	}
	startAttr, startOK := clock("start", &w.Start, false)
	endAttr, endOK := clock("end", &w.End, true)
	if startOK && endOK && w.Start == w.End%(24*time.Hour) && w.End != 24*time.Hour {
		subject := block.DefRange
		if endAttr != nil {
			subject = endAttr.Expr.Range()
		} else if startAttr != nil {
			subject = startAttr.Expr.Range()
		}
		diags = append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Empty time window",
			Detail:   fmt.Sprintf("The window starts and ends at %s, so it is never open. Give it an end after its start, like start = \"09:00\" and end = \"17:00\".", formatClock(w.Start)),
			Subject:  subject.Ptr(),
		})
	}
	if attr, ok := content.Attributes["time_zone"]; ok {
		if s, ok := sc.decodeString(attr, &diags); ok {
			if _, err := time.LoadLocation(s); err != nil || s == "" || strings.EqualFold(s, "local") {
				diags = append(diags, &hcl.Diagnostic{
					Severity: hcl.DiagError,
					Summary:  "Unknown time zone",
					Detail:   fmt.Sprintf("%q is not a time zone name. Use an IANA name such as \"UTC\", \"Europe/Berlin\" or \"America/New_York\".", s),
					Subject:  attr.Expr.Range().Ptr(),
				})
			} else {
				w.TimeZone = s
			}
		}
	}
	if attr, ok := content.Attributes["days"]; ok {
		if list, ok := sc.decodeStringList(attr, &diags); ok {
			days, err := parseDays(list)
			if err != nil {
				diags = append(diags, &hcl.Diagnostic{
					Severity: hcl.DiagError,
					Summary:  "Invalid days",
					Detail:   fmt.Sprintf("%s. List days by name, like days = [\"mon\", \"tue\", \"wed\", \"thu\", \"fri\"].", upperFirst(err.Error())),
					Subject:  attr.Expr.Range().Ptr(),
				})
			} else {
				w.Days = days
			}
		}
	}
	return &w, diags
}

// parseClock reads "HH:MM". allow24 accepts "24:00", the end of a day.
func parseClock(s string, allow24 bool) (time.Duration, bool) {
	h, m, ok := strings.Cut(strings.TrimSpace(s), ":")
	if !ok || len(h) < 1 || len(h) > 2 || len(m) != 2 {
		return 0, false
	}
	hh, err1 := strconv.Atoi(h)
	mm, err2 := strconv.Atoi(m)
	if err1 != nil || err2 != nil || hh < 0 || mm < 0 || mm > 59 || h[0] == '+' || h[0] == '-' {
		return 0, false
	}
	if hh > 23 && !(allow24 && hh == 24 && mm == 0) {
		return 0, false
	}
	return time.Duration(hh)*time.Hour + time.Duration(mm)*time.Minute, true
}

// formatClock writes an offset from midnight as HH:MM.
func formatClock(d time.Duration) string {
	return fmt.Sprintf("%02d:%02d", int(d/time.Hour), int(d%time.Hour/time.Minute))
}

// parseDays reads day names ("mon", "Monday", ...) into week order.
func parseDays(list []string) ([]string, error) {
	if len(list) == 0 {
		return nil, fmt.Errorf("the list of days is empty, so the window never opens")
	}
	seen := map[string]bool{}
	for _, d := range list {
		key := strings.ToLower(strings.TrimSpace(d))
		if len(key) >= 3 {
			key = key[:3]
		}
		full := strings.ToLower(strings.TrimSpace(d))
		if indexOf(AllDays, key) < 0 || !(len(full) == 3 || full == strings.ToLower(Weekday(key).String())) {
			return nil, fmt.Errorf("%q is not a day", d)
		}
		if seen[key] {
			return nil, fmt.Errorf("%q is listed twice", d)
		}
		seen[key] = true
	}
	var out []string
	for _, d := range AllDays {
		if seen[d] {
			out = append(out, d)
		}
	}
	return out, nil
}
