package cli

import (
	"os"
	"path/filepath"
	"reflect"
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
	st, diags := parseSandboxConfig("sandbox.hcl", []byte(sandboxHCL))
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	f := st.faults
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
	st, err := sandboxConfig(path, cmd.Flags(), fl)
	if err != nil {
		t.Fatal(err)
	}
	if f := st.faults; f.ErrorRate != 0.2 || f.ReplyDelayMin != 5*time.Second || f.ReplyDelayMax != 5*time.Second || f.ResetRate != 0.01 || f.Limits != xsim.LimitsX {
		t.Errorf("faults %+v", f)
	}
	for _, args := range [][]string{{"--error-rate", "1.5"}, {"--limits", "y"}, {"--reply-delay", "soon"}, {"--reply-rate", "-1"}, {"--token-ttl", "0s"}, {"--token-ttl", "-1m"}} {
		cmd := newSandboxCmd(&global{})
		if err := cmd.ParseFlags(args); err != nil {
			t.Fatal(err)
		}
		if _, err := sandboxConfig("", cmd.Flags(), sandboxFlagsOf(t, cmd.Flags())); err == nil {
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
	fl.tokenTTL, _ = fs.GetDuration("token-ttl")
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
	f.Add(sandboxOAuthHCL)
	f.Add("sandbox {\n  oauth_client \"a\" {\n    redirect_uris = []\n  }\n  oauth_client \"a\" {\n    redirect_uris = [\"x\"]\n  }\n}\n")
	f.Add("sandbox {\n  token_ttl = \"-1s\"\n}\n")
	f.Fuzz(func(t *testing.T, src string) {
		st, diags := parseSandboxConfig("fuzz.hcl", []byte(src))
		if diags.HasErrors() {
			if diagnosticsError(diags).Error() == "" {
				t.Fatal("errors without a message")
			}
			return
		}
		if err := st.faults.Validate(); err != nil {
			t.Fatalf("accepted faults that do not validate: %v", err)
		}
		// What the file accepts, the simulator takes.
		xsim.New(xsim.Options{Faults: st.faults, OAuthClients: st.clients, TokenTTL: st.tokenTTL})
	})
}

const sandboxOAuthHCL = `sandbox {
  token_ttl = "30s"
  oauth_client "outreach-local" {
    secret        = "s3cret"
    redirect_uris = ["http://127.0.0.1:8788/callback", "http://localhost:8788/callback"]
  }
  oauth_client "public-app" {
    redirect_uris = ["http://127.0.0.1:9000/cb"]
  }
}
`

func TestSandboxConfigOAuth(t *testing.T) {
	st, diags := parseSandboxConfig("sandbox.hcl", []byte(sandboxOAuthHCL))
	if diags.HasErrors() {
		t.Fatal(diagnosticsError(diags))
	}
	want := []xsim.OAuthClient{
		{ID: "outreach-local", Secret: "s3cret", RedirectURIs: []string{"http://127.0.0.1:8788/callback", "http://localhost:8788/callback"}},
		{ID: "public-app", RedirectURIs: []string{"http://127.0.0.1:9000/cb"}},
	}
	if st.tokenTTL != 30*time.Second || !reflect.DeepEqual(st.clients, want) {
		t.Errorf("decoded ttl %v, clients %+v", st.tokenTTL, st.clients)
	}

	// --token-ttl wins over the file; without either, X's two hours.
	path := filepath.Join(t.TempDir(), "sandbox.hcl")
	if err := os.WriteFile(path, []byte(sandboxOAuthHCL), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := newSandboxCmd(&global{})
	if err := cmd.ParseFlags([]string{"--token-ttl", "5s"}); err != nil {
		t.Fatal(err)
	}
	if st, err := sandboxConfig(path, cmd.Flags(), sandboxFlagsOf(t, cmd.Flags())); err != nil || st.tokenTTL != 5*time.Second || len(st.clients) != 2 {
		t.Errorf("--token-ttl 5s over the file: %v, %+v", err, st)
	}
	cmd = newSandboxCmd(&global{})
	if st, err := sandboxConfig("", cmd.Flags(), sandboxFlagsOf(t, cmd.Flags())); err != nil || st.tokenTTL != 0 || st.clients != nil {
		t.Errorf("no file, no flag: %v, %+v; want the simulator's defaults", err, st)
	}
}

func TestSandboxConfigOAuthErrorsNamePlaces(t *testing.T) {
	for _, tc := range []struct{ src, want string }{
		{"sandbox {\n  token_ttl = \"soon\"\n}\n", `sandbox.hcl:2:15: Invalid duration`},
		{"sandbox {\n  token_ttl = \"0s\"\n}\n", `sandbox.hcl:2:15: Invalid token_ttl`},
		{"sandbox {\n  oauth_client \"a\" {\n  }\n}\n", `sandbox.hcl:2:20: Invalid oauth_client: oauth_client "a": redirect_uris: give at least one callback URL`},
		{"sandbox {\n  oauth_client \"a\" {\n    redirect_uris = \"http://127.0.0.1/cb\"\n  }\n}\n", `sandbox.hcl:3:22: Unsuitable value type`},
		{"sandbox {\n  oauth_client \"a\" {\n    redirect_uris = []\n  }\n}\n", `sandbox.hcl:3:21: Invalid oauth_client: oauth_client "a": redirect_uris`},
		{"sandbox {\n  oauth_client \"a\" {\n    redirect_uris = [\"http://127.0.0.1/cb\", \"/cb\"]\n  }\n}\n", `sandbox.hcl:3:21: Invalid oauth_client: oauth_client "a": redirect_uris[1] "/cb"`},
		{"sandbox {\n  oauth_client \"a b\" {\n    redirect_uris = [\"http://127.0.0.1/cb\"]\n  }\n}\n", `sandbox.hcl:2:3: Invalid oauth_client: oauth_client "a b": give a client id`},
		{"sandbox {\n  oauth_client \"a\" {\n    secret = 1\n    redirect_uris = [\"http://127.0.0.1/cb\"]\n    bogus = 1\n  }\n}\n", `sandbox.hcl:5:5: Unsupported argument`},
		{"sandbox {\n  oauth_client \"a\" {\n    redirect_uris = [\"http://127.0.0.1/cb\"]\n  }\n  oauth_client \"a\" {\n    redirect_uris = [\"http://127.0.0.1/cb\"]\n  }\n}\n",
			`sandbox.hcl:5:3: Duplicate oauth_client: Client "a" is already registered at line 2`},
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
