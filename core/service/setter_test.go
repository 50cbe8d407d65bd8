package service

import (
	"strings"
	"testing"
	"time"

	"github.com/outreachhq/outreach/core/store"
	"github.com/outreachhq/outreach/core/store/storetest"
)

// TestSetterSettingsReachAccounts: the ai_setter block and the policy
// are recorded on each account with ai_setter on, and a change of either
// is a change the plan shows and apply writes.
func TestSetterSettingsReachAccounts(t *testing.T) {
	svc, st := newService(t)
	src := func(maxAnswers, policy string) string {
		return `settings {
  policy = "` + policy + `"
  ai_setter {
    max_answers  = ` + maxAnswers + `
    min_delay    = "30s"
    instructions = "Offer a call."
  }
}
account "a" {
  handle    = "acme_a"
  ai_setter = true
}
account "b" {
  handle = "acme_b"
}
`
	}
	planAndApply(t, svc, load(t, src("3", "standard")))
	setter := func() map[string]store.Setter {
		out := map[string]store.Setter{}
		view(t, st, func(tx storetest.Tx) error {
			accounts, err := tx.Accounts("default")
			for _, a := range accounts {
				out[a.Handle] = a.Setter
			}
			return err
		})
		return out
	}
	want := store.Setter{MaxAnswers: 3, MinDelay: 30 * time.Second, MaxDelay: 10 * time.Minute, MinConfidence: 0.6, Instructions: "Offer a call.", Policy: store.PolicyStandard}
	if got := setter(); got["acme_a"] != want || got["acme_b"] != (store.Setter{}) {
		t.Errorf("setters %+v; want @acme_a's %+v, none for @acme_b", got, want)
	}
	out := text(t, planOf(t, svc, load(t, src("1", "strict"))))
	for _, line := range []string{`~ ai_setter.max_answers = 3 -> 1`, `~ ai_setter.policy      = "standard" -> "strict"`} {
		if !strings.Contains(out, line) {
			t.Errorf("the plan lacks %q:\n%s", line, out)
		}
	}
	planAndApply(t, svc, load(t, src("1", "strict")))
	if got := setter()["acme_a"]; got.MaxAnswers != 1 || got.Policy != store.PolicyStrict {
		t.Errorf("after the change: %+v; want max 1, strict", got)
	}
}
