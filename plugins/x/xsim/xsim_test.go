package xsim

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeClock is a clock the test moves by hand, so replies and rate windows
// come due without sleeping.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func newFakeClock() *fakeClock {
	return &fakeClock{t: time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// harness drives a Sim through its Handler, as a client would.
type harness struct {
	t     *testing.T
	sim   *Sim
	clock *fakeClock
}

func newHarness(t *testing.T, opts Options) *harness {
	t.Helper()
	clock := newFakeClock()
	if opts.Clock == nil {
		opts.Clock = clock
	}
	return &harness{t: t, sim: New(opts), clock: clock}
}

// login returns the token and id of a new account holder.
func (h *harness) login(handle string) (string, string) {
	h.t.Helper()
	tok, err := h.sim.Login(handle)
	if err != nil {
		h.t.Fatalf("Login(%q): %v", handle, err)
	}
	u, ok := h.sim.UserByUsername(handle)
	if !ok {
		h.t.Fatalf("UserByUsername(%q) after Login: not found", handle)
	}
	return tok, u.ID
}

// do sends a request; body is encoded as JSON unless it is a string.
func (h *harness) do(method, path, token string, body any) *httptest.ResponseRecorder {
	h.t.Helper()
	var rd *bytes.Reader
	switch b := body.(type) {
	case nil:
		rd = bytes.NewReader(nil)
	case string:
		rd = bytes.NewReader([]byte(b))
	default:
		data, err := json.Marshal(b)
		if err != nil {
			h.t.Fatal(err)
		}
		rd = bytes.NewReader(data)
	}
	req := httptest.NewRequest(method, path, rd)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	rec := httptest.NewRecorder()
	h.sim.Handler().ServeHTTP(rec, req)
	return rec
}

// get sends a GET and fails the test unless it answers want.
func (h *harness) get(path, token string, want int) map[string]any {
	h.t.Helper()
	rec := h.do("GET", path, token, nil)
	if rec.Code != want {
		h.t.Fatalf("GET %s: status %d, want %d; body %s", path, rec.Code, want, rec.Body)
	}
	return decodeJSON(h.t, rec.Body.Bytes())
}

func decodeJSON(t *testing.T, data []byte) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatalf("body is not a JSON object: %v: %s", err, data)
	}
	return m
}

// example loads one of X's documented examples from testdata.
func example(t *testing.T, name string) map[string]any {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "x-api-v2", name))
	if err != nil {
		t.Fatal(err)
	}
	return decodeJSON(t, data)
}

// shape lists the key paths of a JSON value ("data.public_metrics.listed_count",
// "data[].id"), so answers can be compared with X's examples by field names.
func shape(v any) []string {
	set := map[string]bool{}
	var walk func(prefix string, v any)
	walk = func(prefix string, v any) {
		switch x := v.(type) {
		case map[string]any:
			for k, e := range x {
				p := k
				if prefix != "" {
					p = prefix + "." + k
				}
				set[p] = true
				walk(p, e)
			}
		case []any:
			for _, e := range x {
				walk(prefix+"[]", e)
			}
		}
	}
	walk("", v)
	out := make([]string, 0, len(set))
	for k := range set {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func assertShape(t *testing.T, got any, wantFile string) {
	t.Helper()
	if g, w := shape(got), shape(example(t, wantFile)); !slices.Equal(g, w) {
		t.Errorf("shape differs from %s:\n got  %v\n want %v", wantFile, g, w)
	}
}

// findUser scans handles prefix0, prefix1, ... for the first user that
// satisfies pred; the population is deterministic, so this always finds the
// same one.
func findUser(t *testing.T, s *Sim, prefix string, pred func(User) bool) User {
	t.Helper()
	for i := 0; i < 100_000; i++ {
		if u, ok := s.UserByUsername(fmt.Sprintf("%s%d", prefix, i)); ok && pred(u) {
			return u
		}
	}
	t.Fatalf("no %s* user matches", prefix)
	return User{}
}

func TestAuthRequired(t *testing.T) {
	h := newHarness(t, Options{})
	tok, _ := h.login("acme_sales")
	want := example(t, "error.401.postman.json")
	cases := []struct {
		name, header string
	}{
		{"no header", ""},
		{"unknown token", "Bearer nope"},
		{"wrong scheme", "Basic " + tok},
		{"no token", "Bearer"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			req := httptest.NewRequest("GET", "/2/users/me", nil)
			if tc.header != "" {
				req.Header.Set("Authorization", tc.header)
			}
			rec := httptest.NewRecorder()
			h.sim.Handler().ServeHTTP(rec, req)
			if rec.Code != http.StatusUnauthorized {
				t.Fatalf("status %d, want 401", rec.Code)
			}
			if got := decodeJSON(t, rec.Body.Bytes()); !jsonEqual(got, want) {
				t.Errorf("body %s, want the recorded 401 problem", rec.Body)
			}
			if ct := rec.Header().Get("content-type"); ct != "application/json; charset=utf-8" {
				t.Errorf("content-type %q", ct)
			}
		})
	}
	// The scheme is case-insensitive, as in HTTP.
	req := httptest.NewRequest("GET", "/2/users/me", nil)
	req.Header.Set("Authorization", "bearer "+tok)
	rec := httptest.NewRecorder()
	h.sim.Handler().ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		t.Errorf("lower-case bearer: status %d", rec.Code)
	}
}

