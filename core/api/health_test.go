package api

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"testing"
)

// TestHealth: GET /healthz needs no key, answers 200 while the store
// answers and 503 when it does not, and keeps the reason for the log.
func TestHealth(t *testing.T) {
	var down error
	var log bytes.Buffer
	s := New(Options{
		Service: &fakeService{},
		Health:  func(context.Context) error { return down },
		Logger:  slog.New(slog.NewTextHandler(&lockedWriter{w: &log}, nil)),
	})
	ts := &testServer{Server: s, log: &log}

	rec := ts.do(t, http.MethodGet, "/healthz", "")
	if rec.Code != http.StatusOK || strings.TrimSpace(rec.Body.String()) != `{"status":"ok","database":"ok"}` {
		t.Errorf("healthy: %d %s", rec.Code, rec.Body)
	}

	down = errors.New("dial unix /run/postgresql/.s.PGSQL.5432: connect: no such file")
	rec = ts.do(t, http.MethodGet, "/healthz", "")
	if rec.Code != http.StatusServiceUnavailable || strings.TrimSpace(rec.Body.String()) != `{"status":"unavailable","database":"unavailable"}` {
		t.Errorf("store down: %d %s", rec.Code, rec.Body)
	}
	if strings.Contains(rec.Body.String(), "postgresql") {
		t.Errorf("the body shows the store's error: %s", rec.Body)
	}
	if !strings.Contains(log.String(), "no such file") {
		t.Errorf("the log does not say why: %s", log.String())
	}
}
