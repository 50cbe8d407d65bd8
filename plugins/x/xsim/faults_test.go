package xsim

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// prospects returns the ids of n generated users who accept DMs.
func prospects(t *testing.T, s *Sim, n int) []string {
	t.Helper()
	var ids []string
	for i := 0; len(ids) < n && i < 10*n+100; i++ {
		u := findUser(t, s, fmt.Sprintf("p%d", i), func(u User) bool { return u.AcceptsDMs })
		ids = append(ids, u.ID)
	}
	return ids
}

func sendDM(h *harness, token, to string) int {
	h.t.Helper()
	return h.do("POST", "/2/dm_conversations/with/"+to+"/messages", token, map[string]string{"text": "hello"}).Code
}

// sentDMs counts the DMs the account's conversations hold from it.
func sentDMs(h *harness, token, me string) int {
	h.t.Helper()
	body := h.get("/2/dm_events?max_results=100&dm_event.fields=sender_id", token, 200)
	n := 0
	data, _ := body["data"].([]any)
	for _, e := range data {
		if e.(map[string]any)["sender_id"] == me {
			n++
		}
	}
	return n
}

func TestErrorRateAnswersXsErrorsAndDeliversHalfTheDMs(t *testing.T) {
	h := newHarness(t, Options{Seed: 7, Faults: Faults{ErrorRate: 1}})
	tok, me := h.login("acme_sales")
	statuses := map[int]int{}
	for _, id := range prospects(t, h.sim, 40) {
		rec := h.do("POST", "/2/dm_conversations/with/"+id+"/messages", tok, map[string]string{"text": "hello"})
		statuses[rec.Code]++
		body := decodeJSON(t, rec.Body.Bytes())
		if body["type"] != "about:blank" || body["status"] != float64(rec.Code) || body["title"] != http.StatusText(rec.Code) {
			t.Fatalf("error body %s", rec.Body)
		}
	}
	if statuses[500] == 0 || statuses[503] == 0 || statuses[500]+statuses[503] != 40 {
		t.Fatalf("statuses %v; want 40 answers, both 500 and 503", statuses)
	}
	if err := h.sim.SetFaults(Faults{}); err != nil {
		t.Fatal(err)
	}
	// Some failed sends reached the prospect, some did not.
	if n := sentDMs(h, tok, me); n < 10 || n > 30 {
		t.Errorf("%d of 40 failed DMs were delivered; want about half", n)
	}
}

func TestSameSeedFailsTheSameRequests(t *testing.T) {
	run := func() string {
		h := newHarness(t, Options{Seed: 3, Faults: Faults{ErrorRate: 0.3}})
		tok, _ := h.login("acme_sales")
		var codes []string
		for range 50 {
			codes = append(codes, strconv.Itoa(h.do("GET", "/2/users/me", tok, nil).Code))
		}
		return strings.Join(codes, ",")
	}
	a, b := run(), run()
	if a != b {
		t.Errorf("two runs with seed 3 differ:\n%s\n%s", a, b)
	}
	if !strings.Contains(a, "200") || !strings.Contains(a, "50") {
		t.Errorf("error rate 0.3 gave %s; want some of each", a)
	}
}

func TestResetRateCutsTheConnection(t *testing.T) {
	sim := New(Options{Seed: 5, Clock: newFakeClock(), Faults: Faults{ResetRate: 1}})
	if err := sim.Start(""); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sim.Close() })
	tok, err := sim.Login("acme_sales")
	if err != nil {
		t.Fatal(err)
	}
	h := &harness{t: t, sim: sim}
	ids := prospects(t, sim, 30)
	for _, id := range ids {
		req, _ := http.NewRequest("POST", sim.URL()+"/2/dm_conversations/with/"+id+"/messages", strings.NewReader(`{"text":"hi"}`))
		req.Header.Set("Authorization", "Bearer "+tok)
		resp, err := http.DefaultClient.Do(req)
		if err == nil {
			resp.Body.Close()
			t.Fatalf("a request with reset rate 1 was answered %s", resp.Status)
		}
	}
	if err := sim.SetFaults(Faults{}); err != nil {
		t.Fatal(err)
	}
	me, _ := sim.UserByUsername("acme_sales")
	if n := sentDMs(h, tok, me.ID); n < 5 || n > 25 {
		t.Errorf("%d of 30 cut DM sends were delivered; want about half", n)
	}
}

