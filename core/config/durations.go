package config

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// maxFollowupDelay bounds a follow-up's wait. A message a year after the last
// one is no longer a follow-up, and the bound keeps the arithmetic in range.
const maxFollowupDelay = 365 * 24 * time.Hour

// parseFollowupDelay reads a follow-up's `after`: a whole number of minutes,
// hours or days, like "30m", "2h", "90m" or "3d". Seconds and mixed units
// ("1h30m") are refused: follow-ups are scheduled in minutes at the finest.
func parseFollowupDelay(s string) (time.Duration, error) {
	if len(s) < 2 {
		return 0, fmt.Errorf("%q is not a delay", s)
	}
	var unit time.Duration
	switch s[len(s)-1] {
	case 'm':
		unit = time.Minute
	case 'h':
		unit = time.Hour
	case 'd':
		unit = 24 * time.Hour
	default:
		return 0, fmt.Errorf("%q does not end in m, h or d", s)
	}
	digits := s[:len(s)-1]
	for _, c := range digits {
		if c < '0' || c > '9' {
			return 0, fmt.Errorf("%q is not a whole number followed by a unit", s)
		}
	}
	n, err := strconv.ParseInt(digits, 10, 64)
	if err != nil || n > int64(maxFollowupDelay/unit) {
		return 0, fmt.Errorf("%q is longer than the limit of 365 days", s)
	}
	if n == 0 {
		return 0, fmt.Errorf("%q waits no time at all; a follow-up waits at least 1m", s)
	}
	return time.Duration(n) * unit, nil
}

// formatDuration writes d the way a config author would: "5m", "1m30s",
// "2h", not Go's "5m0s".
func formatDuration(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}

// parseGap reads a pacing gap in Go's duration syntax ("30s", "2m", "1m30s").
// It reports false for anything else, including zero and negative gaps.
func parseGap(s string) (time.Duration, bool) {
	d, err := time.ParseDuration(s)
	return d, err == nil && d > 0
}
