package service

import (
	"testing"

	"github.com/outreachhq/outreach/core/config"
	"github.com/outreachhq/outreach/core/store"
)

// TestConfigPoliciesAreStorePolicies: every policy the configuration
// accepts is one the engine and the plan know, the default the standard
// one, so what apply records is what they refuse by.
func TestConfigPoliciesAreStorePolicies(t *testing.T) {
	if config.Policies[0] != string(store.PolicyStandard) {
		t.Errorf("the configuration's default policy is %q; want %q", config.Policies[0], store.PolicyStandard)
	}
	for _, name := range config.Policies {
		switch p := store.Policy(name); p {
		case store.PolicyStandard:
		case store.PolicyStrict:
			if p.Refusal(store.ActionColdDM) == nil {
				t.Errorf("policy %q refuses no cold DMs", p)
			}
		default:
			t.Errorf("configuration accepts policy %q, which the store does not know", name)
		}
	}
}