func TestLatencyIsJittered(t *testing.T) {
	var waits []time.Duration
	sleep := func(_ context.Context, d time.Duration) error { waits = append(waits, d); return nil }
	h := newHarness(t, Options{Sleep: sleep, Faults: Faults{Latency: 100 * time.Millisecond}})
	tok, _ := h.login("acme_sales")
	for range 200 {
		h.get("/2/users/me", tok, 200)
	}
	lo, hi := waits[0], waits[0]
	for _, d := range waits {
		lo, hi = min(lo, d), max(hi, d)
	}
	if len(waits) != 200 || lo < 75*time.Millisecond || hi > 125*time.Millisecond || lo > 80*time.Millisecond || hi < 120*time.Millisecond {
		t.Errorf("%d waits from %v to %v; want each request to wait 75ms to 125ms, spread over the range", len(waits), lo, hi)
	}
}

func TestRateLimitStormFromTheEndpoint(t *testing.T) {
	h := newHarness(t, Options{})
	tok, _ := h.login("acme_sales")
	h.get("/2/users/me", tok, 200)
	rec := h.do("POST", FaultsPath, "", `{"rate_limit_storm": {"for": "30s"}}`)
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), `"for":"30s"`) {
		t.Fatalf("POST faults: %d %s", rec.Code, rec.Body)
	}
	end := h.clock.Now().Add(30 * time.Second)
	for _, path := range []string{"/2/users/me", "/2/dm_events", "/2/users/by/username/paulg"} {
		rec := h.do("GET", path, tok, nil)
		if rec.Code != 429 || rec.Header().Get("x-rate-limit-reset") != strconv.FormatInt(end.Unix(), 10) || rec.Header().Get("x-rate-limit-remaining") != "0" {
			t.Fatalf("GET %s in a storm: %d reset=%s", path, rec.Code, rec.Header().Get("x-rate-limit-reset"))
		}
		if !jsonEqual(decodeJSON(t, rec.Body.Bytes()), example(t, "error.429.json")) {
			t.Errorf("429 body %s", rec.Body)
		}
	}
	h.clock.Advance(30 * time.Second)
	h.get("/2/users/me", tok, 200)
}

func TestRepeatingStormFromOptions(t *testing.T) {
	h := newHarness(t, Options{Faults: Faults{RateLimitStorm: &Storm{After: time.Minute, For: 10 * time.Second, Every: time.Hour}}})
	tok, _ := h.login("acme_sales")
	for _, tc := range []struct {
		at   time.Duration
		want int
	}{{0, 200}, {time.Minute, 429}, {time.Minute + 9*time.Second, 429}, {time.Minute + 10*time.Second, 200}, {time.Hour + time.Minute + 5*time.Second, 429}, {time.Hour + 2*time.Minute, 200}} {
		h.clock.Advance(h.sim.faultsStart(t).Add(tc.at).Sub(h.clock.Now()))
		if code := h.do("GET", "/2/users/me", tok, nil).Code; code != tc.want {
			t.Errorf("%v after the start: %d, want %d", tc.at, code, tc.want)
		}
	}
}

// faultsStart is when the storm's After counts from: the Sim's creation.
func (s *Sim) faultsStart(t *testing.T) time.Time {
	t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.storm.start.Add(-s.faults.RateLimitStorm.After)
}

