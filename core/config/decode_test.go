package config

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/hcl/v2"

	"github.com/outreachhq/outreach/core/filter"
)

func TestDefaults(t *testing.T) {
	cfg := mustLoad(t, `account "main" {
  handle = "acme"
}
source "s" {
  target "paulg" {}
}
campaign "c" {
  sources = [source.s]
  message = "hi"
}
`)
	accountDefaults := AccountOptions{Network: "x", DailyDMLimit: 50, DailyFollowLimit: 50, DailyLikeLimit: 100, DailyCommentLimit: 20,
		Pacing: Pacing{MinGap: 60 * time.Second, MaxGap: 180 * time.Second}}
	want := &Config{
		Settings: &Settings{Workspace: "default", Workers: DefaultWorkers, Policy: "standard", APIRateLimit: DefaultAPIRateLimit, AccountDefaults: accountDefaults, CampaignDefaults: CampaignOptions{Dedupe: true}, AISetter: defaultSetter()},
		Accounts: []*Account{{Name: "main", Handle: "acme", AccountOptions: accountDefaults}},
		Sources:  []*Source{{Name: "s", Targets: []*Target{{Handle: "paulg", Followers: true}}}},
		Campaigns: []*Campaign{{Name: "c", Sources: []string{"s"}, Message: "hi",
			Variants: []*Variant{{Message: "hi", Weight: 1}}, CampaignOptions: CampaignOptions{Dedupe: true}}},
	}
	if diff := cmp.Diff(want, cfg, ignoreRanges); diff != "" {
		t.Errorf("defaults (-want +got):\n%s", diff)
	}
	if cfg.Settings.DeclRange != (hcl.Range{}) {
		t.Errorf("Settings.DeclRange = %v, want zero without a settings block", cfg.Settings.DeclRange)
	}
}

