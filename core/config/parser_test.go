package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/hashicorp/hcl/v2"

	"github.com/outreachhq/outreach/core/filter"
)

func intp(i int) *int { return &i }

// ignoreRanges compares configs by value; ranges are checked separately.
var ignoreRanges = cmpopts.IgnoreTypes(hcl.Range{}, []hcl.Range{})

func TestLoadPathsQuickstart(t *testing.T) {
	path := filepath.Join("..", "..", "examples", "quickstart.hcl")
	p := NewParser()
	cfg, diags := p.LoadPaths(path)
	if diags.HasErrors() || len(diags) > 0 {
		t.Fatalf("quickstart has diagnostics:\n%s", describe(diags))
	}
	options := defaultAccountOptions()
	options.Pacing = Pacing{MinGap: time.Second, MaxGap: 3 * time.Second, Set: true}
	followup := &Followup{After: time.Minute, Message: "Just bumping this up, {{firstName}}. No pressure!"}
	want := &Config{
		Settings: &Settings{Workspace: "default", Sandbox: true, Workers: DefaultWorkers, Policy: "standard", APIRateLimit: DefaultAPIRateLimit, AccountDefaults: defaultAccountOptions(), CampaignDefaults: defaultCampaignOptions(), AISetter: defaultSetter()},
		Accounts: []*Account{
			{Name: "sales", Handle: "acme_sales", AccountOptions: options},
			{Name: "founder", Handle: "acme_founder", AccountOptions: options},
		},
		Filters: []*Filter{{Name: "builders", Spec: filter.Spec{
			IncludeKeywords: [][]string{{"founder"}, {"ceo"}, {"building"}},
			ExcludeKeywords: [][]string{{"recruiter"}, {"hiring"}},
			Followers:       filter.Range{Min: intp(50), Max: intp(100000)},
		}}},
		Sources: []*Source{{
			Name: "founders",
			Targets: []*Target{
				{Handle: "paulg", Followers: true},
				{Handle: "naval", Followers: true},
			},
			FilterRef: "builders",
			MaxLeads:  60,
		}},
		Campaigns: []*Campaign{{
			Name:    "hello",
			Sources: []string{"founders"},
			Variants: []*Variant{
				{Message: "Hey {{firstName}}, I saw you're building something. I'd love to hear what you're working on!", Weight: 1},
				{Message: "Hi {{firstName}}! Quick question: what's the hardest part of building your company right now?", Weight: 1},
			},
			Followups:       []*Followup{followup},
			MaxLeads:        24,
			CampaignOptions: CampaignOptions{Dedupe: true},
		}},
	}
	if diff := cmp.Diff(want, cfg, ignoreRanges); diff != "" {
		t.Errorf("quickstart decoded wrong (-want +got):\n%s", diff)
	}

	// Ranges point into the file, so plan output can cite them.
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	line := 1 + strings.Count(string(src[:strings.Index(string(src), `campaign "hello" {`)]), "\n")
	if r := cfg.Campaigns[0].DeclRange; r.Filename != path || r.Start.Line != line || r.Start.Column != 1 {
		t.Errorf("campaign DeclRange = %s, want %s:%d:1", at(r), path, line)
	}
	if _, ok := p.Files()[path]; !ok {
		t.Errorf("Files() = %v, want it to hold %s", p.Files(), path)
	}

	// Every variant gets the campaign's follow-up, since none declares its own.
	for _, v := range cfg.Campaigns[0].Variants {
		if got := cfg.Campaigns[0].FollowupsFor(v); len(got) != 1 || got[0].After != time.Minute {
			t.Errorf("FollowupsFor(%q) = %v, want the campaign follow-up", v.Message, got)
		}
	}
}

func TestQuickstartFilterCompiles(t *testing.T) {
	cfg, diags := NewParser().LoadPaths(filepath.Join("..", "..", "examples", "quickstart.hcl"))
	if diags.HasErrors() {
		t.Fatal(describe(diags))
	}
	p, err := filter.Compile(cfg.Filters[0].Spec)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		lead filter.Lead
		want bool
	}{
		{filter.Lead{Bio: "Founder at Acme", Followers: 500}, true},
		{filter.Lead{Bio: "Founder, and we're HIRING", Followers: 500}, false},
		{filter.Lead{Bio: "CEO", Followers: 49}, false},
		{filter.Lead{Bio: "Designer", Followers: 500}, false},
	} {
		if got, err := p.Match(tt.lead); err != nil || got != tt.want {
			t.Errorf("Match(%+v) = %v, %v; want %v", tt.lead, got, err, tt.want)
		}
	}
}

