package cli

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/outreachhq/outreach/core/api/apitest"
	"github.com/outreachhq/outreach/core/store/postgres/pgtest"
)

// TestReferenceExamples runs every request example of the hosted API's
// reference against `outreach serve --sandbox`, on each store, as a user
// who comes from the hosted product would: the same requests, with the
// local base URL, a real key, and real ids and future times in place of
// the placeholders. Each response must have the documented shape: the
// same keys, recursively, and the same types.
//
// It is also the rehearsal the issue asks for: an account added through
// the API, a scrape of the reference's own example source, a campaign
// launched through the API that sends, gets replies and shows them in
// /conversations. The test waits on webhook deliveries (scraping_completed,
// new_reply) rather than polling.
func TestReferenceExamples(t *testing.T) {
	t.Run("buntdb", func(t *testing.T) {
		runReferenceExamples(t, "--data", t.TempDir())
	})
	t.Run("postgres", func(t *testing.T) {
		key := writeFile(t, "secret.key", base64.StdEncoding.EncodeToString(make([]byte, 32)))
		runReferenceExamples(t, "--data", t.TempDir(), "--store", pgtest.NewDatabase(t), "--migrate", "--secret-key-file", key)
	})
}

// refScenario is the order the examples run in, by method, path and
// query: the reference lists them by resource, but a conversation exists
// only once a campaign has run, and removing the account comes last.
var refScenario = []string{
	"POST /accounts",
	"GET /accounts", // the quick start, each way of passing the key, and the listing
	"POST /scraping-sources",
	"GET /scraping-sources?id=uuid-here",
	"POST /campaigns",
	"GET /campaigns?limit=10",
	"GET /campaigns/analytics",
	"GET /conversations?limit=10",
	"GET /conversations?conversation_id=123456789-987654321",
	"POST /dm/send",
	"PATCH /crm/update",
	"GET /crm/conversations",
	"POST /scheduled-tweets",
	"GET /scheduled-tweets?status=pending&limit=10",
	"DELETE /scheduled-tweets",
	"DELETE /accounts",
}

func runReferenceExamples(t *testing.T, storeArgs ...string) {
	hooks := newHookRecorder(t)
	key := createStoreKey(t, storeArgs...)
	cfg := writeFile(t, "serve.hcl", fmt.Sprintf(`settings {
  sandbox                = true
  allow_private_webhooks = true
}
webhook "signals" {
  url    = %q
  events = ["scraping_completed", "new_reply", "dm_sent"]
}
`, hooks.URL))
	base, _ := startServe(t, append([]string{"--addr", "127.0.0.1:0", "--config", cfg}, storeArgs...)...)
	r := &refRun{t: t, base: base, key: key, hooks: hooks, subst: map[string]string{
		"YOUR_API_KEY":            key,
		"sk_live_your_api_key":    key,
		"https://app.scrapely.co": base,
		// A future time for the tweet: the example's is long past.
		"2024-03-20T15:00:00Z": time.Now().UTC().Add(24 * time.Hour).Format(time.RFC3339),
	}, examples: apitest.Reference(t)}
	examples := r.examples
	ran := make([]bool, len(examples))
	for _, step := range refScenario {
		matched := false
		for i, e := range examples {
			if ran[i] || !matches(e, step) {
				continue
			}
			matched, ran[i] = true, true
			r.before(e)
			got := r.run(e)
			r.after(e, got)
		}
		if !matched {
			t.Fatalf("step %q matches no example of the reference left to run", step)
		}
	}
	for i, e := range examples {
		if !ran[i] {
			t.Errorf("%s: the scenario never ran it", e)
		}
	}
}

// matches reports whether e is the request step names: "METHOD /path",
// with "?query" when the step names one.
func matches(e apitest.Example, step string) bool {
	method, target, _ := strings.Cut(step, " ")
	path, query, _ := strings.Cut(target, "?")
	return e.Method == method && e.Path == path && (query == "" || e.Query == query)
}

// refRun is one run of the scenario: the server, the key, and the ids
// that replace the reference's placeholders as the scenario creates them.
type refRun struct {
	t     *testing.T
	base  string
	key   string
	hooks *hookRecorder
	subst map[string]string
	// examples are the reference's.
	examples []apitest.Example
	// accountID and sources are what the scenario created.
	accountID string
	sources   []string
}

