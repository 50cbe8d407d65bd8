package api

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/outreachhq/outreach/core/service"
	"github.com/outreachhq/outreach/core/store"
	"github.com/outreachhq/outreach/core/store/storetest"
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

// ShowAccounts lets the gate tests' fake service serve list-accounts from
// its listAccounts: with no credentials to show.
func (f *fakeService) ShowAccounts(ctx context.Context, ws string, _ bool) ([]service.ShownAccount, error) {
	infos, err := f.ListAccounts(ctx, ws)
	out := make([]service.ShownAccount, len(infos))
	for i, info := range infos {
		out[i] = service.ShownAccount{AccountInfo: info, Cookies: []service.Cookie{}}
	}
	return out, err
}

// The reference's examples of add-account and remove-account.
const (
	referenceAddAccount = `{
"success": true,
"message": "Account created successfully",
"account": {
"id": "550e8400-e29b-41d4-a716-446655440000",
"handle": "myhandle",
"is_active": true,
"created_at": "2024-01-15T10:30:00Z",
"is_new": true
}
}`
	referenceRemoveAccount = `{
"success": true,
"message": "Account removed successfully",
"account": {
"id": "550e8400-e29b-41d4-a716-446655440000",
"handle": "myhandle"
}
}`
)

// referenceAddBody is the reference's add-account request.
func referenceAddBody() map[string]any {
	return map[string]any{
		"handle": "myhandle",
		"cookies": []map[string]string{
			{"name": "ct0", "value": "abc123-secret", "domain": ".twitter.com"},
			{"name": "auth_token", "value": "xyz789-secret", "domain": ".twitter.com"},
		},
		"proxy":      "http://proxy.example.com:8080",
		"proxy_auth": "username:password",
		"xchat_pin":  "123456",
	}
}

type addResult struct {
	Success bool
	Message string
	Account struct {
		ID        string `json:"id"`
		Handle    string `json:"handle"`
		IsActive  bool   `json:"is_active"`
		CreatedAt string `json:"created_at"`
		IsNew     bool   `json:"is_new"`
	}
}

