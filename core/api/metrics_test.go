package api

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// scrape GETs /metrics from url and returns the status and body.
func scrape(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url + MetricsPath)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(b)
}

// metricsServer serves the API with metrics over a fake service on a
// loopback listener.
func metricsServer(t *testing.T, m *Metrics, public bool) string {
	t.Helper()
	s := New(Options{Service: newWebhookFake(), RateLimit: 1000, Metrics: m, MetricsPublic: public,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(srv.Close)
	return srv.URL
}

// TestMetricsScrape: after some requests, a scrape shows them by operation
// and status, and the figures the engine and the deliveries report.
func TestMetricsScrape(t *testing.T) {
	m := NewMetrics(func(context.Context) (map[string]int, error) { return map[string]int{"acme": 7}, nil })
	url := metricsServer(t, m, false)
	get := func(path, key string) {
		req, _ := http.NewRequest(http.MethodGet, url+path, nil)
		if key != "" {
			req.Header.Set("X-API-Key", key)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	get("/api/v1/webhooks", goodKey)
	get("/api/v1/webhooks", goodKey)
	get("/api/v1/webhooks", "sk_live_nope")
	get("/api/v1/webhooks/nope/deliveries", goodKey)
	get("/api/v1/no-such-thing", goodKey)
	m.DMSent("acc-1")
	m.DMSent("acc-1")
	m.DMFailed("acc-2")
	m.Replied("acc-1")
	m.Delivery("delivered")
	m.Delivery("retrying")
	m.PluginRestarted("x")

	status, body := scrape(t, url)
	if status != http.StatusOK {
		t.Fatalf("GET /metrics = %d %s", status, body)
	}
	for _, want := range []string{
		`outreach_api_requests_total{operation="list-webhooks",status="200"} 2`,
		`outreach_api_requests_total{operation="list-webhooks",status="401"} 1`,
		`outreach_api_requests_total{operation="list-webhook-deliveries",status="404"} 1`,
		`outreach_api_requests_total{operation="none",status="404"} 1`,
		`outreach_dms_sent_total{account="acc-1"} 2`,
		`outreach_dms_failed_total{account="acc-2"} 1`,
		`outreach_replies_total{account="acc-1"} 1`,
		`outreach_webhook_deliveries_total{outcome="delivered"} 1`,
		`outreach_webhook_deliveries_total{outcome="retrying"} 1`,
		`outreach_plugin_restarts_total{plugin="x"} 1`,
		`outreach_queue_pending_jobs{workspace="acme"} 7`,
		`go_goroutines`,
	} {
		if !strings.Contains(body, want+"\n") && !strings.Contains(body, want) {
			t.Errorf("the scrape lacks %s", want)
		}
	}
}

// TestMetricsLoopbackOnly: a client that is not on loopback gets 404
// unless the metrics are public.
func TestMetricsLoopbackOnly(t *testing.T) {
	for _, public := range []bool{false, true} {
		s := New(Options{Service: newWebhookFake(), Metrics: NewMetrics(nil), MetricsPublic: public,
			Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
		req := httptest.NewRequest(http.MethodGet, MetricsPath, nil)
		req.RemoteAddr = "203.0.113.9:4567"
		rec := httptest.NewRecorder()
		s.Handler().ServeHTTP(rec, req)
		want := http.StatusNotFound
		if public {
			want = http.StatusOK
		}
		if rec.Code != want {
			t.Errorf("public=%v: a remote client got %d, want %d", public, rec.Code, want)
		}
		req.RemoteAddr = "[::1]:4567"
		rec = httptest.NewRecorder()
		s.Handler().ServeHTTP(rec, req)
		if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "outreach_api_requests_total") {
			t.Errorf("public=%v: a loopback client got %d", public, rec.Code)
		}
	}
}
