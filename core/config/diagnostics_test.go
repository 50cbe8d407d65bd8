package config

import (
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
)

// validAccount and validSource are valid blocks that bad cases build on.
const (
	validAccount = `account "main" {
  handle = "acme"
}
`
	validSource = `source "s" {
  target "paulg" {}
}
`
)

// diagnosticCase is one mistake, the error it must give and where.
type diagnosticCase struct {
	name      string
	src       string
	summary   string
	line, col int
}

// allDiagnosticCases are the mistakes TestDiagnostics checks one by one; the
// fuzz test starts from them too.
func allDiagnosticCases() []diagnosticCase {
	return append(append([]diagnosticCase{}, diagnosticCases...), blockDiagnosticCases...)
}

// diagnosticCases are the mistakes in settings, accounts, filters, sources,
// campaigns and follow-ups.
var diagnosticCases = []diagnosticCase{
	// Structure, reported by HCL from the schemas.
	{"unknown block", `widget "w" {}`, "Unsupported block type", 1, 1},
	{"unknown attribute", `account "a" {
  handle = "acme"
  colour = "red"
}`, "Unsupported argument", 3, 3},
	{"unknown attribute in pacing", `account "a" {
  handle = "acme"
  pacing {
    gap = "1s"
  }
}`, "Unsupported argument", 4, 5},
	{"missing required attribute", validSource + `campaign "c" {
  message = "hi"
}`, "Missing required argument", 4, 14},
	{"block label missing", `account {
  handle = "acme"
}`, "Missing name for account", 1, 9},
	{"syntax error", `account "a" {
  handle = = "acme"
}`, "Invalid expression", 2, 12},
	{"syntax error in a range is reported once", `filter "f" {
  followers = = 1
}`, "Invalid expression", 2, 15},
	{"undeclared variable", `account "a" {
  handle = var.handle
}`, "Reference to undeclared variable", 2, 12},

	// Wrong types name the attribute and the expected type.
	{"string for a number", `account "a" {
  handle         = "acme"
  daily_dm_limit = "lots"
}`, "Incorrect attribute value type", 3, 20},
	{"fraction for a whole number", `account "a" {
  handle         = "acme"
  daily_dm_limit = 2.5
}`, "Invalid number", 3, 20},
	{"string for a bool", `settings {
  sandbox = "yes"
}`, "Incorrect attribute value type", 2, 13},
	{"list for a string", `account "a" {
  handle = ["acme"]
}`, "Incorrect attribute value type", 2, 12},
	{"string for keyword groups", `filter "f" {
  include_keywords = "founder"
}`, "Incorrect attribute value type", 2, 22},
	{"null value", `account "a" {
  handle = null
}`, "Incorrect attribute value type", 2, 12},
	{"number for a range", `filter "f" {
  followers = 100
}`, "Incorrect attribute value type", 2, 15},
	{"misspelled range key", `filter "f" {
  followers = { mn = 100 }
}`, "Unsupported range key", 2, 15},

	// Duplicates point at the second declaration.
	{"duplicate account", validAccount + `account "main" {
  handle = "other"
}`, "Duplicate account", 4, 1},
	{"duplicate filter", `filter "f" {}
filter "f" {}`, "Duplicate filter", 2, 1},
	{"duplicate source", validSource + `source "s" {
  target "naval" {}
}`, "Duplicate source", 4, 1},
	{"duplicate campaign", validSource + `campaign "c" {
  sources = [source.s]
  message = "hi"
}
campaign "c" {
  sources = [source.s]
  message = "hi"
}`, "Duplicate campaign", 8, 1},
	{"duplicate settings", `settings {}
settings {
  sandbox = true
}`, "Duplicate settings block", 2, 1},
	{"duplicate handle", validAccount + `account "other" {
  handle = "@ACME"
}`, "Duplicate account handle", 5, 12},
	{"duplicate target", `source "s" {
  target "paulg" {}
  target "@PaulG" {}
}`, "Duplicate target", 3, 3},
	{"duplicate pacing", `account "a" {
  handle = "acme"
  pacing {}
  pacing {}
}`, "Duplicate pacing block", 4, 3},

	// Names and handles.
	{"invalid block name", `filter "my filter" {}`, "Invalid filter name", 1, 8},
	{"empty account handle", `account "a" {
  handle = ""
}`, "Empty handle", 2, 12},
	{"bare @ handle", `account "a" {
  handle = "@"
}`, "Empty handle", 2, 12},
	{"invalid account handle", `account "a" {
  handle = "acme-sales"
}`, "Invalid handle", 2, 12},
	{"too long handle", `account "a" {
  handle = "a_very_long_handle"
}`, "Invalid handle", 2, 12},
	{"empty target handle", `source "s" {
  target "" {}
}`, "Empty handle", 2, 10},
	{"invalid target handle", `source "s" {
  target "paul g" {}
}`, "Invalid handle", 2, 10},

	// Accounts.
	{"daily limit zero", `account "a" {
  handle         = "acme"
  daily_dm_limit = 0
}`, "Invalid daily DM limit", 3, 20},
	{"bad pacing gap", `account "a" {
  handle = "acme"
  pacing {
    min_gap = "soon"
  }
}`, "Invalid pacing gap", 4, 15},
	{"negative pacing gap", `account "a" {
  handle = "acme"
  pacing {
    max_gap = "-1s"
  }
}`, "Invalid pacing gap", 4, 15},
	{"min gap over max gap", `account "a" {
  handle = "acme"
  pacing {
    min_gap = "5m"
    max_gap = "1m"
  }
}`, "Invalid pacing", 4, 15},
	{"min gap over default max gap", `account "a" {
  handle = "acme"
  pacing {
    min_gap = "10m"
  }
}`, "Invalid pacing", 4, 15},
	{"invalid workspace", `settings {
  workspace = "my workspace"
}`, "Invalid workspace name", 2, 15},
	{"no workers", `settings {
  workers = 0
}`, "Invalid number of workers", 2, 13},
	{"unknown policy", `settings {
  policy = "lenient"
}`, "Invalid policy", 2, 12},
	{"policy in the wrong case", `settings {
  policy = "Strict"
}`, "Invalid policy", 2, 12},
	{"list for a policy", `settings {
  policy = ["strict"]
}`, "Incorrect attribute value type", 2, 12},

	// Sources.
	{"source without targets", `source "s" {
  max_leads = 10
}`, "Missing target", 1, 1},
	{"target with neither list", `source "s" {
  target "paulg" {
    followers = false
  }
}`, "Target scrapes nothing", 2, 3},
	{"negative source max_leads", `source "s" {
  target "paulg" {}
  max_leads = -1
}`, "Invalid max_leads", 3, 15},
	{"filter reference and block", `filter "f" {}
source "s" {
  target "paulg" {}
  filter = filter.f
  filter {}
}`, "Conflicting filter definitions", 5, 3},
	{"quoted filter reference", `filter "f" {}
source "s" {
  target "paulg" {}
  filter = "f"
}`, "Invalid reference", 4, 12},
	{"reference to the wrong kind", validAccount + `source "s" {
  target "paulg" {}
  filter = account.main
}`, "Invalid reference", 6, 12},

	// Filters.
	{"bad logic word", `filter "f" {
  include_within_logic = "XOR"
}`, "Invalid logic word", 2, 26},
	{"min over max", `filter "f" {
  following = { min = 10, max = 5 }
}`, "Invalid range", 2, 15},
	{"blank keyword", `filter "f" {
  exclude_keywords = [["hiring", ""]]
}`, "Invalid keyword groups", 2, 22},
	{"where does not compile", `filter "f" {
  followers = { min = 10 }
  where     = "followers > 10 && karma > 3"
}`, "Invalid where expression", 3, 34},
	{"where is not boolean", `filter "f" {
  where = "followers * 2"
}`, "Invalid where expression", 2, 11},
	{"inline filter error", `source "s" {
  target "paulg" {}
  filter {
    where = "nope"
  }
}`, "Invalid where expression", 4, 14},

	// Campaigns.
	{"message and variants", validSource + `campaign "c" {
  sources = [source.s]
  message = "hi"
  variant {
    message = "hello"
  }
}`, "Conflicting message definitions", 6, 3},
	{"neither message nor variants", validSource + `campaign "c" {
  sources = [source.s]
}`, "Missing message", 4, 1},
	{"empty message", validSource + `campaign "c" {
  sources = [source.s]
  message = "  "
}`, "Empty message", 6, 13},
	{"unknown placeholder", validSource + `campaign "c" {
  sources = [source.s]
  message = "Hi {{company}}"
}`, "Unknown placeholder", 6, 13},
	{"placeholder never closed", validSource + `campaign "c" {
  sources = [source.s]
  message = "Hi {{firstName"
}`, "Unknown placeholder", 6, 13},
	{"unknown placeholder in a follow-up", validSource + `campaign "c" {
  sources = [source.s]
  message = "Hi {{first_name}}"
  followup {
    after   = "1d"
    message = "Still there, {{ Name }}?"
  }
}`, "Unknown placeholder", 9, 15},
	{"six variants", validSource + `campaign "c" {
  sources = [source.s]
  variant { message = "1" }
  variant { message = "2" }
  variant { message = "3" }
  variant { message = "4" }
  variant { message = "5" }
  variant { message = "6" }
}`, "Too many variants", 11, 3},
	{"max_leads over 25000", validSource + `campaign "c" {
  sources   = [source.s]
  message   = "hi"
  max_leads = 25001
}`, "Invalid max_leads", 7, 15},
	{"negative max_leads", validSource + `campaign "c" {
  sources   = [source.s]
  message   = "hi"
  max_leads = -5
}`, "Invalid max_leads", 7, 15},
	{"no sources", `campaign "c" {
  sources = []
  message = "hi"
}`, "No sources", 2, 13},
	{"sources not a list", validSource + `campaign "c" {
  sources = source.s
  message = "hi"
}`, "Invalid reference list", 5, 13},
	{"quoted source", validSource + `campaign "c" {
  sources = ["s"]
  message = "hi"
}`, "Invalid reference", 5, 14},
	{"source listed twice", validSource + `campaign "c" {
  sources = [source.s, source.s]
  message = "hi"
}`, "Duplicate reference", 5, 24},

	// Follow-ups.
	{"follow-up in seconds", validSource + `campaign "c" {
  sources = [source.s]
  message = "hi"
  followup {
    after   = "30s"
    message = "bump"
  }
}`, "Invalid follow-up delay", 8, 15},
	{"follow-up in weeks", validSource + `campaign "c" {
  sources = [source.s]
  variant {
    message = "hi"
    followup {
      after   = "1w"
      message = "bump"
    }
  }
}`, "Invalid follow-up delay", 9, 17},
	{"follow-up mixed units", validSource + `campaign "c" {
  sources = [source.s]
  message = "hi"
  followup {
    after   = "1h30m"
    message = "bump"
  }
}`, "Invalid follow-up delay", 8, 15},
	{"follow-up of zero", validSource + `campaign "c" {
  sources = [source.s]
  message = "hi"
  followup {
    after   = "0d"
    message = "bump"
  }
}`, "Invalid follow-up delay", 8, 15},
	{"follow-up over a year", validSource + `campaign "c" {
  sources = [source.s]
  message = "hi"
  followup {
    after   = "366d"
    message = "bump"
  }
}`, "Invalid follow-up delay", 8, 15},

	// References to undeclared blocks.
	{"unknown filter", `source "s" {
  target "paulg" {}
  filter = filter.builders
}`, "Unknown filter", 3, 12},
	{"unknown source", validSource + `campaign "c" {
  sources = [source.s, source.other]
  message = "hi"
}`, "Unknown source", 5, 24},
	{"unknown account", validAccount + validSource + `campaign "c" {
  sources  = [source.s]
  accounts = [account.sales]
  message  = "hi"
}`, "Unknown account", 9, 15},
}

