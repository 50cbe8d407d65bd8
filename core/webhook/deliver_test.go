package webhook_test

import (
	"context"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/outreachhq/outreach/core/webhook"
	sdkwebhook "github.com/outreachhq/outreach/sdk/webhook"
)

var t0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

// receiver is an endpoint on loopback that answers with answer and keeps
// what it got.
type receiver struct {
	*httptest.Server
	mu  sync.Mutex
	got []*http.Request
}

func newReceiver(t *testing.T, answer http.HandlerFunc) *receiver {
	r := &receiver{}
	r.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		r.mu.Lock()
		r.got = append(r.got, req)
		r.mu.Unlock()
		answer(w, req)
	}))
	t.Cleanup(r.Close)
	return r
}

func (r *receiver) requests() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.got)
}

// trickle answers 200, then a byte every 20 ms for as long as the client
// reads.
func trickle(w http.ResponseWriter, r *http.Request) {
	_, _ = io.ReadAll(r.Body)
	w.WriteHeader(200)
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case <-r.Context().Done():
			return
		case <-tick.C:
			if _, err := w.Write([]byte("x")); err != nil {
				return
			}
			w.(http.Flusher).Flush()
		}
	}
}

// reset closes the connection without an answer.
func reset(w http.ResponseWriter, _ *http.Request) {
	if conn, _, err := w.(http.Hijacker).Hijack(); err == nil {
		conn.Close()
	}
}

func status(code int) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(code) }
}

func TestDeliverSignsEveryAttemptWithTheSameID(t *testing.T) {
	secret, _ := sdkwebhook.NewSecret()
	key, _ := sdkwebhook.ParseSecret(secret)
	var bodies []string
	var mu sync.Mutex
	verifier, _ := sdkwebhook.NewVerifier(secret)
	clock := t0
	verifier.Now = func() time.Time { return clock }
	var verified []error
	rcv := newReceiver(t, func(w http.ResponseWriter, r *http.Request) {
		b := make([]byte, r.ContentLength)
		_, _ = r.Body.Read(b)
		mu.Lock()
		bodies = append(bodies, string(b))
		verified = append(verified, verifier.Verify(r.Header, b))
		mu.Unlock()
		if len(bodies) == 1 {
			w.WriteHeader(http.StatusInternalServerError)
		}
	})
	ep := webhook.Endpoint{URL: rcv.URL + "/hook", Keys: [][]byte{key}}
	body := []byte(`{"event":"new_reply","timestamp":"2026-03-02T09:00:00Z","data":{}}`)
	first := webhook.Deliver(context.Background(), webhook.Client(true), ep, "evt_1", body, func() time.Time { return clock })
	if first.Delivered() || first.Status != 500 || !strings.Contains(first.Err, "500") {
		t.Errorf("first attempt against a 500: %+v", first)
	}
	clock = clock.Add(time.Minute)
	second := webhook.Deliver(context.Background(), webhook.Client(true), ep, "evt_1", body, func() time.Time { return clock })
	if !second.Delivered() || second.Err != "" {
		t.Errorf("second attempt against a 200: %+v", second)
	}
	ids := []string{rcv.got[0].Header.Get(sdkwebhook.HeaderID), rcv.got[1].Header.Get(sdkwebhook.HeaderID)}
	if ids[0] != "evt_1" || ids[1] != "evt_1" {
		t.Errorf("webhook-id of the two attempts: %v, want evt_1 both times", ids)
	}
	for i, err := range verified {
		if err != nil {
			t.Errorf("attempt %d does not verify: %v", i+1, err)
		}
	}
	if bodies[0] != string(body) || rcv.got[0].Header.Get("Content-Type") != "application/json" {
		t.Errorf("the receiver got %q as %s", bodies[0], rcv.got[0].Header.Get("Content-Type"))
	}
}

