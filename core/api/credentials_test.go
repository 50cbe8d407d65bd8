package api

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/outreachhq/outreach/core/service"
	"github.com/outreachhq/outreach/core/store/storetest"
)

func startJob(t *testing.T, l *live, key string, body any) (int, startCredentialJobResult, string) {
	t.Helper()
	status, got := l.do(t, key, http.MethodPost, "/api/v1/get-cookies", body)
	if status != http.StatusOK {
		return status, startCredentialJobResult{}, string(got)
	}
	return status, decode[startCredentialJobResult](t, got), string(got)
}

func jobStatus(t *testing.T, l *live, key, id string) (int, credentialJob, string) {
	t.Helper()
	status, got := l.do(t, key, http.MethodGet, "/api/v1/get-cookies/status?job_id="+id, nil)
	if status != http.StatusOK {
		return status, credentialJob{}, string(got)
	}
	return status, decode[credentialJobResult](t, got).Job, string(got)
}

func TestCredentialJobOnTheSimulatedX(t *testing.T) {
	l := newLive(t)
	l.Svc.SetSimulated(true)
	a := liveAccount(t, l, WorkspaceA, "myhandle")
	status, started, body := startJob(t, l, l.KeyA, map[string]any{"handle": "@myhandle"})
	if status != http.StatusOK {
		t.Fatalf("POST /get-cookies = %d %s", status, body)
	}
	if !started.Success || started.Status != "completed" || started.JobID == "" || started.AuthorizationURL != "" || strings.Contains(body, "authorization_url") {
		t.Errorf("started = %s; want completed at once, no authorization_url", body)
	}
	l.Clock.Advance(time.Minute)
	status, job, body := jobStatus(t, l, l.KeyA, started.JobID)
	if status != http.StatusOK {
		t.Fatalf("GET /get-cookies/status = %d %s", status, body)
	}
	want := credentialJob{ID: started.JobID, AccountID: a.ID, AccountHandle: "myhandle", Status: "completed",
		CreatedAt: "2030-03-04T09:00:00Z", UpdatedAt: "2030-03-04T09:00:00Z"}
	if job != want {
		t.Errorf("job = %+v, want %+v", job, want)
	}
	// Another workspace neither starts a job for A's account nor sees A's.
	for _, ref := range []map[string]any{{"account_id": a.ID}, {"handle": "myhandle"}} {
		if status, _, body := startJob(t, l, l.KeyB, ref); status != http.StatusNotFound {
			t.Errorf("B starts a job by %v: %d %s; want 404", ref, status, body)
		}
	}
	if status, _, body := jobStatus(t, l, l.KeyB, started.JobID); status != http.StatusNotFound {
		t.Errorf("B reads A's job: %d %s; want 404", status, body)
	}
}

func TestCredentialJobOnTheRealX(t *testing.T) {
	l := newLive(t)
	a := liveAccount(t, l, WorkspaceA, "myhandle")
	status, started, body := startJob(t, l, l.KeyA, map[string]any{"account_id": a.ID})
	if status != http.StatusOK {
		t.Fatalf("POST /get-cookies = %d %s", status, body)
	}
	if started.Success || started.Status != "failed" || !strings.Contains(started.Message, "OAuth 2.0 client") ||
		!strings.Contains(started.Message, "accounts login") {
		t.Errorf("started = %s; want failed, saying the OAuth client and accounts login are missing", body)
	}
	_, job, _ := jobStatus(t, l, l.KeyA, started.JobID)
	if job.Status != "failed" || job.Error != started.Message {
		t.Errorf("job = %+v; want failed with the reason", job)
	}
}

