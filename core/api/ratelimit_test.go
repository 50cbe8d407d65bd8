package api

import (
	"strconv"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestRateLimit(t *testing.T) {
	const limit = 3
	windowEnd := time.Date(2024, 3, 1, 12, 1, 0, 0, time.UTC) // the test clock starts at 12:00:15
	reset := strconv.FormatInt(windowEnd.Unix(), 10)

	type step struct {
		at        time.Time // zero: leave the clock alone
		key       string    // "" sends no key
		status    int
		remaining string
		reset     string
		retry     string // Retry-After and retry_after; "" for none
	}
	tests := []struct {
		name  string
		steps []step
	}{
		{"counts down then refuses until the window ends", []step{
			{key: goodKey, status: 200, remaining: "2", reset: reset},
			{key: goodKey, status: 200, remaining: "1", reset: reset},
			{key: goodKey, status: 200, remaining: "0", reset: reset},
			{key: goodKey, status: 429, remaining: "0", reset: reset, retry: "45"},
			{at: windowEnd.Add(-1500 * time.Millisecond), key: goodKey, status: 429, remaining: "0", reset: reset, retry: "2"},
			{at: windowEnd, key: goodKey, status: 200, remaining: "2", reset: strconv.FormatInt(windowEnd.Add(time.Minute).Unix(), 10)},
		}},
		{"keys have their own windows", []step{
			{key: goodKey, status: 200, remaining: "2", reset: reset},
			{key: goodKey, status: 200, remaining: "1", reset: reset},
			{key: goodKey, status: 200, remaining: "0", reset: reset},
			{key: goodKey, status: 429, remaining: "0", reset: reset, retry: "45"},
			{key: otherKey, status: 200, remaining: "2", reset: reset},
		}},
		{"requests without a valid key count against the client's address", []step{
			{key: "", status: 401, remaining: "2", reset: reset},
			{key: "sk_live_guess1", status: 401, remaining: "1", reset: reset},
			{key: "sk_live_guess2", status: 401, remaining: "0", reset: reset},
			{key: "sk_live_guess3", status: 429, remaining: "0", reset: reset, retry: "45"},
			{key: goodKey, status: 200, remaining: "2", reset: reset},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newTestServer(t, nil, limit)
			for i, st := range tt.steps {
				if !st.at.IsZero() {
					s.clock.Set(st.at)
				}
				var headers []string
				if st.key != "" {
					headers = []string{"X-API-Key", st.key}
				}
				rec := s.do(t, "GET", "/api/v1/accounts", "", headers...)
				h := rec.Header()
				got := step{
					at: st.at, key: st.key, status: rec.Code,
					remaining: h.Get("X-RateLimit-Remaining"), reset: h.Get("X-RateLimit-Reset"), retry: h.Get("Retry-After"),
				}
				if diff := cmp.Diff(st, got, cmp.AllowUnexported(step{})); diff != "" {
					t.Errorf("request %d (-want +got):\n%s", i+1, diff)
				}
				if h.Get("X-RateLimit-Limit") != strconv.Itoa(limit) {
					t.Errorf("request %d: X-RateLimit-Limit = %q", i+1, h.Get("X-RateLimit-Limit"))
				}
				if rec.Code != 429 {
					continue
				}
				retry, _ := strconv.Atoi(st.retry)
				want := map[string]any{
					"error":       "Rate limited",
					"message":     "Too many requests. Please try again later.",
					"retry_after": float64(retry),
				}
				if diff := cmp.Diff(want, decodeObject(t, rec.Body.Bytes())); diff != "" {
					t.Errorf("request %d: 429 body (-want +got):\n%s", i+1, diff)
				}
			}
		})
	}
}