// TestDiagnostics checks, for each kind of mistake, that exactly one error is
// reported, with the expected summary, at the expected line and column of
// test.hcl, and with a detail that says what to do.
func TestDiagnostics(t *testing.T) {
	for _, tt := range allDiagnosticCases() {
		t.Run(tt.name, func(t *testing.T) {
			_, diags := load(t, tt.src)
			errs := errorsOf(diags)
			if len(errs) != 1 {
				t.Fatalf("got %d errors, want 1:\n%s", len(errs), describe(diags))
			}
			d := errs[0]
			if d.Summary != tt.summary {
				t.Errorf("Summary = %q, want %q\n%s", d.Summary, tt.summary, describe(diags))
			}
			if d.Subject == nil {
				t.Fatalf("diagnostic %q has no Subject", d.Summary)
			}
			if d.Subject.Filename != testFile || d.Subject.Start.Line != tt.line || d.Subject.Start.Column != tt.col {
				t.Errorf("Subject starts at %s:%d:%d, want %s:%d:%d\n%s", d.Subject.Filename, d.Subject.Start.Line, d.Subject.Start.Column,
					testFile, tt.line, tt.col, describe(diags))
			}
			if !strings.HasSuffix(strings.TrimSpace(d.Detail), ".") && !strings.HasSuffix(strings.TrimSpace(d.Detail), "?") {
				t.Errorf("Detail %q is not a sentence", d.Detail)
			}
		})
	}
}

