package cli

import (
	"strings"
	"testing"

	"github.com/outreachhq/outreach/core/clock"
)

// TestFlagUsage: pflag prints a word in backticks in a flag's usage as the
// flag's value, so usages put only the value there.
func TestFlagUsage(t *testing.T) {
	for _, tt := range []struct {
		cmd  []string
		want string
	}{
		{[]string{"apply", "--help"}, "--sandbox-url URL "},
		{[]string{"serve", "--help"}, "--sandbox-url URL "},
		{[]string{"plan", "--help"}, "--out FILE "},
	} {
		code, out, errOut := runCLI(t, clock.Real{}, tt.cmd...)
		if code != 0 || !strings.Contains(out, tt.want) {
			t.Errorf("%s exited %d; want a line with %q:\n%s%s", strings.Join(tt.cmd, " "), code, tt.want, out, errOut)
		}
	}
}
