package api

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/outreachhq/outreach/core/service"
	"github.com/outreachhq/outreach/core/store"
)

const (
	goodKey       = "sk_live_goodkey0000000000000000000000000000"
	otherKey      = "sk_live_otherkey000000000000000000000000000"
	testWorkspace = "acme"
)

// fakeService is a Service made of function fields; nil fields fall back to
// a workspace with no accounts that knows goodKey and otherKey. Operations
// it does not define panic (the embedded Service is nil): tests of them run
// on the real service (newLive).
type fakeService struct {
	Service

	authenticate func(ctx context.Context, key string) (string, error)
	listAccounts func(ctx context.Context, workspace string) ([]service.AccountInfo, error)

	listWebhooks      func(ctx context.Context, workspace string) ([]store.Webhook, error)
	webhookDeliveries func(ctx context.Context, workspace, ref string, q service.DeliveryQuery) ([]store.Delivery, error)
	replayDeliveries  func(ctx context.Context, workspace, ref string, r service.Replay) ([]store.Delivery, error)
}

func (f *fakeService) Authenticate(ctx context.Context, key string) (string, error) {
	if f.authenticate != nil {
		return f.authenticate(ctx, key)
	}
	if key == goodKey || key == otherKey {
		return testWorkspace, nil
	}
	return "", service.ErrUnauthorized
}

func (f *fakeService) ListAccounts(ctx context.Context, workspace string) ([]service.AccountInfo, error) {
	if f.listAccounts != nil {
		return f.listAccounts(ctx, workspace)
	}
	return nil, nil
}

func (f *fakeService) ListWebhooks(ctx context.Context, workspace string) ([]store.Webhook, error) {
	if f.listWebhooks != nil {
		return f.listWebhooks(ctx, workspace)
	}
	return nil, nil
}

func (f *fakeService) WebhookDeliveries(ctx context.Context, workspace, ref string, q service.DeliveryQuery) ([]store.Delivery, error) {
	if f.webhookDeliveries != nil {
		return f.webhookDeliveries(ctx, workspace, ref, q)
	}
	return nil, fmt.Errorf("webhook %s: %w", ref, service.ErrNotFound)
}

func (f *fakeService) ReplayDeliveries(ctx context.Context, workspace, ref string, r service.Replay) ([]store.Delivery, error) {
	if f.replayDeliveries != nil {
		return f.replayDeliveries(ctx, workspace, ref, r)
	}
	return nil, fmt.Errorf("webhook %s: %w", ref, service.ErrNotFound)
}

// fakeClock is a clock tests move by hand.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = t
}

// testServer is a Server over a fake service, with its clock and log.
type testServer struct {
	*Server
	clock *fakeClock
	log   *bytes.Buffer
}

// newTestServer builds a Server on svc (nil: an empty fakeService) with a
// fake clock at 12:00:15 UTC, 45 s before its rate-limit window ends.
func newTestServer(t *testing.T, svc Service, rateLimit int) *testServer {
	t.Helper()
	if svc == nil {
		svc = &fakeService{}
	}
	clock := &fakeClock{now: time.Date(2024, 3, 1, 12, 0, 15, 0, time.UTC)}
	var log bytes.Buffer
	s := New(Options{
		Service:   svc,
		Version:   "test",
		Now:       clock.Now,
		RateLimit: rateLimit,
		Logger:    slog.New(slog.NewTextHandler(&lockedWriter{w: &log}, nil)),
	})
	return &testServer{Server: s, clock: clock, log: &log}
}

type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(b []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(b)
}

// do sends a request to the server's Handler. headers alternate names and
// values.
func (s *testServer) do(t *testing.T, method, path string, body string, headers ...string) *httptest.ResponseRecorder {
	t.Helper()
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	req := httptest.NewRequest(method, path, r)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	rec := httptest.NewRecorder()
	s.Handler().ServeHTTP(rec, req)
	return rec
}

// decodeObject decodes a JSON object body, failing the test otherwise.
func decodeObject(t *testing.T, body []byte) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(body, &m); err != nil {
		t.Fatalf("body is not a JSON object: %v\n%s", err, body)
	}
	return m
}

