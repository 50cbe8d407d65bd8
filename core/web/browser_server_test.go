//go:build linux

package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/outreachhq/outreach/core/pluginhost/pluginhosttest"
	"github.com/outreachhq/outreach/core/secrets"
)

// dashboard is `outreach serve` with a campaign in flight, as a person
// would run it: the built binary, serving testdata/dashboard.hcl on the
// simulated X of `outreach sandbox` (a process of its own, so that the
// test can read X's side of every conversation), with API keys of two
// workspaces: A ("default", the configuration's) and B (another tenant's,
// empty).
type dashboard struct {
	// URL is where serve answers: the dashboard at /, the API at /api/v1.
	URL string
	// SimURL is the simulated X.
	SimURL string
	// KeyA and KeyB are API keys of workspaces A and B.
	KeyA, KeyB string
	// Lead is the prospect whose profile is markup (see hostileLead).
	Lead hostileLead
	// CampaignID is the configuration's campaign.
	CampaignID string

	resumeOnce sync.Once
}

// hostileLead is a prospect of the campaign whose name, bio, location and
// website are markup and script, set in the sandbox's profiles, who
// answers the first DM a second later.
type hostileLead struct {
	Handle, Name, Bio, Location, Website string
}

// The hostile profile. Each part would run or load something if a page
// printed it as HTML: an alert is a dialog, x() an exception, an image a
// request; the CSP would block most of them, so the test also checks the
// DOM. Lengths keep within X's limits (50 characters for a name, 160 for
// a bio, 30 for a location).
const (
	hostileName     = `<img src=x onerror=alert(1)><script>x()</script>`
	hostileBio      = `Founder building <script>alert("bio")</script> <img src=x onerror=alert(2)> & "quotes"`
	hostileLocation = `<svg onload=alert(3)>`
	hostileWebsite  = `javascript:alert(4)`
)

// campaignName and the source's target are those of testdata/dashboard.hcl.
const (
	campaignName = "hello"
	sourceTarget = "paulg"
)

// startDashboard builds outreach, starts the sandbox and serve, and
// pauses the campaign at once: resume lets it go, so a test can look at
// the inbox before the conversations arrive.
func startDashboard(t *testing.T, ctx context.Context) *dashboard {
	t.Helper()
	started := time.Now()
	bin := pluginhosttest.Build(t, "github.com/outreachhq/outreach/cmd/outreach", t.TempDir(), "outreach")
	t.Logf("built outreach in %v", time.Since(started).Round(time.Millisecond))

	d := &dashboard{}
	sandbox := startProcess(t, bin, "sandbox", "--addr", "127.0.0.1:0", "--reply-rate", "1", "--reply-delay", "1s-3s")
	d.SimURL = sandbox.Address(t, ctx, "simulated X serving on")
	d.Lead = d.makeHostile(t, ctx)

	data := t.TempDir()
	d.KeyA = createKey(t, bin, data, "default")
	d.KeyB = createKey(t, bin, data, "other")
	config, err := filepath.Abs(filepath.Join("testdata", "dashboard.hcl"))
	if err != nil {
		t.Fatal(err)
	}
	serve := startProcess(t, bin, "serve", "--sandbox-url", d.SimURL, "--data", data, "--addr", "127.0.0.1:0", "--config", config)
	d.URL = serve.Address(t, ctx, "serving the API on")
	var paused struct{ Campaign struct{ ID string } }
	d.api(t, http.MethodPost, d.KeyA, "/api/v1/campaigns/"+campaignName+"/pause", &paused)
	d.CampaignID = paused.Campaign.ID
	t.Logf("serve is up with the campaign paused %v after the start", time.Since(started).Round(time.Millisecond))
	return d
}

