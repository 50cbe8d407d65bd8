package config

import (
	"strings"
	"testing"
)

func TestMaxDailyAPISpend(t *testing.T) {
	cfg := mustLoad(t, "settings {\n  max_daily_api_spend = 5.5\n}\n")
	if got := cfg.Settings.MaxDailyAPISpend; got != 5.5 {
		t.Errorf("MaxDailyAPISpend = %v, want 5.5", got)
	}
	if got := mustLoad(t, "settings {}\n").Settings.MaxDailyAPISpend; got != 0 {
		t.Errorf("without the attribute MaxDailyAPISpend = %v, want 0 (no limit)", got)
	}
	for _, c := range []struct{ value, want string }{
		{"0", "max_daily_api_spend is 0, but it must be more than 0"},
		{"-2", "max_daily_api_spend is -2, but it must be more than 0"},
		{`"five"`, "max_daily_api_spend"},
		{"2e9", "at most 1000000"},
	} {
		_, diags := load(t, "settings {\n  max_daily_api_spend = "+c.value+"\n}\n")
		if !diags.HasErrors() {
			t.Errorf("max_daily_api_spend = %s: no error", c.value)
			continue
		}
		d := diags[0]
		if !strings.Contains(d.Summary+" "+d.Detail, c.want) || d.Subject == nil || d.Subject.Start.Line != 2 {
			t.Errorf("max_daily_api_spend = %s: got %s, want %q at line 2", c.value, describe(diags), c.want)
		}
	}
}
