package config

import (
	"encoding/json"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/outreachhq/outreach/sdk"
)

func TestDecodePlugin(t *testing.T) {
	dir := writeFiles(t, map[string]string{"sub/main.hcl": `plugin "crm" {
  source  = "./bin/crm"
  version = ">= 0.1.0, < 2"
  config {
    endpoint = "https://crm.example.com"
    retries  = 3
    stages   = ["new", "won"]
    auth     = { user = "me" }
  }
}
plugin "x" {}
plugin "ai" {
  source = "x"
}
plugin "events" {
  source = "jsonl"
  events = ["new_reply", "dm_sent"]
}
`})
	cfg, diags := NewParser().LoadPaths(filepath.Join(dir, "sub", "main.hcl"))
	if diags.HasErrors() {
		t.Fatal(describe(diags))
	}
	crm := cfg.Plugins[0]
	if want := filepath.Join(dir, "sub", "bin", "crm"); crm.Source != want || crm.Builtin() {
		t.Errorf("Source = %q (builtin %v), want %q made absolute from the file's directory", crm.Source, crm.Builtin(), want)
	}
	if crm.Version != ">= 0.1.0, < 2" {
		t.Errorf("Version = %q", crm.Version)
	}
	var conf map[string]any
	if err := json.Unmarshal(crm.Config, &conf); err != nil {
		t.Fatalf("Config %s: %v", crm.Config, err)
	}
	want := map[string]any{"endpoint": "https://crm.example.com", "retries": 3.0, "stages": []any{"new", "won"}, "auth": map[string]any{"user": "me"}}
	if diff := cmp.Diff(want, conf); diff != "" {
		t.Errorf("Config (-want +got):\n%s", diff)
	}
	if x := cfg.Plugins[1]; x.Source != "x" || !x.Builtin() || string(x.Config) != "{}" {
		t.Errorf("plugin x = %+v, want source x, built in, config {}", x)
	}
	if ai := cfg.Plugins[2]; ai.Source != "x" {
		t.Errorf("plugin ai source = %q", ai.Source)
	}
	if x := cfg.Plugins[1]; x.Events != nil {
		t.Errorf("plugin x events = %q, want nil (every event)", x.Events)
	}
	if ev := cfg.Plugins[3]; !slices.Equal(ev.Events, []string{"new_reply", "dm_sent"}) || ev.Ranges.Events.Start.Line != 17 {
		t.Errorf("plugin events: events %q at line %d, want new_reply and dm_sent at line 17", ev.Events, ev.Ranges.Events.Start.Line)
	}
	// Diagnostics about what the plugin reports point inside the block.
	if r := crm.Ranges; r.Source.Start.Line != 2 || r.Version.Start.Line != 3 || r.Config.Start.Line != 4 ||
		r.ConfigAttrs["retries"].Name.Start.Line != 6 || r.ConfigAttrs["retries"].Value.Start.Column != 16 {
		t.Errorf("plugin crm ranges = %+v", r)
	}
}

func TestVersionConstraint(t *testing.T) {
	tests := []struct {
		constraint string
		allowed    []string
		refused    []string
	}{
		{">= 0.1.0", []string{"0.1.0", "0.2", "1.0.0"}, []string{"0.0.9", "0.1.0-beta"}},
		{">= 1.2, < 2.0.0", []string{"1.2.0", "1.9.9"}, []string{"2.0.0", "1.1.9"}},
		{"~> 1.2", []string{"1.2.0", "1.9.0"}, []string{"2.0.0", "1.1.0"}},
		{"~> 1.2.3", []string{"1.2.3", "1.2.9"}, []string{"1.3.0", "1.2.2"}},
		{"= v1.0.0", []string{"1.0.0"}, []string{"1.0.1"}},
		{"1.0.0", []string{"1.0.0"}, []string{"1.0.1"}},
		{"!= 1.0.0", []string{"1.0.1"}, []string{"1.0.0", "not a version"}},
	}
	for _, tt := range tests {
		c, err := ParseVersionConstraint(tt.constraint)
		if err != nil {
			t.Fatalf("ParseVersionConstraint(%q): %v", tt.constraint, err)
		}
		for _, v := range tt.allowed {
			if !c.Allows(v) {
				t.Errorf("%q does not allow %s", tt.constraint, v)
			}
		}
		for _, v := range tt.refused {
			if c.Allows(v) {
				t.Errorf("%q allows %s", tt.constraint, v)
			}
		}
	}
	for _, bad := range []string{"", "at least 1", ">= ", "1.2.3.4", "=> 1.0", ">= 1.x", "1.0.0-", ">= -1"} {
		if _, err := ParseVersionConstraint(bad); err == nil {
			t.Errorf("ParseVersionConstraint(%q) succeeded", bad)
		}
	}
}

