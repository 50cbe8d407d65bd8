package xsim

import (
	"encoding/json"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// FuzzFollowersQuery throws arbitrary query strings at the followers list:
// parsing must never panic, must accept only in-range values, and the endpoint
// must answer 200 or a 400 that names the parameter it refused. The seed
// corpus runs under plain go test.
func FuzzFollowersQuery(f *testing.F) {
	const owner = 7287446585417780316
	valid := encodeToken(cursorFollowers, owner, 37)
	for _, seed := range []string{
		"", "max_results=1", "max_results=1000", "max_results=0", "max_results=1001", "max_results=-5",
		"max_results=ten", "max_results=10&pagination_token=" + valid, "pagination_token=" + valid,
		"pagination_token=" + encodeToken(cursorFollowing, owner, 37), "pagination_token=" + encodeToken(cursorFollowers, owner, 1<<40),
		"pagination_token=DFEDBNRFT3MHCZZZ", "pagination_token=", "pagination_token=%ZZ", "max_results=%00",
		"user.fields=description,public_metrics", "user.fields=bogus", "user.fields=,", "max_results=5&max_results=2000",
		"max_results=99999999999999999999", "pagination_token=" + strings.Repeat("A", 31),
	} {
		f.Add(seed)
	}
	sim := New(Options{Clock: newFakeClock()})
	tok, err := sim.Login("fuzzer")
	if err != nil {
		f.Fatal(err)
	}
	target, _ := sim.UserByUsername("paulg")
	if target.ID != "7287446585417780316" {
		f.Fatalf("paulg moved to %s; update the seed corpus", target.ID)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		q, _ := url.ParseQuery(raw)
		spec := followersPageSpec
		spec.kind, spec.scope = cursorFollowers, owner
		pq, bad := parsePageQuery(q, spec)
		if bad == nil {
			if pq.max < 1 || pq.max > 1000 {
				t.Fatalf("accepted max_results %d", pq.max)
			}
			if pq.hasCursor {
				if c, ok := decodeToken(encodeToken(spec.kind, spec.scope, pq.cursor), spec.kind, spec.scope); !ok || c != pq.cursor {
					t.Fatalf("cursor %d does not round-trip", pq.cursor)
				}
			}
		} else if bad.status != 400 {
			t.Fatalf("status %d", bad.status)
		}

		// The same query through the API. A fresh window per request keeps
		// the rate limit out of the way.
		sim.mu.Lock()
		sim.limits.windows = map[rateKey]*window{}
		sim.mu.Unlock()
		req := httptest.NewRequest("GET", "/2/users/"+target.ID+"/followers", nil)
		req.URL.RawQuery = raw
		req.Header.Set("Authorization", "Bearer "+tok)
		rec := httptest.NewRecorder()
		sim.Handler().ServeHTTP(rec, req)
		var body struct {
			Data   []map[string]any `json:"data"`
			Meta   *listMeta        `json:"meta"`
			Errors []paramError     `json:"errors"`
		}
		if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil {
			t.Fatalf("status %d, body is not JSON: %v", rec.Code, err)
		}
		switch rec.Code {
		case 200:
			if body.Meta == nil || body.Meta.ResultCount != len(body.Data) {
				t.Fatalf("200 with meta %+v and %d users", body.Meta, len(body.Data))
			}
		case 400:
			if len(body.Errors) != 1 || len(body.Errors[0].Parameters) != 1 {
				t.Fatalf("400 does not name one parameter: %s", rec.Body)
			}
		default:
			t.Fatalf("status %d: %s", rec.Code, rec.Body)
		}
	})
}
