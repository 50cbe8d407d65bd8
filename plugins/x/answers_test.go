package x

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/outreachhq/outreach/sdk"
)

// testdata reads one of X's documented bodies copied from
// shared/x-api-v2.
func testdata(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// legacy is X's v1.1 error body for a documented legacy code, with X's
// text for it (error_codes.legacy_numeric.json): how X answers where it
// shows no v2 body.
func legacy(t *testing.T, code int) string {
	t.Helper()
	var codes []struct {
		Code int    `json:"code"`
		Text string `json:"text"`
	}
	if err := json.Unmarshal([]byte(testdata(t, "error_codes.legacy_numeric.json")), &codes); err != nil {
		t.Fatal(err)
	}
	for _, c := range codes {
		if c.Code == code {
			b, _ := json.Marshal(map[string]any{"errors": []any{map[string]any{"code": c.Code, "message": c.Text}}})
			return string(b)
		}
	}
	t.Fatalf("X documents no legacy code %d", code)
	return ""
}

// canned serves status, headers and body to every request and counts them.
func canned(t *testing.T, status int, header map[string]string, body string) (*Connector, *atomic.Int32) {
	t.Helper()
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		hits.Add(1)
		for k, v := range header {
			w.Header().Set(k, v)
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_, _ = w.Write([]byte(body))
	}))
	t.Cleanup(srv.Close)
	c := New()
	raw, _ := json.Marshal(map[string]string{"base_url": srv.URL, "retry_backoff": "0s"})
	if err := c.Configure(context.Background(), raw); err != nil {
		t.Fatal(err)
	}
	return c, &hits
}

var session = sdk.Session{AccountID: "a", Handle: "acme_sales", UserID: "42", Credentials: map[string]string{sdk.CredentialAccessToken: "t"}}

// TestXAnswersReadRight: X's documented answers, each read as what it
// means for the account and the lead (issue 12, item 4).
func TestXAnswersReadRight(t *testing.T) {
	scopeBody := `{"title":"Unsupported Authentication","type":"https://api.x.com/2/problems/unsupported-authentication","status":403,"detail":"The OAuth 2.0 access token used is missing the scope(s) this endpoint requires: dm.write."}`
	unknown403 := `{"title":"Forbidden","type":"about:blank","status":403,"detail":"Forbidden"}`
	notAuthorized := `{"title":"Forbidden","type":"https://api.twitter.com/2/problems/not-authorized-for-resource","status":403,"detail":"You cannot send messages to this user.","resource_type":"user"}`
	sendDM := func(c *Connector) error { _, err := c.SendDM(context.Background(), session, "7", "hi"); return err }
	follow := func(c *Connector) error { _, err := c.Follow(context.Background(), session, "7"); return err }
	read := func(c *Connector) error { _, err := c.CheckSession(context.Background(), session); return err }
	for _, tc := range []struct {
		name   string
		status int
		body   string
		call   func(*Connector) error
		want   sdk.ErrorKind
		says   string // what the message must carry: X's reason
	}{
		{"401 on a read", 401, testdata(t, "error.401.postman.json"), read, sdk.SessionExpired, "Unauthorized"},
		{"401 on a DM", 401, testdata(t, "error.401.postman.json"), sendDM, sdk.SessionExpired, "Unauthorized"},
		{"403 code 89 expired token", 403, legacy(t, 89), read, sdk.SessionExpired, "Invalid or expired token"},
		{"DM refused: 150 not following", 403, legacy(t, 150), sendDM, sdk.RecipientClosed, "not following you"},
		{"DM refused: 151", 403, legacy(t, 151), sendDM, sdk.RecipientClosed, "error sending your message"},
		{"DM refused: 349", 403, legacy(t, 349), sendDM, sdk.RecipientClosed, "cannot send messages to this user"},
		{"DM refused: v2 problem", 403, notAuthorized, sendDM, sdk.RecipientClosed, "cannot send messages to this user"},
		{"DM, missing scope", 403, scopeBody, sendDM, sdk.AccountBlocked, "missing the scope(s) this endpoint requires: dm.write"},
		{"DM, client forbidden", 403, testdata(t, "error.403.client_forbidden.docs.json"), sendDM, sdk.AccountBlocked, "client-not-enrolled"},
		{"DM, client forbidden (recorded)", 403, testdata(t, "error.403.client_forbidden.postman.json"), sendDM, sdk.AccountBlocked, "approved developer account"},
		{"DM, suspended 64", 403, legacy(t, 64), sendDM, sdk.AccountBlocked, "suspended"},
		{"DM, locked 326", 403, legacy(t, 326), sendDM, sdk.AccountBlocked, "temporarily locked"},
		{"DM, app cannot write 261", 403, legacy(t, 261), sendDM, sdk.AccountBlocked, "cannot perform write actions"},
		{"DM, app not allowed DMs 93", 403, legacy(t, 93), sendDM, sdk.AccountBlocked, "Direct Messages"},
		{"DM, a 403 X does not explain", 403, unknown403, sendDM, sdk.AccountBlocked, "Forbidden"},
		{"DM, a 403 with no body", 403, ``, sendDM, sdk.AccountBlocked, "403"},
		{"DM, automated 226", 403, legacy(t, 226), sendDM, sdk.Automated, "automated"},
		{"follow, missing scope", 403, scopeBody, follow, sdk.AccountBlocked, "scope"},
		{"follow, suspended", 403, legacy(t, 64), follow, sdk.AccountBlocked, "suspended"},
		{"429 on a DM", 429, testdata(t, "error.429.json"), sendDM, sdk.RateLimited, "Rate limit exceeded"},
		{"500 on a DM", 500, `{"title":"Internal Server Error"}`, sendDM, sdk.InDoubt, "outcome is unknown"},
		{"503 on a read", 503, `{"title":"Service Unavailable"}`, read, sdk.Retryable, "Service Unavailable"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, _ := canned(t, tc.status, nil, tc.body)
			err := tc.call(c)
			if sdk.KindOf(err) != tc.want {
				t.Fatalf("%v (kind %q); want %s", err, sdk.KindOf(err), tc.want)
			}
			if !strings.Contains(err.Error(), tc.says) {
				t.Errorf("%v; want the message to carry %q", err, tc.says)
			}
		})
	}
}