// wantError checks that rec is the hosted API's error response.
func wantError(t *testing.T, rec *httptest.ResponseRecorder, status int, title, message string) {
	t.Helper()
	if rec.Code != status {
		t.Errorf("status = %d, want %d; body %s", rec.Code, status, rec.Body)
	}
	if ct := rec.Header().Get("Content-Type"); ct != "application/json" {
		t.Errorf("Content-Type = %q, want application/json", ct)
	}
	want := map[string]any{"error": title, "message": message}
	if diff := cmp.Diff(want, decodeObject(t, rec.Body.Bytes())); diff != "" {
		t.Errorf("error body (-want +got):\n%s", diff)
	}
}

var requestIDPattern = regexp.MustCompile(`^req_[a-z0-9]{16}$`)

// wantCommonHeaders checks the headers every /api/v1 response carries.
func wantCommonHeaders(t *testing.T, h http.Header, limit int) {
	t.Helper()
	if id := h.Get("X-Request-ID"); !requestIDPattern.MatchString(id) {
		t.Errorf("X-Request-ID = %q, want req_ and 16 lower-case alphanumerics", id)
	}
	if got := h.Get("X-RateLimit-Limit"); got != strconv.Itoa(limit) {
		t.Errorf("X-RateLimit-Limit = %q, want %d", got, limit)
	}
	if _, err := strconv.Atoi(h.Get("X-RateLimit-Remaining")); err != nil {
		t.Errorf("X-RateLimit-Remaining = %q, want a number", h.Get("X-RateLimit-Remaining"))
	}
	if _, err := strconv.ParseInt(h.Get("X-RateLimit-Reset"), 10, 64); err != nil {
		t.Errorf("X-RateLimit-Reset = %q, want epoch seconds", h.Get("X-RateLimit-Reset"))
	}
	if link := h.Get("Link"); link != "" {
		t.Errorf("Link = %q, want none (huma's describedBy link is off)", link)
	}
}

func TestUnknownRoutes(t *testing.T) {
	s := newTestServer(t, nil, 0)
	tests := []struct {
		name          string
		method, path  string
		headers       []string
		status        int
		title         string
		message       string
		wantRateLimit bool
		wantAllow     string
	}{
		{"unknown under api with key", "GET", "/api/v1/nope", []string{"X-API-Key", goodKey}, 404, "Not Found", "No endpoint GET /api/v1/nope", true, ""},
		{"unknown under api without key", "GET", "/api/v1/nope", nil, 401, "Unauthorized", "Missing API key", true, ""},
		{"api root", "GET", "/api/v1", []string{"X-API-Key", goodKey}, 404, "Not Found", "No endpoint GET /api/v1", true, ""},
		{"unknown outside api", "GET", "/nope", nil, 404, "Not Found", "No endpoint GET /nope", false, ""},
		{"wrong method", "PUT", "/api/v1/accounts", []string{"X-API-Key", goodKey}, 405, "Method Not Allowed", "PUT is not allowed on /api/v1/accounts; allowed: DELETE, GET, HEAD, POST", true, "DELETE, GET, HEAD, POST"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := s.do(t, tt.method, tt.path, "", tt.headers...)
			wantError(t, rec, tt.status, tt.title, tt.message)
			if tt.wantRateLimit {
				wantCommonHeaders(t, rec.Header(), defaultRateLimit)
			} else if id := rec.Header().Get("X-Request-ID"); !requestIDPattern.MatchString(id) {
				t.Errorf("X-Request-ID = %q", id)
			}
			if got := rec.Header().Get("Allow"); got != tt.wantAllow {
				t.Errorf("Allow = %q, want %q", got, tt.wantAllow)
			}
		})
	}
}

