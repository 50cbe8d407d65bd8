package secrets

import "testing"

func TestNewAPIKey(t *testing.T) {
	a, b := NewAPIKey(), NewAPIKey()
	if a == b {
		t.Fatalf("two keys are equal: %s", a)
	}
	for _, k := range []string{a, b} {
		if !LooksLikeAPIKey(k) {
			t.Errorf("LooksLikeAPIKey(%q) = false", k)
		}
	}
	if HashAPIKey(a) == HashAPIKey(b) || HashAPIKey(a) != HashAPIKey(a) {
		t.Error("HashAPIKey is not a function of the key")
	}
}

func TestLooksLikeAPIKey(t *testing.T) {
	for _, s := range []string{"", "sk_live_", "sk_test_0123456789012345678901234567890123456789", "sk_live_01234567890123456789012345678901234567-9"} {
		if LooksLikeAPIKey(s) {
			t.Errorf("LooksLikeAPIKey(%q) = true", s)
		}
	}
}