// revealing serves the live server's service again with
// settings { reveal_secrets = true }, and returns it as a live.
func revealing(t *testing.T, l *live) *live {
	t.Helper()
	s := New(Options{Service: l.Svc, Version: "test", Now: l.Clock.Now, RateLimit: 100000, RevealSecrets: true,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	ts := httptest.NewServer(s.Handler())
	t.Cleanup(ts.Close)
	r := *l
	r.URL = ts.URL
	return &r
}

func listAccounts(t *testing.T, l *live, key string) []map[string]any {
	t.Helper()
	status, body := l.do(t, key, http.MethodGet, "/api/v1/accounts", nil)
	if status != http.StatusOK {
		t.Fatalf("GET /accounts = %d %s", status, body)
	}
	wantShape(t, referenceAccounts, body)
	return decode[struct{ Accounts []map[string]any }](t, body).Accounts
}

func TestAddAccount(t *testing.T) {
	l := newLive(t)
	status, body := l.do(t, l.KeyA, http.MethodPost, "/api/v1/accounts", referenceAddBody())
	if status != http.StatusOK {
		t.Fatalf("POST /accounts = %d %s", status, body)
	}
	wantShape(t, referenceAddAccount, body)
	first := decode[addResult](t, body)
	if !first.Success || first.Message != "Account created successfully" || !first.Account.IsNew ||
		first.Account.Handle != "myhandle" || !first.Account.IsActive || first.Account.CreatedAt != "2030-03-04T09:00:00Z" {
		t.Errorf("first add = %+v", first)
	}

	// The same handle, with @ and in capitals: the same account, updated.
	l.Clock.Advance(time.Hour)
	again := referenceAddBody()
	again["handle"] = "@MyHandle"
	again["cookies"] = []map[string]string{{"name": "ct0", "value": "new-ct0"}, {"name": "auth_token", "value": "new-auth"}}
	status, body = l.do(t, l.KeyA, http.MethodPost, "/api/v1/accounts", again)
	if status != http.StatusOK {
		t.Fatalf("POST /accounts again = %d %s", status, body)
	}
	second := decode[addResult](t, body)
	if second.Account.IsNew || second.Account.ID != first.Account.ID || second.Message != "Account updated successfully" ||
		second.Account.CreatedAt != first.Account.CreatedAt {
		t.Errorf("second add = %+v; want the same account, is_new false", second)
	}
	creds, err := l.Svc.AccountCredentials(context.Background(), WorkspaceA, first.Account.ID)
	if err != nil || !strings.Contains(creds["cookies"], "new-auth") || creds["xchat_pin"] != "123456" {
		t.Errorf("credentials = %v, %v; want the new cookies and the PIN kept", creds, err)
	}

	// Secrets are sealed at rest: no value is in the stored record.
	l.update(t, func(tx storetest.Tx) error {
		a, err := tx.Account(WorkspaceA, first.Account.ID)
		if err != nil {
			return err
		}
		raw, _ := json.Marshal(a)
		for _, secret := range []string{"new-auth", "new-ct0", "password", "123456"} {
			if strings.Contains(string(raw), secret) {
				t.Errorf("the stored account holds %q in plain text", secret)
			}
		}
		return nil
	})

	// Another workspace cannot take the handle.
	status, body = l.do(t, l.KeyB, http.MethodPost, "/api/v1/accounts", referenceAddBody())
	if status != http.StatusBadRequest || !strings.Contains(string(body), "handle") {
		t.Errorf("B adds A's handle: %d %s; want 400 naming handle", status, body)
	}
	if got := listAccounts(t, l, l.KeyB); len(got) != 0 {
		t.Errorf("B's accounts = %v; want none", got)
	}
}

func TestAddAccountOAuth2(t *testing.T) {
	l := newLive(t)
	status, body := l.do(t, l.KeyA, http.MethodPost, "/api/v1/accounts", map[string]any{
		"handle": "oauthed", "oauth2": map[string]any{"access_token": "at-1", "refresh_token": "rt-1", "expires_at": "2030-03-04T11:00:00Z"},
	})
	if status != http.StatusOK {
		t.Fatalf("POST /accounts with oauth2 = %d %s", status, body)
	}
	id := decode[addResult](t, body).Account.ID
	creds, err := l.Svc.AccountCredentials(context.Background(), WorkspaceA, id)
	if err != nil {
		t.Fatal(err)
	}
	tokens := decode[map[string]string](t, []byte(creds["tokens"]))
	if tokens["bearer_token"] != "at-1" || tokens["refresh_token"] != "rt-1" || tokens["expires_at"] != "2030-03-04T11:00:00Z" {
		t.Errorf("tokens = %v; want the x plugin's bearer_token, refresh_token and expires_at", tokens)
	}
}

func TestAddAccountBadInput(t *testing.T) {
	l := newLive(t)
	with := func(k string, v any) map[string]any {
		b := referenceAddBody()
		if v == nil {
			delete(b, k)
		} else {
			b[k] = v
		}
		return b
	}
	tests := []struct {
		name  string
		body  any
		field string
	}{
		{"no cookies", with("cookies", nil), "cookies"},
		{"empty cookies", with("cookies", []any{}), "cookies"},
		{"no auth_token", with("cookies", []map[string]string{{"name": "ct0", "value": "v"}}), "cookies"},
		{"empty ct0", with("cookies", []map[string]string{{"name": "ct0", "value": ""}, {"name": "auth_token", "value": "v"}}), "cookies"},
		{"cookie without a name", with("cookies", []map[string]string{{"value": "v"}}), "cookies[0]"},
		{"a cookie's other fields", with("cookies", []map[string]any{{"name": "ct0", "value": "v", "httpOnly": true}}), "httpOnly"},
		{"no handle", with("handle", nil), "handle"},
		{"bad handle", with("handle", "not a handle!"), "handle"},
		{"long handle", with("handle", strings.Repeat("a", 51)), "handle"},
		{"bad proxy", with("proxy", "ftp://p:1"), "proxy"},
		{"credentials in the proxy", with("proxy", "http://u:p@proxy.example.com:8080"), "proxy"},
		{"bad proxy_auth", with("proxy_auth", "nopassword"), "proxy_auth"},
		{"bad pin", with("xchat_pin", "12"), "xchat_pin"},
		{"empty access token", map[string]any{"handle": "h", "oauth2": map[string]any{"access_token": ""}}, "oauth2.access_token"},
		{"blank access token", map[string]any{"handle": "h", "oauth2": map[string]any{"access_token": " "}}, "oauth2.access_token"},
		{"an id", with("id", "550e8400-e29b-41d4-a716-446655440000"), "id"},
		{"a workspace", with("workspace_id", "ws-b"), "workspace_id"},
		{"wrong type", with("cookies", "ct0=1"), "cookies"},
		{"too many cookies", with("cookies", make([]map[string]string, 101)), "cookies"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, body := l.do(t, l.KeyA, http.MethodPost, "/api/v1/accounts", tt.body)
			if status != http.StatusBadRequest || !strings.Contains(string(body), tt.field) {
				t.Errorf("= %d %s; want 400 naming %s", status, body, tt.field)
			}
			for _, secret := range []string{"abc123-secret", "xyz789-secret"} {
				if strings.Contains(string(body), secret) {
					t.Errorf("the error echoes a secret: %s", body)
				}
			}
		})
	}
	if got := listAccounts(t, l, l.KeyA); len(got) != 0 {
		t.Errorf("after bad input, accounts = %v; want none", got)
	}
	if status, body := l.do(t, l.KeyA, http.MethodPost, "/api/v1/accounts", "{"); status != http.StatusBadRequest {
		t.Errorf("malformed JSON: %d %s", status, body)
	}
}

func TestListAccountsMasksSecrets(t *testing.T) {
	l := newLive(t)
	if status, body := l.do(t, l.KeyA, http.MethodPost, "/api/v1/accounts", referenceAddBody()); status != http.StatusOK {
		t.Fatalf("POST /accounts = %d %s", status, body)
	}
	l.Clock.Advance(time.Second) // listed oldest first
	noProxy := referenceAddBody()
	noProxy["handle"] = "plain"
	delete(noProxy, "proxy")
	delete(noProxy, "proxy_auth")
	if status, body := l.do(t, l.KeyA, http.MethodPost, "/api/v1/accounts", noProxy); status != http.StatusOK {
		t.Fatalf("POST /accounts = %d %s", status, body)
	}
	tests := []struct {
		name      string
		l         *live
		cookies   []any
		proxyAuth string
	}{
		{"masked by default", l, []any{
			map[string]any{"name": "auth_token", "value": "****", "domain": ".twitter.com"},
			map[string]any{"name": "ct0", "value": "****", "domain": ".twitter.com"},
		}, "username:****"},
		{"revealed by the settings", revealing(t, l), []any{
			map[string]any{"name": "auth_token", "value": "xyz789-secret", "domain": ".twitter.com"},
			map[string]any{"name": "ct0", "value": "abc123-secret", "domain": ".twitter.com"},
		}, "username:password"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			accounts := listAccounts(t, tt.l, l.KeyA)
			if len(accounts) != 2 {
				t.Fatalf("accounts = %v", accounts)
			}
			a := accounts[0]
			if diff := cmp.Diff(tt.cookies, a["cookies"]); diff != "" {
				t.Errorf("cookies (-want +got):\n%s", diff)
			}
			if a["proxy_auth"] != tt.proxyAuth || a["proxy"] != "http://proxy.example.com:8080" {
				t.Errorf("proxy, proxy_auth = %v, %v; want the address alone and %s", a["proxy"], a["proxy_auth"], tt.proxyAuth)
			}
			want := map[string]any{"handle": "myhandle", "name": "myhandle", "is_active": true, "is_paused": false, "dms_sent": 0.0, "created_at": "2030-03-04T09:00:00Z"}
			for k, v := range want {
				if a[k] != v {
					t.Errorf("%s = %v, want %v", k, a[k], v)
				}
			}
			if p := accounts[1]; p["proxy"] != "" || p["proxy_auth"] != "" {
				t.Errorf("an account without a proxy: proxy, proxy_auth = %q, %q; want empty", p["proxy"], p["proxy_auth"])
			}
			if got := listAccounts(t, tt.l, l.KeyB); len(got) != 0 {
				t.Errorf("B sees %v", got)
			}
		})
	}
}