// TestCredentialJobAuthorization drives the seam issue 12's OAuth sign-in
// uses: a pending job awaits authorization at a URL, then completes with
// the tokens, which become the account's.
func TestCredentialJobAuthorization(t *testing.T) {
	l := newLive(t)
	a := liveAccount(t, l, WorkspaceA, "myhandle")
	ctx := context.Background()
	// A job as the x plugin's sign-in would start it: pending.
	started, err := l.Svc.StartCredentialJob(ctx, WorkspaceA, service.AccountRef{ID: a.ID})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := l.Svc.AwaitAuthorization(ctx, WorkspaceA, started.ID, "https://x.com/i/oauth2/authorize?state=s"); err == nil {
		t.Error("AwaitAuthorization moved a failed job")
	}
	// Put a pending one, as the OAuth flow will start it.
	job := started
	job.ID, job.Status, job.Error = "3b2f1c0d-9e8a-4b7c-a6d5-e4f3a2b1c0d9", service.CredentialPending, ""
	l.update(t, func(tx storetest.Tx) error {
		return tx.PutSetting("credential-job/"+WorkspaceA+"/"+job.ID, string(mustMarshal(t, job)))
	})
	if _, err := l.Svc.AwaitAuthorization(ctx, WorkspaceA, job.ID, "https://x.com/i/oauth2/authorize?state=s"); err != nil {
		t.Fatal(err)
	}
	_, got, body := jobStatus(t, l, l.KeyA, job.ID)
	if got.Status != "awaiting_authorization" || got.AuthorizationURL != "https://x.com/i/oauth2/authorize?state=s" {
		t.Errorf("job = %s; want awaiting authorization at the URL", body)
	}
	if _, err := l.Svc.CompleteCredentialJob(ctx, WorkspaceB, job.ID, service.AccountInput{OAuth2: &service.OAuth2Tokens{AccessToken: "t"}}); err == nil {
		t.Error("workspace B completed A's job")
	}
	if _, err := l.Svc.CompleteCredentialJob(ctx, WorkspaceA, job.ID, service.AccountInput{OAuth2: &service.OAuth2Tokens{AccessToken: "signed-in"}}); err != nil {
		t.Fatal(err)
	}
	_, got, body = jobStatus(t, l, l.KeyA, job.ID)
	if got.Status != "completed" || got.AuthorizationURL != "" {
		t.Errorf("job = %s; want completed", body)
	}
	creds, err := l.Svc.AccountCredentials(ctx, WorkspaceA, a.ID)
	if err != nil || !strings.Contains(creds["tokens"], "signed-in") || !strings.Contains(creds["cookies"], "auth_token") {
		t.Errorf("credentials = %v, %v; want the new token beside the cookies", creds, err)
	}
}

func TestCredentialJobBadInput(t *testing.T) {
	l := newLive(t)
	liveAccount(t, l, WorkspaceA, "myhandle")
	for name, tt := range map[string]struct {
		body   any
		status int
		field  string
	}{
		"neither":       {map[string]any{}, http.StatusBadRequest, "account_id"},
		"unknown field": {map[string]any{"handle": "myhandle", "status": "completed"}, http.StatusBadRequest, "status"},
		"wrong type":    {map[string]any{"handle": 5}, http.StatusBadRequest, "handle"},
		"unknown":       {map[string]any{"handle": "nobody"}, http.StatusNotFound, "nobody"},
	} {
		status, _, body := startJob(t, l, l.KeyA, tt.body)
		if status != tt.status || !strings.Contains(body, tt.field) {
			t.Errorf("%s: %d %s; want %d naming %s", name, status, body, tt.status, tt.field)
		}
	}
	for query, want := range map[string]int{
		"": http.StatusBadRequest, "?job_id=nope": http.StatusBadRequest, "?job_id=3b2f1c0d-9e8a-4b7c-a6d5-e4f3a2b1c0d9": http.StatusNotFound,
	} {
		if status, body := l.do(t, l.KeyA, http.MethodGet, "/api/v1/get-cookies/status"+query, nil); status != want {
			t.Errorf("GET status%s = %d %s; want %d", query, status, body, want)
		}
	}
}

func FuzzStartCredentialJob(f *testing.F) {
	f.Add(`{"handle":"@myhandle"}`)
	f.Add(`{"account_id":"550e8400-e29b-41d4-a716-446655440000"}`)
	f.Add(`{"account_id":"\u0000"}`)
	f.Add(`{"handle":"\u0000"}`)
	l := newLive(f)
	liveAccount(f, l, WorkspaceA, "myhandle")
	f.Fuzz(func(t *testing.T, body string) {
		if status, got := l.do(t, l.KeyA, http.MethodPost, "/api/v1/get-cookies", body); status >= 500 {
			t.Fatalf("POST /get-cookies %q = %d %s", body, status, got)
		}
	})
}

func mustMarshal(t testing.TB, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
