//go:build linux

package cli

import (
	"bytes"
	"context"
	"hash/crc32"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/outreachhq/outreach/core/store"
	"github.com/outreachhq/outreach/core/store/bunt"
	sdkwebhook "github.com/outreachhq/outreach/sdk/webhook"
)

// flakyReceiver is a webhook endpoint on loopback that fails about 30% of
// first attempts (those of events whose id hashes so), verifies every
// delivery's signature, and keeps what it got by webhook-id.
type flakyReceiver struct {
	*httptest.Server
	verifier *sdkwebhook.Verifier

	mu       sync.Mutex
	attempts map[string]int
	bodies   map[string][]byte
	failed   int
	total    int
	bad      []string
	// at is signalled with the running total after each delivery.
	at chan int
}

func newFlakyReceiver(t *testing.T, secret string) *flakyReceiver {
	v, err := sdkwebhook.NewVerifier(secret)
	if err != nil {
		t.Fatal(err)
	}
	r := &flakyReceiver{verifier: v, attempts: map[string]int{}, bodies: map[string][]byte{}, at: make(chan int, 100000)}
	r.Server = httptest.NewServer(http.HandlerFunc(r.serve))
	t.Cleanup(r.Close)
	return r
}

func (r *flakyReceiver) serve(w http.ResponseWriter, req *http.Request) {
	body, _ := io.ReadAll(req.Body)
	id := req.Header.Get("webhook-id")
	r.mu.Lock()
	defer func() {
		r.total++
		r.at <- r.total
		r.mu.Unlock()
	}()
	if err := r.verifier.Verify(req.Header, body); err != nil {
		r.bad = append(r.bad, id+": "+err.Error())
	}
	if prev, ok := r.bodies[id]; ok && !bytes.Equal(prev, body) {
		r.bad = append(r.bad, id+": another body under the same webhook-id")
	}
	r.bodies[id] = body
	r.attempts[id]++
	if r.attempts[id] == 1 && crc32.ChecksumIEEE([]byte(id))%10 < 3 {
		r.failed++
		w.WriteHeader(http.StatusInternalServerError)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// waitFor waits until the receiver has had n deliveries.
func (r *flakyReceiver) waitFor(ctx context.Context, n int) bool {
	for {
		select {
		case got := <-r.at:
			if got >= n {
				return true
			}
		case <-ctx.Done():
			return false
		}
	}
}

// TestCrashWebhooksAtLeastOnce runs a 500-lead campaign with a webhook
// whose endpoint fails 30% of first attempts, kills apply with SIGKILL
// twice while it delivers, then runs it to the end: every event of the
// outbox reached the endpoint at least once, always under the same
// webhook-id with the same body, each delivery signed (invariant 4).
func TestCrashWebhooksAtLeastOnce(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	const secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
	rcv := newFlakyReceiver(t, secret)

	bin := buildOutreach(t)
	_, simURL := startSandbox(t, ctx, bin, "7")
	spec := clusterSpec{accounts: 4, leads: 500, minGap: time.Millisecond, maxGap: 2 * time.Millisecond}
	cfg := strings.Replace(spec.config(), "settings {\n  sandbox = true\n}", "settings {\n  sandbox = true\n  allow_private_webhooks = true\n}", 1) + `
webhook "crm" {
  url     = "` + rcv.URL + `/hooks"
  secret  = "` + secret + `"
  backoff = "1s"
}
`
	dir := t.TempDir()
	apply := []string{"apply", "-auto-approve", "--sandbox-url", simURL, "--data", dir, writeFile(t, "webhooks.hcl", cfg)}
	for i, at := range []int{150, 450} {
		p := startProcess(t, bin, apply...)
		if !rcv.waitFor(ctx, at) {
			t.Fatalf("run %d: the receiver never got %d deliveries\nstdout:\n%s\nstderr:\n%s", i+1, at, p.Stdout, p.Stderr)
		}
		p.Kill(t)
		rcv.mu.Lock()
		t.Logf("run %d: killed after %d deliveries", i+1, rcv.total)
		rcv.mu.Unlock()
	}
	runToEnd(t, ctx, bin, apply...)

	st, err := bunt.Open(dir, "crash test")
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var events []store.Event
	var hook store.Webhook
	err = st.View(ctx, func(tx *bunt.Tx) error {
		if events, err = tx.Events("default", 0, 0); err != nil {
			return err
		}
		hook, err = tx.WebhookByAddress("default", "webhook.crm")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	rcv.mu.Lock()
	defer rcv.mu.Unlock()
	types := map[string]int{}
	for _, e := range events {
		if e.At.Before(hook.CreatedAt) {
			continue
		}
		types[e.Type]++
		if rcv.attempts[e.ID] == 0 {
			t.Errorf("event %s (%s) never reached the endpoint", e.ID, e.Type)
		} else if rcv.attempts[e.ID] == 1 && crc32.ChecksumIEEE([]byte(e.ID))%10 < 3 {
			t.Errorf("event %s (%s): its failed first attempt was never retried", e.ID, e.Type)
		}
	}
	for _, bad := range rcv.bad {
		t.Error(bad)
	}
	if types[store.EventDMSent] < spec.leads*9/10 {
		t.Errorf("%d dm_sent events for a %d-lead campaign", types[store.EventDMSent], spec.leads)
	}
	t.Logf("%d events (%v); %d deliveries, %d failed first attempts, %d ids delivered more than once",
		len(events), types, rcv.total, rcv.failed, moreThanOnce(rcv.attempts))
}

func moreThanOnce(attempts map[string]int) int {
	n := 0
	for _, a := range attempts {
		if a > 1 {
			n++
		}
	}
	return n
}
