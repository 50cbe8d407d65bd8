package config

import (
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
)

const testFile = "test.hcl"

// load decodes src as one file named test.hcl.
func load(t *testing.T, src string) (*Config, hcl.Diagnostics) {
	t.Helper()
	return NewParser().LoadBytes([]byte(src), testFile)
}

// mustLoad decodes src and fails the test on any error.
func mustLoad(t *testing.T, src string) *Config {
	t.Helper()
	cfg, diags := load(t, src)
	if diags.HasErrors() {
		t.Fatalf("unexpected diagnostics:\n%s", describe(diags))
	}
	return cfg
}

// describe renders diagnostics one a line, for failure messages.
func describe(diags hcl.Diagnostics) string {
	var b strings.Builder
	for _, d := range diags {
		pos := "(no subject)"
		if d.Subject != nil {
			pos = fmt.Sprintf("%s:%d:%d", d.Subject.Filename, d.Subject.Start.Line, d.Subject.Start.Column)
		}
		fmt.Fprintf(&b, "  %s %q: %s\n", pos, d.Summary, d.Detail)
	}
	return b.String()
}
