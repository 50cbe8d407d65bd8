package cli

import (
	"bufio"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/outreachhq/outreach/core/clock"
	"github.com/outreachhq/outreach/core/pluginhost/pluginhosttest"
	"github.com/outreachhq/outreach/sdk"
	sdkwebhook "github.com/outreachhq/outreach/sdk/webhook"
)

// TestApplyFeedsADeclaredSink: a sink plugin written as a third party
// writes one (a module of its own, built from sdk alone), declared in a
// plugin block next to the quick start, receives that run's dm_sent and
// new_reply events under apply: one dm_sent for every DM the summary
// counts, one new_reply for every reply, each event once, and no type it
// did not subscribe to.
func TestApplyFeedsADeclaredSink(t *testing.T) {
	dir := t.TempDir()
	pluginhosttest.BuildModule(t, "testdata/eventsink", dir, "outreach-plugin-events")
	quick, err := os.ReadFile(quickstart)
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "events.jsonl")
	for name, content := range map[string]string{"quickstart.hcl": string(quick), "events.hcl": `
plugin "events" {
  source = "./outreach-plugin-events"
  events = ["dm_sent", "new_reply"]

  config {
    path = "` + out + `"
  }
}
`} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	data := t.TempDir()
	clk := clock.NewVirtual(time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC))
	code, stdout, stderr := runCLI(t, clk, "apply", "-auto-approve", "-data", data, dir)
	if code != 0 {
		t.Fatalf("apply exited %d\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	if !strings.Contains(stdout, "events") {
		t.Errorf("the plan does not list the plugin:\n%s", stdout)
	}

	f, err := os.Open(out)
	if err != nil {
		t.Fatalf("the sink wrote nothing: %v", err)
	}
	defer f.Close()
	count := map[string]int{}
	seen := map[string]bool{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var e sdk.Event
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			t.Fatalf("line %q: %v", sc.Text(), err)
		}
		if seen[e.ID] {
			t.Errorf("event %s (%s) came twice", e.ID, e.Type)
		}
		seen[e.ID] = true
		count[e.Type]++
		if e.Type == sdk.EventDMSent {
			var d sdk.DMSentData
			if err := json.Unmarshal(e.Data, &d); err != nil || d.AccountHandle == "" || d.Receiver.ScreenName == "" || d.Message.Text == "" {
				t.Errorf("dm_sent data %s: %v", e.Data, err)
			}
		}
	}
	_, campaigns := stats(t, data)
	var dms, replies int
	for _, a := range campaigns[0].Accounts {
		dms += a.TotalSent() + a.Followups
		replies += a.TotalReplied()
	}
	if count[sdk.EventDMSent] != dms || count[sdk.EventNewReply] != replies || dms == 0 || replies == 0 {
		t.Errorf("the sink got %v; want %d dm_sent (first DMs and follow-ups) and %d new_reply", count, dms, replies)
	}
	if len(count) != 2 {
		t.Errorf("the sink got the types %v; want only the two it subscribes to", count)
	}
}

// TestServeDeliversSignedReplies: `serve --sandbox --config FILE
// --allow-private-webhooks` with a webhook block pointing at a receiver on
// loopback: while the quick start's campaign runs, the receiver gets
// new_reply events, each signed as the Standard Webhooks specification
// says, with the event's id as webhook-id.
func TestServeDeliversSignedReplies(t *testing.T) {
	const secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
	verifier, err := sdkwebhook.NewVerifier(secret)
	if err != nil {
		t.Fatal(err)
	}
	type delivery struct {
		header http.Header
		body   []byte
	}
	got := make(chan delivery, 100)
	rcv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		got <- delivery{r.Header.Clone(), body}
	}))
	defer rcv.Close()

	dir := t.TempDir()
	quick, err := os.ReadFile(quickstart)
	if err != nil {
		t.Fatal(err)
	}
	for name, content := range map[string]string{"quickstart.hcl": string(quick), "hooks.hcl": `
webhook "crm" {
  url    = "` + rcv.URL + `/hooks/outreach"
  events = ["new_reply"]
  secret = "` + secret + `"
}
`} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	_, log := startServe(t, "--sandbox", "--addr", "127.0.0.1:0", "--data", t.TempDir(), "--config", dir, "--allow-private-webhooks")
	if !strings.Contains(log, "webhook.crm will be created") || strings.Contains(log, secret) {
		t.Errorf("serve's log should show the webhook's plan and never its secret:\n%s", log)
	}
	for n := 0; n < 2; n++ {
		var d delivery
		select {
		case d = <-got:
		case <-time.After(2 * time.Minute):
			t.Fatalf("%d new_reply deliveries in 2 minutes, want 2", n)
		}
		if err := verifier.Verify(d.header, d.body); err != nil {
			t.Errorf("delivery %s does not verify: %v", d.body, err)
		}
		var body struct {
			Event string           `json:"event"`
			Data  sdk.NewReplyData `json:"data"`
		}
		if err := json.Unmarshal(d.body, &body); err != nil || body.Event != sdk.EventNewReply || body.Data.Message.Text == "" || body.Data.Receiver.ScreenName == "" {
			t.Errorf("delivery body %s: %v", d.body, err)
		}
		if d.header.Get("webhook-id") == "" || d.header.Get("Content-Type") != "application/json" {
			t.Errorf("delivery headers %v", d.header)
		}
	}
}
