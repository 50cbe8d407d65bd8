package web

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"regexp"
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

// TestMain stops the Postgres cluster the tests started, if any.
func TestMain(m *testing.M) {
	plugintest.HoldToLoopback()
	os.Exit(teststore.Main(m))
}

// liveStart is when a live dashboard's virtual clock starts.
var liveStart = time.Date(2030, 3, 4, 9, 0, 0, 0, time.UTC)

const (
	workspaceA = "ws-a"
	workspaceB = "ws-b"
)

// live is the dashboard on the real service over a real store, served on
// a loopback port, with two workspaces: A, the caller's, and B, another
// tenant's.
type live struct {
	URL   string
	Dash  *Dashboard
	Svc   *service.Service
	Store teststore.Store
	Clock *clock.Virtual
	// KeyA and KeyB are API keys of workspaces A and B.
	KeyA, KeyB string
}

func newLive(t testing.TB) *live {
	t.Helper()
	place := teststore.New(t)
	st := place.Open(t, "web-test")
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
	if l.KeyA, _, err = svc.CreateAPIKey(ctx, workspaceA); err != nil {
		t.Fatal(err)
	}
	if l.KeyB, _, err = svc.CreateAPIKey(ctx, workspaceB); err != nil {
		t.Fatal(err)
	}
	l.Dash = New(Options{Service: svc, Now: vc.Now, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	l.URL = serveLoopback(t, l.Dash)
	return l
}

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

// browser is a client with cookies, as a browser is, that does not follow
// redirects (so that tests see them), and the CSRF token of its session.
type browser struct {
	t    testing.TB
	base string
	c    *http.Client
	csrf string
}

func (l *live) browser(t testing.TB) *browser {
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &browser{t: t, base: l.URL, c: &http.Client{
		Jar:           jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

// signIn signs b in with key through the sign-in form, and fails the test
// unless that works.
func (l *live) signIn(t testing.TB, key string) *browser {
	t.Helper()
	b := l.browser(t)
	_, body := b.get("/signin")
	status, _ := b.post("/signin", url.Values{"api_key": {key}, "csrf": {csrfIn(body)}, "next": {"/"}})
	if status != http.StatusSeeOther {
		t.Fatalf("sign in: status %d, want 303", status)
	}
	_, body = b.get("/")
	if b.csrf = csrfIn(body); b.csrf == "" {
		t.Fatalf("sign in: the overview has no CSRF token:\n%s", body)
	}
	return b
}

var csrfAttr = regexp.MustCompile(`data-csrf="([^"]+)"`)

// csrfIn is the CSRF token a page carries.
func csrfIn(body string) string {
	m := csrfAttr.FindStringSubmatch(body)
	if m == nil {
		return ""
	}
	return m[1]
}

// get requests path and returns the status and body.
func (b *browser) get(path string) (int, string) {
	b.t.Helper()
	return b.do(http.MethodGet, path, nil, nil)
}

// post sends a form as a browser does (with this site as Origin); the
// session's CSRF token is added unless form has one.
func (b *browser) post(path string, form url.Values) (int, string) {
	b.t.Helper()
	if form == nil {
		form = url.Values{}
	}
	if !form.Has("csrf") && b.csrf != "" {
		form.Set("csrf", b.csrf)
	}
	return b.do(http.MethodPost, path, strings.NewReader(form.Encode()), http.Header{
		"Content-Type": {"application/x-www-form-urlencoded"},
		"Origin":       {b.base},
	})
}

func (b *browser) do(method, path string, body io.Reader, h http.Header) (int, string) {
	b.t.Helper()
	req, err := http.NewRequest(method, b.base+path, body)
	if err != nil {
		b.t.Fatal(err)
	}
	for k, v := range h {
		req.Header[k] = v
	}
	resp, err := b.c.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		b.t.Fatal(err)
	}
	return resp.StatusCode, string(data)
}
