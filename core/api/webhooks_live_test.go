package api

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	sdkwebhook "github.com/outreachhq/outreach/sdk/webhook"
)

// TestCreateWebhook: an endpoint created through the API shows its secret
// once, in the answer, and then appears in the listing without it.
func TestCreateWebhook(t *testing.T) {
	l := newLive(t)
	status, body := l.do(t, l.KeyA, http.MethodPost, "/api/v1/webhooks", map[string]any{
		"url": "https://crm.example.com/hooks/outreach", "events": []string{"new_reply"}, "retries": 0, "backoff_seconds": 60,
	})
	if status != http.StatusOK {
		t.Fatalf("POST /webhooks = %d %s", status, body)
	}
	created := decode[CreatedWebhook](t, body)
	if !created.Success || created.Webhook.ID == "" || created.Webhook.URL != "https://crm.example.com/hooks/outreach" ||
		!created.Webhook.Signed || created.Webhook.Retries != 0 || created.Webhook.BackoffSeconds != 60 ||
		len(created.Webhook.Events) != 1 || created.Webhook.Events[0] != "new_reply" || created.Webhook.CreatedAt != "2030-03-04T09:00:00Z" {
		t.Errorf("created = %+v", created)
	}
	if _, err := sdkwebhook.ParseSecret(created.Secret); err != nil {
		t.Errorf("secret %q made for it: %v", created.Secret, err)
	}

	status, body = l.do(t, l.KeyA, http.MethodGet, "/api/v1/webhooks", nil)
	if status != http.StatusOK {
		t.Fatalf("GET /webhooks = %d %s", status, body)
	}
	if strings.Contains(string(body), created.Secret) || strings.Contains(string(body), `"secret"`) {
		t.Errorf("the listing shows the secret: %s", body)
	}
	list := decode[WebhookList](t, body)
	if len(list.Webhooks) != 1 || list.Webhooks[0].ID != created.Webhook.ID {
		t.Errorf("listing = %+v, want the created endpoint", list)
	}

	// A given secret is kept, and shown back; defaults fill what is left out.
	const secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
	status, body = l.do(t, l.KeyA, http.MethodPost, "/api/v1/webhooks", map[string]any{"url": "https://b.example.com/h", "secret": secret})
	if status != http.StatusOK {
		t.Fatalf("POST /webhooks with a secret = %d %s", status, body)
	}
	if c := decode[CreatedWebhook](t, body); c.Secret != secret || c.Webhook.Retries != 3 || c.Webhook.BackoffSeconds != 30 || len(c.Webhook.Events) != 0 {
		t.Errorf("created with a secret = %+v", c)
	}
}

// TestCreateWebhookBadInput: each bad field is a 400 that names it, and
// nothing is created.
func TestCreateWebhookBadInput(t *testing.T) {
	l := newLive(t)
	for _, tc := range []struct {
		name  string
		body  string
		field string
	}{
		{"no url", `{}`, "url"},
		{"not http", `{"url":"ftp://example.com/x"}`, "url"},
		{"credentials in url", `{"url":"https://u:p@example.com/x"}`, "url"},
		{"unknown event", `{"url":"https://example.com/x","events":["nope"]}`, "events"},
		{"too many retries", `{"url":"https://example.com/x","retries":11}`, "retries"},
		{"negative retries", `{"url":"https://example.com/x","retries":-1}`, "retries"},
		{"backoff too long", `{"url":"https://example.com/x","backoff_seconds":7200}`, "backoff_seconds"},
		{"bad secret", `{"url":"https://example.com/x","secret":"hunter2"}`, "secret"},
		{"unknown field", `{"url":"https://example.com/x","id":"mine"}`, "id"},
		{"wrong type", `{"url":7}`, "url"},
		{"url too long", `{"url":"https://example.com/` + strings.Repeat("a", 3000) + `"}`, "url"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, body := l.do(t, l.KeyA, http.MethodPost, "/api/v1/webhooks", tc.body)
			e := decode[Error](t, body)
			if status != http.StatusBadRequest || !strings.Contains(e.Message, tc.field) {
				t.Errorf("%s: %d %s; want 400 naming %s", tc.body, status, body, tc.field)
			}
			if strings.Contains(string(body), "hunter2") {
				t.Errorf("the error echoes the secret: %s", body)
			}
		})
	}
	_, body := l.do(t, l.KeyA, http.MethodGet, "/api/v1/webhooks", nil)
	if list := decode[WebhookList](t, body); len(list.Webhooks) != 0 {
		t.Errorf("bad input created %+v", list.Webhooks)
	}
}