// Placeholders of the reference that stand for ids.
const (
	refAccountID    = "550e8400-e29b-41d4-a716-446655440000"
	refSourceID     = "uuid-here"
	refSourceID1    = "uuid-1"
	refSourceID2    = "uuid-2"
	refConversation = "123456789-987654321"
	refCRMConv      = "123456-789012"
	refTweetID      = "7f3a1b2c-4d5e-6f7a-8b9c-0d1e2f3a4b5c"
)

// before prepares what e needs.
func (r *refRun) before(e apitest.Example) {
	t := r.t
	switch {
	case e.Method == "DELETE" && e.Path == "/accounts" && strings.Contains(e.Body, `"handle"`):
		// The same account, removed by id just before: add it back, so
		// that removing it by handle has something to remove.
		r.call("POST", "/accounts", r.examplesBody("POST", "/accounts"))
	case e.Method == "GET" && e.Path == "/crm/conversations":
		// A custom tag, for the board's custom_tags.
		if status, b := r.call("POST", "/crm/tags", `{"name": "Hot Lead", "color": "#ff0000"}`); status != http.StatusOK {
			t.Fatalf("custom tag: %d %s", status, b)
		}
	case e.Method == "POST" && e.Path == "/campaigns":
		// The campaign targets two sources (uuid-1, uuid-2). The first is
		// the reference's own, whose filters keep only a few of the
		// simulated X's users: wait until it is scraped. The second keeps
		// every follower of naval's, so that the campaign has leads
		// enough for more than a page of conversations; it fills the
		// campaign as it is scraped.
		r.hooks.await(t, "scraping_completed", "lead_source_id", r.sources[0])
		status, b := r.call("POST", "/scraping-sources", `{"name": "Everyone", "sources": [{"handle": "naval", "followers": true}]}`)
		if status != http.StatusOK {
			t.Fatalf("second scraping source: %d %s", status, b)
		}
		id := decodeJSON[struct {
			ID string `json:"lead_source_id"`
		}](t, b).ID
		r.sources = append(r.sources, id)
		r.subst[refSourceID1], r.subst[refSourceID2] = r.sources[0], r.sources[1]
	case e.Method == "GET" && e.Path == "/conversations" && e.Query == "limit=10":
		// More conversations than a page holds, and a reply come back to
		// the campaign's DMs.
		r.hooks.awaitCount(t, "dm_sent", 11)
		// The reference's dm/send and crm/update speak for @myhandle.
		reply := r.hooks.await(t, "new_reply", "account_handle", "myhandle")
		r.subst[refConversation] = reply["conversation_id"].(string)
		r.subst[refCRMConv] = r.subst[refConversation]
	}
}

// after records the ids e's response gives.
func (r *refRun) after(e apitest.Example, body map[string]any) {
	switch {
	case e.Method == "POST" && e.Path == "/accounts" && r.accountID == "":
		r.accountID = body["account"].(map[string]any)["id"].(string)
		r.subst[refAccountID] = r.accountID
		// A second account, as the reference's campaign example spreads
		// its leads over two.
		second := strings.Replace(r.examplesBody("POST", "/accounts"), `"myhandle"`, `"myhandle2"`, 1)
		if status, b := r.call("POST", "/accounts", second); status != http.StatusOK {
			r.t.Fatalf("second account: %d %s", status, b)
		}
	case e.Method == "POST" && e.Path == "/scraping-sources":
		id := body["lead_source_id"].(string)
		r.sources = append(r.sources, id)
		r.subst[refSourceID] = id
	case e.Method == "POST" && e.Path == "/scheduled-tweets":
		r.subst[refTweetID] = body["scheduled_tweet"].(map[string]any)["id"].(string)
	}
}