func TestAccountFaults(t *testing.T) {
	three := 3
	h := newHarness(t, Options{Faults: Faults{Accounts: map[string]AccountFaults{
		"Expired":   {SessionExpired: true},
		"suspended": {Suspended: true},
		"locked":    {Locked: true},
		"forbidden": {ClientForbidden: true},
	}}})
	to := prospects(t, h.sim, 1)[0]
	for _, tc := range []struct {
		handle string
		status int
		check  func(map[string]any) bool
	}{
		{"expired", 401, func(b map[string]any) bool { return jsonEqual(b, example(t, "error.401.postman.json")) }},
		{"suspended", 403, func(b map[string]any) bool {
			return b["type"] == problemBase+"user-suspended" && b["detail"] == "The user used for authentication is suspended"
		}},
		{"locked", 403, func(b map[string]any) bool { return legacyCode(b) == 326 }},
		{"forbidden", 403, func(b map[string]any) bool {
			return jsonEqual(b, example(t, "error.403.client_forbidden.postman.json"))
		}},
	} {
		tok, _ := h.login(tc.handle)
		for _, rec := range []*http.Response{h.do("GET", "/2/users/me", tok, nil).Result(),
			h.do("POST", "/2/dm_conversations/with/"+to+"/messages", tok, map[string]string{"text": "hi"}).Result()} {
			var body map[string]any
			_ = json.NewDecoder(rec.Body).Decode(&body)
			if rec.StatusCode != tc.status || !tc.check(body) {
				t.Errorf("@%s: %d %v; want %d with X's body", tc.handle, rec.StatusCode, body, tc.status)
			}
		}
	}
	// 226 after three DMs, for that account only.
	if err := h.sim.SetFaults(Faults{Accounts: map[string]AccountFaults{"spammy": {AutomatedAfter: &three}}}); err != nil {
		t.Fatal(err)
	}
	tok, _ := h.login("spammy")
	other, _ := h.login("calm")
	ids := prospects(t, h.sim, 5)
	for i, id := range ids {
		rec := h.do("POST", "/2/dm_conversations/with/"+id+"/messages", tok, map[string]string{"text": "hi"})
		want := 201
		if i >= 3 {
			want = 403
		}
		if rec.Code != want || (want == 403 && legacyCode(decodeJSON(t, rec.Body.Bytes())) != 226) {
			t.Errorf("DM %d of @spammy: %d %s; want %d", i+1, rec.Code, rec.Body, want)
		}
		if code := sendDM(h, other, id); code != 201 {
			t.Errorf("DM %d of @calm: %d", i+1, code)
		}
	}
	h.get("/2/users/me", tok, 200) // only DMs are refused
}

// legacyCode is the code in a body's errors array, 0 if none.
func legacyCode(b map[string]any) int {
	errs, _ := b["errors"].([]any)
	if len(errs) == 0 {
		return 0
	}
	code, _ := errs[0].(map[string]any)["code"].(float64)
	return int(code)
}

func TestReplyRate(t *testing.T) {
	for _, rate := range []float64{0, 1} {
		h := newHarness(t, Options{Faults: Faults{ReplyRate: &rate, ReplyDelayMin: 5 * time.Second, ReplyDelayMax: 5 * time.Second}})
		tok, me := h.login("acme_sales")
		for _, id := range prospects(t, h.sim, 20) {
			sendDM(h, tok, id)
		}
		h.clock.Advance(5 * time.Second)
		body := h.get("/2/dm_events?max_results=100&dm_event.fields=sender_id", tok, 200)
		data, _ := body["data"].([]any)
		if replies := len(data) - sentDMs(h, tok, me); replies != int(rate*20) {
			t.Errorf("reply rate %v: %d replies to 20 DMs after 5s", rate, replies)
		}
	}
}

