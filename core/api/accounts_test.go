package api

import (
	"context"
	"encoding/json"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/outreachhq/outreach/core/service"
	"github.com/outreachhq/outreach/core/store"
)

// referenceAccounts is the List Accounts response example of the hosted
// API's reference, verbatim.
const referenceAccounts = `{
"accounts": [
{
"id": "550e8400-e29b-41d4-a716-446655440000",
"handle": "yourhandle",
"name": "Your Name",
"profile_image_url": "https://pbs.twimg.com/...",
"is_active": true,
"is_verified": true,
"dms_sent": 1250,
"created_at": "2024-01-15T10:30:00Z",
"cookies": [
{ "name": "auth_token", "value": "abc123...", "domain": ".x.com" },
{ "name": "ct0", "value": "xyz789...", "domain": ".x.com" }
],
"proxy": "161.77.187.46:12323",
"proxy_auth": "username:password",
"is_paused": false,
"followups_paused": false,
"warmup_paused": false,
"ai_setter_enabled": true
}
]
}`

func sampleAccount() service.AccountInfo {
	return service.AccountInfo{
		Account: store.Account{
			ID:              "550e8400-e29b-41d4-a716-446655440000",
			Workspace:       testWorkspace,
			Handle:          "yourhandle",
			DisplayName:     "Your Name",
			ProfileImageURL: "https://pbs.twimg.com/profile_images/1/a.jpg",
			Verified:        true,
			AISetter:        true,
			Proxy:           "161.77.187.46:12323",
			Secrets:         []byte("sealed"),
			CreatedAt:       time.Date(2024, 1, 15, 11, 30, 0, 123456789, time.FixedZone("CET", 3600)),
		},
		DMsSent: 1250,
	}
}

func keys(m map[string]any) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}

// TestListAccountsMatchesReference compares our body with the reference's
// example field for field: same keys at every level, same JSON types.
func TestListAccountsMatchesReference(t *testing.T) {
	s := newTestServer(t, &fakeService{listAccounts: func(context.Context, string) ([]service.AccountInfo, error) {
		return []service.AccountInfo{sampleAccount()}, nil
	}}, 0)
	rec := s.do(t, "GET", "/api/v1/accounts", "", "X-API-Key", goodKey)
	if rec.Code != 200 {
		t.Fatalf("status = %d; body %s", rec.Code, rec.Body)
	}
	if ct := rec.Header().Get("Content-Type"); ct != "application/json" {
		t.Errorf("Content-Type = %q", ct)
	}
	wantCommonHeaders(t, rec.Header(), defaultRateLimit)

	var ref map[string]any
	if err := json.Unmarshal([]byte(referenceAccounts), &ref); err != nil {
		t.Fatal(err)
	}
	got := decodeObject(t, rec.Body.Bytes())
	if diff := cmp.Diff(keys(ref), keys(got)); diff != "" {
		t.Errorf("top-level keys (-reference +ours):\n%s", diff)
	}
	refAccount := ref["accounts"].([]any)[0].(map[string]any)
	accounts, ok := got["accounts"].([]any)
	if !ok || len(accounts) != 1 {
		t.Fatalf("accounts = %v", got["accounts"])
	}
	gotAccount := accounts[0].(map[string]any)
	if diff := cmp.Diff(keys(refAccount), keys(gotAccount)); diff != "" {
		t.Errorf("account keys (-reference +ours):\n%s", diff)
	}
	for k, v := range refAccount {
		if g, ok := gotAccount[k]; ok && jsonType(g) != jsonType(v) {
			t.Errorf("%s is a JSON %s, the reference has a %s", k, jsonType(g), jsonType(v))
		}
	}
	if cookies, ok := gotAccount["cookies"].([]any); !ok || len(cookies) != 0 {
		t.Errorf("cookies = %#v, want [] (cookie values are write-only)", gotAccount["cookies"])
	}
}

func jsonType(v any) string {
	switch v.(type) {
	case string:
		return "string"
	case float64:
		return "number"
	case bool:
		return "boolean"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	}
	return "null"
}

