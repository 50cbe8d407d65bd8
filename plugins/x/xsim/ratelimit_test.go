package xsim

import (
	"slices"
	"strconv"
	"testing"
	"time"
)

func TestRateLimit(t *testing.T) {
	h := newHarness(t, Options{})
	tok, me := h.login("acme_sales")
	tok2, me2 := h.login("other_team")
	like := func(token, id string) (int, string, string, string, map[string]any) {
		rec := h.do("POST", "/2/users/"+id+"/likes", token, map[string]string{"tweet_id": "1228393702244134912"})
		return rec.Code, rec.Header().Get("x-rate-limit-limit"), rec.Header().Get("x-rate-limit-remaining"),
			rec.Header().Get("x-rate-limit-reset"), decodeJSON(t, rec.Body.Bytes())
	}
	start := h.clock.Now()
	wantReset := strconv.FormatInt(start.Add(15*time.Minute).Unix(), 10)
	// The rehearsal profile's likes: 300 per user per 15 minutes.
	const n = 300
	for i := 1; i <= n; i++ {
		code, limit, remaining, reset, _ := like(tok, me)
		if code != 200 || limit != strconv.Itoa(n) || remaining != strconv.Itoa(n-i) || reset != wantReset {
			t.Fatalf("request %d: %d limit=%s remaining=%s reset=%s (want reset %s)", i, code, limit, remaining, reset, wantReset)
		}
		h.clock.Advance(time.Second)
	}
	code, limit, remaining, reset, body := like(tok, me)
	if code != 429 || limit != strconv.Itoa(n) || remaining != "0" || reset != wantReset {
		t.Fatalf("past the limit: %d limit=%s remaining=%s reset=%s", code, limit, remaining, reset)
	}
	if !jsonEqual(body, example(t, "error.429.json")) {
		t.Errorf("429 body %v", body)
	}
	// Limits are per user and per endpoint.
	if code, _, _, _, _ := like(tok2, me2); code != 200 {
		t.Errorf("another user is limited too: %d", code)
	}
	if rec := h.do("GET", "/2/users/me", tok, nil); rec.Code != 200 || rec.Header().Get("x-rate-limit-limit") != "900" {
		t.Errorf("another endpoint is limited too: %d", rec.Code)
	}
	// The window reopens 15 minutes (of sim time) after it opened.
	h.clock.Advance(start.Add(15 * time.Minute).Sub(h.clock.Now()))
	if code, _, remaining, _, _ := like(tok, me); code != 200 || remaining != strconv.Itoa(n-1) {
		t.Errorf("after the window: %d remaining=%s", code, remaining)
	}
}

func TestRateLimitTable(t *testing.T) {
	for name, p := range profiles {
		for ep, limits := range p {
			if len(limits) == 0 {
				t.Errorf("profile %q: endpoint %d has no limit", name, ep)
			}
			for _, lim := range limits {
				if lim.max <= 0 || lim.window <= 0 {
					t.Errorf("profile %q: endpoint %d has limit %+v", name, ep, lim)
				}
				// Endpoints that share a budget must agree on it.
				if shared := p[lim.bucket]; !slices.Contains(shared, lim) {
					t.Errorf("profile %q: endpoint %d shares bucket %d but not its limit %+v", name, ep, lim.bucket, lim)
				}
			}
		}
	}
	// The three DM lookups share one budget, as at X.
	h := newHarness(t, Options{})
	tok, _ := h.login("acme_sales")
	h.do("GET", "/2/dm_events", tok, nil)
	rec := h.do("GET", "/2/dm_conversations/with/2244994945/dm_events", tok, nil)
	if got := rec.Header().Get("x-rate-limit-remaining"); got != "298" {
		t.Errorf("remaining %s after two DM lookups, want 298", got)
	}
}
