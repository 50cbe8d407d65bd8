package api

import (
	"net/http"
	"testing"
)

// TestLiveWorkspaces checks the live harness: each key sees its own
// workspace, and an unknown key is refused.
func TestLiveWorkspaces(t *testing.T) {
	l := newLive(t)
	status, body := l.do(t, l.KeyA, http.MethodGet, "/api/v1/accounts", nil)
	if status != http.StatusOK {
		t.Fatalf("GET /accounts = %d %s", status, body)
	}
	if got := decode[map[string][]any](t, body)["accounts"]; len(got) != 0 {
		t.Errorf("accounts = %v, want none", got)
	}
	if status, _ := l.do(t, "sk_live_nope", http.MethodGet, "/api/v1/accounts", nil); status != http.StatusUnauthorized {
		t.Errorf("unknown key: %d, want 401", status)
	}
}
