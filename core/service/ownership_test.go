package service

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/outreachhq/outreach/core/config"
	"github.com/outreachhq/outreach/core/plan"
	"github.com/outreachhq/outreach/core/store"
	"github.com/outreachhq/outreach/core/store/storetest"
)

const ownedConfig = `account "main" {
  handle = "acme"
}
source "s" {
  max_leads = 10
  target "paulg" {}
}
campaign "c" {
  sources   = [source.s]
  max_leads = 5
  message   = "hi"
}
`

// TestOwnership: objects made through the API are not configuration's, as
// Terraform has it. Applying a configuration leaves them alone and the plan
// never mentions them; an API change to an object the configuration
// manages shows in the next plan as one change back; a hold set through
// the API is shown, never lifted.
func TestOwnership(t *testing.T) {
	ctx := context.Background()
	svc, st := newService(t)
	apiAcct, created, err := svc.UpsertAccount(ctx, "default", AccountInput{Handle: "@side_hustle", Proxy: "proxy.example.com:8080"})
	if err != nil || !created {
		t.Fatalf("UpsertAccount: %v, created %v", err, created)
	}
	cfg := load(t, ownedConfig)
	first := planAndApply(t, svc, cfg)
	for _, c := range first.Changes {
		if c.Kind == store.KindAccount && c.Name != "main" {
			t.Errorf("the first plan touches %s", c.Address())
		}
	}
	if strings.Contains(text(t, first), "side_hustle") {
		t.Errorf("the plan mentions the account added through the API:\n%s", text(t, first))
	}

	// The API's account is still there, untouched, and no plan mentions it.
	accounts, err := svc.ListAccounts(ctx, "default")
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, a := range accounts {
		if a.ID == apiAcct.ID {
			found = a.Address == "" && a.Proxy == apiAcct.Proxy && a.Handle == "side_hustle"
		}
	}
	if len(accounts) != 2 || !found {
		t.Fatalf("accounts after apply = %+v; want the API's account beside account.main, unchanged", accounts)
	}
	again, err := svc.Plan(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if again.HasChanges() || strings.Contains(text(t, again), "side_hustle") {
		t.Errorf("plan after apply:\n%s", text(t, again))
	}
	destroy, err := svc.PlanDestroy(ctx, "default")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range destroy.Changes {
		if strings.Contains(c.Name, "side_hustle") || c.Kind == store.KindAccount && c.Name != "main" {
			t.Errorf("destroy would remove %s", c.Address())
		}
	}

	// The API changes the campaign configuration manages: one change back.
	var campaignID string
	view(t, st, func(tx storetest.Tx) error {
		c, err := tx.CampaignByAddress("default", "campaign.c")
		campaignID = c.ID
		return err
	})
	nine := 9
	if _, err := svc.UpdateCampaign(ctx, "default", campaignID, CampaignUpdate{MaxLeads: &nine}); err != nil {
		t.Fatal(err)
	}
	back, err := svc.Plan(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if len(back.Changes) != 1 || back.Changes[0].Action != plan.Update || back.Changes[0].Address() != "campaign.c" ||
		strings.Join(back.Changes[0].Changed, ",") != "max_leads" {
		t.Fatalf("plan after the API changed max_leads:\n%s", text(t, back))
	}
	if !strings.Contains(text(t, back), "max_leads = 9 -> 5") {
		t.Errorf("the plan does not show the change back:\n%s", text(t, back))
	}
	if err := svc.Apply(ctx, cfg, back); err != nil {
		t.Fatal(err)
	}

	// A hold set through the API is operational state: the plan shows it
	// and plans no change, and applying does not lift it.
	var mainID string
	view(t, st, func(tx storetest.Tx) error {
		a, err := tx.AccountByAddress("default", "account.main")
		mainID = a.ID
		return err
	})
	yes := true
	if _, err := svc.SetAccountPause(ctx, "default", mainID, PauseInput{Paused: &yes, Reason: "reviewing replies"}); err != nil {
		t.Fatal(err)
	}
	held, err := svc.Plan(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if held.HasChanges() || !strings.Contains(text(t, held), "account.main: held by api") {
		t.Errorf("plan of a held account:\n%s", text(t, held))
	}
	edited := load(t, strings.Replace(ownedConfig, "max_leads = 5", "max_leads = 6", 1))
	planAndApply(t, svc, edited)
	accounts, err = svc.ListAccounts(ctx, "default")
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range accounts {
		if a.ID == mainID && !a.IsPaused() {
			t.Error("applying a configuration lifted the API's hold")
		}
	}
}

// TestOneHandleOneAccount: adding a handle the workspace has updates that
// account, by the API or by configuration; a handle of another workspace
// is refused.
func TestOneHandleOneAccount(t *testing.T) {
	ctx := context.Background()
	svc, _ := newService(t)
	a, created, err := svc.UpsertAccount(ctx, "default", AccountInput{Handle: "acme"})
	if err != nil || !created {
		t.Fatal(err)
	}
	again, created, err := svc.UpsertAccount(ctx, "default", AccountInput{Handle: "@ACME", Proxy: "proxy.example.com:8080"})
	if err != nil || created || again.ID != a.ID || again.Proxy != "http://proxy.example.com:8080" {
		t.Errorf("second add = %+v, created %v, %v; want the same account updated", again, created, err)
	}
	var ve *ValidationError
	if _, _, err := svc.UpsertAccount(ctx, "other", AccountInput{Handle: "acme"}); !errors.As(err, &ve) || ve.Field != "handle" ||
		!strings.Contains(ve.Reason, "another workspace") {
		t.Errorf("adding @acme to another workspace: %v; want a ValidationError on handle", err)
	}
	// Configuration that declares the handle takes the record over.
	planAndApply(t, svc, load(t, `account "main" {
  handle = "acme"
}`))
	accounts, err := svc.ListAccounts(ctx, "default")
	if err != nil {
		t.Fatal(err)
	}
	if len(accounts) != 1 || accounts[0].ID != a.ID || accounts[0].Address != "account.main" {
		t.Errorf("accounts = %+v; want the one record, now managed as account.main", accounts)
	}
	// And configuration in another workspace cannot declare it.
	other := load(t, `settings {
  workspace = "other"
}
account "main" {
  handle = "acme"
}`)
	p, err := svc.Plan(ctx, other)
	if err != nil {
		t.Fatal(err)
	}
	if err := svc.Apply(ctx, other, p); !errors.As(err, &ve) || ve.Field != "account.main.handle" {
		t.Errorf("applying @acme in another workspace: %v; want a ValidationError on account.main.handle", err)
	}
	if _, err := svc.Plan(ctx, config.Empty("other")); err != nil {
		t.Fatal(err)
	}
}
