package service

import (
	"bytes"
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/outreachhq/outreach/core/clock"
	"github.com/outreachhq/outreach/core/config"
	"github.com/outreachhq/outreach/core/plan"
	"github.com/outreachhq/outreach/core/secrets"
	"github.com/outreachhq/outreach/core/store"
	"github.com/outreachhq/outreach/core/store/storetest"
	"github.com/outreachhq/outreach/core/store/teststore"
)

// start is a Monday morning.
var start = time.Date(2030, 3, 4, 8, 0, 0, 0, time.UTC)

// newService returns a service over a fresh store (buntdb, or Postgres:
// teststore picks), on a virtual clock at start, and the store.
func newService(t testing.TB) (*Service, teststore.Store) {
	t.Helper()
	place := teststore.New(t)
	st := place.Open(t, "test")
	t.Cleanup(func() { st.Close() })
	sl, err := secrets.LoadSealer(place.Dir)
	if err != nil {
		t.Fatal(err)
	}
	db := store.Narrow(st, func(tx storetest.Tx) Tx { return tx })
	return New(db, Options{Clock: clock.NewVirtual(start), Sealer: sl}), st
}

func load(t testing.TB, src string) *config.Config {
	t.Helper()
	p := config.NewParser()
	p.Now = func() time.Time { return start }
	cfg, diags := p.LoadBytes([]byte(src), "test.hcl")
	if diags.HasErrors() {
		t.Fatalf("config: %s", diags.Error())
	}
	return cfg
}

func planAndApply(t testing.TB, svc *Service, cfg *config.Config) *plan.Plan {
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

func text(t testing.TB, p *plan.Plan) string {
	t.Helper()
	var b bytes.Buffer
	if err := p.WriteText(&b); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func view(t testing.TB, st teststore.Store, fn func(storetest.Tx) error) {
	t.Helper()
	if err := st.View(context.Background(), fn); err != nil {
		t.Fatal(err)
	}
}

func update(t testing.TB, st teststore.Store, fn func(storetest.Tx) error) {
	t.Helper()
	if err := st.Update(context.Background(), fn); err != nil {
		t.Fatal(err)
	}
}

// records is every object record of the workspaces the tests use
// ("default" and "w"), and their pending jobs and conversations, to
// compare before and after a refused change.
func records(t testing.TB, st teststore.Store) string {
	t.Helper()
	var b bytes.Buffer
	view(t, st, func(tx storetest.Tx) error {
		for _, ws := range []string{"default", "w"} {
			accounts, _ := tx.Accounts(ws)
			sources, _ := tx.Sources(ws)
			campaigns, _ := tx.Campaigns(ws)
			webhooks, _ := tx.Webhooks(ws)
			tweets, _ := tx.ScheduledTweets(ws)
			pending, _ := tx.PendingJobs(ws)
			convs, _ := tx.Conversations(ws, store.ConversationQuery{})
			for _, v := range []any{accounts, sources, campaigns, webhooks, tweets, pending, convs} {
				b.WriteString(fmtJSON(v))
			}
		}
		return nil
	})
	return b.String()
}

func fmtJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}