func TestRemoveAccount(t *testing.T) {
	l := newLive(t)
	byID := liveAccount(t, l, WorkspaceA, "first")
	byHandle := liveAccount(t, l, WorkspaceA, "second")
	remove := func(key string, body any) (int, []byte) {
		return l.do(t, key, http.MethodDelete, "/api/v1/accounts", body)
	}
	// Workspace B cannot remove A's accounts, nor learn they exist.
	for _, body := range []map[string]any{{"account_id": byID.ID}, {"handle": "first"}, {"handle": "@Second"}} {
		if status, got := remove(l.KeyB, body); status != http.StatusNotFound {
			t.Errorf("B removes %v: %d %s; want 404", body, status, got)
		}
	}
	if status, got := remove(l.KeyA, map[string]any{}); status != http.StatusBadRequest ||
		!strings.Contains(string(got), "account_id") || !strings.Contains(string(got), "handle") {
		t.Errorf("neither account_id nor handle: %d %s; want 400 naming both", status, got)
	}
	if status, got := remove(l.KeyA, map[string]any{"account_id": byID.ID, "extra": 1}); status != http.StatusBadRequest || !strings.Contains(string(got), "extra") {
		t.Errorf("unknown field: %d %s; want 400 naming it", status, got)
	}
	for _, tt := range []struct {
		body any
		want store.Account
	}{
		{map[string]any{"account_id": byID.ID}, byID},
		{map[string]any{"handle": "@SECOND"}, byHandle},
	} {
		status, body := remove(l.KeyA, tt.body)
		if status != http.StatusOK {
			t.Fatalf("remove %v = %d %s", tt.body, status, body)
		}
		wantShape(t, referenceRemoveAccount, body)
		got := decode[removeAccountResult](t, body)
		want := removeAccountResult{Success: true, Message: "Account removed successfully", Account: removedAccount{ID: tt.want.ID, Handle: tt.want.Handle}}
		if got != want {
			t.Errorf("remove %v = %+v, want %+v", tt.body, got, want)
		}
	}
	if got := listAccounts(t, l, l.KeyA); len(got) != 0 {
		t.Errorf("after removal, accounts = %v", got)
	}
	if status, got := remove(l.KeyA, map[string]any{"account_id": byID.ID}); status != http.StatusNotFound {
		t.Errorf("removing it again: %d %s; want 404", status, got)
	}
}