// TestDecode checks accepted spellings and every attribute, block by block.
func TestDecode(t *testing.T) {
	tests := []struct {
		name  string
		src   string
		check func(t *testing.T, c *Config)
	}{
		{"settings", `settings {
  workspace = "acme-prod"
  sandbox   = true
  workers   = 4
  policy    = "strict"
  reveal_secrets = true
  api_rate_limit = 600
}`, func(t *testing.T, c *Config) {
			want := &Settings{Workspace: "acme-prod", Sandbox: true, Workers: 4, Policy: "strict", RevealSecrets: true, APIRateLimit: 600, AccountDefaults: defaultAccountOptions(), CampaignDefaults: defaultCampaignOptions(), AISetter: defaultSetter()}
			if diff := cmp.Diff(want, c.Settings, ignoreRanges); diff != "" {
				t.Error(diff)
			}
		}},
		{"account with everything", `account "main" {
  handle           = "@Acme_Sales"
  network          = "mastodon"
  daily_dm_limit   = 120
  paused           = true
  followups_paused = true
  warmup_paused    = true
  pacing {
    min_gap = "1m30s"
    max_gap = "4m"
  }
}`, func(t *testing.T, c *Config) {
			want := &Account{Name: "main", Handle: "Acme_Sales",
				AccountOptions: AccountOptions{Network: "mastodon", DailyDMLimit: 120, DailyFollowLimit: 50, DailyLikeLimit: 100, DailyCommentLimit: 20,
					Pacing: Pacing{MinGap: 90 * time.Second, MaxGap: 4 * time.Minute, Set: true}},
				Paused: true, FollowupsPaused: true, WarmupPaused: true}
			if diff := cmp.Diff(want, c.Accounts[0], ignoreRanges); diff != "" {
				t.Error(diff)
			}
		}},
		{"pacing with one bound keeps the other default", `account "main" {
  handle = "acme"
  pacing {
    max_gap = "10m"
  }
}`, func(t *testing.T, c *Config) {
			if got := c.Accounts[0].Pacing; got != (Pacing{MinGap: DefaultMinGap, MaxGap: 10 * time.Minute, Set: true}) {
				t.Errorf("Pacing = %+v", got)
			}
		}},
		{"functions are available", `account "main" {
  handle = lower(join("_", ["ACME", "SALES"]))
}`, func(t *testing.T, c *Config) {
			if got := c.Accounts[0].Handle; got != "acme_sales" {
				t.Errorf("Handle = %q", got)
			}
		}},
		{"filter with everything", `filter "f" {
  include_keywords      = [["Founder", "CEO"], ["startup"]]
  exclude_keywords      = [["hiring"]]
  include_within_logic  = "or"
  include_between_logic = "And"
  exclude_within_logic  = "AND"
  exclude_between_logic = "OR"
  location_exclude      = ["Antarctica"]
  followers             = { min = 100, max = 50000 }
  following             = { max = 5000 }
  has_website           = false
  where                 = "!protected && followers > following"
}`, func(t *testing.T, c *Config) {
			no := false
			want := filter.Spec{
				IncludeKeywords: [][]string{{"Founder", "CEO"}, {"startup"}},
				ExcludeKeywords: [][]string{{"hiring"}},
				IncludeWithin:   filter.Or, IncludeBetween: filter.And,
				ExcludeWithin: filter.And, ExcludeBetween: filter.Or,
				LocationExclude: []string{"Antarctica"},
				Followers:       filter.Range{Min: intp(100), Max: intp(50000)},
				Following:       filter.Range{Max: intp(5000)},
				HasWebsite:      &no,
				Where:           "!protected && followers > following",
			}
			if diff := cmp.Diff(want, c.Filters[0].Spec); diff != "" {
				t.Error(diff)
			}
		}},
		{"has_website true and heredoc where", `filter "f" {
  has_website = true
  where       = <<-EOT
    verified ||
    followers > 10000
  EOT
}`, func(t *testing.T, c *Config) {
			s := c.Filters[0].Spec
			if s.HasWebsite == nil || !*s.HasWebsite || s.Where != "verified ||\nfollowers > 10000\n" {
				t.Errorf("Spec = %+v", s)
			}
		}},
		{"source with inline filter and both lists", `source "s" {
  max_leads = 500
  target "@naval" {
    followers = true
    following = true
  }
  target "paulg" {
    followers = false
    following = true
  }
  filter {
    include_keywords = [["founder"]]
  }
}`, func(t *testing.T, c *Config) {
			want := &Source{Name: "s", MaxLeads: 500,
				Targets: []*Target{{Handle: "naval", Followers: true, Following: true}, {Handle: "paulg", Following: true}},
				Filter:  &filter.Spec{IncludeKeywords: [][]string{{"founder"}}},
			}
			if diff := cmp.Diff(want, c.Sources[0], ignoreRanges); diff != "" {
				t.Error(diff)
			}
		}},
		{"campaign with variants and follow-ups", `account "a" {
  handle = "a1"
}
account "b" {
  handle = "b1"
}
source "s1" {
  target "paulg" {}
}
source "s2" {
  target "naval" {}
}
campaign "c" {
  sources   = [source.s1, source.s2]
  accounts  = [account.b, account.a]
  max_leads = 25000
  dedupe    = false
  variant {
    message = "A {{firstName}}"
    followup {
      after   = "90m"
      message = "A bump"
    }
    followup {
      after   = "1d"
      message = "A last bump"
    }
  }
  variant {
    message = "B"
  }
  followup {
    after   = "2h"
    message = "campaign bump"
  }
}`, func(t *testing.T, c *Config) {
			camp := c.Campaigns[0]
			own := []*Followup{{After: 90 * time.Minute, Message: "A bump"}, {After: 24 * time.Hour, Message: "A last bump"}}
			shared := []*Followup{{After: 2 * time.Hour, Message: "campaign bump"}}
			want := &Campaign{Name: "c", Sources: []string{"s1", "s2"}, Accounts: []string{"b", "a"},
				MaxLeads: 25000, CampaignOptions: CampaignOptions{Dedupe: false},
				Variants:  []*Variant{{Message: "A {{firstName}}", Weight: 1, Followups: own}, {Message: "B", Weight: 1}},
				Followups: shared,
			}
			if diff := cmp.Diff(want, camp, ignoreRanges); diff != "" {
				t.Error(diff)
			}
			if diff := cmp.Diff(own, camp.FollowupsFor(camp.Variants[0]), ignoreRanges); diff != "" {
				t.Errorf("FollowupsFor(variant with its own): %s", diff)
			}
			if diff := cmp.Diff(shared, camp.FollowupsFor(camp.Variants[1]), ignoreRanges); diff != "" {
				t.Errorf("FollowupsFor(variant without): %s", diff)
			}
			if r := camp.AccountRanges[1]; r.Start.Line != 15 || r.Start.Column != 27 {
				t.Errorf("AccountRanges[1] starts at %d:%d, want 15:27", r.Start.Line, r.Start.Column)
			}
		}},
		{"five variants are allowed", `source "s" {
  target "paulg" {}
}
campaign "c" {
  sources = [source.s]
  variant { message = "1" }
  variant { message = "2" }
  variant { message = "3" }
  variant { message = "4" }
  variant { message = "5" }
}`, func(t *testing.T, c *Config) {
			if got := len(c.Campaigns[0].Variants); got != 5 {
				t.Errorf("%d variants", got)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.check(t, mustLoad(t, tt.src))
		})
	}
}

func TestParseFollowupDelay(t *testing.T) {
	tests := []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"30m", 30 * time.Minute, true},
		{"90m", 90 * time.Minute, true},
		{"2h", 2 * time.Hour, true},
		{"1d", 24 * time.Hour, true},
		{"3d", 72 * time.Hour, true},
		{"365d", 365 * 24 * time.Hour, true},
		{"366d", 0, false},
		{"0m", 0, false},
		{"30s", 0, false},
		{"1w", 0, false},
		{"1h30m", 0, false},
		{"-1d", 0, false},
		{"+1d", 0, false},
		{"1.5h", 0, false},
		{"d", 0, false},
		{"", 0, false},
		{"3 d", 0, false},
		{"99999999999999999999m", 0, false},
	}
	for _, tt := range tests {
		got, err := parseFollowupDelay(tt.in)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("parseFollowupDelay(%q) = %v, %v; want %v, ok=%v", tt.in, got, err, tt.want, tt.ok)
		}
	}
}