func errorsOf(diags hcl.Diagnostics) hcl.Diagnostics {
	var out hcl.Diagnostics
	for _, d := range diags {
		if d.Severity == hcl.DiagError {
			out = append(out, d)
		}
	}
	return out
}

// TestDiagnosticDetails checks the wording of the details a user reads most.
func TestDiagnosticDetails(t *testing.T) {
	tests := []struct {
		name, src, detail string
	}{
		{"unknown account lists declared ones", `account "main" {
  handle = "acme"
}
account "backup" {
  handle = "acme2"
}
source "s" {
  target "paulg" {}
}
campaign "q1" {
  sources  = [source.s]
  accounts = [account.sales]
  message  = "hi"
}`, `Campaign "q1" refers to account.sales, but no account block is named "sales". Declared accounts: main, backup.`},
		{"unknown filter with none declared", `source "s" {
  target "paulg" {}
  filter = filter.builders
}`, `Source "s" refers to filter.builders, but no filter block is named "builders". No filter blocks are declared; add one named "builders".`},
		{"duplicate names the first location", `filter "f" {}
filter "f" {}`, `A filter named "f" is already declared at test.hcl:1:1. Give each filter block its own name.`},
		{"wrong type names attribute and type", `account "a" {
  handle         = "acme"
  daily_dm_limit = "lots"
}`, `The "daily_dm_limit" attribute needs a whole number, but the given value is a string. Write a whole number without quotes, like daily_dm_limit = 10.`},
		{"where error gives the position in the expression", `filter "f" {
  where = "followers > 10 && karma > 3"
}`, `The where expression does not compile: unknown name karma (line 1, column 19 of the expression). Fix it so it is a true/false expression over the lead fields username, name, bio, location, website, followers, following, verified and protected.`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, diags := load(t, tt.src)
			errs := errorsOf(diags)
			if len(errs) != 1 || errs[0].Detail != tt.detail {
				t.Errorf("got\n%s\nwant one error with detail\n  %s", describe(diags), tt.detail)
			}
		})
	}
}