func TestUpdateAccountCookies(t *testing.T) {
	l := newLive(t)
	a := liveAccount(t, l, WorkspaceA, "myhandle")
	// The engine held it for an expired session: new cookies lift that.
	l.update(t, func(tx storetest.Tx) error {
		_, err := service.AddHold(tx, a, store.Hold{Scope: store.HoldAll, By: "engine", Reason: "session expired", Since: liveStart}, liveStart)
		return err
	})
	newCookies := []map[string]string{
		{"name": "ct0", "value": "fresh-ct0", "domain": ".x.com"},
		{"name": "auth_token", "value": "fresh-auth", "domain": ".x.com"},
	}
	put := func(key string, body any) (int, []byte) {
		return l.do(t, key, http.MethodPut, "/api/v1/accounts/cookies", body)
	}
	for _, ref := range []map[string]any{{"account_id": a.ID}, {"handle": "myhandle"}} {
		ref["cookies"] = newCookies
		if status, got := put(l.KeyB, ref); status != http.StatusNotFound {
			t.Errorf("B updates A's cookies by %v: %d %s; want 404", ref, status, got)
		}
	}
	creds, err := l.Svc.AccountCredentials(context.Background(), WorkspaceA, a.ID)
	if err != nil || strings.Contains(creds["cookies"], "fresh") {
		t.Fatalf("after B's attempts, credentials = %v, %v", creds, err)
	}

	status, body := put(l.KeyA, map[string]any{"handle": "@myhandle", "cookies": newCookies})
	if status != http.StatusOK {
		t.Fatalf("PUT /accounts/cookies = %d %s", status, body)
	}
	wantShape(t, referenceAddAccount, body)
	got := decode[addResult](t, body)
	if !got.Success || got.Account.ID != a.ID || got.Account.IsNew || !got.Account.IsActive {
		t.Errorf("PUT /accounts/cookies = %+v; want the account, is_new false, active again", got)
	}
	creds, err = l.Svc.AccountCredentials(context.Background(), WorkspaceA, a.ID)
	if err != nil || !strings.Contains(creds["cookies"], "fresh-auth") {
		t.Errorf("credentials = %v, %v; want the new cookies", creds, err)
	}

	for name, tt := range map[string]struct {
		body  any
		field string
	}{
		"no auth_token":  {map[string]any{"account_id": a.ID, "cookies": []map[string]string{{"name": "ct0", "value": "v"}}}, "cookies"},
		"no cookies":     {map[string]any{"account_id": a.ID}, "cookies"},
		"empty cookies":  {map[string]any{"account_id": a.ID, "cookies": []any{}}, "cookies"},
		"no account":     {map[string]any{"cookies": newCookies}, "account_id"},
		"an unknown key": {map[string]any{"account_id": a.ID, "cookies": newCookies, "proxy": "x"}, "proxy"},
	} {
		if status, body := put(l.KeyA, tt.body); status != http.StatusBadRequest || !strings.Contains(string(body), tt.field) {
			t.Errorf("%s: %d %s; want 400 naming %s", name, status, body, tt.field)
		}
	}
}

