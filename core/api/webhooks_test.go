package api

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/outreachhq/outreach/core/service"
	"github.com/outreachhq/outreach/core/store"
)

const (
	crmID       = "6f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f"
	otherHookID = "7a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d"
	otherWS     = "globex"
)

var hookT0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.FixedZone("CET", 3600))

// webhookFake is a fake service with two workspaces: goodKey's, acme, has
// the configuration-managed endpoint "crm" with two deliveries; otherKey's
// has an endpoint of its own. It records the queries and replays it gets.
type webhookFake struct {
	fakeService
	mu      sync.Mutex
	queries []service.DeliveryQuery
	replays []service.Replay
}

func newWebhookFake() *webhookFake {
	hooks := map[string][]store.Webhook{
		testWorkspace: {{
			ID: crmID, Workspace: testWorkspace, Address: "webhook.crm", URL: "https://crm.example.com/hooks",
			Events: []string{store.EventNewReply}, Secret: []byte("SEALEDSECRET"), SecretDigest: "DIGEST",
			CreatedAt: hookT0,
		}},
		otherWS: {{ID: otherHookID, Workspace: otherWS, URL: "https://other.example.com/hooks", Retries: -1, Backoff: time.Minute,
			Disabled: true, DisabledReason: "the endpoint answered 410 Gone", CreatedAt: hookT0}},
	}
	failed := store.Delivery{
		ID: store.DeliveryID(crmID, "e1"), Workspace: testWorkspace, WebhookID: crmID, EventID: "e1", EventType: store.EventNewReply,
		Status: store.DeliveryFailed, Attempts: 4, LastStatusCode: 500, LastError: "the endpoint answered 500",
		Log: []store.DeliveryAttempt{
			{At: hookT0, StatusCode: 500, DurationMS: 120, Error: "the endpoint answered 500", NextAttemptAt: hookT0.Add(30 * time.Second)},
			{At: hookT0.Add(30 * time.Second), DurationMS: 30000, Error: "timeout"},
		},
		CreatedAt: hookT0, UpdatedAt: hookT0.Add(30 * time.Second),
	}
	retrying := store.Delivery{
		ID: store.DeliveryID(crmID, "e2"), Workspace: testWorkspace, WebhookID: crmID, EventID: "e2", EventType: store.EventNewReply,
		Status: store.DeliveryRetrying, Attempts: 1, LastStatusCode: 503, LastError: "the endpoint answered 503", NextAttemptAt: hookT0.Add(time.Hour),
		Log:       []store.DeliveryAttempt{{At: hookT0.Add(time.Minute), StatusCode: 503, DurationMS: 80, Error: "the endpoint answered 503", NextAttemptAt: hookT0.Add(time.Hour)}},
		CreatedAt: hookT0.Add(time.Minute), UpdatedAt: hookT0.Add(time.Minute),
	}
	f := &webhookFake{}
	find := func(ws, ref string) (store.Webhook, error) {
		for _, w := range hooks[ws] {
			if w.ID == ref || w.Address == ref || w.Address == "webhook."+ref {
				return w, nil
			}
		}
		return store.Webhook{}, fmt.Errorf("webhook %s: %w", ref, service.ErrNotFound)
	}
	f.authenticate = func(_ context.Context, key string) (string, error) {
		switch key {
		case goodKey:
			return testWorkspace, nil
		case otherKey:
			return otherWS, nil
		}
		return "", service.ErrUnauthorized
	}
	f.listWebhooks = func(_ context.Context, ws string) ([]store.Webhook, error) { return hooks[ws], nil }
	f.webhookDeliveries = func(_ context.Context, ws, ref string, q service.DeliveryQuery) ([]store.Delivery, error) {
		f.mu.Lock()
		f.queries = append(f.queries, q)
		f.mu.Unlock()
		if _, err := find(ws, ref); err != nil {
			return nil, err
		}
		if q.Status == store.DeliveryFailed {
			return []store.Delivery{failed}, nil
		}
		return []store.Delivery{retrying, failed}, nil
	}
	f.replayDeliveries = func(_ context.Context, ws, ref string, r service.Replay) ([]store.Delivery, error) {
		f.mu.Lock()
		f.replays = append(f.replays, r)
		f.mu.Unlock()
		if _, err := find(ws, ref); err != nil {
			return nil, err
		}
		if r.EventID == "" && r.DeliveryID == "" && r.FailedSince.IsZero() {
			return nil, &service.ValidationError{Field: "delivery_id", Reason: "give one of delivery_id, event_id and since"}
		}
		d := failed
		d.Status, d.Attempts, d.NextAttemptAt = store.DeliveryPending, 0, hookT0.Add(2*time.Hour)
		return []store.Delivery{d}, nil
	}
	return f
}