// TestVariableValues checks each source of a value and their precedence:
// default < OUTREACH_VAR_ < *.auto.vars.hcl < -var.
func TestVariableValues(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"main.hcl": `variable "ws" {
  default = "from-default"
}
variable "a" {
  default = "from-default"
}
variable "b" {
  default = "from-default"
}
variable "c" {
  default = "from-default"
}
variable "limit" {
  type = number
}
variable "tags" {
  type    = list(string)
  default = []
}
settings {
  workspace = var.ws
}
account "main" {
  handle         = "${var.a}_${var.b}_${var.c}"
  daily_dm_limit = var.limit
}
filter "f" {
  location_exclude = var.tags
}
`,
		"x.auto.vars.hcl": "b = \"file\"\nc = \"file\"\n",
	})
	p := NewParser()
	env := map[string]string{"OUTREACH_VAR_a": "env", "OUTREACH_VAR_b": "env", "OUTREACH_VAR_limit": "7", "OUTREACH_VAR_tags": `["mars", "venus"]`}
	p.LookupEnv = func(k string) (string, bool) { v, ok := env[k]; return v, ok }
	p.Vars = []string{"c=cli"}
	cfg, diags := p.LoadPaths(dir)
	if diags.HasErrors() {
		t.Fatal(describe(diags))
	}
	if got := cfg.Accounts[0].Handle; got != "env_file_cli" {
		t.Errorf("handle = %q, want env_file_cli (env over default, file over env, -var over file)", got)
	}
	if cfg.Settings.Workspace != "from-default" || cfg.Accounts[0].DailyDMLimit != 7 {
		t.Errorf("workspace %q, limit %d", cfg.Settings.Workspace, cfg.Accounts[0].DailyDMLimit)
	}
	if diff := cmp.Diff([]string{"mars", "venus"}, cfg.Filters[0].Spec.LocationExclude); diff != "" {
		t.Errorf("list from the environment: %s", diff)
	}
}

func TestVariableInputErrors(t *testing.T) {
	src := `variable "n" {
  type    = number
  default = 1
}
`
	tests := []struct {
		name    string
		vars    []string
		summary string
	}{
		{"not NAME=VALUE", []string{"n"}, "Invalid -var option"},
		{"undeclared", []string{"m=1"}, "Value for undeclared variable"},
		{"wrong type", []string{"n=lots"}, "Invalid value for variable"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := NewParser()
			p.Vars = tt.vars
			_, diags := p.LoadBytes([]byte(src), testFile)
			errs := errorsOf(diags)
			if len(errs) != 1 || errs[0].Summary != tt.summary {
				t.Fatalf("got:\n%s\nwant one %q", describe(diags), tt.summary)
			}
		})
	}
	// A value for an undeclared variable in a file is a warning.
	dir := writeFiles(t, map[string]string{"main.hcl": src, "x.auto.vars.hcl": "n = 2\nm = 3\n"})
	_, diags := NewParser().LoadPaths(dir)
	if diags.HasErrors() || len(diags) != 1 || diags[0].Summary != "Value for undeclared variable" || diags[0].Subject.Start.Line != 2 {
		t.Errorf("got:\n%s\nwant one warning on line 2", describe(diags))
	}
}

func TestLocals(t *testing.T) {
	cfg := mustLoad(t, `variable "brand" {
  default = "acme"
}
locals {
  handle = "${local.prefix}_sales"
}
locals {
  prefix = lower(var.brand)
  gaps   = { min = "1m", max = "2m" }
}
account "main" {
  handle = local.handle
  pacing {
    min_gap = local.gaps.min
    max_gap = local.gaps.max
  }
}
`)
	if a := cfg.Accounts[0]; a.Handle != "acme_sales" || a.Pacing.MinGap != time.Minute || a.Pacing.MaxGap != 2*time.Minute {
		t.Errorf("account = %+v", a)
	}
}