func TestFaultsEndpoint(t *testing.T) {
	h := newHarness(t, Options{})
	before := h.get(FaultsPath, "", 200)
	want := map[string]any{"error_rate": 0.0, "reset_rate": 0.0, "latency": "0s", "reply_rate": 0.35, "reply_delay": "2s-8s",
		"limits": "rehearsal", "rate_limit_storm": nil, "accounts": map[string]any{}, "prospects": map[string]any{}, "profiles": map[string]any{}}
	if !jsonEqual(before, want) {
		t.Errorf("GET faults = %v; want %v", before, want)
	}
	for _, tc := range []struct{ body, field string }{
		{`{"error_rate": 2}`, "error_rate"},
		{`{"error_rate": "high"}`, "error_rate"},
		{`{"error_rate": 0.6, "reset_rate": 0.6}`, "reset_rate"},
		{`{"bogus": 1}`, "bogus"},
		{`{"latency": "soon"}`, "latency"},
		{`{"latency": "-1s"}`, "latency"},
		{`{"reply_delay": "8s-2s"}`, "reply_delay"},
		{`{"limits": "tight"}`, "limits"},
		{`{"rate_limit_storm": {"for": "0s"}}`, "rate_limit_storm.for"},
		{`{"rate_limit_storm": {"for": "1m", "every": "30s"}}`, "rate_limit_storm.every"},
		{`{"rate_limit_storm": {"for": "1m", "when": "now"}}`, "rate_limit_storm"},
		{`{"accounts": {"acme": {"automated_after": -1}}}`, "accounts.acme.automated_after"},
		{`{"accounts": {"not a handle": {}}}`, "accounts.not a handle"},
		{`[]`, "JSON object"},
		{``, "JSON object"},
	} {
		rec := h.do("POST", FaultsPath, "", tc.body)
		if rec.Code != 400 || !strings.Contains(rec.Body.String(), tc.field) {
			t.Errorf("POST %s: %d %s; want 400 naming %s", tc.body, rec.Code, rec.Body, tc.field)
		}
	}
	if after := h.get(FaultsPath, "", 200); !jsonEqual(after, before) {
		t.Errorf("refused bodies changed the faults: %v", after)
	}
	// A POST changes only what it names.
	h.do("POST", FaultsPath, "", `{"error_rate": 0.25, "limits": "x"}`)
	got := h.get(FaultsPath, "", 200)
	if got["error_rate"] != 0.25 || got["limits"] != "x" || got["reply_delay"] != "2s-8s" {
		t.Errorf("after a POST: %v", got)
	}
	rec := h.do("POST", FaultsPath, "", `{"accounts": {"Acme": {"suspended": true}}, "reply_rate": null, "rate_limit_storm": {"starts_at": "2026-03-02T09:30:00Z", "for": "1m"}}`)
	if rec.Code != 200 || !regexp.MustCompile(`"accounts":\{"acme":\{"session_expired":false,"suspended":true`).MatchString(rec.Body.String()) ||
		!strings.Contains(rec.Body.String(), `"starts_at":"2026-03-02T09:30:00Z"`) || !strings.Contains(rec.Body.String(), `"error_rate":0.25`) {
		t.Errorf("POST accounts: %d %s", rec.Code, rec.Body)
	}
}

