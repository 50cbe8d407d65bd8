package api

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/outreachhq/outreach/core/service"
)

// The route walk: every registered operation, called with workspace A's
// key at workspace B's objects, must answer 404 (or, for a listing or a
// create, answer without any of B's data) and change nothing of B's. A
// route added without a case here fails the walk.

// tenant holds workspace B's objects, by the placeholder that stands for
// each in the walk's requests ({account}, ...), and strings only B's data
// contains.
type tenant struct {
	ids     map[string]string
	markers []string
}

// seedTenant gives workspace B one object of every kind the API serves.
func seedTenant(t *testing.T, l *live) tenant {
	t.Helper()
	ctx := context.Background()
	b := tenant{ids: map[string]string{}}
	acct, _, err := l.Svc.UpsertAccount(ctx, WorkspaceB, service.AccountInput{
		Handle:  "b_private_hdl",
		Cookies: []service.Cookie{{Name: "auth_token", Value: "b-secret-token", Domain: ".x.com"}, {Name: "ct0", Value: "b-secret-ct0", Domain: ".x.com"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	b.ids["account"], b.ids["handle"] = acct.ID, acct.Handle
	hook, _, err := l.Svc.CreateWebhook(ctx, WorkspaceB, service.WebhookInput{URL: "https://b-private.example.com/hook"})
	if err != nil {
		t.Fatal(err)
	}
	b.ids["webhook"] = hook.ID
	for _, id := range b.ids {
		b.markers = append(b.markers, id)
	}
	b.markers = append(b.markers, "b-private.example.com", "b-secret")
	return b
}

// fill puts B's ids in place of the placeholders in s.
func (b tenant) fill(s string) string {
	for name, id := range b.ids {
		s = strings.ReplaceAll(s, "{"+name+"}", id)
	}
	return s
}

// walkCase is how the walk calls one operation at B's objects.
type walkCase struct {
	// target is the path and query under /api/v1 (placeholders filled),
	// body the JSON body, if any.
	target, body string
	// listing: the operation lists or creates in the caller's own
	// workspace, so it may succeed, but must show nothing of B's.
	listing bool
}

// walkCases covers every operation under /api/v1, by operation id.
var walkCases = map[string]walkCase{
	"list-accounts":           {target: "/accounts", listing: true},
	"list-webhooks":           {target: "/webhooks", listing: true},
	"list-webhook-deliveries": {target: "/webhooks/{webhook}/deliveries"},
	"replay-webhook-deliveries": {
		target: "/webhooks/{webhook}/replay", body: `{"since": "2020-01-01T00:00:00Z"}`,
	},
}

// TestRouteWalk walks every route with A's key at B's objects.
func TestRouteWalk(t *testing.T) {
	l := newLive(t)
	b := seedTenant(t, l)
	before := tenantSnapshot(t, l)
	for _, op := range operations(l.Server) {
		if !underAPI(op.Path) {
			continue // /healthz and the documents: no workspace's data
		}
		c, ok := walkCases[op.ID]
		if !ok {
			t.Errorf("%s (%s %s) has no case in the route walk: add one to walkCases", op.ID, op.Method, op.Path)
			continue
		}
		var body any
		if c.body != "" {
			body = b.fill(c.body)
		}
		target := b.fill(c.target)
		status, got := l.do(t, l.KeyA, op.Method, "/api/v1"+target, body)
		for _, m := range b.markers {
			// An id the request named may be echoed ("webhook ...: not
			// found"); anything else of B's is a leak.
			sent := strings.Contains(target, m) || strings.Contains(b.fill(c.body), m)
			if !sent && strings.Contains(string(got), m) {
				t.Errorf("%s: A's key got B's data (%q): %d %s", op.ID, m, status, got)
			}
		}
		switch {
		case status >= 500:
			t.Errorf("%s: status %d %s", op.ID, status, got)
		case !c.listing && status != http.StatusNotFound:
			t.Errorf("%s at B's object: status %d, want 404: %s", op.ID, status, got)
		}
	}
	if after := tenantSnapshot(t, l); after != before {
		t.Errorf("B's data changed under A's key:\nbefore %s\nafter  %s", before, after)
	}
	for id := range walkCases {
		if !hasOperation(l.Server, id) {
			t.Errorf("walkCases has %s, which no route registers", id)
		}
	}
}

func hasOperation(s *Server, id string) bool {
	for _, op := range operations(s) {
		if op.ID == id {
			return true
		}
	}
	return false
}

// tenantSnapshot is what B's key sees of B's data through every listing.
func tenantSnapshot(t *testing.T, l *live) string {
	t.Helper()
	var b strings.Builder
	for _, op := range operations(l.Server) {
		c, ok := walkCases[op.ID]
		if !ok || !c.listing || op.Method != http.MethodGet {
			continue
		}
		_, got := l.do(t, l.KeyB, http.MethodGet, "/api/v1"+c.target, nil)
		b.WriteString(op.ID + ": ")
		b.Write(got)
		b.WriteString("\n")
	}
	return b.String()
}