// listen serves s on a loopback port for the test and returns its base URL.
func listen(t *testing.T, s *testServer) string {
	t.Helper()
	return serveLoopback(t, s.Handler())
}

// serveLoopback serves h on a loopback port, as outreach serve does, until
// the test ends, and returns its base URL.
func serveLoopback(t testing.TB, h http.Handler) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	t.Cleanup(func() {
		_ = srv.Close()
		if err := <-done; err != http.ErrServerClosed {
			t.Errorf("Serve: %v", err)
		}
	})
	return "http://" + ln.Addr().String()
}

// call sends a request with key to base+path and returns the status and
// the body.
func call(t *testing.T, method, url, key, body string) (int, []byte) {
	t.Helper()
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, url, r)
	if err != nil {
		t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Authorization", "Bearer "+key)
	resp, err := (&http.Client{Timeout: 5 * time.Second}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	wantCommonHeaders(t, resp.Header, 1000)
	return resp.StatusCode, b
}

func TestListWebhooks(t *testing.T) {
	base := listen(t, newTestServer(t, newWebhookFake(), 1000))

	status, body := call(t, "GET", base+"/api/v1/webhooks", goodKey, "")
	want := `{"webhooks":[{"id":"` + crmID + `","name":"crm","url":"https://crm.example.com/hooks","events":["new_reply"],` +
		`"signed":true,"retries":3,"backoff_seconds":30,"disabled":false,"disabled_reason":"","created_at":"2026-03-02T08:00:00Z"}]}`
	if status != 200 || strings.TrimSpace(string(body)) != want {
		t.Errorf("list-webhooks: %d\n%s\nwant\n%s", status, body, want)
	}
	if strings.Contains(string(body), "SEALEDSECRET") || strings.Contains(string(body), "DIGEST") {
		t.Errorf("list-webhooks shows the secret: %s", body)
	}

	// Another workspace sees its own endpoint only: never retried, a
	// minute's backoff, disabled with its reason, every event.
	status, body = call(t, "GET", base+"/api/v1/webhooks", otherKey, "")
	var list WebhookList
	if err := json.Unmarshal(body, &list); err != nil || status != 200 || len(list.Webhooks) != 1 {
		t.Fatalf("list-webhooks of %s: %d %s", otherWS, status, body)
	}
	w := list.Webhooks[0]
	if w.ID != otherHookID || w.Name != "" || w.Retries != 0 || w.BackoffSeconds != 60 || !w.Disabled ||
		w.DisabledReason != "the endpoint answered 410 Gone" || w.Events == nil || len(w.Events) != 0 || w.Signed {
		t.Errorf("list-webhooks of %s: %+v", otherWS, w)
	}
}

func TestWebhookDeliveries(t *testing.T) {
	fake := newWebhookFake()
	base := listen(t, newTestServer(t, fake, 1000))

	status, body := call(t, "GET", base+"/api/v1/webhooks/crm/deliveries", goodKey, "")
	var got map[string][]map[string]any
	if err := json.Unmarshal(body, &got); err != nil || status != 200 || len(got["deliveries"]) != 2 {
		t.Fatalf("list-webhook-deliveries: %d %s", status, body)
	}
	retrying, failed := got["deliveries"][0], got["deliveries"][1]
	wantKeys := []string{"attempts", "created_at", "event_id", "event_type", "id", "last_error", "last_status_code", "log", "next_attempt_at", "status", "updated_at", "webhook_id"}
	if diff := cmp.Diff(wantKeys, keys(retrying)); diff != "" {
		t.Errorf("a retrying delivery's fields (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(slices.DeleteFunc(slices.Clone(wantKeys), func(k string) bool { return k == "next_attempt_at" }), keys(failed)); diff != "" {
		t.Errorf("a failed delivery's fields, without next_attempt_at (-want +got):\n%s", diff)
	}
	wantLog := []any{
		map[string]any{"at": "2026-03-02T08:00:00Z", "status_code": 500.0, "duration_ms": 120.0, "error": "the endpoint answered 500", "next_attempt_at": "2026-03-02T08:00:30Z"},
		map[string]any{"at": "2026-03-02T08:00:30Z", "status_code": 0.0, "duration_ms": 30000.0, "error": "timeout"},
	}
	if diff := cmp.Diff(wantLog, failed["log"]); diff != "" {
		t.Errorf("the attempt log, times in UTC (-want +got):\n%s", diff)
	}
	if retrying["next_attempt_at"] != "2026-03-02T09:00:00Z" || failed["status"] != "failed" || failed["attempts"] != 4.0 || failed["last_status_code"] != 500.0 {
		t.Errorf("deliveries: %s", body)
	}

	// The query reaches the service; the limit is 50 unless given.
	status, body = call(t, "GET", base+"/api/v1/webhooks/"+crmID+"/deliveries?status=failed&since=2026-03-01T00:00:00Z&limit=7", goodKey, "")
	if status != 200 || strings.Count(string(body), `"id"`) != 1 {
		t.Errorf("deliveries with a query: %d %s", status, body)
	}
	wantQueries := []service.DeliveryQuery{
		{Limit: 50},
		{Status: "failed", Since: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), Limit: 7},
	}
	if diff := cmp.Diff(wantQueries, fake.queries); diff != "" {
		t.Errorf("queries (-want +got):\n%s", diff)
	}

	// Another workspace's endpoint is not found, by id or by name.
	for _, ref := range []string{crmID, "crm"} {
		status, body = call(t, "GET", base+"/api/v1/webhooks/"+ref+"/deliveries", otherKey, "")
		if status != 404 || !strings.Contains(string(body), `"error":"Not Found"`) {
			t.Errorf("%s's deliveries with %s's key: %d %s; want 404", ref, otherWS, status, body)
		}
	}
	status, body = call(t, "GET", base+"/api/v1/webhooks/"+otherHookID+"/deliveries", goodKey, "")
	if status != 404 {
		t.Errorf("%s's endpoint with %s's key: %d %s; want 404", otherWS, testWorkspace, status, body)
	}
}

func TestReplayWebhookDeliveries(t *testing.T) {
	fake := newWebhookFake()
	base := listen(t, newTestServer(t, fake, 1000))
	replay := base + "/api/v1/webhooks/crm/replay"

	status, body := call(t, "POST", replay, goodKey, `{"event_id":"e1"}`)
	var res ReplayResult
	if err := json.Unmarshal(body, &res); err != nil || status != 200 || res.Replayed != 1 || len(res.Deliveries) != 1 {
		t.Fatalf("replay: %d %s", status, body)
	}
	if d := res.Deliveries[0]; d.Status != "pending" || d.Attempts != 0 || d.NextAttemptAt != "2026-03-02T10:00:00Z" || len(d.Log) != 2 {
		t.Errorf("replayed delivery: %+v; want pending, due, its log kept", d)
	}
	if status, _ := call(t, "POST", replay, goodKey, `{"since":"2026-03-01T10:00:00+01:00"}`); status != 200 {
		t.Errorf("replay since: %d", status)
	}
	wantReplays := []service.Replay{{EventID: "e1"}, {FailedSince: time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)}}
	if diff := cmp.Diff(wantReplays, fake.replays, cmp.Comparer(time.Time.Equal)); diff != "" {
		t.Errorf("replays (-want +got):\n%s", diff)
	}

	if status, body := call(t, "POST", base+"/api/v1/webhooks/"+otherHookID+"/replay", goodKey, `{"event_id":"e1"}`); status != 404 {
		t.Errorf("replay of another workspace's endpoint: %d %s; want 404", status, body)
	}

	bad := []struct {
		name, body, message string
	}{
		{"since not a time", `{"since":"yesterday"}`, "since: expected string to be RFC 3339 date-time"},
		{"event_id not a string", `{"event_id":7}`, "event_id: expected string"},
		{"unknown field", `{"event":"e1"}`, "event: unexpected property"},
		{"nothing to replay", `{}`, "delivery_id: give one of delivery_id, event_id and since"},
		{"not JSON", `{"event_id":`, "request body: unexpected end of JSON input"},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			status, body := call(t, "POST", replay, goodKey, tt.body)
			var e map[string]string
			if err := json.Unmarshal(body, &e); err != nil || status != 400 || e["error"] != "Bad Request" || !strings.HasPrefix(e["message"], tt.message) {
				t.Errorf("%s: %d %s; want 400 with a message starting %q", tt.body, status, body, tt.message)
			}
		})
	}
}