// writeFiles creates files under a temporary directory and returns it.
func writeFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, src := range files {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestLoadPathsDirectory(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"b_campaigns.hcl":  "campaign \"c\" {\n  sources = [source.s]\n  message = \"hi\"\n}\n",
		"a_accounts.hcl":   "account \"z\" {\n  handle = \"zed\"\n}\naccount \"a\" {\n  handle = \"ay\"\n}\n",
		"c_sources.hcl":    "source \"s\" {\n  target \"paulg\" {}\n}\n",
		"notes.txt":        "not hcl {",
		".#a_accounts.hcl": "not hcl {",
		"sub/d.hcl":        "not hcl {",
	})
	cfg, diags := NewParser().LoadPaths(dir)
	if diags.HasErrors() {
		t.Fatalf("diagnostics:\n%s", describe(diags))
	}
	// Files in name order, blocks in file order; references across files.
	var accounts []string
	for _, a := range cfg.Accounts {
		accounts = append(accounts, a.Name)
	}
	if diff := cmp.Diff([]string{"z", "a"}, accounts); diff != "" {
		t.Errorf("account order (-want +got):\n%s", diff)
	}
	if got := cfg.Campaigns[0].DeclRange.Filename; got != filepath.Join(dir, "b_campaigns.hcl") {
		t.Errorf("campaign file = %s", got)
	}
}

func TestLoadPathsAcrossFiles(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"one.hcl": "filter \"f\" {}\n",
		"two.hcl": "\nfilter \"f\" {}\n",
	})
	one, two := filepath.Join(dir, "one.hcl"), filepath.Join(dir, "two.hcl")
	// The same file named twice (directly and through its directory) loads once.
	_, diags := NewParser().LoadPaths(one, dir)
	errs := errorsOf(diags)
	if len(errs) != 1 || errs[0].Summary != "Duplicate filter" {
		t.Fatalf("got:\n%s\nwant one Duplicate filter", describe(diags))
	}
	if s := errs[0].Subject; s.Filename != two || s.Start.Line != 2 {
		t.Errorf("Subject = %s, want %s:2:1", at(*s), two)
	}
	if !strings.Contains(errs[0].Detail, one+":1:1") {
		t.Errorf("Detail %q does not name the first declaration %s:1:1", errs[0].Detail, one)
	}
}

func TestLoadPathsErrors(t *testing.T) {
	empty := t.TempDir()
	tests := []struct {
		name    string
		paths   []string
		summary string
	}{
		{"no paths", nil, "No configuration given"},
		{"missing path", []string{filepath.Join(empty, "nope.hcl")}, "Failed to read configuration"},
		{"directory without .hcl files", []string{empty}, "No configuration files"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, diags := NewParser().LoadPaths(tt.paths...)
			errs := errorsOf(diags)
			if len(errs) != 1 || errs[0].Summary != tt.summary {
				t.Fatalf("got:\n%s\nwant one %q", describe(diags), tt.summary)
			}
		})
	}
}

func TestLoadPathsReportsEveryFile(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"a.hcl": "account \"a\" {\n  handle = \"bad handle\"\n}\n",
		"b.hcl": "widget {}\n",
	})
	_, diags := NewParser().LoadPaths(dir)
	errs := errorsOf(diags)
	if len(errs) != 2 || errs[0].Subject.Filename != filepath.Join(dir, "a.hcl") || errs[1].Subject.Filename != filepath.Join(dir, "b.hcl") {
		t.Fatalf("want one error from each file, got:\n%s", describe(diags))
	}
}

func TestLoadBytesReplacesFile(t *testing.T) {
	p := NewParser()
	p.LoadBytes([]byte("settings {}\n"), "x.hcl")
	cfg, diags := p.LoadBytes([]byte("settings {\n  workspace = \"acme\"\n}\n"), "x.hcl")
	if diags.HasErrors() || cfg.Settings.Workspace != "acme" {
		t.Fatalf("second LoadBytes of x.hcl: workspace %q, diags:\n%s", cfg.Settings.Workspace, describe(diags))
	}
	if got := string(p.Files()["x.hcl"].Bytes); !strings.Contains(got, "acme") {
		t.Errorf("Files() kept the old source %q", got)
	}
}
