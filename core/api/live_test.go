package api

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/outreachhq/outreach/core/clock"
	"github.com/outreachhq/outreach/core/secrets"
	"github.com/outreachhq/outreach/core/service"
	"github.com/outreachhq/outreach/core/store"
	"github.com/outreachhq/outreach/core/store/storetest"
	"github.com/outreachhq/outreach/core/store/teststore"
	"github.com/outreachhq/outreach/sdk/plugintest"
)

// TestMain stops the Postgres cluster the tests started, if any: make test
// runs this package's tests on buntdb, then again on Postgres.
func TestMain(m *testing.M) {
	plugintest.HoldToLoopback()
	os.Exit(teststore.Main(m))
}

// liveStart is when a live server's virtual clock starts: a Monday morning
// in 2030, so that the reference's example times (2024) are in the past
// and tests write their own future ones.
var liveStart = time.Date(2030, 3, 4, 9, 0, 0, 0, time.UTC)

// live is the API on the real service over a real store (buntdb, or
// Postgres when $OUTREACH_TEST_STORE says so), served on a loopback port,
// with two workspaces: A, the caller's, and B, another tenant's.
type live struct {
	URL    string
	Server *Server
	Svc    *service.Service
	Store  teststore.Store
	Clock  *clock.Virtual
	// KeyA and KeyB are API keys of workspaces WorkspaceA and WorkspaceB.
	KeyA, KeyB string
}

const (
	WorkspaceA = "ws-a"
	WorkspaceB = "ws-b"
)

// newLive starts a live server for t. The rate limit is high enough not to
// get in the way of tests that are not about it.
func newLive(t testing.TB) *live {
	t.Helper()
	place := teststore.New(t)
	st := place.Open(t, "api-test")
	t.Cleanup(func() { st.Close() })
	sl, err := secrets.LoadSealer(place.Dir)
	if err != nil {
		t.Fatal(err)
	}
	vc := clock.NewVirtual(liveStart)
	db := store.Narrow(st, func(tx storetest.Tx) service.Tx { return tx })
	svc := service.New(db, service.Options{Clock: vc, Sealer: sl})
	l := &live{Svc: svc, Store: st, Clock: vc}
	ctx := context.Background()
	if l.KeyA, _, err = svc.CreateAPIKey(ctx, WorkspaceA); err != nil {
		t.Fatal(err)
	}
	if l.KeyB, _, err = svc.CreateAPIKey(ctx, WorkspaceB); err != nil {
		t.Fatal(err)
	}
	s := New(Options{
		Service:   svc,
		Version:   "test",
		Now:       vc.Now,
		RateLimit: 100000,
		Logger:    slog.New(slog.NewTextHandler(io.Discard, nil)),
	})
	l.URL, l.Server = serveLoopback(t, s.Handler()), s
	return l
}

// do sends a request with key to the server (path under the root, such as
// /api/v1/accounts) and returns the status and body. A body that is not a
// string is encoded as JSON.
func (l *live) do(t testing.TB, key, method, path string, body any) (int, []byte) {
	t.Helper()
	var data string
	contentType := "application/json"
	switch b := body.(type) {
	case nil:
	case rawBody:
		data, contentType = b.data, b.contentType
	case string:
		data = b
	default:
		enc, err := json.Marshal(b)
		if err != nil {
			t.Fatal(err)
		}
		data = string(enc)
	}
	status, _, got := l.send(t, key, method, path, contentType, data)
	return status, got
}

// send sends body ("" for none) as contentType with key, and returns the
// status, the headers and the body of the answer, whose status must be
// one its operation documents.
func (l *live) send(t testing.TB, key, method, path, contentType, body string) (int, http.Header, []byte) {
	t.Helper()
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, l.URL+path, r)
	if err != nil {
		t.Fatal(err)
	}
	if r != nil {
		req.Header.Set("Content-Type", contentType)
	}
	req.Header.Set("X-API-Key", key)
	resp, err := (&http.Client{Timeout: 30 * time.Second}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	l.wantDocumented(t, method, path, resp.StatusCode)
	return resp.StatusCode, resp.Header, b
}

// wantDocumented fails t when the operation that serves method and path
// answered a status its OpenAPI entry does not document: what a client
// generated from the document would not expect.
func (l *live) wantDocumented(t testing.TB, method, path string, status int) {
	t.Helper()
	path, _, _ = strings.Cut(path, "?")
	for _, op := range operations(l.Server) {
		if op.Method == method && matchesTemplate(op.Path, path) {
			if op.Op.Responses[strconv.Itoa(status)] == nil {
				t.Errorf("%s (%s %s) answered %d, which its OpenAPI entry does not document", op.ID, method, path, status)
			}
			return
		}
	}
}

// matchesTemplate reports whether path is one of an OpenAPI path
// template's ("/webhooks/{webhook_id}/replay").
func matchesTemplate(template, path string) bool {
	ts, ps := strings.Split(template, "/"), strings.Split(path, "/")
	if len(ts) != len(ps) {
		return false
	}
	for i := range ts {
		if ts[i] != ps[i] && !(strings.HasPrefix(ts[i], "{") && ps[i] != "") {
			return false
		}
	}
	return true
}

// rawBody is a request body that is not JSON.
type rawBody struct{ contentType, data string }

// decode decodes a JSON body into a value of type T, failing t otherwise.
func decode[T any](t testing.TB, body []byte) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(body, &v); err != nil {
		t.Fatalf("body: %v\n%s", err, body)
	}
	return v
}

// update writes to the live store directly, as the engine would: tests put
// conversations and messages this way.
func (l *live) update(t testing.TB, fn func(tx storetest.Tx) error) {
	t.Helper()
	if err := l.Store.Update(context.Background(), fn); err != nil {
		t.Fatal(err)
	}
}