func TestWebhookDeliveriesBadQuery(t *testing.T) {
	s := newTestServer(t, newWebhookFake(), 1000)
	for query, message := range map[string]string{
		"status=lost":    "status: expected value to be one of",
		"limit=0":        "limit: expected number >= 1",
		"since=tomorrow": "since: expected string to be RFC 3339 date-time",
	} {
		rec := s.do(t, "GET", "/api/v1/webhooks/crm/deliveries?"+query, "", "X-API-Key", goodKey)
		var e map[string]string
		if err := json.Unmarshal(rec.Body.Bytes(), &e); err != nil || rec.Code != 400 || !strings.HasPrefix(e["message"], message) {
			t.Errorf("?%s: %d %s; want 400 starting %q", query, rec.Code, rec.Body, message)
		}
	}
}

// FuzzReplayBody: whatever the body, replay answers 200 with a consistent
// result or 400 in the API's error shape; never a panic or a 500.
func FuzzReplayBody(f *testing.F) {
	for _, seed := range []string{`{"event_id":"e1"}`, `{"delivery_id":"d"}`, `{"since":"2026-03-01T10:00:00Z"}`, `{}`, `{"since":"x"}`, `[]`, `null`, `{"event_id":7}`, ""} {
		f.Add(seed)
	}
	s := New(Options{Service: newWebhookFake(), RateLimit: 1 << 30})
	f.Fuzz(func(t *testing.T, body string) {
		rec := (&testServer{Server: s}).do(t, "POST", "/api/v1/webhooks/crm/replay", body, "X-API-Key", goodKey)
		switch rec.Code {
		case 200:
			var res ReplayResult
			if err := json.Unmarshal(rec.Body.Bytes(), &res); err != nil || res.Replayed != len(res.Deliveries) {
				t.Fatalf("200 with %s", rec.Body)
			}
		case 400:
			var e Error
			if err := json.Unmarshal(rec.Body.Bytes(), &e); err != nil || e.Title != "Bad Request" || e.Message == "" {
				t.Fatalf("400 with %s", rec.Body)
			}
		default:
			t.Fatalf("body %q: status %d %s", body, rec.Code, rec.Body)
		}
	})
}