func TestUpdateAccountPause(t *testing.T) {
	l := newLive(t)
	a := liveAccount(t, l, WorkspaceA, "myhandle")
	patch := func(key, id string, body any) (int, []byte) {
		return l.do(t, key, http.MethodPatch, "/api/v1/accounts/"+id, body)
	}
	if status, got := patch(l.KeyB, a.ID, map[string]any{"is_paused": true}); status != http.StatusNotFound {
		t.Errorf("B pauses A's account: %d %s; want 404", status, got)
	}
	if accounts := listAccounts(t, l, l.KeyA); accounts[0]["is_paused"] != false {
		t.Fatalf("after B's attempt, is_paused = %v", accounts[0]["is_paused"])
	}
	steps := []struct {
		body map[string]any
		want map[string]any
	}{
		{map[string]any{"is_paused": true}, map[string]any{"is_paused": true, "is_active": false, "followups_paused": false, "warmup_paused": false}},
		{map[string]any{"followups_paused": true, "warmup_paused": true}, map[string]any{"is_paused": true, "followups_paused": true, "warmup_paused": true}},
		{map[string]any{}, map[string]any{"is_paused": true, "followups_paused": true, "warmup_paused": true}},
		{map[string]any{"is_paused": false, "followups_paused": false, "warmup_paused": false}, map[string]any{"is_paused": false, "is_active": true, "followups_paused": false, "warmup_paused": false}},
	}
	for _, step := range steps {
		status, body := patch(l.KeyA, a.ID, step.body)
		if status != http.StatusOK {
			t.Fatalf("PATCH %v = %d %s", step.body, status, body)
		}
		// Answered as GET /accounts shows the account.
		wantShape(t, `{"accounts":[`+string(body)+`]}`, []byte(referenceAccounts))
		got := decode[map[string]any](t, body)
		listed := listAccounts(t, l, l.KeyA)[0]
		for k, v := range step.want {
			if got[k] != v || listed[k] != v {
				t.Errorf("after PATCH %v: %s = %v (listed %v), want %v", step.body, k, got[k], listed[k], v)
			}
		}
		if c := got["cookies"].([]any); len(c) != 2 || c[0].(map[string]any)["value"] != "****" {
			t.Errorf("cookies = %v; want them masked", c)
		}
	}
	for name, body := range map[string]any{
		"wrong type":    map[string]any{"is_paused": "yes"},
		"unknown field": map[string]any{"ai_setter_enabled": true},
	} {
		if status, got := patch(l.KeyA, a.ID, body); status != http.StatusBadRequest {
			t.Errorf("%s: %d %s; want 400", name, status, got)
		}
	}
	for _, id := range []string{"no-such-account", "%00", "%FF"} {
		if status, got := patch(l.KeyA, id, map[string]any{"is_paused": true}); status != http.StatusNotFound {
			t.Errorf("unknown account %s: %d %s; want 404", id, status, got)
		}
	}
}