func jsonEqual(a, b any) bool {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return bytes.Equal(x, y)
}

func TestUnknownRoute(t *testing.T) {
	h := newHarness(t, Options{})
	tok, id := h.login("acme_sales")
	for _, tc := range []struct{ method, path string }{
		{"GET", "/2/tweets/search/recent"},
		{"GET", "/1.1/statuses/home_timeline.json"},
		{"DELETE", "/2/users/" + id + "/following/123"},
		{"PUT", "/2/users/me"},
		{"GET", "/2/users/" + id + "/likes/extra/segments"},
	} {
		rec := h.do(tc.method, tc.path, tok, nil)
		if rec.Code != http.StatusNotFound {
			t.Errorf("%s %s: status %d, want 404", tc.method, tc.path, rec.Code)
			continue
		}
		body := decodeJSON(t, rec.Body.Bytes())
		if body["type"] != "about:blank" || body["status"] != float64(404) || body["title"] != "Not Found" {
			t.Errorf("%s %s: body %s", tc.method, tc.path, rec.Body)
		}
	}
}

func TestLoginIsStable(t *testing.T) {
	a, b := New(Options{Seed: 7}), New(Options{Seed: 7})
	t1, err := a.Login("Acme_Sales")
	if err != nil {
		t.Fatal(err)
	}
	t2, _ := a.Login("acme_sales")
	t3, _ := b.Login("ACME_SALES")
	if t1 != t2 || t1 != t3 {
		t.Errorf("tokens differ for one handle: %q %q %q", t1, t2, t3)
	}
	ua, _ := a.UserByUsername("acme_sales")
	ub, _ := b.UserByUsername("acme_sales")
	if ua.ID != ub.ID || ua.Username != "Acme_Sales" {
		t.Errorf("users differ: %+v / %+v", ua, ub)
	}
	if ua.Description != "" || ua.Location != "" || ua.URL != "" || !ua.AcceptsDMs {
		t.Errorf("an account holder has a plain profile: %+v", ua)
	}
	// A ghost handle does not exist until someone signs up with it.
	if _, ok := a.UserByUsername("ghost_rider"); ok {
		t.Fatal("ghost_rider exists before Login")
	}
	if _, err := a.Login("ghost_rider"); err != nil {
		t.Fatal(err)
	}
	if _, ok := a.UserByUsername("Ghost_Rider"); !ok {
		t.Error("ghost_rider does not exist after Login")
	}
	for _, bad := range []string{"", "has space", "sixteen_chars_xx", "dash-ed", "ünï"} {
		if _, err := a.Login(bad); err == nil {
			t.Errorf("Login(%q) succeeded", bad)
		}
	}
}

