package service

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/outreachhq/outreach/core/clock"
	"github.com/outreachhq/outreach/core/config"
	"github.com/outreachhq/outreach/core/plan"
	"github.com/outreachhq/outreach/core/secrets"
	"github.com/outreachhq/outreach/core/store"
)

var start = time.Date(2030, 3, 4, 8, 0, 0, 0, time.UTC)

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
  secret = "whsec-0123456789abcdef"
}
tweet "t" {
  account = account.main
  text    = "hello"
  at      = "2030-06-01T00:00:00Z"
}
`

func newService(t *testing.T) (*Service, *store.Store) {
	t.Helper()
	st, err := store.Open(t.TempDir(), "test")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return New(st, clock.NewVirtual(start)), st
}

func load(t *testing.T, src string) *config.Config {
	t.Helper()
	p := config.NewParser()
	p.Now = func() time.Time { return start }
	cfg, diags := p.LoadBytes([]byte(src), "test.hcl")
	if diags.HasErrors() {
		t.Fatalf("config: %s", diags.Error())
	}
	return cfg
}

func planAndApply(t *testing.T, svc *Service, cfg *config.Config) *plan.Plan {
	t.Helper()
	p, err := svc.Plan(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := svc.Apply(context.Background(), cfg, p); err != nil {
		t.Fatalf("Apply: %v", err)
	}
	return p
}

// snapshot is every record of the store's objects, to compare before and
// after a failed apply.
func snapshot(t *testing.T, st *store.Store) string {
	t.Helper()
	var b bytes.Buffer
	err := st.View(func(tx *store.Tx) error {
		accounts, _ := tx.Accounts("default")
		sources, _ := tx.Sources("default")
		campaigns, _ := tx.Campaigns("default")
		webhooks, _ := tx.Webhooks("default")
		tweets, _ := tx.ScheduledTweets("default")
		for _, v := range []any{accounts, sources, campaigns, webhooks, tweets} {
			b.WriteString(fmtJSON(v))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return b.String()
}

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
	err = st.View(func(tx *store.Tx) error {
		a, err := tx.AccountByName("default", "main")
		if err != nil {
			return err
		}
		for _, s := range []string{"tok-secret", "pw-secret"} {
			if bytes.Contains(a.Secrets, []byte(s)) || bytes.Contains([]byte(fmtJSON(a)), []byte(s)) {
				t.Errorf("account record holds %q in plain text", s)
			}
		}
		sl, err := secrets.LoadSealer(st.Dir())
		if err != nil {
			return err
		}
		plain, err := sl.Open(credentialsPurpose(a.ID), a.Secrets)
		if err != nil || !bytes.Contains(plain, []byte("pw-secret")) {
			t.Errorf("credentials do not open: %v", err)
		}
		if a.WarmupStartedAt != start {
			t.Errorf("WarmupStartedAt = %v, want the apply time", a.WarmupStartedAt)
		}
		w, err := tx.WebhookByName("default", "w")
		if err != nil {
			return err
		}
		if bytes.Contains(w.Secret, []byte("whsec")) || w.SecretDigest == "" {
			t.Errorf("webhook secret stored as %q / %q", w.Secret, w.SecretDigest)
		}
		tw, err := tx.ScheduledTweetByName("default", "t")
		if err != nil {
			return err
		}
		if tw.AccountID != a.ID || tw.Status != store.TweetPending {
			t.Errorf("tweet = %+v", tw)
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
	err := st.View(func(tx *store.Tx) error {
		a, err := tx.AccountByName("default", "main")
		accountID = a.ID
		if err != nil {
			return err
		}
		w, err := tx.WebhookByName("default", "w")
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
	if secret, err := svc.WebhookSecret(context.Background(), "default", webhookID); err != nil || secret != "whsec-0123456789abcdef" {
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
	before := snapshot(t, st)
	if err := svc.Apply(context.Background(), edited, stale); !errors.Is(err, ErrStalePlan) {
		t.Fatalf("Apply of a stale plan: %v, want ErrStalePlan", err)
	}
	if snapshot(t, st) != before {
		t.Error("a refused apply changed the store")
	}
}

// TestApplyFailureLeavesStoreAsItWas fails an apply after it has written
// some objects in its transaction: none of them may remain.
func TestApplyFailureLeavesStoreAsItWas(t *testing.T) {
	svc, st := newService(t)
	planAndApply(t, svc, load(t, baseConfig))
	err := st.Update(func(tx *store.Tx) error {
		tw, err := tx.ScheduledTweetByName("default", "t")
		if err != nil {
			return err
		}
		tw.Status = store.TweetPosted
		return tx.PutScheduledTweet(tw)
	})
	if err != nil {
		t.Fatal(err)
	}
	before := snapshot(t, st)
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
	if snapshot(t, st) != before {
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
	if err := svc.Apply(context.Background(), plan.DestroyConfig("default"), p); err != nil {
		t.Fatal(err)
	}
	if p, err := svc.PlanDestroy(context.Background(), "default"); err != nil || p.HasChanges() {
		t.Errorf("after destroy: %v, %+v", err, p)
	}
	if got := snapshot(t, st); got != "nullnullnullnullnull" {
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
