package cli

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/outreachhq/outreach/core/clock"
	"github.com/outreachhq/outreach/core/service"
)

// TestKeysLifecycle creates, lists and revokes a key, checking that a
// revoked key no longer authenticates and that nothing prints the key
// again.
func TestKeysLifecycle(t *testing.T) {
	dir := t.TempDir()
	clk := clock.NewVirtual(time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC))
	code, key, _ := runCLI(t, clk, "keys", "create", "--data", dir)
	key = strings.TrimSpace(key)
	if code != 0 {
		t.Fatalf("keys create exited %d", code)
	}
	code, list, _ := runCLI(t, clk, "keys", "list", "--data", dir)
	id := regexp.MustCompile(`(?m)^([0-9a-f-]{36})\s+` + regexp.QuoteMeta(key[:12]) + `\.\.\.`).FindStringSubmatch(list)
	if code != 0 || id == nil || strings.Contains(list, key) {
		t.Fatalf("keys list exited %d and printed:\n%s\nwant the key's id and first characters, never the key", code, list)
	}
	if code, _, errOut := runCLI(t, clk, "keys", "revoke", "--data", dir, "--workspace", "other", id[1]); code != 1 || !strings.Contains(errOut, "no API key") {
		t.Errorf("revoking from another workspace exited %d: %s", code, errOut)
	}
	if code, out, errOut := runCLI(t, clk, "keys", "revoke", "--data", dir, id[1]); code != 0 || !strings.Contains(out, "Revoked") {
		t.Fatalf("keys revoke exited %d: %s%s", code, out, errOut)
	}
	if _, err := openData(t, dir).svc.Authenticate(context.Background(), key); err != service.ErrUnauthorized {
		t.Errorf("a revoked key authenticates: %v", err)
	}
}