// run sends e, with the placeholders replaced, and checks the response
// against the reference's example.
func (r *refRun) run(e apitest.Example) map[string]any {
	t := r.t
	t.Helper()
	target := e.Path
	if e.Query != "" {
		target += "?" + r.replace(e.Query)
	}
	req, err := http.NewRequest(e.Method, r.base+"/api/v1"+target, strings.NewReader(r.replace(e.Body)))
	if err != nil {
		t.Fatal(err)
	}
	for name, value := range e.Headers {
		req.Header.Set(name, r.replace(value))
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s: %v", e, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("%s: status %d, want 200\n%s", e, resp.StatusCode, b)
	}
	var got, want any
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatalf("%s: the response is not JSON: %v\n%s", e, err, b)
	}
	if err := json.Unmarshal([]byte(e.Response), &want); err != nil {
		t.Fatal(err)
	}
	// The CRM board's columns are keyed by tag.
	shape := apitest.Shape{Dynamic: map[string]bool{"columns": true}, NeedItems: true}
	for _, d := range shape.Diff(want, got) {
		t.Errorf("%s: %s", e, d)
	}
	if t.Failed() {
		t.Logf("%s answered:\n%s", e, b)
	}
	m, _ := got.(map[string]any)
	return m
}

// call sends a request that is not one of the reference's examples.
func (r *refRun) call(method, path, body string) (int, []byte) {
	r.t.Helper()
	req, err := http.NewRequest(method, r.base+"/api/v1"+path, strings.NewReader(r.replace(body)))
	if err != nil {
		r.t.Fatal(err)
	}
	req.Header.Set("X-API-Key", r.key)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		r.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}

// examplesBody is the body of the reference's first example of method
// and path.
func (r *refRun) examplesBody(method, path string) string {
	for _, e := range r.examples {
		if e.Method == method && e.Path == path && e.Body != "" {
			return e.Body
		}
	}
	r.t.Fatalf("the reference has no %s %s with a body", method, path)
	return ""
}

// replace puts the run's values in place of the reference's placeholders.
func (r *refRun) replace(s string) string {
	for from, to := range r.subst {
		s = strings.ReplaceAll(s, from, to)
	}
	return s
}

func decodeJSON[T any](t testing.TB, b []byte) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatalf("%v\n%s", err, b)
	}
	return v
}

// createStoreKey creates an API key of the default workspace in the store
// storeArgs name.
func createStoreKey(t *testing.T, storeArgs ...string) string {
	t.Helper()
	code, out, errOut := runCLI(t, newClock(), append([]string{"keys", "create"}, storeArgs...)...)
	if code != 0 {
		t.Fatalf("keys create exited %d\n%s", code, errOut)
	}
	return strings.TrimSpace(out)
}

// hookRecorder is a webhook endpoint that keeps every event it is sent,
// and lets a test wait for one.
type hookRecorder struct {
	*httptest.Server
	mu     sync.Mutex
	events []map[string]any
	arrive chan struct{} // closed and replaced on each event
}

func newHookRecorder(t *testing.T) *hookRecorder {
	h := &hookRecorder{arrive: make(chan struct{})}
	h.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var ev map[string]any
		if err := json.NewDecoder(r.Body).Decode(&ev); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		h.mu.Lock()
		h.events = append(h.events, ev)
		close(h.arrive)
		h.arrive = make(chan struct{})
		h.mu.Unlock()
	}))
	t.Cleanup(h.Close)
	return h
}

// awaitCount waits up to two minutes for n events of type typ.
func (h *hookRecorder) awaitCount(t *testing.T, typ string, n int) {
	t.Helper()
	deadline := time.After(2 * time.Minute)
	for {
		h.mu.Lock()
		got := 0
		for _, ev := range h.events {
			if ev["event"] == typ {
				got++
			}
		}
		arrive := h.arrive
		h.mu.Unlock()
		if got >= n {
			return
		}
		select {
		case <-arrive:
		case <-deadline:
			t.Errorf("%d %s events within two minutes, want %d", got, typ, n)
			return
		}
	}
}

// await returns the data of the first event of type typ whose data has
// field equal to value ("" for any), waiting up to two minutes for it.
func (h *hookRecorder) await(t *testing.T, typ, field, value string) map[string]any {
	t.Helper()
	deadline := time.After(2 * time.Minute)
	for {
		h.mu.Lock()
		for _, ev := range h.events {
			data, _ := ev["data"].(map[string]any)
			if ev["event"] == typ && (field == "" || data[field] == value) {
				h.mu.Unlock()
				return data
			}
		}
		arrive := h.arrive
		h.mu.Unlock()
		select {
		case <-arrive:
		case <-deadline:
			t.Fatalf("no %s event (%s = %q) within two minutes", typ, field, value)
		}
	}
}