// TestXLimits: the "x" profile holds DM sends to X's 15 per 15 minutes per
// user, and to 1,440 per 24 hours for the whole app.
func TestXLimits(t *testing.T) {
	h := newHarness(t, Options{Faults: Faults{Limits: LimitsX}})
	a, _ := h.login("acme_sales")
	b, _ := h.login("other_team")
	to := prospects(t, h.sim, 1)[0]
	start := h.clock.Now()
	for w := range 48 {
		for i := range 15 {
			if ca, cb := sendDM(h, a, to), sendDM(h, b, to); ca != 201 || cb != 201 {
				t.Fatalf("window %d, DM %d: %d and %d", w, i+1, ca, cb)
			}
		}
		rec := h.do("POST", "/2/dm_conversations/with/"+to+"/messages", a, map[string]string{"text": "one more"})
		if rec.Code != 429 || rec.Header().Get("x-rate-limit-limit") != "15" {
			t.Fatalf("DM 16 in window %d: %d limit=%s", w, rec.Code, rec.Header().Get("x-rate-limit-limit"))
		}
		h.clock.Advance(15 * time.Minute)
	}
	// Half a day later the two accounts have spent the app's day.
	for _, tok := range []string{a, b} {
		rec := h.do("POST", "/2/dm_conversations/with/"+to+"/messages", tok, map[string]string{"text": "over"})
		if rec.Code != 429 || rec.Header().Get("x-rate-limit-limit") != "1440" || rec.Header().Get("x-rate-limit-reset") != strconv.FormatInt(start.Add(24*time.Hour).Unix(), 10) {
			t.Errorf("DM 1441 of the app in 24 hours: %d limit=%s reset=%s", rec.Code, rec.Header().Get("x-rate-limit-limit"), rec.Header().Get("x-rate-limit-reset"))
		}
	}
	if rec := h.do("GET", "/2/users/me", a, nil); rec.Code != 200 || rec.Header().Get("x-rate-limit-limit") != "75" {
		t.Errorf("users/me: %d limit %s; want X's 75", rec.Code, rec.Header().Get("x-rate-limit-limit"))
	}
	h.clock.Advance(12 * time.Hour)
	if code := sendDM(h, a, to); code != 201 {
		t.Errorf("a day after the first DM: %d", code)
	}
}

// TestXLimitsFollowTheTable checks the "x" profile against X's table.
func TestXLimitsFollowTheTable(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "x-api-v2", "rate_limits.current.json"))
	if err != nil {
		t.Fatal(err)
	}
	var rows []struct {
		Method, Endpoint string
		PerApp           string `json:"per_app"`
		PerUser          string `json:"per_user"`
	}
	if err := json.Unmarshal(data, &rows); err != nil {
		t.Fatal(err)
	}
	paths := map[endpoint]string{
		epUserByUsername: "GET /2/users/by/username/:username", epUserByID: "GET /2/users/:id", epUserMe: "GET /2/users/me",
		epFollowers: "GET /2/users/:id/followers", epFollowing: "GET /2/users/:id/following",
		epDMSend: "POST /2/dm_conversations/with/:participant_id/messages", epDMEvents: "GET /2/dm_events",
		epDMConversationEvents: "GET /2/dm_conversations/with/:participant_id/dm_events", epFollow: "POST /2/users/:id/following",
		epLike: "POST /2/users/:id/likes", epTweetCreate: "POST /2/tweets", epUserTweets: "GET /2/users/:id/tweets",
	}
	for ep, path := range paths {
		var want []string
		for _, r := range rows {
			if r.Method+" "+r.Endpoint == path {
				want = append(want, limitsText(perUser, r.PerUser)...)
				want = append(want, limitsText(perApp, r.PerApp)...)
			}
		}
		var got []string
		for _, lim := range xLimits[ep] {
			got = append(got, fmt.Sprintf("%d %d/%v", lim.scope, lim.max, lim.window))
		}
		if strings.Join(slices.Sorted(slices.Values(got)), ",") != strings.Join(slices.Sorted(slices.Values(want)), ",") || len(want) == 0 {
			t.Errorf("%s: x profile %v; X's table %v", path, got, want)
		}
	}
}

// limitsText reads a cell of X's table ("15/15min, 1,440/24hrs", "—").
func limitsText(scope limitScope, cell string) []string {
	var out []string
	for _, part := range strings.Split(cell, ", ") {
		n, per, ok := strings.Cut(strings.TrimSpace(part), "/")
		if !ok {
			continue // "—", or the thousands of "1,440"
		}
		n = strings.ReplaceAll(n, ",", "")
		win := map[string]time.Duration{"15min": window15m, "24hrs": window24h}[per]
		out = append(out, fmt.Sprintf("%d %s/%v", scope, n, win))
	}
	return out
}