func TestServesOnLoopback(t *testing.T) {
	s := New(Options{Clock: newFakeClock()})
	if err := s.Start(""); err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if !strings.HasPrefix(s.URL(), "http://127.0.0.1:") {
		t.Fatalf("URL %q", s.URL())
	}
	if err := s.Start(""); err == nil {
		t.Error("second Start succeeded")
	}
	tok, _ := s.Login("acme_sales")
	req, _ := http.NewRequest("GET", s.URL()+"/2/users/by/username/sarahchen?user.fields=public_metrics", nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body struct {
		Data struct {
			Username      string         `json:"username"`
			PublicMetrics map[string]int `json:"public_metrics"`
		} `json:"data"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != 200 || !strings.EqualFold(body.Data.Username, "sarahchen") || body.Data.PublicMetrics == nil {
		t.Errorf("status %d, body %+v", resp.StatusCode, body)
	}
	if resp.Header.Get("x-rate-limit-limit") != "900" {
		t.Errorf("x-rate-limit-limit %q", resp.Header.Get("x-rate-limit-limit"))
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if s.URL() != "" {
		t.Error("URL after Close")
	}
	if err := s.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	// It can serve again after Close, on localhost too.
	if err := s.Start("localhost:0"); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(s.URL(), "http://127.0.0.1:") {
		t.Errorf("localhost URL %q", s.URL())
	}
	s.Close()
}

func TestStartRefusesNonLoopback(t *testing.T) {
	s := New(Options{})
	for _, addr := range []string{
		":0", "0.0.0.0:0", "[::]:0", "192.168.1.10:0", "10.0.0.1:8080", "example.com:80",
		"api.x.com:443", "localhost.evil.com:0", "127.0.0.1", "not an address",
	} {
		if err := s.Start(addr); err == nil {
			s.Close()
			t.Errorf("Start(%q) succeeded", addr)
		}
	}
	if s.URL() != "" {
		t.Error("a refused Start left a listener")
	}
}

func TestConcurrentClients(t *testing.T) {
	h := newHarness(t, Options{})
	tok, _ := h.login("acme_sales")
	target := findUser(t, h.sim, "conc", func(u User) bool { return u.AcceptsDMs })
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			for j := 0; j < 20; j++ {
				h.clock.Advance(time.Second)
				h.do("GET", "/2/users/by/username/conc"+fmt.Sprint(i*20+j), tok, nil)
				h.do("POST", "/2/dm_conversations/with/"+target.ID+"/messages", tok, map[string]string{"text": "hi"})
				h.do("GET", "/2/dm_events", tok, nil)
			}
		}(i)
	}
	wg.Wait()
	events := h.allEvents("/2/dm_conversations/with/"+target.ID+"/dm_events?dm_event.fields=sender_id", tok)
	if len(events) < 160 {
		t.Errorf("%d events, want at least the 160 DMs sent", len(events))
	}
}

// allEvents pages through a DM events list and returns its events, newest
// first.
func (h *harness) allEvents(path, token string) []map[string]any {
	h.t.Helper()
	var out []map[string]any
	next := ""
	for page := 0; ; page++ {
		p := path
		if next != "" {
			sep := "?"
			if strings.Contains(p, "?") {
				sep = "&"
			}
			p += sep + "pagination_token=" + next
		}
		body := h.get(p, token, 200)
		for _, e := range asList(body["data"]) {
			out = append(out, e.(map[string]any))
		}
		meta := body["meta"].(map[string]any)
		tok, _ := meta["next_token"].(string)
		if tok == "" {
			return out
		}
		if page > 1000 {
			h.t.Fatal("pagination does not end")
		}
		next = tok
	}
}

func asList(v any) []any {
	l, _ := v.([]any)
	return l
}

// TestLoginEndpoint signs an account in over HTTP, as a process that does
// not hold the Sim does, and uses the token on X's API.
func TestLoginEndpoint(t *testing.T) {
	h := newHarness(t, Options{Seed: 7})
	rec := h.do("POST", LoginPath, "", map[string]string{"handle": "Acme_Sales"})
	if rec.Code != http.StatusOK {
		t.Fatalf("login: status %d, body %s", rec.Code, rec.Body)
	}
	tok, _ := decodeJSON(t, rec.Body.Bytes())["token"].(string)
	if want, _ := h.sim.Login("acme_sales"); tok == "" || tok != want {
		t.Fatalf("login token %q, want Login's %q", tok, want)
	}
	me := h.get("/2/users/me", tok, http.StatusOK)
	if data, _ := me["data"].(map[string]any); data["username"] != "Acme_Sales" {
		t.Errorf("/2/users/me with the token: %v", me)
	}

	for _, tc := range []struct {
		name string
		body any
	}{
		{"not a username", map[string]string{"handle": "dash-ed"}},
		{"no handle", map[string]string{}},
		{"not JSON", "handle=acme"},
		{"empty", ""},
	} {
		rec := h.do("POST", LoginPath, "", tc.body)
		if rec.Code != http.StatusBadRequest {
			t.Errorf("%s: status %d, want 400; body %s", tc.name, rec.Code, rec.Body)
		}
	}
	// Only POST signs in; the path is not part of X's API.
	if rec := h.do("GET", LoginPath, "", nil); rec.Code != http.StatusUnauthorized {
		t.Errorf("GET %s: status %d, want X's 401 for an unknown route", LoginPath, rec.Code)
	}
}