// TestSensitiveValues checks that values computed from a sensitive
// variable are recorded wherever they are used, and others are not.
func TestSensitiveValues(t *testing.T) {
	cfg := mustLoad(t, `variable "pin" {
  default   = "4321"
  sensitive = true
}
variable "token" {
  default   = "tok-123"
  sensitive = true
}
variable "plain" {
  default = "visible"
}
locals {
  bearer = upper(var.token)
}
account "main" {
  handle    = var.plain
  xchat_pin = var.pin
  tokens    = { bearer = local.bearer }
}
`)
	if diff := cmp.Diff([]string{"TOK-123", "4321"}, cfg.SensitiveValues); diff != "" {
		t.Errorf("SensitiveValues (-want +got):\n%s", diff)
	}
	if a := cfg.Accounts[0]; a.XChatPIN != "4321" || a.Tokens["bearer"] != "TOK-123" || a.Handle != "visible" {
		t.Errorf("account = %+v", a)
	}
}

func TestFunctions(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"conf/main.hcl":         "campaign \"c\" {\n  sources = [source.s]\n  message = trimspace(file(\"texts/opener.txt\"))\n}\nsource \"s\" {\n  target \"paulg\" {}\n}\n",
		"conf/texts/opener.txt": "Hey {{firstName}}!\n",
		"conf/tweets.hcl": `account "a" {
  handle = env("OUTREACH_TEST_HANDLE", "fallback")
}
tweet "t" {
  account = account.a
  text    = env("OUTREACH_TEST_TEXT")
  at      = timeadd("2099-01-01T00:00:00Z", "36h")
}
`,
	})
	p := NewParser()
	p.LookupEnv = func(k string) (string, bool) {
		if k == "OUTREACH_TEST_TEXT" {
			return "from env", true
		}
		return "", false
	}
	cfg, diags := p.LoadPaths(filepath.Join(dir, "conf"))
	if diags.HasErrors() {
		t.Fatal(describe(diags))
	}
	if got := cfg.Campaigns[0].Message; got != "Hey {{firstName}}!" {
		t.Errorf("file() read %q, want the text next to the calling file", got)
	}
	if got := cfg.Accounts[0].Handle; got != "fallback" {
		t.Errorf("env with default = %q", got)
	}
	tw := cfg.Tweets[0]
	if tw.Text != "from env" || !tw.At.Equal(time.Date(2099, 1, 2, 12, 0, 0, 0, time.UTC)) {
		t.Errorf("tweet = %+v", tw)
	}
}

func TestDecodeOptionsAndDefaults(t *testing.T) {
	cfg := mustLoad(t, `settings {
  account_defaults {
    daily_dm_limit = 30
    ai_setter      = true
    pacing {
      min_gap = "2m"
    }
    active_hours {
      start     = "09:00"
      end       = "17:00"
      time_zone = "Europe/Berlin"
    }
    warmup {}
  }
  campaign_defaults {
    dedupe = false
    follow = true
    comment {
      template = "nice"
    }
  }
}
account "a" {
  handle = "a1"
  pacing {
    max_gap = "9m"
    jitter  = "30s"
  }
  active_hours {
    days = ["Monday", "fri", "TUE"]
  }
}
account "b" {
  handle         = "b1"
  daily_dm_limit = 10
  ai_setter      = false
  cookies = [
    { name = "ct0", value = "c", domain = ".x.com", httpOnly = true },
    { name = "auth_token", value = "t", domain = ".x.com" },
  ]
  proxy      = "socks5://10.0.0.1:1080"
  proxy_auth = "me:pw"
  xchat_pin  = "1234"
  warmup {
    start = 2
  }
  warmup_paused = true
}
source "s" {
  target "paulg" {}
}
campaign "c" {
  sources = [source.s]
  message = "hi"
  like    = true
  window {
    start = "22:00"
    end   = "06:00"
  }
}
`)
	a, b := cfg.Accounts[0], cfg.Accounts[1]
	wantA := AccountOptions{Network: "x", DailyDMLimit: 30, DailyFollowLimit: 50, DailyLikeLimit: 100, DailyCommentLimit: 20, AISetter: true,
		Pacing:      Pacing{MinGap: 2 * time.Minute, MaxGap: 9 * time.Minute, Jitter: 30 * time.Second, Set: true},
		ActiveHours: &Window{Start: 9 * time.Hour, End: 17 * time.Hour, TimeZone: "Europe/Berlin", Days: []string{"mon", "tue", "fri"}},
		Warmup:      &Warmup{Start: 5, Increase: 5}}
	if diff := cmp.Diff(wantA, a.AccountOptions, ignoreRanges); diff != "" {
		t.Errorf("account a (-want +got):\n%s", diff)
	}
	if b.DailyDMLimit != 10 || b.AISetter || b.Warmup.Start != 2 || b.Warmup.Increase != 5 || !b.WarmupPaused || b.ActiveHours.Days[6] != "sun" {
		t.Errorf("account b = %+v", b.AccountOptions)
	}
	wantCookies := []Cookie{{Name: "auth_token", Value: "t", Domain: ".x.com"}, {Name: "ct0", Value: "c", Domain: ".x.com"}}
	if diff := cmp.Diff(wantCookies, b.Cookies); diff != "" {
		t.Errorf("cookies (-want +got):\n%s", diff)
	}
	if b.Proxy != "socks5://10.0.0.1:1080" || b.ProxyAuth != "me:pw" || b.XChatPIN != "1234" {
		t.Errorf("proxy %q auth %q pin %q", b.Proxy, b.ProxyAuth, b.XChatPIN)
	}
	c := cfg.Campaigns[0]
	if c.Dedupe || !c.Follow || !c.Like || c.Comment == nil || c.Comment.Template != "nice" {
		t.Errorf("campaign options = %+v", c.CampaignOptions)
	}
	if w := c.Window; w.Start != 22*time.Hour || w.End != 6*time.Hour || w.TimeZone != "UTC" || len(w.Days) != 7 {
		t.Errorf("window = %+v", w)
	}
}

