package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/outreachhq/outreach/core/clock"
	"github.com/outreachhq/outreach/core/pluginhost/pluginhosttest"
)

// testNow is the virtual clock's start in the command-line tests.
var testNow = time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)

func newClock() *clock.Virtual { return clock.NewVirtual(testNow) }

const (
	okAccount = "account \"main\" {\n  handle = \"acme\"\n}\n"
	okSource  = "source \"s\" {\n  target \"paulg\" {}\n}\n"
)

// badCases are the mistakes the issue names, each as a file: validate must
// exit 1 and point at file:line:col with the source line and a caret.
var badCases = []struct {
	name, src, summary string
	line, col          int
}{
	{"unknown block", "widget \"w\" {}\n", "Unsupported block type", 1, 1},
	{"unknown attribute", "account \"a\" {\n  handle = \"acme\"\n  colour = \"red\"\n}\n", "Unsupported argument", 3, 3},
	{"wrong type", "account \"a\" {\n  handle         = \"acme\"\n  daily_dm_limit = \"lots\"\n}\n", "Incorrect attribute value type", 3, 20},
	{"duplicate name", okAccount + "account \"main\" {\n  handle = \"other\"\n}\n", "Duplicate account", 4, 1},
	{"cycle", "locals {\n  a = local.b\n  b = local.a\n}\n", "Cycle in local values", 2, 3},
	{"where does not compile", "filter \"f\" {\n  where = \"followers >\"\n}\n", "Invalid where expression", 2, 22},
	{"cron does not parse", "source \"s\" {\n  target \"paulg\" {}\n  schedule = \"at noon\"\n}\n", "Invalid cron schedule", 3, 14},
	{"six variants", okSource + "campaign \"c\" {\n  sources = [source.s]\n" + strings.Repeat("  variant {\n    message = \"m\"\n  }\n", 6) + "}\n", "Too many variants", 21, 3},
	{"max_leads over 25,000", okSource + "campaign \"c\" {\n  sources   = [source.s]\n  message   = \"hi\"\n  max_leads = 25001\n}\n", "Invalid max_leads", 7, 15},
	{"tweet over 280 characters", okAccount + "tweet \"t\" {\n  account = account.main\n  text    = \"" + strings.Repeat("x", 281) + "\"\n  at      = \"2030-01-01T00:00:00Z\"\n}\n", "Tweet too long", 6, 13},
	{"tweet in the past", okAccount + "tweet \"t\" {\n  account = account.main\n  text    = \"hi\"\n  at      = \"2026-11-01T00:00:00Z\"\n}\n", "Tweet in the past", 7, 13},
	{"follow-up in weeks", okSource + "campaign \"c\" {\n  sources = [source.s]\n  message = \"hi\"\n  followup {\n    after   = \"2w\"\n    message = \"bump\"\n  }\n}\n", "Invalid follow-up delay", 8, 15},
	{"unknown policy", "settings {\n  policy = \"lenient\"\n}\n", "Invalid policy", 2, 12},
	{"unknown reference", okSource + "campaign \"c\" {\n  sources  = [source.s]\n  accounts = [account.sales]\n  message  = \"hi\"\n}\n", "Unknown account", 6, 15},
}

func TestValidateBadCases(t *testing.T) {
	for _, tt := range badCases {
		t.Run(tt.name, func(t *testing.T) {
			path := writeFile(t, "bad.hcl", tt.src)
			code, out, errOut := runCLI(t, newClock(), "validate", path)
			if code != 1 {
				t.Fatalf("validate exited %d, want 1\n%s%s", code, out, errOut)
			}
			where := fmt.Sprintf("on %s:%d:%d:", path, tt.line, tt.col)
			if !strings.Contains(errOut, "Error: "+tt.summary) || !strings.Contains(errOut, where) {
				t.Errorf("stderr lacks %q at %q:\n%s", tt.summary, where, errOut)
			}
			// The source line, then a caret under the column.
			lines := strings.Split(errOut, "\n")
			for i, l := range lines {
				if strings.Contains(l, where) && i+2 < len(lines) {
					prefix := fmt.Sprintf("%4d: ", tt.line)
					if !strings.HasPrefix(lines[i+1], prefix) || strings.Index(lines[i+2], "^") != len(prefix)+tt.col-1 {
						t.Errorf("source and caret lines:\n%s\n%s", lines[i+1], lines[i+2])
					}
				}
			}
		})
	}
}

func TestValidateReportsEveryError(t *testing.T) {
	var src strings.Builder
	for _, i := range []int{1, 5, 6} { // an account, a filter, a source
		src.WriteString(badCases[i].src)
	}
	path := writeFile(t, "bad.hcl", src.String())
	code, _, errOut := runCLI(t, newClock(), "validate", path)
	if code != 1 || strings.Count(errOut, "Error: ") != 3 {
		t.Errorf("exit %d, want 1 with three errors:\n%s", code, errOut)
	}
}

// TestExamples validates, formats, plans and applies every example.
// validate launches the plugins the examples declare, so they run from a
// copy beside a bin/ that holds the one third-party-plugin.hcl declares,
// built as its comment says.
func TestExamples(t *testing.T) {
	examples, err := filepath.Glob("../../examples/*.hcl")
	if err != nil || len(examples) < 5 {
		t.Fatalf("examples: %v %v", examples, err)
	}
	root := t.TempDir()
	pluginhosttest.Build(t, csvSinkPackage, filepath.Join(root, "bin"), "outreach-plugin-csv-sink")
	if err := os.Mkdir(filepath.Join(root, "examples"), 0o755); err != nil {
		t.Fatal(err)
	}
	for i, path := range examples {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		examples[i] = filepath.Join(root, "examples", filepath.Base(path))
		if err := os.WriteFile(examples[i], b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// real-x.hcl takes its client id and proxy passwords from the
	// environment, as its comment says.
	t.Setenv("OUTREACH_VAR_x_client_id", "example-client-id")
	t.Setenv("OUTREACH_VAR_sales_proxy_auth", "sales:example-password")
	t.Setenv("OUTREACH_VAR_founder_proxy_auth", "founder:example-password")
	for _, path := range examples {
		t.Run(filepath.Base(path), func(t *testing.T) {
			if code, out, errOut := runCLI(t, newClock(), "validate", path); code != 0 || errOut != "" {
				t.Errorf("validate exited %d\n%s%s", code, out, errOut)
			}
			if code, out, errOut := runCLI(t, newClock(), "fmt", "-check", path); code != 0 {
				t.Errorf("fmt -check exited %d\n%s%s", code, out, errOut)
			}
			data, clk := t.TempDir(), newClock()
			code, out, errOut := runCLI(t, clk, "plan", "-data", data, path)
			if code != 0 || !strings.Contains(out, "to add, 0 to change, 0 to destroy.") {
				t.Errorf("plan exited %d\n%s%s", code, out, errOut)
			}
			// Applied, it plans no changes.
			if code, out, errOut := runCLI(t, clk, "apply", "-auto-approve", "-detach", "-data", data, path); code != 0 {
				t.Fatalf("apply exited %d\n%s%s", code, out, errOut)
			}
			if code, out, errOut := runCLI(t, clk, "plan", "-detailed-exitcode", "-data", data, path); code != 0 || !strings.Contains(out, "No changes.") {
				t.Errorf("plan after apply exited %d\n%s%s", code, out, errOut)
			}
		})
	}
}