func TestDeliverFailures(t *testing.T) {
	retryAt := t0.Add(90 * time.Second)
	tests := []struct {
		name       string
		answer     http.HandlerFunc
		timeout    time.Duration
		status     int
		errHas     string
		retryAfter time.Duration
		gone       bool
	}{
		{"500", status(500), 0, 500, "500", 0, false},
		{"410 disables", status(410), 0, 410, "410", 0, true},
		{"a redirect inside is not followed", func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, "http://169.254.169.254/latest/meta-data/", http.StatusFound)
		}, 0, 302, "302", 0, false},
		{"429 with Retry-After in seconds", func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Retry-After", "120")
			w.WriteHeader(429)
		}, 0, 429, "429", 2 * time.Minute, false},
		{"503 with Retry-After as a date", func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Retry-After", retryAt.Format(http.TimeFormat))
			w.WriteHeader(503)
		}, 0, 503, "503", 90 * time.Second, false},
		{"a Retry-After on a 500 is not a promise", func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Retry-After", "600")
			w.WriteHeader(500)
		}, 0, 500, "500", 0, false},
		{"no answer in time", func(_ http.ResponseWriter, r *http.Request) {
			// The server notices the client leave once the body is read.
			_, _ = io.ReadAll(r.Body)
			<-r.Context().Done()
		}, 200 * time.Millisecond, 0, "Timeout", 0, false},
		{"the answer trickles", trickle, 200 * time.Millisecond, 0, "reading the 200 answer", 0, false},
		{"the connection is reset", reset, 0, 0, "", 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rcv := newReceiver(t, tt.answer)
			client := webhook.Client(true)
			if tt.timeout > 0 {
				client.Timeout = tt.timeout
			}
			a := webhook.Deliver(context.Background(), client, webhook.Endpoint{URL: rcv.URL}, "evt_1", []byte("{}"), func() time.Time { return t0 })
			if a.Delivered() || a.Err == "" || a.Status != tt.status || !strings.Contains(a.Err, tt.errHas) || a.RetryAfter != tt.retryAfter || a.Gone() != tt.gone {
				t.Errorf("attempt = %+v; want status %d, an error with %q, Retry-After %v, gone %v", a, tt.status, tt.errHas, tt.retryAfter, tt.gone)
			}
			if n := rcv.requests(); n != 1 {
				t.Errorf("the receiver got %d requests, want 1", n)
			}
		})
	}
}

// TestNextTry: the backoff, on the attempts' own clock: 30 s, 2 min and
// 8 min, each within a quarter either way, then no more; an endpoint's own
// retries and backoff; Retry-After when it is longer; nothing after a
// delivery or a 410.
func TestNextTry(t *testing.T) {
	rnd := rand.New(rand.NewPCG(1, 2))
	failed := webhook.Attempt{At: t0, Status: 500}
	var ep webhook.Endpoint
	for n, base := range []time.Duration{30 * time.Second, 2 * time.Minute, 8 * time.Minute} {
		for range 50 {
			at, ok := ep.NextTry(failed, n+1, rnd)
			if wait := at.Sub(t0); !ok || wait < base*3/4 || wait > base*5/4 {
				t.Fatalf("after attempt %d: retry in %v (%v), want %v within a quarter", n+1, wait, ok, base)
			}
		}
	}
	if _, ok := ep.NextTry(failed, 4, rnd); ok {
		t.Error("a fourth retry, want 3 at most")
	}
	custom := webhook.Endpoint{Retries: 5, Backoff: time.Second}
	if at, ok := custom.NextTry(failed, 5, rnd); !ok || at.Sub(t0) < 192*time.Second || at.Sub(t0) > 320*time.Second {
		t.Errorf("the fifth retry of an endpoint with 5 and 1 s: in %v (%v), want about 256 s", at.Sub(t0), ok)
	}
	if _, ok := (webhook.Endpoint{Retries: -1}).NextTry(failed, 1, rnd); ok {
		t.Error("an endpoint with no retries retried")
	}
	asked := webhook.Attempt{At: t0, Status: 429, RetryAfter: 10 * time.Minute}
	if at, _ := ep.NextTry(asked, 1, rnd); at.Sub(t0) != 10*time.Minute {
		t.Errorf("a 429 asking for 10 min: retry in %v", at.Sub(t0))
	}
	long := webhook.Endpoint{Retries: 20}
	for range 50 {
		if at, _ := long.NextTry(failed, 20, rnd); at.Sub(t0) > webhook.MaxWait || at.Sub(t0) < webhook.MaxWait*3/4 {
			t.Fatalf("the 20th retry: in %v, want the cap %v, less a quarter at most", at.Sub(t0), webhook.MaxWait)
		}
	}
	for _, a := range []webhook.Attempt{{At: t0, Status: 204}, {At: t0, Status: 410}} {
		if _, ok := ep.NextTry(a, 1, rnd); ok {
			t.Errorf("a retry after %d", a.Status)
		}
	}
}