func TestDecodeWebhookAndTweet(t *testing.T) {
	p := NewParser()
	p.Now = func() time.Time { return time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC) }
	cfg, diags := p.LoadBytes([]byte(`account "brand" {
  handle = "acme"
}
webhook "all" {
  url = "https://example.com/hook"
}
webhook "some" {
  url     = "http://localhost:8080/h"
  events  = ["dm_failed", "leads_exhausted", "new_reply"]
  secret  = "whsec_MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3"
  retries = 0
  backoff = "2m"
}
tweet "t" {
  account = account.brand
  text    = "`+strings.Repeat("é", 280)+`"
  at      = "2030-01-01T09:00:00+02:00"
}
`), testFile)
	if diags.HasErrors() {
		t.Fatal(describe(diags))
	}
	if w := cfg.Webhooks[0]; w.URL != "https://example.com/hook" || !cmp.Equal(w.Events, sdk.EventTypes) || w.Secret != "" ||
		w.Retries != 3 || w.Backoff != 30*time.Second {
		t.Errorf("webhook all = %+v", w)
	}
	if w := cfg.Webhooks[1]; !cmp.Equal(w.Events, []string{"new_reply", "leads_exhausted", "dm_failed"}) ||
		w.Secret != "whsec_MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3" || w.Retries != 0 || w.Backoff != 2*time.Minute {
		t.Errorf("webhook some = %+v", w)
	}
	if tw := cfg.Tweets[0]; tw.Account != "brand" || !tw.At.Equal(time.Date(2030, 1, 1, 7, 0, 0, 0, time.UTC)) || tw.At.Location() != time.UTC {
		t.Errorf("tweet = %+v", tw)
	}
}

// TestConfigJSONRoundTrip checks that a decoded configuration survives
// JSON, as a saved plan keeps it.
func TestConfigJSONRoundTrip(t *testing.T) {
	for _, name := range []string{"quickstart.hcl", "full.hcl"} {
		cfg, diags := NewParser().LoadPaths(filepath.Join("..", "..", "examples", name))
		if diags.HasErrors() {
			t.Fatal(describe(diags))
		}
		b, err := json.Marshal(cfg)
		if err != nil {
			t.Fatal(err)
		}
		var back Config
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatal(err)
		}
		cfg.Variables, cfg.Locals = nil, nil
		if diff := cmp.Diff(cfg, &back, cmp.AllowUnexported(Variable{})); diff != "" {
			t.Errorf("%s after a JSON round trip (-want +got):\n%s", name, diff)
		}
	}
}