// makeHostile gives the first follower of the source's target the hostile
// profile and a script (interested, then asking for a call, a second after
// each message), so that the campaign keeps them (the bio says founder),
// messages them, and they answer.
func (d *dashboard) makeHostile(t *testing.T, ctx context.Context) hostileLead {
	t.Helper()
	token := d.simLogin(t, ctx, "acme_sales")
	var target struct{ Data struct{ ID string } }
	d.simGet(t, ctx, token, "/2/users/by/username/"+sourceTarget, &target)
	var followers struct{ Data []struct{ Username string } }
	d.simGet(t, ctx, token, "/2/users/"+target.Data.ID+"/followers?max_results=1", &followers)
	if len(followers.Data) == 0 {
		t.Fatalf("@%s has no followers on the simulated X", sourceTarget)
	}
	l := hostileLead{Handle: followers.Data[0].Username, Name: hostileName, Bio: hostileBio, Location: hostileLocation, Website: hostileWebsite}
	body, err := json.Marshal(map[string]any{
		"profiles":  map[string]any{l.Handle: map[string]string{"name": l.Name, "description": l.Bio, "location": l.Location, "url": l.Website}},
		"prospects": map[string]any{l.Handle: map[string]any{"intents": []string{"interested", "ask_call"}, "delay": "1s"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	d.simDo(t, ctx, http.MethodPost, "", "/sandbox/v1/faults", body, nil)
	return l
}

// resume lets the campaign go, once.
func (d *dashboard) resume(t *testing.T) {
	t.Helper()
	d.resumeOnce.Do(func() {
		d.api(t, http.MethodPost, d.KeyA, "/api/v1/campaigns/"+campaignName+"/resume", nil)
	})
}

// createKey runs `outreach keys create` and returns the key it prints.
func createKey(t *testing.T, bin, data, workspace string) string {
	t.Helper()
	cmd := exec.Command(bin, "keys", "create", "--data", data, "--workspace", workspace)
	cmd.Env = append(os.Environ(), isolatedEnv...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("outreach keys create: %v\n%s", err, stderr.String())
	}
	key := strings.TrimSpace(stdout.String())
	if !secrets.LooksLikeAPIKey(key) {
		t.Fatalf("outreach keys create printed %q, not a key", key)
	}
	return key
}

// api calls the REST API with key and decodes its JSON answer into out
// (if not nil); anything but 200 fails the test.
func (d *dashboard) api(t *testing.T, method, key, path string, out any) {
	t.Helper()
	req, err := http.NewRequest(method, d.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("X-API-Key", key)
	status, body := send(t, req)
	if status != http.StatusOK {
		t.Fatalf("%s %s: status %d: %s", method, path, status, body)
	}
	if out != nil {
		if err := json.Unmarshal(body, out); err != nil {
			t.Fatalf("%s %s: %v: %s", method, path, err, body)
		}
	}
}

// onBoard is the CRM board through the API: every conversation on it, by
// id, with its tag ("" for one that is only in the unread column, which
// lists the conversations with unread replies whatever their tag).
func (d *dashboard) onBoard(t *testing.T) map[string]string {
	t.Helper()
	var out struct {
		Columns map[string]struct {
			Conversations []struct {
				ConversationID string `json:"conversation_id"`
			} `json:"conversations"`
		} `json:"columns"`
	}
	d.api(t, http.MethodGet, d.KeyA, "/api/v1/crm/conversations?limit=100", &out)
	tags := map[string]string{}
	for tag, col := range out.Columns {
		for _, c := range col.Conversations {
			if tag != "unread" || tags[c.ConversationID] == "" {
				tags[c.ConversationID] = strings.TrimPrefix(tag, "unread")
			}
		}
	}
	return tags
}

// simLogin signs handle in to the simulated X and returns its token.
func (d *dashboard) simLogin(t *testing.T, ctx context.Context, handle string) string {
	t.Helper()
	var out struct{ Token string }
	d.simDo(t, ctx, http.MethodPost, "", "/sandbox/v1/login", []byte(`{"handle":"`+handle+`"}`), &out)
	return out.Token
}

func (d *dashboard) simGet(t *testing.T, ctx context.Context, token, path string, out any) {
	t.Helper()
	d.simDo(t, ctx, http.MethodGet, token, path, nil, out)
}

func (d *dashboard) simDo(t *testing.T, ctx context.Context, method, token, path string, body []byte, out any) {
	t.Helper()
	req, err := http.NewRequestWithContext(ctx, method, d.SimURL+path, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	status, data := send(t, req)
	if status != http.StatusOK {
		t.Fatalf("simulated X: %s %s: status %d: %s", method, path, status, data)
	}
	if out != nil {
		if err := json.Unmarshal(data, out); err != nil {
			t.Fatalf("simulated X: %s %s: %v: %s", method, path, err, data)
		}
	}
}

// dmOnX is a DM as X lists it.
type dmOnX struct {
	ID, Text string
	SenderID string `json:"sender_id"`
	ConvID   string `json:"dm_conversation_id"`
}

// dmsOnX lists, through X's own endpoint, the DM events of handle's
// conversations, newest first.
func (d *dashboard) dmsOnX(t *testing.T, ctx context.Context, handle string) []dmOnX {
	t.Helper()
	token := d.simLogin(t, ctx, handle)
	var out []dmOnX
	next := ""
	for {
		q := url.Values{"dm_event.fields": {"id,text,sender_id,dm_conversation_id"}, "max_results": {"100"}}
		if next != "" {
			q.Set("pagination_token", next)
		}
		var page struct {
			Data []dmOnX
			Meta struct {
				NextToken string `json:"next_token"`
			}
		}
		d.simGet(t, ctx, token, "/2/dm_events?"+q.Encode(), &page)
		out = append(out, page.Data...)
		if next = page.Meta.NextToken; next == "" {
			return out
		}
	}
}

// send does req with a client that follows no redirect, and returns the
// status and body.
func send(t *testing.T, req *http.Request) (int, []byte) {
	t.Helper()
	resp, err := noRedirects.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, body
}

var noRedirects = &http.Client{
	Timeout:       30 * time.Second,
	CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
}

// until calls check every tick until it returns true, and fails the test
// with what it waited for once ctx ends. It is for watching another
// process or the browser, which signal nothing to wait on.
func until(t *testing.T, ctx context.Context, what string, check func() bool) {
	t.Helper()
	untilEvery(t, ctx, 100*time.Millisecond, what, check)
}

// untilEvery is until, checking every interval: a check that calls the
// API must stay within its rate limit however long the wait.
func untilEvery(t *testing.T, ctx context.Context, every time.Duration, what string, check func() bool) {
	t.Helper()
	tick := time.NewTicker(every)
	defer tick.Stop()
	for !check() {
		select {
		case <-ctx.Done():
			t.Fatalf("waited for %s: %v", what, ctx.Err())
		case <-tick.C:
		}
	}
}

// isolatedEnv keeps the test's processes from the machine's data dir,
// store and key, and spares them the race detector's second at exit.
var isolatedEnv = []string{"OUTREACH_DATA=", "OUTREACH_STORE=", "OUTREACH_SECRET_KEY=", pluginhosttest.QuickExit}

// startProcess starts a server of the test, as pluginhosttest.Start does,
// in isolatedEnv; the test's end shuts it down with SIGTERM (and logs its
// stderr if the test failed).
func startProcess(t *testing.T, bin string, args ...string) *pluginhosttest.Process {
	t.Helper()
	p := pluginhosttest.Start(t, bin, isolatedEnv, args...)
	t.Cleanup(func() { p.Shutdown(t) })
	return p
}
