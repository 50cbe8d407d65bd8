package config

import (
	"testing"

	"github.com/hashicorp/hcl/v2"
)

// TestSettingsPolicy: settings.policy is "standard" unless set, takes
// "strict", and any other value is an error that names the policies and
// points at the value, from its first character to its last.
func TestSettingsPolicy(t *testing.T) {
	tests := []struct {
		name, src, want string
	}{
		{"default without settings", `account "a" {
  handle = "acme"
}`, "standard"},
		{"default with settings", `settings {
  workspace = "acme"
}`, "standard"},
		{"standard", `settings {
  policy = "standard"
}`, "standard"},
		{"strict", `settings {
  policy = "strict"
}`, "strict"},
		{"strict from a variable", `variable "policy" {
  default = "strict"
}
settings {
  policy = var.policy
}`, "strict"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := mustLoad(t, tt.src)
			if cfg.Settings.Policy != tt.want || cfg.Policy() != tt.want {
				t.Errorf("Settings.Policy = %q, Policy() = %q; want %q", cfg.Settings.Policy, cfg.Policy(), tt.want)
			}
		})
	}

	cfg, diags := load(t, `settings {
  policy = "lenient"
}`)
	errs := errorsOf(diags)
	if len(errs) != 1 {
		t.Fatalf("got %d errors, want 1:\n%s", len(errs), describe(diags))
	}
	d := errs[0]
	want := hcl.Range{Filename: testFile, Start: hcl.Pos{Line: 2, Column: 12, Byte: 22}, End: hcl.Pos{Line: 2, Column: 21, Byte: 31}}
	if d.Summary != "Invalid policy" || d.Subject == nil || *d.Subject != want {
		t.Errorf("got %q at %v; want %q at %v", d.Summary, d.Subject, "Invalid policy", want)
	}
	const detail = `"lenient" is not a policy. Use "standard" (the default), or "strict" to follow X's developer guidelines: ` +
		"first DMs only to leads who messaged the account first, and no follow-ups, follows, likes, comments or automatic replies."
	if d.Detail != detail {
		t.Errorf("detail\n  %s\nwant\n  %s", d.Detail, detail)
	}
	if cfg.Settings.Policy != "standard" {
		t.Errorf("after a bad value, Settings.Policy = %q; want the default", cfg.Settings.Policy)
	}
}
