package service

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/outreachhq/outreach/core/plan"
)

// xNetwork is X's network as its plugin declares it (the tables of
// ../shared/x-api-v2): DM sends 15 per 15 minutes and 1,440 per 24 hours
// per user, 1,440 per 24 hours per app; follower pages 300 per 15
// minutes per app; and its prices.
func xNetwork(simulated bool) map[string]plan.Network {
	return map[string]plan.Network{"x": {
		App:       "acme-app",
		Simulated: simulated,
		Budgets: []plan.Budget{
			{Operation: plan.OpSendDM, Requests: 15, Window: 15 * time.Minute, Scope: plan.ScopeUser},
			{Operation: plan.OpSendDM, Requests: 1440, Window: 24 * time.Hour, Scope: plan.ScopeUser},
			{Operation: plan.OpSendDM, Requests: 1440, Window: 24 * time.Hour, Scope: plan.ScopeApp},
			{Operation: plan.OpScrape, Requests: 300, Window: 15 * time.Minute, Scope: plan.ScopeApp},
			{Operation: plan.OpScrape, Requests: 15, Window: 15 * time.Minute, Scope: plan.ScopeUser},
		},
		Prices: &plan.Prices{AsOf: "2026-11-15", Currency: "USD", Prices: []plan.Price{
			{Operation: plan.OpScrape, PerResource: 0.010},
			{Operation: plan.OpSendDM, PerRequest: 0.015},
		}},
	}}
}

// account is an account block that its caps and pacing never hold back:
// only X's budgets can.
func account(name string) string {
	return `account "` + name + `" {
  handle         = "` + name + `"
  daily_dm_limit = 5000
  pacing {
    min_gap = "1s"
    max_gap = "1s"
  }
}
`
}

const bigCampaign = `source "s" {
  max_leads = 5000
  target "paulg" {}
}
campaign "c" {
  sources   = [source.s]
  max_leads = 2000
  message   = "hi {{firstName}}"
  accounts  = [%s]
}
`

func planWith(t *testing.T, src string, nets map[string]plan.Network) (*plan.Plan, string, string) {
	t.Helper()
	svc, _ := newService(t)
	p, err := svc.PlanWith(context.Background(), load(t, src), nets)
	if err != nil {
		t.Fatal(err)
	}
	var js bytes.Buffer
	if err := p.WriteJSON(&js); err != nil {
		t.Fatal(err)
	}
	return p, text(t, p), js.String()
}

func TestPlanKeepsWithinXBudgets(t *testing.T) {
	t.Run("one account", func(t *testing.T) {
		src := account("a") + strings.Replace(bigCampaign, "%s", "account.a", 1)
		p, out, js := planWith(t, src, xNetwork(false))
		c := p.Work.Campaigns[0]
		// 2,000 DMs a minute apart (15 per 15 minutes) from 08:00 on day
		// one: 960 that day, the other 1,040 by 17:19 the next.
		if c.FirstDMsDone == nil || !c.FirstDMsDone.Equal(start.Add(33*time.Hour+19*time.Minute)) {
			t.Errorf("first DMs done = %v, want %v", c.FirstDMsDone, start.Add(33*time.Hour+19*time.Minute))
		}
		for _, want := range []string{
			"needs 2 windows of 24h",
			"X's per-user DM budget (15 per 15m, 1,440 per 24h) sets the finish date",
			"about $30.00 at X's prices of 2026-11-15",
			"at least 5,000 users to read in at least 5 request(s); needs 1 window of 15m; about $50.00 at X's prices of 2026-11-15",
			"cost: about $80.00 at X's prices of 2026-11-15 in all",
		} {
			if !strings.Contains(out, want) {
				t.Errorf("plan lacks %q:\n%s", want, out)
			}
		}
		for _, want := range []string{`"windows_24h": 2`, `"limited_by": "user"`, `"requests": 5`, `"as_of": "2026-11-15"`, `"amount": 30`} {
			if !strings.Contains(js, want) {
				t.Errorf("JSON plan lacks %s:\n%s", want, js)
			}
		}
	})
	t.Run("three accounts on one app", func(t *testing.T) {
		src := account("a") + account("b") + account("c") + strings.Replace(bigCampaign, "%s", "account.a, account.b, account.c", 1)
		p, out, js := planWith(t, src, xNetwork(false))
		c := p.Work.Campaigns[0]
		// 480 each a day (1,440 / 3): 1,440 on day one by 16:00, the last
		// 187 of account a's 667 from midnight, a minute apart.
		want := start.Add(16*time.Hour + 186*time.Minute)
		if c.FirstDMsDone == nil || !c.FirstDMsDone.Equal(want) {
			t.Errorf("first DMs done = %v, want %v", c.FirstDMsDone, want)
		}
		for _, want := range []string{
			"needs 2 windows of 24h",
			"the app's budget of 1,440 DMs per 24h, shared by 3 accounts (480 each), sets the finish date, not the accounts' caps",
			"account.a: 667 first DMs; 480 a day today",
		} {
			if !strings.Contains(out, want) {
				t.Errorf("plan lacks %q:\n%s", want, out)
			}
		}
		if !strings.Contains(js, `"limited_by": "app"`) {
			t.Errorf("JSON plan does not say the app's budget sets the finish date:\n%s", js)
		}
	})
	t.Run("accounts' caps bind", func(t *testing.T) {
		src := strings.Replace(account("a"), "5000", "50", 1) + strings.Replace(bigCampaign, "%s", "account.a", 1)
		p, out, _ := planWith(t, src, xNetwork(false))
		if c := p.Work.Campaigns[0]; c.LimitedBy != "" || c.Windows != 40 {
			t.Errorf("a 50-a-day account: limited by %q in %d windows, want its cap in 40:\n%s", c.LimitedBy, c.Windows, out)
		}
	})
	t.Run("simulated X", func(t *testing.T) {
		src := account("a") + strings.Replace(bigCampaign, "%s", "account.a", 1)
		_, out, _ := planWith(t, src, xNetwork(true))
		if !strings.Contains(out, "about $30.00 at X's prices of 2026-11-15 (simulated X: nothing is charged)") {
			t.Errorf("a plan on the simulated X does not say that nothing is charged:\n%s", out)
		}
	})
	t.Run("no network known", func(t *testing.T) {
		src := account("a") + strings.Replace(bigCampaign, "%s", "account.a", 1)
		p, out, _ := planWith(t, src, nil)
		if p.Work.Cost != nil || strings.Contains(out, "cost:") {
			t.Errorf("a plan without prices shows a cost:\n%s", out)
		}
	})
}

func TestPlanWarnsOfDailySpend(t *testing.T) {
	src := "settings {\n  max_daily_api_spend = 5\n}\n" + account("a") + strings.Replace(bigCampaign, "%s", "account.a", 1)
	p, out, js := planWith(t, src, xNetwork(false))
	want := "warning: the declared work would cost about $64.40 on its busiest day, more than max_daily_api_spend of $5.00"
	if !strings.Contains(out, want) {
		t.Errorf("plan lacks %q:\n%s", want, out)
	}
	var v struct {
		Work struct {
			MaxDailySpend float64 `json:"max_daily_api_spend"`
			SpendWarning  string  `json:"spend_warning"`
		} `json:"work"`
	}
	if err := json.Unmarshal([]byte(js), &v); err != nil || v.Work.MaxDailySpend != 5 || v.Work.SpendWarning != p.Work.SpendWarning {
		t.Errorf("JSON plan: %+v (%v), want the limit and the warning", v.Work, err)
	}
}
