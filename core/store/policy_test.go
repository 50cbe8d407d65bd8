package store

import (
	"errors"
	"testing"
)

// TestPolicyRefusal: the standard policy, set or not, refuses nothing;
// the strict one refuses every automated action, each with its reason.
func TestPolicyRefusal(t *testing.T) {
	actions := []Action{ActionColdDM, ActionFollowup, ActionFollow, ActionLike, ActionComment, ActionAutoReply}
	for _, p := range []Policy{"", PolicyStandard} {
		for _, a := range actions {
			if err := p.Refusal(a); err != nil {
				t.Errorf("policy %q refuses %s: %v", p, a, err)
			}
		}
	}
	for _, a := range actions {
		var re *RefusedError
		if err := PolicyStrict.Refusal(a); !errors.As(err, &re) || re.Action != a || re.Policy != PolicyStrict || re.Reason == "" {
			t.Errorf("strict policy on %s: %v; want a *RefusedError with a reason", a, err)
		}
	}
	want := "policy strict refuses cold DMs: first DMs go only to leads who messaged the account first"
	if got := PolicyStrict.Refusal(ActionColdDM).Error(); got != want {
		t.Errorf("refusal reads %q; want %q", got, want)
	}
	if Policy("").String() != "standard" {
		t.Errorf("an unset policy is named %q; want standard", Policy("").String())
	}
}