func TestAccountHealth(t *testing.T) {
	l := newLive(t)
	a := liveAccount(t, l, WorkspaceA, "myhandle")
	health := func(key string) (int, accountHealth) {
		t.Helper()
		status, body := l.do(t, key, http.MethodGet, "/api/v1/accounts/"+a.ID+"/health", nil)
		if status != http.StatusOK {
			return status, accountHealth{}
		}
		for _, field := range []string{`"next_send_at":null`, `"holds":[]`, `"recent_outcomes":[]`} {
			if key == l.KeyA && !strings.Contains(string(body), field) && status == http.StatusOK && strings.Contains(string(body), `"health":100`) {
				t.Errorf("a fresh account's health lacks %s: %s", field, body)
			}
		}
		return status, decode[accountHealth](t, body)
	}
	if status, _ := health(l.KeyB); status != http.StatusNotFound {
		t.Errorf("B reads A's account health: %d; want 404", status)
	}
	_, got := health(l.KeyA)
	want := accountHealth{
		AccountID: a.ID, Handle: "myhandle", Health: 100, RecentOutcomes: []string{}, IsActive: true, Holds: []accountHold{},
		Day: "2030-03-04", DailyCapToday: 50, DailyLimit: 50,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("a fresh account's health (-want +got):\n%s", diff)
	}

	// It sent 12 today, was rate limited once, and X held it for 15
	// minutes; then it was paused through the API.
	l.update(t, func(tx storetest.Tx) error {
		if err := tx.AddSentOn(WorkspaceA, a.ID, "2030-03-04", 12); err != nil {
			return err
		}
		for _, o := range []store.Outcome{store.OutcomeOK, store.OutcomeRateLimited} {
			if err := service.NoteOutcome(tx, a, o); err != nil {
				return err
			}
		}
		st, err := tx.AccountState(WorkspaceA, a.ID)
		if err != nil {
			return err
		}
		st.NextSendAt = liveStart.Add(3 * time.Minute)
		if err := tx.PutAccountState(st); err != nil {
			return err
		}
		_, err = service.AddHold(tx, a, store.Hold{Scope: store.HoldAll, By: "engine", Reason: "X rate limit", Since: liveStart, Until: liveStart.Add(15 * time.Minute)}, liveStart)
		return err
	})
	_, got = health(l.KeyA)
	until, next := "2030-03-04T09:15:00Z", "2030-03-04T09:03:00Z"
	want.Health, want.RecentOutcomes, want.DMsSentToday, want.NextSendAt = 95, []string{"ok", "rate_limited"}, 12, &next
	want.IsActive, want.IsPaused, want.PausedReason = false, true, "X rate limit"
	want.Holds = []accountHold{{Scope: "all", By: "engine", Reason: "X rate limit", Since: "2030-03-04T09:00:00Z", Until: &until}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("health after a rate limit (-want +got):\n%s", diff)
	}

	// Once the hold lifts by itself and the pacing gap has passed, it
	// sends again.
	l.Clock.Advance(20 * time.Minute)
	_, got = health(l.KeyA)
	if !got.IsActive || got.PausedReason != "" || len(got.Holds) != 0 || got.NextSendAt != nil {
		t.Errorf("after the hold: %+v; want active, no holds, no wait", got)
	}
	if status, _ := l.do(t, l.KeyA, http.MethodGet, "/api/v1/accounts/nope/health", nil); status != http.StatusNotFound {
		t.Errorf("unknown account: %d; want 404", status)
	}
}

func TestAccountHealthWarmup(t *testing.T) {
	l := newLive(t)
	a := liveAccount(t, l, WorkspaceA, "myhandle")
	l.update(t, func(tx storetest.Tx) error {
		a.Warmup = &store.Warmup{Start: 5, Increase: 5}
		a.WarmupStartedAt = liveStart.Add(-48 * time.Hour)
		return tx.PutAccount(a)
	})
	status, body := l.do(t, l.KeyA, http.MethodGet, "/api/v1/accounts/"+a.ID+"/health", nil)
	if status != http.StatusOK {
		t.Fatalf("health = %d %s", status, body)
	}
	got := decode[accountHealth](t, body)
	if got.WarmupDay != 3 || got.DailyCapToday != 15 || got.DailyLimit != 50 {
		t.Errorf("warmup_day, daily_cap_today, daily_limit = %d, %d, %d; want 3, 15, 50", got.WarmupDay, got.DailyCapToday, got.DailyLimit)
	}
}

func FuzzAccountsBodies(f *testing.F) {
	b, _ := json.Marshal(referenceAddBody())
	f.Add(string(b))
	f.Add(`{"account_id":"550e8400-e29b-41d4-a716-446655440000"}`)
	f.Add(`{"handle":"@x","cookies":[{"name":"ct0","value":"1"},{"name":"auth_token","value":"2"}]}`)
	f.Add(`{"handle":"h","oauth2":{"access_token":"a","expires_at":"0001-01-01T00:00:00Z"}}`)
	f.Add(`{"is_paused":true,"followups_paused":null}`)
	f.Add(`{"handle":"\u0000","proxy":"socks5://[::1]:0","xchat_pin":"٣٣٣٣"}`)
	l := newLive(f)
	a := liveAccount(f, l, WorkspaceA, "fuzzed")
	f.Fuzz(func(t *testing.T, body string) {
		for _, req := range []struct{ method, path string }{
			{http.MethodPost, "/api/v1/accounts"},
			{http.MethodDelete, "/api/v1/accounts"},
			{http.MethodPut, "/api/v1/accounts/cookies"},
			{http.MethodPatch, "/api/v1/accounts/" + a.ID},
		} {
			if status, got := l.do(t, l.KeyA, req.method, req.path, body); status >= 500 {
				t.Fatalf("%s %s %q = %d %s", req.method, req.path, body, status, got)
			}
		}
	})
}
