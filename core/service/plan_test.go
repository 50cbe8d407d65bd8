package service

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/outreachhq/outreach/core/config"
	"github.com/outreachhq/outreach/core/plan"
)

// makePlan plans a configuration against an empty store.
func makePlan(t *testing.T, cfg *config.Config) *plan.Plan {
	t.Helper()
	svc, _ := newService(t)
	return planOf(t, svc, cfg)
}

func planOf(t *testing.T, svc *Service, cfg *config.Config) *plan.Plan {
	t.Helper()
	p, err := svc.Plan(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// TestSensitiveValuesNeverShown checks credentials, webhook secrets and
// values from sensitive variables in the text and JSON plans.
func TestSensitiveValuesNeverShown(t *testing.T) {
	cfg := load(t, `variable "secret_word" {
  default   = "swordfish"
  sensitive = true
}
account "main" {
  handle     = "acme"
  cookies    = { auth_token = "tok-abc", ct0 = "ct0-def" }
  tokens     = { bearer = "bearer-ghi" }
  proxy      = "proxy.example.com:8080"
  proxy_auth = "user:pass-jkl"
  xchat_pin  = "97531"
}
source "s" {
  target "paulg" {}
}
campaign "c" {
  sources = [source.s]
  message = "The word is ${var.secret_word}."
}
webhook "w" {
  url    = "https://example.com/hook"
  secret = "whsec-mno-0123456789"
}
`)
	p := makePlan(t, cfg)
	var js bytes.Buffer
	if err := p.WriteJSON(&js); err != nil {
		t.Fatal(err)
	}
	out := text(t, p)
	for _, secret := range []string{"tok-abc", "ct0-def", "bearer-ghi", "pass-jkl", "97531", "swordfish", "whsec-mno"} {
		if strings.Contains(out, secret) || strings.Contains(js.String(), secret) {
			t.Errorf("plan shows %q:\n%s\n%s", secret, out, js.String())
		}
	}
	for _, want := range []string{"cookies", "tokens", "proxy_auth", "xchat_pin", "variant[0].message", "secret"} {
		if !strings.Contains(out, want) {
			t.Errorf("plan lacks attribute %s", want)
		}
	}
	if n := strings.Count(out, "(sensitive value)"); n != 6 {
		t.Errorf("%d sensitive values shown, want 6:\n%s", n, out)
	}
	var view struct {
		Changes []struct {
			After []struct {
				Name      string          `json:"name"`
				Value     json.RawMessage `json:"value"`
				Sensitive bool            `json:"sensitive"`
			} `json:"after"`
		} `json:"changes"`
	}
	if err := json.Unmarshal(js.Bytes(), &view); err != nil {
		t.Fatal(err)
	}
	for _, a := range view.Changes[0].After {
		if a.Name == "daily_dm_limit" && string(a.Value) != "50" {
			t.Errorf("JSON daily_dm_limit = %s, want the number 50", a.Value)
		}
		if a.Sensitive && a.Value != nil {
			t.Errorf("JSON gives a value for sensitive %s", a.Name)
		}
	}
}

// TestSecretChangeIsDetected checks that a changed secret shows as a
// change without showing either value, and an unchanged one does not.
func TestSecretChangeIsDetected(t *testing.T) {
	svc, _ := newService(t)
	before := load(t, `account "main" {
  handle    = "acme"
  xchat_pin = "1111"
}`)
	after := load(t, `account "main" {
  handle    = "acme"
  xchat_pin = "2222"
}`)
	planAndApply(t, svc, before)
	if p := planOf(t, svc, before); p.HasChanges() {
		t.Errorf("same secret plans a change:\n%s", text(t, p))
	}
	out := text(t, planOf(t, svc, after))
	if !strings.Contains(out, "~ xchat_pin = (sensitive value) -> (sensitive value)") || strings.Contains(out, "1111") || strings.Contains(out, "2222") {
		t.Errorf("plan:\n%s", out)
	}
}

// TestEstimate checks the finish time against sums worked by hand.
func TestEstimate(t *testing.T) {
	base := `source "s" {
  max_leads = 100
  target "paulg" {}
}
`
	tests := []struct {
		name      string
		src       string
		firstDone string
		done      string
		stalled   string
	}{
		{"pacing only: 10 DMs a minute apart", `account "a" {
  handle = "a"
  pacing {
    min_gap = "1m"
    max_gap = "1m"
  }
}
campaign "c" {
  sources   = [source.s]
  max_leads = 10
  message   = "hi"
}`, "2030-03-04T08:09:00Z", "2030-03-04T08:09:00Z", ""},
		{"daily cap: 5 a day", `account "a" {
  handle         = "a"
  daily_dm_limit = 5
  pacing {
    min_gap = "1m"
    max_gap = "1m"
  }
}
campaign "c" {
  sources   = [source.s]
  max_leads = 12
  message   = "hi"
}`, "2030-03-06T00:01:00Z", "2030-03-06T00:01:00Z", ""},
		{"warmup: 1, then 2, then 3 a day", `account "a" {
  handle = "a"
  pacing {
    min_gap = "1m"
    max_gap = "1m"
  }
  warmup {
    start    = 1
    increase = 1
  }
}
campaign "c" {
  sources   = [source.s]
  max_leads = 6
  message   = "hi"
}`, "2030-03-06T00:02:00Z", "2030-03-06T00:02:00Z", ""},
		{"active hours: from 09:00 New York", `account "a" {
  handle = "a"
  pacing {
    min_gap = "1m"
    max_gap = "1m"
  }
  active_hours {
    start     = "09:00"
    end       = "17:00"
    time_zone = "America/New_York"
  }
}
campaign "c" {
  sources   = [source.s]
  max_leads = 3
  message   = "hi"
}`, "2030-03-04T14:02:00Z", "2030-03-04T14:02:00Z", ""},
		{"follow-ups after the first DMs", `account "a" {
  handle = "a"
  pacing {
    min_gap = "1m"
    max_gap = "1m"
  }
}
campaign "c" {
  sources   = [source.s]
  max_leads = 2
  message   = "hi"
  followup {
    after   = "1d"
    message = "bump"
  }
}`, "2030-03-04T08:01:00Z", "2030-03-05T08:01:00Z", ""},
		{"paused account", `account "a" {
  handle = "a"
  paused = true
}
campaign "c" {
  sources   = [source.s]
  max_leads = 2
  message   = "hi"
}`, "", "", `account "a" is paused`},
		{"window never meets active hours", `account "a" {
  handle = "a"
  active_hours {
    days = ["mon"]
  }
}
campaign "c" {
  sources   = [source.s]
  max_leads = 2
  message   = "hi"
  window {
    days = ["tue"]
  }
}`, "", "", `the active hours of account "a" never meet the campaign's window`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := makePlan(t, load(t, base+tt.src))
			c := p.Work.Campaigns[0]
			str := func(p *time.Time) string {
				if p == nil {
					return ""
				}
				return p.UTC().Format(time.RFC3339)
			}
			if str(c.FirstDMsDone) != tt.firstDone || str(c.Done) != tt.done || c.Stalled != tt.stalled {
				t.Errorf("first DMs done %q, done %q, stalled %q; want %q, %q, %q\n%s",
					str(c.FirstDMsDone), str(c.Done), c.Stalled, tt.firstDone, tt.done, tt.stalled, text(t, p))
			}
		})
	}
}

func TestWorkWithoutBudget(t *testing.T) {
	p := makePlan(t, load(t, `account "a" {
  handle = "a"
}
source "s" {
  target "paulg" {}
}
campaign "c" {
  sources = [source.s]
  message = "hi"
}`))
	if c := p.Work.Campaigns[0]; c.ToSend != -1 || c.FirstDMsDone != nil {
		t.Errorf("campaign work = %+v, want no estimate", c)
	}
	if !strings.Contains(text(t, p), "every lead its sources keep will get one") {
		t.Error(text(t, p))
	}
}

// TestPlanShowsScheduleRuns: plan shows the next three runs of each
// schedule, in UTC, a zoned one at its local time.
func TestPlanShowsScheduleRuns(t *testing.T) {
	p := makePlan(t, load(t, `account "a" {
  handle = "a"
}
source "s" {
  target "paulg" {}
  schedule = "0 6 * * *"
}
campaign "c" {
  sources  = [source.s]
  message  = "hi"
  schedule = "CRON_TZ=America/New_York 0 9 * * mon"
}`))
	out := text(t, p)
	for _, want := range []string{
		"scraped again at 2030-03-05 06:00 UTC, 2030-03-06 06:00 UTC, 2030-03-07 06:00 UTC, ...",
		// 9:00 in New York is 14:00 UTC until summer time (10 March 2030), 13:00 after.
		"takes in new leads at 2030-03-04 14:00 UTC, 2030-03-11 13:00 UTC, 2030-03-18 13:00 UTC, ...",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("plan does not say %q:\n%s", want, out)
		}
	}
}
