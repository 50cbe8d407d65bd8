package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/spf13/pflag"

	"github.com/outreachhq/outreach/plugins/x/xsim"
)

const sandboxHCL = `sandbox {
  error_rate  = 0.05
  reset_rate  = 0.01
  latency     = "150ms"
  reply_rate  = 0.5
  reply_delay = "2s-8s"
  limits      = "x"
  rate_limit_storm {
    after = "10m"
    for   = "30s"
    every = "1h"
  }
  account "acme_sales" {
    automated_after = 20
  }
  account "old_team" {
    suspended = true
  }
}
`

func TestSandboxConfigFile(t *testing.T) {
	f, diags := parseSandboxConfig("sandbox.hcl", []byte(sandboxHCL))
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	if f.ErrorRate != 0.05 || f.ResetRate != 0.01 || f.Latency != 150*time.Millisecond || *f.ReplyRate != 0.5 ||
		f.ReplyDelayMin != 2*time.Second || f.ReplyDelayMax != 8*time.Second || f.Limits != xsim.LimitsX ||
		*f.RateLimitStorm != (xsim.Storm{After: 10 * time.Minute, For: 30 * time.Second, Every: time.Hour}) ||
		*f.Accounts["acme_sales"].AutomatedAfter != 20 || !f.Accounts["old_team"].Suspended {
		t.Errorf("decoded %+v", f)
	}
}

func TestSandboxConfigErrorsNamePlaces(t *testing.T) {
	for _, tc := range []struct{ src, want string }{
		{"sandbox {\n  latency = \"soon\"\n}\n", `sandbox.hcl:2:13: Invalid duration`},
		{"sandbox {\n  error_rate = \"high\"\n}\n", `sandbox.hcl:2:17: Unsuitable value type`},
		{"sandbox {\n  error_rate = 3\n}\n", `error_rate 3`},
		{"sandbox {\n  reply_delay = \"8s-2s\"\n}\n", `sandbox.hcl:2:17: Invalid reply_delay`},
		{"sandbox {\n  limits = \"tight\"\n}\n", `limits "tight"`},
		{"sandbox {\n  bogus = 1\n}\n", `sandbox.hcl:2:3: Unsupported argument`},
		{"sandbox {\n  rate_limit_storm {\n    after = \"1m\"\n  }\n}\n", `sandbox.hcl:1:1: Invalid sandbox setting: rate_limit_storm.for`},
		{"sandbox {\n  account {\n  }\n}\n", `sandbox.hcl:2:`},
		{"sandbox {\n", `sandbox.hcl:1:`},
		{"", `Missing sandbox block`},
	} {
		_, diags := parseSandboxConfig("sandbox.hcl", []byte(tc.src))
		if !diags.HasErrors() {
			t.Errorf("%q: no error", tc.src)
			continue
		}
		if got := diagnosticsError(diags).Error(); !strings.Contains(got, tc.want) {
			t.Errorf("%q: %s; want it to say %q", tc.src, got, tc.want)
		}
	}
}

// TestSandboxFlagsOverrideTheFile: a flag given wins over the file; a flag
// not given leaves the file's setting.
func TestSandboxFlagsOverrideTheFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sandbox.hcl")
	if err := os.WriteFile(path, []byte(sandboxHCL), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := newSandboxCmd(&global{})
	if err := cmd.ParseFlags([]string{"--error-rate", "0.2", "--reply-delay", "5s"}); err != nil {
		t.Fatal(err)
	}
	fl := sandboxFlagsOf(t, cmd.Flags())
	f, err := sandboxFaults(path, cmd.Flags(), fl)
	if err != nil {
		t.Fatal(err)
	}
	if f.ErrorRate != 0.2 || f.ReplyDelayMin != 5*time.Second || f.ReplyDelayMax != 5*time.Second || f.ResetRate != 0.01 || f.Limits != xsim.LimitsX {
		t.Errorf("faults %+v", f)
	}
	for _, args := range [][]string{{"--error-rate", "1.5"}, {"--limits", "y"}, {"--reply-delay", "soon"}, {"--reply-rate", "-1"}} {
		cmd := newSandboxCmd(&global{})
		if err := cmd.ParseFlags(args); err != nil {
			t.Fatal(err)
		}
		if _, err := sandboxFaults("", cmd.Flags(), sandboxFlagsOf(t, cmd.Flags())); err == nil {
			t.Errorf("%v: accepted", args)
		}
	}
}

func sandboxFlagsOf(t *testing.T, fs *pflag.FlagSet) sandboxFlags {
	t.Helper()
	var fl sandboxFlags
	fl.latency, _ = fs.GetDuration("latency")
	fl.errorRate, _ = fs.GetFloat64("error-rate")
	fl.resetRate, _ = fs.GetFloat64("reset-rate")
	fl.replyRate, _ = fs.GetFloat64("reply-rate")
	fl.replyDelay, _ = fs.GetString("reply-delay")
	fl.limits, _ = fs.GetString("limits")
	return fl
}

// FuzzSandboxConfig: any file decodes to faults that validate, or to
// diagnostics, never a panic.
func FuzzSandboxConfig(f *testing.F) {
	f.Add(sandboxHCL)
	f.Add("sandbox {\n  latency = \"soon\"\n}\n")
	f.Add("sandbox {\n  account \"x\" {\n    automated_after = -1\n  }\n}\n")
	f.Add("sandbox {\n  rate_limit_storm {\n    for = \"1s\"\n    every = \"1s\"\n  }\n}\n")
	f.Add("")
	f.Fuzz(func(t *testing.T, src string) {
		faults, diags := parseSandboxConfig("fuzz.hcl", []byte(src))
		if diags.HasErrors() {
			if diagnosticsError(diags).Error() == "" {
				t.Fatal("errors without a message")
			}
			return
		}
		if err := faults.Validate(); err != nil {
			t.Fatalf("accepted faults that do not validate: %v", err)
		}
	})
}