func TestInternalErrorsLeakNothing(t *testing.T) {
	const secret = "open /var/lib/outreach/data.db: permission denied"
	tests := []struct {
		name string
		svc  *fakeService
	}{
		{"service error", &fakeService{listAccounts: func(context.Context, string) ([]service.AccountInfo, error) {
			return nil, errors.New(secret)
		}}},
		{"service panic", &fakeService{listAccounts: func(context.Context, string) ([]service.AccountInfo, error) {
			panic(secret)
		}}},
		{"authenticate error", &fakeService{authenticate: func(context.Context, string) (string, error) {
			return "", errors.New(secret)
		}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newTestServer(t, tt.svc, 0)
			rec := s.do(t, "GET", "/api/v1/accounts", "", "X-API-Key", goodKey)
			wantError(t, rec, 500, "Internal Server Error", msgInternal)
			wantCommonHeaders(t, rec.Header(), defaultRateLimit)
			if strings.Contains(rec.Body.String(), "data.db") {
				t.Errorf("body leaks the internal error: %s", rec.Body)
			}
			// The operator still learns what happened, under the id the
			// client was given.
			logged := s.log.String()
			if !strings.Contains(logged, "data.db") || !strings.Contains(logged, rec.Header().Get("X-Request-ID")) {
				t.Errorf("log lacks the error or the request id:\n%s", logged)
			}
		})
	}
}

// TestRealListener runs the server as `outreach serve` will: an http.Server
// on a loopback port, called by a plain net/http client.
func TestRealListener(t *testing.T) {
	s := newTestServer(t, &fakeService{listAccounts: func(context.Context, string) ([]service.AccountInfo, error) {
		return []service.AccountInfo{sampleAccount()}, nil
	}}, 0)
	base := serveLoopback(t, s.Handler())
	client := &http.Client{Timeout: 5 * time.Second}

	tests := []struct {
		name, path string
		headers    []string
		status     int
		check      func(t *testing.T, resp *http.Response, body []byte)
	}{
		{"accounts with key", "/api/v1/accounts", []string{"Authorization", "Bearer " + goodKey}, 200, func(t *testing.T, resp *http.Response, body []byte) {
			wantCommonHeaders(t, resp.Header, defaultRateLimit)
			accounts, _ := decodeObject(t, body)["accounts"].([]any)
			if len(accounts) != 1 {
				t.Fatalf("accounts = %s", body)
			}
		}},
		{"accounts without key", "/api/v1/accounts", nil, 401, func(t *testing.T, resp *http.Response, body []byte) {
			wantCommonHeaders(t, resp.Header, defaultRateLimit)
			want := map[string]any{"error": "Unauthorized", "message": "Missing API key"}
			if diff := cmp.Diff(want, decodeObject(t, body)); diff != "" {
				t.Errorf("body (-want +got):\n%s", diff)
			}
		}},
		{"openapi without key", "/openapi.yaml", nil, 200, func(t *testing.T, resp *http.Response, body []byte) {
			if !bytes.Contains(body, []byte("/api/v1/accounts")) {
				t.Errorf("openapi.yaml lacks /api/v1/accounts")
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, err := http.NewRequest("GET", base+tt.path, nil)
			if err != nil {
				t.Fatal(err)
			}
			for i := 0; i+1 < len(tt.headers); i += 2 {
				req.Header.Set(tt.headers[i], tt.headers[i+1])
			}
			resp, err := client.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			body, err := io.ReadAll(resp.Body)
			if err != nil {
				t.Fatal(err)
			}
			if resp.StatusCode != tt.status {
				t.Fatalf("status = %d, want %d; body %s", resp.StatusCode, tt.status, body)
			}
			if !requestIDPattern.MatchString(resp.Header.Get("X-Request-ID")) {
				t.Errorf("X-Request-ID = %q", resp.Header.Get("X-Request-ID"))
			}
			tt.check(t, resp, body)
		})
	}
}

// TestDocsServedWithoutKey checks the documentation page and its assets are
// served by the server itself, without an API key.
func TestDocsServedWithoutKey(t *testing.T) {
	h := New(Options{Service: &fakeService{}}).Handler()
	for _, path := range []string{"/docs", "/docs/assets/swagger-ui-bundle.js"} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
		if rec.Code != http.StatusOK || rec.Header().Get("X-Request-ID") == "" {
			t.Errorf("GET %s: status %d, X-Request-ID %q", path, rec.Code, rec.Header().Get("X-Request-ID"))
		}
	}
}