// TestRateLimitResetReadsTheDailyHeaders: a 429 lifts at x-rate-limit-reset,
// unless a 24-hour limit, the user's or the app's, is spent: then at that
// limit's later reset.
func TestRateLimitResetReadsTheDailyHeaders(t *testing.T) {
	window := time.Date(2026, 3, 1, 12, 15, 0, 0, time.UTC)
	day := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
	epoch := func(t time.Time) string { return fmt.Sprint(t.Unix()) }
	for _, tc := range []struct {
		name   string
		header map[string]string
		want   time.Time
	}{
		{"15-minute window", map[string]string{"x-rate-limit-reset": epoch(window), "x-user-limit-24hour-remaining": "1300", "x-user-limit-24hour-reset": epoch(day)}, window},
		{"user's day spent", map[string]string{"x-rate-limit-reset": epoch(window), "x-user-limit-24hour-remaining": "0", "x-user-limit-24hour-reset": epoch(day)}, day},
		{"app's day spent", map[string]string{"x-rate-limit-reset": epoch(window), "x-rate-limit-remaining": "9", "x-app-limit-24hour-remaining": "0", "x-app-limit-24hour-reset": epoch(day)}, day},
		{"only the day's headers", map[string]string{"x-app-limit-24hour-remaining": "0", "x-app-limit-24hour-reset": epoch(day)}, day},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, _ := canned(t, 429, tc.header, testdata(t, "error.429.json"))
			_, err := c.SendDM(context.Background(), session, "7", "hi")
			var e *sdk.Error
			if !errors.As(err, &e) || e.Kind != sdk.RateLimited || !e.ResetAt.Equal(tc.want) {
				t.Errorf("%v; want RateLimited until %s", err, tc.want)
			}
		})
	}
}

// TestReadsAreRetriedWritesAreNot: a 5xx on a read is tried again, with a
// growing pause, and a later success is the answer; a 5xx on a write is
// sent once and is in doubt.
func TestReadsAreRetriedWritesAreNot(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := hits.Add(1)
		if r.Method == http.MethodGet && n == 3 {
			_, _ = w.Write([]byte(`{"data":{"id":"42","username":"acme_sales"}}`))
			return
		}
		w.WriteHeader(http.StatusServiceUnavailable)
		_, _ = w.Write([]byte(`{"title":"Service Unavailable","detail":"Service Unavailable","type":"about:blank","status":503}`))
	}))
	t.Cleanup(srv.Close)
	c := New()
	if err := c.Configure(context.Background(), []byte(`{"base_url":"`+srv.URL+`","read_attempts":4,"retry_backoff":"100ms"}`)); err != nil {
		t.Fatal(err)
	}
	var waits []time.Duration
	c.sleep = func(_ context.Context, d time.Duration) error { waits = append(waits, d); return nil }
	u, err := c.CheckSession(context.Background(), session)
	if err != nil || u.Username != "acme_sales" {
		t.Fatalf("CheckSession after two 503s = %+v, %v; want the user", u, err)
	}
	if hits.Load() != 3 || len(waits) != 2 || waits[0] != 100*time.Millisecond || waits[1] != 200*time.Millisecond {
		t.Errorf("%d requests, waits %v; want 3 requests with 100ms then 200ms between", hits.Load(), waits)
	}
	hits.Store(10)
	waits = nil
	if _, err := c.SendDM(context.Background(), session, "7", "hi"); sdk.KindOf(err) != sdk.InDoubt {
		t.Errorf("SendDM answered 503: %v; want InDoubt", err)
	}
	if hits.Load() != 11 || len(waits) != 0 {
		t.Errorf("SendDM made %d requests and waited %v; want exactly one request", hits.Load()-10, waits)
	}
	// A cancelled context stops the retries.
	hits.Store(100)
	ctx, cancel := context.WithCancel(context.Background())
	c.sleep = func(context.Context, time.Duration) error { cancel(); return context.Canceled }
	if _, err := c.CheckSession(ctx, session); sdk.KindOf(err) != sdk.Retryable || hits.Load() != 101 {
		t.Errorf("CheckSession cancelled while waiting: %v after %d requests; want Retryable after one", err, hits.Load()-100)
	}
}
