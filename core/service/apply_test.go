package service

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/outreachhq/outreach/core/config"
	"github.com/outreachhq/outreach/core/plan"
	"github.com/outreachhq/outreach/core/store"
	"github.com/outreachhq/outreach/core/store/storetest"
)

const baseConfig = `account "main" {
  handle     = "acme"
  cookies    = { auth_token = "tok-secret", ct0 = "ct0-secret" }
  proxy      = "proxy.example.com:8080"
  proxy_auth = "me:pw-secret"
  warmup {}
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
webhook "w" {
  url    = "https://example.com/hook"
  secret = "whsec_YXBwbHktdGVzdC13ZWJob29rLXNlY3JldC0wMTIzNDU2Nzg5"
}
tweet "t" {
  account = account.main
  text    = "hello"
  at      = "2030-06-01T00:00:00Z"
}
`

func TestApplyIsIdempotent(t *testing.T) {
	svc, st := newService(t)
	cfg := load(t, baseConfig)
	first := planAndApply(t, svc, cfg)
	if len(first.Changes) != 5 {
		t.Fatalf("first plan has %d changes, want 5", len(first.Changes))
	}
	again, err := svc.Plan(context.Background(), load(t, baseConfig))
	if err != nil {
		t.Fatal(err)
	}
	if again.HasChanges() {
		t.Errorf("second plan has changes: %+v", again.Changes)
	}
	// Secrets are sealed, bound to their record, and never stored plainly.
	err = st.View(context.Background(), func(tx storetest.Tx) error {
		a, err := tx.AccountByAddress("default", "account.main")
		if err != nil {
			return err
		}
		for _, s := range []string{"tok-secret", "pw-secret"} {
			if bytes.Contains(a.Secrets, []byte(s)) || bytes.Contains([]byte(fmtJSON(a)), []byte(s)) {
				t.Errorf("account record holds %q in plain text", s)
			}
		}
		creds, err := svc.openCredentials(a)
		if err != nil || creds["proxy_auth"] != "me:pw-secret" {
			t.Errorf("credentials do not open: %v, %v", creds, err)
		}
		if a.WarmupStartedAt != start {
			t.Errorf("WarmupStartedAt = %v, want the apply time", a.WarmupStartedAt)
		}
		w, err := tx.WebhookByAddress("default", "webhook.w")
		if err != nil {
			return err
		}
		if bytes.Contains(w.Secret, []byte("whsec")) || w.SecretDigest == "" {
			t.Errorf("webhook secret stored as %q / %q", w.Secret, w.SecretDigest)
		}
		tw, err := tx.ScheduledTweetByAddress("default", "tweet.t")
		if err != nil {
			return err
		}
		if tw.AccountID != a.ID || tw.Status != store.TweetPending {
			t.Errorf("tweet = %+v", tw)
		}
		j, err := tx.Job("default", store.TweetJobID(tw.ID))
		if err != nil {
			return err
		}
		if j.Kind != store.JobTweet || j.State != store.JobPending || j.AccountID != a.ID || j.TweetID != tw.ID || !j.DueAt.Equal(tw.ScheduledAt) {
			t.Errorf("the tweet's job = %+v; want a pending tweet job of its account, due at its time", j)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestOpenSecrets(t *testing.T) {
	svc, st := newService(t)
	planAndApply(t, svc, load(t, baseConfig))
	var accountID, webhookID string
	err := st.View(context.Background(), func(tx storetest.Tx) error {
		a, err := tx.AccountByAddress("default", "account.main")
		accountID = a.ID
		if err != nil {
			return err
		}
		w, err := tx.WebhookByAddress("default", "webhook.w")
		webhookID = w.ID
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	creds, err := svc.AccountCredentials(context.Background(), "default", accountID)
	if err != nil || creds["proxy_auth"] != "me:pw-secret" || !strings.Contains(creds["cookies"], `"value":"tok-secret"`) {
		t.Errorf("AccountCredentials = %v, %v", creds, err)
	}
	if secret, err := svc.WebhookSecret(context.Background(), "default", webhookID); err != nil || secret != "whsec_YXBwbHktdGVzdC13ZWJob29rLXNlY3JldC0wMTIzNDU2Nzg5" {
		t.Errorf("WebhookSecret = %q, %v", secret, err)
	}
	if _, err := svc.AccountCredentials(context.Background(), "other", accountID); !errors.Is(err, ErrNotFound) {
		t.Errorf("another workspace's account: %v, want ErrNotFound", err)
	}
}

func TestApplyStalePlanChangesNothing(t *testing.T) {
	svc, st := newService(t)
	planAndApply(t, svc, load(t, baseConfig))
	edited := load(t, baseConfig+`filter "f" {}
`)
	stale, err := svc.Plan(context.Background(), edited)
	if err != nil {
		t.Fatal(err)
	}
	// Someone else changes a secret meanwhile.
	planAndApply(t, svc, load(t, strings.Replace(baseConfig, "me:pw-secret", "me:another", 1)))
	before := records(t, st)
	if err := svc.Apply(context.Background(), edited, stale); !errors.Is(err, ErrStalePlan) {
		t.Fatalf("Apply of a stale plan: %v, want ErrStalePlan", err)
	}
	if records(t, st) != before {
		t.Error("a refused apply changed the store")
	}
}

// TestApplyFailureLeavesStoreAsItWas fails an apply after it has written
// some objects in its transaction: none of them may remain.
func TestApplyFailureLeavesStoreAsItWas(t *testing.T) {
	svc, st := newService(t)
	planAndApply(t, svc, load(t, baseConfig))
	err := st.Update(context.Background(), func(tx storetest.Tx) error {
		tw, err := tx.ScheduledTweetByAddress("default", "tweet.t")
		if err != nil {
			return err
		}
		tw.Status = store.TweetPosted
		return tx.PutScheduledTweet(tw)
	})
	if err != nil {
		t.Fatal(err)
	}
	before := records(t, st)
	// Accounts and campaigns come before tweets: they are written, then
	// the posted tweet refuses its change.
	edited := load(t, `account "main" {
  handle         = "acme"
  daily_dm_limit = 7
}
source "s" {
  target "paulg" {}
}
campaign "c" {
  sources   = [source.s]
  max_leads = 9
  message   = "changed"
}
tweet "t" {
  account = account.main
  text    = "edited after posting"
  at      = "2030-06-01T00:00:00Z"
}
`)
	p, err := svc.Plan(context.Background(), edited)
	if err != nil {
		t.Fatal(err)
	}
	var ve *ValidationError
	if err := svc.Apply(context.Background(), edited, p); !errors.As(err, &ve) || ve.Field != "tweet.t" {
		t.Fatalf("Apply: %v, want a ValidationError on tweet.t", err)
	}
	if records(t, st) != before {
		t.Error("a failed apply left part of its changes")
	}
}

func TestDestroy(t *testing.T) {
	svc, st := newService(t)
	planAndApply(t, svc, load(t, baseConfig))
	p, err := svc.PlanDestroy(context.Background(), "default")
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Changes) != 5 || !p.Destroy {
		t.Fatalf("destroy plan = %+v", p)
	}
	for _, c := range p.Changes {
		if c.Action != plan.Delete {
			t.Errorf("destroy plan %s %s", c.Action, c.Address())
		}
	}
	if err := svc.Apply(context.Background(), config.Empty("default"), p); err != nil {
		t.Fatal(err)
	}
	if p, err := svc.PlanDestroy(context.Background(), "default"); err != nil || p.HasChanges() {
		t.Errorf("after destroy: %v, %+v", err, p)
	}
	_, empty := newService(t)
	if got := records(t, st); got != records(t, empty) {
		t.Errorf("objects left: %s", got)
	}
}

func TestSavedPlan(t *testing.T) {
	svc, _ := newService(t)
	cfg := load(t, baseConfig)
	p, err := svc.Plan(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	f, err := svc.SavePlan(cfg, p, "test")
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"tok-secret", "pw-secret", "whsec"} {
		if bytes.Contains(f.Config, []byte(s)) || bytes.Contains([]byte(fmtJSON(f.Plan)), []byte(s)) {
			t.Errorf("saved plan holds %q in plain text", s)
		}
	}
	back, err := svc.OpenPlan(f)
	if err != nil {
		t.Fatal(err)
	}
	if err := svc.Apply(context.Background(), back, f.Plan); err != nil {
		t.Fatalf("applying the saved plan: %v", err)
	}
	if err := svc.Apply(context.Background(), back, f.Plan); !errors.Is(err, ErrStalePlan) {
		t.Errorf("applying it twice: %v, want ErrStalePlan", err)
	}
	other, _ := newService(t)
	if _, err := other.OpenPlan(f); !errors.Is(err, ErrForeignPlan) {
		t.Errorf("opening with another data dir: %v, want ErrForeignPlan", err)
	}
}

// TestPacingNotSetIsMarked: an account whose configuration has no pacing
// block, and one added through the API, are stored with the default gaps
// and marked PacingDefault (the engine then rehearses on the simulated X
// with gaps of seconds); a pacing block, the account's own or
// settings.account_defaults', clears the mark, and a plan shows the
// change.
func TestPacingNotSetIsMarked(t *testing.T) {
	svc, st := newService(t)
	const accounts = `
account "plain" {
  handle = "acme_plain"
}
account "paced" {
  handle = "acme_paced"
  pacing {
    jitter = "5s"
  }
}
`
	planAndApply(t, svc, load(t, accounts))
	if _, _, err := svc.UpsertAccount(context.Background(), "default", AccountInput{Handle: "acme_api"}); err != nil {
		t.Fatal(err)
	}
	check := func(handle string, wantDefault bool) {
		t.Helper()
		view(t, st, func(tx storetest.Tx) error {
			a, err := tx.AccountByHandle(handle)
			if err != nil {
				return err
			}
			if a.PacingDefault != wantDefault || a.MinGap != config.DefaultMinGap || a.MaxGap != config.DefaultMaxGap {
				t.Errorf("@%s: PacingDefault %v, gaps %s to %s; want %v, %s to %s", handle, a.PacingDefault, a.MinGap, a.MaxGap,
					wantDefault, config.DefaultMinGap, config.DefaultMaxGap)
			}
			return nil
		})
	}
	check("acme_plain", true)
	check("acme_paced", false)
	check("acme_api", true)

	withDefaults := "settings {\n  account_defaults {\n    pacing {}\n  }\n}\n" + accounts
	p := planAndApply(t, svc, load(t, withDefaults))
	if out := text(t, p); !strings.Contains(out, "pacing.set") {
		t.Errorf("the plan does not show pacing being set:\n%s", out)
	}
	check("acme_plain", false)
}