func TestListAccountsValues(t *testing.T) {
	tests := []struct {
		name   string
		modify func(*service.AccountInfo)
		want   map[string]any // fields to check
	}{
		{"as stored", func(*service.AccountInfo) {}, map[string]any{
			"id": "550e8400-e29b-41d4-a716-446655440000", "handle": "yourhandle", "name": "Your Name",
			"profile_image_url": "https://pbs.twimg.com/profile_images/1/a.jpg",
			"is_active":         true, "is_verified": true, "dms_sent": 1250.0,
			// UTC, whole seconds, like the reference.
			"created_at": "2024-01-15T10:30:00Z",
			"cookies":    []any{}, "proxy": "161.77.187.46:12323", "proxy_auth": "",
			"is_paused": false, "followups_paused": false, "warmup_paused": false, "ai_setter_enabled": true,
		}},
		{"no display name yet", func(a *service.AccountInfo) { a.DisplayName = "" }, map[string]any{"name": "yourhandle"}},
		{"paused", func(a *service.AccountInfo) {
			a.Paused, a.FollowupsPaused, a.WarmupPaused, a.AISetter = true, true, true, false
		},
			map[string]any{"is_active": false, "is_paused": true, "followups_paused": true, "warmup_paused": true, "ai_setter_enabled": false}},
		{"credentials in the proxy address", func(a *service.AccountInfo) { a.Proxy = "http://bob:hunter2@proxy.example.com:8080" },
			map[string]any{"proxy": "http://proxy.example.com:8080", "proxy_auth": "bob:****"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			info := sampleAccount()
			tt.modify(&info)
			s := newTestServer(t, &fakeService{listAccounts: func(context.Context, string) ([]service.AccountInfo, error) {
				return []service.AccountInfo{info}, nil
			}}, 0)
			rec := s.do(t, "GET", "/api/v1/accounts", "", "X-API-Key", goodKey)
			if rec.Code != 200 {
				t.Fatalf("status = %d; body %s", rec.Code, rec.Body)
			}
			account := decodeObject(t, rec.Body.Bytes())["accounts"].([]any)[0].(map[string]any)
			got := map[string]any{}
			for k := range tt.want {
				got[k] = account[k]
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("account (-want +got):\n%s", diff)
			}
			if _, ok := account["$schema"]; ok {
				t.Error("account has a $schema field")
			}
		})
	}
}

func TestListAccountsBodyShape(t *testing.T) {
	tests := []struct {
		name     string
		accounts []service.AccountInfo
		want     string
	}{
		{"no accounts is an empty list, not null", nil, `{"accounts":[]}` + "\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newTestServer(t, &fakeService{listAccounts: func(context.Context, string) ([]service.AccountInfo, error) {
				return tt.accounts, nil
			}}, 0)
			rec := s.do(t, "GET", "/api/v1/accounts", "", "X-API-Key", goodKey)
			if rec.Code != 200 || rec.Body.String() != tt.want {
				t.Errorf("got %d %q, want 200 %q (no $schema)", rec.Code, rec.Body, tt.want)
			}
		})
	}
}

func TestSplitProxy(t *testing.T) {
	tests := []struct {
		in, addr, user string
		hasAuth        bool
	}{
		{"", "", "", false},
		{"161.77.187.46:12323", "161.77.187.46:12323", "", false},
		{"http://proxy.example.com:8080", "http://proxy.example.com:8080", "", false},
		{"http://bob:hunter2@proxy.example.com:8080", "http://proxy.example.com:8080", "bob", true},
		{"bob:p@ss@10.0.0.1:3128", "10.0.0.1:3128", "bob", true},
	}
	for _, tt := range tests {
		addr, user, hasAuth := splitProxy(tt.in)
		if addr != tt.addr || user != tt.user || hasAuth != tt.hasAuth {
			t.Errorf("splitProxy(%q) = %q, %q, %v; want %q, %q, %v", tt.in, addr, user, hasAuth, tt.addr, tt.user, tt.hasAuth)
		}
	}
}
