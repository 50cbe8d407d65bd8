package service

import (
	"bytes"
	"context"
	"encoding/json"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/outreachhq/outreach/core/config"
	"github.com/outreachhq/outreach/core/plan"
	"github.com/outreachhq/outreach/core/store"
	"github.com/outreachhq/outreach/core/store/storetest"
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
  secret = "whsec_bW5vLXNlY3JldC1tbm8tc2VjcmV0LW1uby1zZWNyZXQ="
}
`)
	p := makePlan(t, cfg)
	var js bytes.Buffer
	if err := p.WriteJSON(&js); err != nil {
		t.Fatal(err)
	}
	out := text(t, p)
	for _, secret := range []string{"tok-abc", "ct0-def", "bearer-ghi", "pass-jkl", "97531", "swordfish", "bW5vLXNlY3JldC1tbm8tc2VjcmV0LW1uby1zZWNyZXQ="} {
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

// TestPlanNamesPolicyRefusals: under the strict policy the plan names, per
// campaign, each thing the campaign declares that the policy refuses, and
// counts no follow-ups; under the standard one it names none. Applying
// records the policy on each campaign, and changing it plans a change.
func TestPlanNamesPolicyRefusals(t *testing.T) {
	body := `account "a" {
  handle = "a"
}
source "s" {
  max_leads = 10
  target "paulg" {}
}
campaign "launch" {
  sources = [source.s]
  message = "hi"
  follow  = true
  like    = true
  comment {}
  followup {
    after   = "1d"
    message = "bump"
  }
}
campaign "quiet" {
  sources = [source.s]
  message = "hi"
}
`
	strict := `settings {
  policy = "strict"
}
` + body
	tests := []struct {
		name      string
		src       string
		refused   [][]store.Action
		followups []int // per lead, per campaign
		says      []string
		never     []string
	}{
		{"strict", strict,
			[][]store.Action{
				{store.ActionFollow, store.ActionLike, store.ActionComment, store.ActionFollowup, store.ActionColdDM},
				{store.ActionColdDM},
			}, []int{0, 0},
			[]string{
				"  campaign.launch: policy strict refuses follows, likes, comments and follow-ups; first DMs go only to leads who messaged the account first\n",
				"  campaign.quiet: policy strict: first DMs go only to leads who messaged the account first\n",
				"up to 10 to send",
				`+ policy = "strict"`,
			},
			[]string{"follow-up(s) each", "and up to"}},
		{"standard by default", body, [][]store.Action{nil, nil}, []int{1, 0},
			[]string{`+ policy = "standard"`, "; 10 to send", "up to 1 follow-up(s) each"},
			[]string{"refuses", "policy standard", "messaged the account first"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := makePlan(t, load(t, tt.src))
			out := squeeze(text(t, p))
			for i, c := range p.Work.Campaigns {
				if !slices.Equal(c.Refused, tt.refused[i]) || c.Followups != tt.followups[i] {
					t.Errorf("campaign.%s refuses %v with %d follow-ups per lead; want %v and %d", c.Name, c.Refused, c.Followups, tt.refused[i], tt.followups[i])
				}
			}
			for _, s := range tt.says {
				if !strings.Contains(out, squeeze(s)) {
					t.Errorf("plan does not say %q:\n%s", s, out)
				}
			}
			for _, s := range tt.never {
				if strings.Contains(out, s) {
					t.Errorf("plan says %q:\n%s", s, out)
				}
			}
		})
	}

	svc, st := newService(t)
	planAndApply(t, svc, load(t, body))
	out := text(t, planOf(t, svc, load(t, strict)))
	for _, s := range []string{`~ policy = "standard" -> "strict"`, "Plan: 0 to add, 2 to change, 0 to destroy."} {
		if !strings.Contains(out, s) {
			t.Errorf("turning strict plans no %q:\n%s", s, out)
		}
	}
	planAndApply(t, svc, load(t, strict))
	view(t, st, func(tx storetest.Tx) error {
		campaigns, err := tx.Campaigns("default")
		for _, c := range campaigns {
			if c.Policy != store.PolicyStrict {
				t.Errorf("campaign %s applied with policy %q; want strict", c.Name, c.Policy)
			}
		}
		return err
	})
	p := planOf(t, svc, load(t, strict))
	if p.HasChanges() {
		t.Errorf("applied strict configuration plans changes:\n%s", text(t, p))
	}

	// A first DM the policy skipped is done with: the plan counts it
	// apart, and not among those still to send.
	var launch store.Campaign
	view(t, st, func(tx storetest.Tx) (err error) {
		launch, err = tx.CampaignByAddress("default", "campaign.launch")
		return err
	})
	update(t, st, func(tx storetest.Tx) error {
		return tx.PutJob(store.Job{
			ID: store.DMJobID(launch.ID, "1001"), Workspace: "default", Kind: store.JobDM, State: store.JobSkipped,
			CampaignID: launch.ID, AccountID: launch.AccountIDs[0], LeadID: "1001", DueAt: start, CreatedAt: start, UpdatedAt: start,
			LastError: store.PolicyStrict.Refusal(store.ActionColdDM).Error(),
		})
	})
	p = planOf(t, svc, load(t, strict))
	if c := p.Work.Campaigns[0]; c.Skipped != 1 || c.Failed != 0 || c.ToSend != 9 || !strings.Contains(text(t, p), "0 first DMs sent (1 skipped); up to 9 to send") {
		t.Errorf("after one skipped first DM: skipped %d, failed %d, to send %d; want 1, 0, 9\n%s", c.Skipped, c.Failed, c.ToSend, text(t, p))
	}
}

// squeeze makes each run of spaces one space, so that a test need not
// know how a plan aligns its attributes.
func squeeze(s string) string {
	return regexp.MustCompile(` +`).ReplaceAllString(s, " ")
}