// TestSeveralErrorsAllReported checks that decoding goes on after an error:
// every mistake in a file is reported in one run, in file order.
func TestSeveralErrorsAllReported(t *testing.T) {
	_, diags := load(t, `settings {
  sandbox = "maybe"
}
account "a" {
  handle         = "not a handle"
  daily_dm_limit = -1
  pacing {
    min_gap = "5m"
    max_gap = "1m"
  }
}
filter "f" {
  include_between_logic = "XOR"
  where                 = "karma > 1"
}
source "s" {
  target "paulg" {
    followers = false
  }
  filter = filter.missing
}
campaign "c" {
  sources   = [source.s, source.nope]
  accounts  = [account.b]
  max_leads = 99999
  followup {
    after   = "2w"
    message = "bump"
  }
}
`)
	want := []struct {
		summary string
		line    int
	}{
		{"Incorrect attribute value type", 2},
		{"Invalid handle", 5},
		{"Invalid daily DM limit", 6},
		{"Invalid pacing", 8},
		{"Invalid logic word", 13},
		{"Invalid where expression", 14},
		{"Target scrapes nothing", 17},
		{"Invalid max_leads", 25},
		{"Invalid follow-up delay", 27},
		{"Missing message", 22},
		{"Unknown filter", 20},
		{"Unknown source", 23},
		{"Unknown account", 24},
	}
	errs := errorsOf(diags)
	if len(errs) != len(want) {
		t.Fatalf("got %d errors, want %d:\n%s", len(errs), len(want), describe(diags))
	}
	for i, w := range want {
		if errs[i].Summary != w.summary || errs[i].Subject.Start.Line != w.line {
			t.Errorf("error %d is %q at line %d, want %q at line %d", i, errs[i].Summary, errs[i].Subject.Start.Line, w.summary, w.line)
		}
	}
}
