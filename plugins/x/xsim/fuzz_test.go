package xsim

import (
	"encoding/json"
	"net/http/httptest"
	"net/url"
	"reflect"
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

// FuzzFaultsBody throws arbitrary bodies at POST /sandbox/v1/faults: it must
// never panic, must answer 200 with faults that validate, or 400 naming
// what it refused, and a refused body must change nothing.
func FuzzFaultsBody(f *testing.F) {
	for _, seed := range []string{
		`{}`, `{"error_rate": 0.1}`, `{"error_rate": 1.5}`, `{"reset_rate": 0.05, "latency": "150ms"}`,
		`{"reply_rate": null}`, `{"reply_rate": 0.9, "reply_delay": "2s-8s"}`, `{"reply_delay": "5s"}`, `{"reply_delay": "-"}`,
		`{"limits": "x"}`, `{"limits": "rehearsal"}`, `{"rate_limit_storm": {"for": "30s"}}`,
		`{"rate_limit_storm": {"after": "1m", "for": "10s", "every": "1h"}}`, `{"rate_limit_storm": null}`,
		`{"rate_limit_storm": {"starts_at": "2026-03-02T09:30:00Z", "for": "1m"}}`,
		`{"accounts": {"acme_sales": {"suspended": true, "automated_after": 3}}}`, `{"accounts": {"acme_sales": null}}`,
		`{"accounts": {"": {}}}`, `[]`, `null`, `"x"`, `{"error_rate": 1e400}`, `{"latency": 5}`, `{} {}`, ``,
		`{"prospects": {"ana_lead": {"intents": ["interested", "ask_call"], "delay": "30s"}}}`,
		`{"prospects": {"ana_lead": {"intents": ["question", "silent", "opt_out"]}, "Bo": {"intents": ["no"], "delay": "0s"}}}`,
		`{"prospects": {"ana_lead": null}}`, `{"prospects": null}`, `{"prospects": {"ana_lead": {"intents": ["maybe"]}}}`,
		`{"prospects": {"ana_lead": {"intents": []}}}`, `{"prospects": {"ana_lead": {"intents": null}}}`,
		`{"prospects": {"ana_lead": {"intents": ["no"], "delay": "-1s"}}}`, `{"prospects": {"": {"intents": ["no"]}}}`,
		`{"prospects": {"ANA": {"intents": ["no"]}, "ana": {"intents": ["interested"]}}}`,
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, body string) {
		sim := New(Options{Clock: newFakeClock()})
		post := func() (int, string) {
			req := httptest.NewRequest("POST", FaultsPath, strings.NewReader(body))
			rec := httptest.NewRecorder()
			sim.Handler().ServeHTTP(rec, req)
			return rec.Code, rec.Body.String()
		}
		before := sim.Faults()
		switch code, out := post(); code {
		case 200:
			if err := sim.Faults().Validate(); err != nil {
				t.Fatalf("accepted %q into faults that do not validate: %v", body, err)
			}
		case 400:
			if !strings.Contains(out, `"message":"`) {
				t.Fatalf("400 without a message: %s", out)
			}
			if after := sim.Faults(); !reflect.DeepEqual(after, before) {
				t.Fatalf("refused %q but the faults changed: %+v", body, after)
			}
		default:
			t.Fatalf("status %d: %s", code, out)
		}
	})
}