func TestNormalizeHandle(t *testing.T) {
	tests := []struct {
		in, want, problem string
	}{
		{"paulg", "paulg", ""},
		{"@paulg", "paulg", ""},
		{" @Paul_G ", "Paul_G", ""},
		{"a", "a", ""},
		{"abcdefghijklmno", "abcdefghijklmno", ""},
		{"abcdefghijklmnop", "", "Invalid handle"},
		{"", "", "Empty handle"},
		{"@", "", "Empty handle"},
		{"@@paulg", "", "Invalid handle"},
		{"paul.g", "", "Invalid handle"},
		{"pàul", "", "Invalid handle"},
	}
	for _, tt := range tests {
		got, d := normalizeHandle(tt.in)
		problem := ""
		if d != nil {
			problem = d.Summary
		}
		if got != tt.want || problem != tt.problem {
			t.Errorf("normalizeHandle(%q) = %q, %q; want %q, %q", tt.in, got, problem, tt.want, tt.problem)
		}
	}
}

func TestFormatDuration(t *testing.T) {
	for d, want := range map[time.Duration]string{
		time.Second: "1s", 5 * time.Minute: "5m", 90 * time.Second: "1m30s", 2 * time.Hour: "2h", 150 * time.Minute: "2h30m",
	} {
		if got := formatDuration(d); got != want {
			t.Errorf("formatDuration(%v) = %q, want %q", d, got, want)
		}
	}
}