// TestDeleteWebhook: a deleted endpoint leaves the listing; deleting it
// again, or an id that never was, is a 404.
func TestDeleteWebhook(t *testing.T) {
	l := newLive(t)
	id := createWebhook(t, l, l.KeyA)
	status, body := l.do(t, l.KeyA, http.MethodDelete, "/api/v1/webhooks/"+id, nil)
	if status != http.StatusOK {
		t.Fatalf("DELETE = %d %s", status, body)
	}
	if d := decode[DeletedWebhook](t, body); !d.Success || d.ID != id {
		t.Errorf("deleted = %+v", d)
	}
	_, body = l.do(t, l.KeyA, http.MethodGet, "/api/v1/webhooks", nil)
	if list := decode[WebhookList](t, body); len(list.Webhooks) != 0 {
		t.Errorf("after delete, listing = %+v", list.Webhooks)
	}
	for _, path := range []string{"/api/v1/webhooks/" + id, "/api/v1/webhooks/00000000-0000-0000-0000-000000000000"} {
		if status, body := l.do(t, l.KeyA, http.MethodDelete, path, nil); status != http.StatusNotFound {
			t.Errorf("DELETE %s = %d %s, want 404", path, status, body)
		}
	}
}

// TestWebhooksCrossWorkspace: workspace B's key neither sees nor changes
// workspace A's endpoints, by any webhook route.
func TestWebhooksCrossWorkspace(t *testing.T) {
	l := newLive(t)
	id := createWebhook(t, l, l.KeyA)
	_, body := l.do(t, l.KeyB, http.MethodGet, "/api/v1/webhooks", nil)
	if list := decode[WebhookList](t, body); len(list.Webhooks) != 0 {
		t.Errorf("B lists %+v", list.Webhooks)
	}
	for _, r := range []struct{ method, path, body string }{
		{http.MethodDelete, "/api/v1/webhooks/" + id, ""},
		{http.MethodGet, "/api/v1/webhooks/" + id + "/deliveries", ""},
		{http.MethodPost, "/api/v1/webhooks/" + id + "/replay", `{"since":"2030-01-01T00:00:00Z"}`},
	} {
		var b any
		if r.body != "" {
			b = r.body
		}
		if status, body := l.do(t, l.KeyB, r.method, r.path, b); status != http.StatusNotFound {
			t.Errorf("B: %s %s = %d %s, want 404", r.method, r.path, status, body)
		}
	}
	_, body = l.do(t, l.KeyA, http.MethodGet, "/api/v1/webhooks", nil)
	if list := decode[WebhookList](t, body); len(list.Webhooks) != 1 {
		t.Errorf("A's endpoint after B's attempts: %+v", list.Webhooks)
	}
}

// createWebhook creates an endpoint with key and returns its id.
func createWebhook(t *testing.T, l *live, key string) string {
	t.Helper()
	status, body := l.do(t, key, http.MethodPost, "/api/v1/webhooks", map[string]any{"url": "https://crm.example.com/hooks"})
	if status != http.StatusOK {
		t.Fatalf("POST /webhooks = %d %s", status, body)
	}
	return decode[CreatedWebhook](t, body).Webhook.ID
}

// FuzzCreateWebhookBody sends generated bodies to create-webhook on the
// live server: each is a 200 or a 4xx in the API's error shape, never a
// 5xx.
func FuzzCreateWebhookBody(f *testing.F) {
	for _, seed := range []string{
		`{"url":"https://example.com/h"}`, `{"url":"https://example.com/h","events":["new_reply"],"retries":2,"backoff_seconds":5}`,
		`{"url":"http://127.0.0.1:9/h"}`, `{"url":"https://example.com/h","secret":"whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"}`,
		`{"url":""}`, `{"url":"https://example.com/h","secret":"whsec_!!"}`, `[]`, `null`, ``, `{"url":"https://[::1"}`,
	} {
		f.Add(seed)
	}
	l := newLive(f)
	f.Fuzz(func(t *testing.T, body string) {
		status, resp := l.do(t, l.KeyA, http.MethodPost, "/api/v1/webhooks", body)
		switch {
		case status == http.StatusOK:
		case status >= 400 && status < 500:
			var e Error
			if err := json.Unmarshal(resp, &e); err != nil || e.Message == "" {
				t.Fatalf("%d with %s", status, resp)
			}
		default:
			t.Fatalf("body %q: %d %s", body, status, resp)
		}
	})
}
