package cli

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/outreachhq/outreach/plugins/ai"
	"github.com/outreachhq/outreach/sdk"
)

// classifyCLI runs `outreach classify` with args on stdin.
func classifyCLI(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := Run(context.Background(), append([]string{"classify"}, args...), Options{
		Stdin: strings.NewReader(stdin), Stdout: &stdout, Stderr: &stderr, PluginCommand: testPluginCommand,
	})
	return code, stdout.String(), stderr.String()
}

// offlineLabels are what the ai plugin, offline and in process, says of
// each line: what classify must print, whatever the lexicon of the day.
func offlineLabels(t *testing.T, lines []string) []string {
	t.Helper()
	p := ai.New()
	out := make([]string, len(lines))
	for i, l := range lines {
		if strings.TrimSpace(l) == "" {
			out[i] = "neutral"
			continue
		}
		c, err := p.ClassifyReply(context.Background(), sdk.ClassifyRequest{Text: l})
		if err != nil {
			t.Fatal(err)
		}
		out[i] = c.Sentiment.String()
	}
	return out
}

func TestClassifyLines(t *testing.T) {
	lines := []string{"Yes! Sounds great, let's talk.", "", "Please stop messaging me", "who is this?", "   ", "not interested, thanks"}
	code, out, errOut := classifyCLI(t, strings.Join(lines, "\r\n")+"\n")
	if code != 0 {
		t.Fatalf("classify exited %d\n%s", code, errOut)
	}
	got := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if want := offlineLabels(t, lines); !slices.Equal(got, want) {
		t.Errorf("classify printed %q; want %q, a label per line", got, want)
	}
	if got[1] != "neutral" || got[2] != "negative" || got[4] != "neutral" {
		t.Errorf("classify printed %q: want blank lines neutral and the opt-out negative", got)
	}
	if code, out, _ := classifyCLI(t, ""); code != 0 || out != "" {
		t.Errorf("no input: exit %d, %q; want nothing", code, out)
	}
}

func TestClassifyJSON(t *testing.T) {
	lines := []string{"can we hop on a call <thursday>?", "", "unsubscribe"}
	code, out, errOut := classifyCLI(t, strings.Join(lines, "\n"), "--json")
	if code != 0 {
		t.Fatalf("classify --json exited %d\n%s", code, errOut)
	}
	got := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if len(got) != len(lines) || !strings.Contains(out, "<thursday>") {
		t.Fatalf("classify --json printed %d lines for %d, HTML escaped or not:\n%s", len(got), len(lines), out)
	}
	want := offlineLabels(t, lines)
	for i, l := range got {
		var fields map[string]any
		if err := json.Unmarshal([]byte(l), &fields); err != nil {
			t.Fatalf("line %d: %v: %s", i+1, err, l)
		}
		keys := slices.Sorted(func(yield func(string) bool) {
			for k := range fields {
				if !yield(k) {
					return
				}
			}
		})
		if strings.Join(keys, ",") != "booking,confidence,model,opt_out,prompt_version,sentiment,text" {
			t.Errorf("line %d has fields %v", i+1, keys)
		}
		if fields["text"] != lines[i] || fields["sentiment"] != want[i] || fields["model"] != sdk.ModelOffline || fields["prompt_version"] == "" {
			t.Errorf("line %d = %s; want text %q, sentiment %s, model offline, a prompt version", i+1, l, lines[i], want[i])
		}
		if c, ok := fields["confidence"].(float64); !ok || c < 0 || c > 1 {
			t.Errorf("line %d: confidence %v", i+1, fields["confidence"])
		}
	}
	if !strings.Contains(got[2], `"opt_out":true`) || !strings.Contains(got[2], `"sentiment":"negative"`) {
		t.Errorf("unsubscribe: %s; want a negative opt-out", got[2])
	}
}

// TestClassifyHeldout: on the held-out labeled replies, classify prints
// what the offline classifier says, line for line (how right that is, is
// TestLabeledReplies' business).
func TestClassifyHeldout(t *testing.T) {
	f, err := os.Open("../../plugins/ai/testdata/replies/heldout.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var lines []string
	for s := bufio.NewScanner(f); s.Scan(); {
		var r struct {
			Text string `json:"text"`
		}
		if err := json.Unmarshal(s.Bytes(), &r); err != nil {
			t.Fatal(err)
		}
		if strings.ContainsAny(r.Text, "\r\n") {
			t.Fatalf("reply %q spans lines", r.Text)
		}
		lines = append(lines, r.Text)
	}
	if len(lines) < 150 {
		t.Fatalf("%d held-out replies", len(lines))
	}
	code, out, errOut := classifyCLI(t, strings.Join(lines, "\n")+"\n")
	if code != 0 {
		t.Fatalf("classify exited %d\n%s", code, errOut)
	}
	got := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	want := offlineLabels(t, lines)
	if len(got) != len(want) {
		t.Fatalf("%d labels for %d lines", len(got), len(want))
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("line %d %q: classify printed %s, the offline classifier says %s", i+1, lines[i], got[i], want[i])
		}
	}
}

// fakeChat is an OpenAI-compatible endpoint on loopback that reads a
// reply's sentiment from a code word in it, which the offline classifier
// knows nothing of. Its first parallel requests wait for one another, so
// classify passes only if it sends them at once.
type fakeChat struct {
	srv      *httptest.Server
	parallel int

	mu       sync.Mutex
	n        int
	allThere chan struct{}
}

func newFakeChat(t *testing.T, parallel int) *fakeChat {
	f := &fakeChat{parallel: parallel, allThere: make(chan struct{})}
	ended := make(chan struct{})
	f.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var req struct {
			Messages []struct {
				Content string `json:"content"`
			} `json:"messages"`
		}
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil || len(req.Messages) == 0 {
			http.Error(w, `{"error":{"message":"bad request"}}`, http.StatusBadRequest)
			return
		}
		f.mu.Lock()
		f.n++
		if f.n == f.parallel {
			close(f.allThere)
		}
		f.mu.Unlock()
		select {
		case <-f.allThere:
		case <-r.Context().Done():
			return
		case <-ended:
			return
		}
		text := strings.ToLower(req.Messages[len(req.Messages)-1].Content)
		sentiment := "neutral"
		switch {
		case strings.Contains(text, "alpha"):
			sentiment = "positive"
		case strings.Contains(text, "beta"):
			sentiment = "negative"
		}
		answer := fmt.Sprintf(`{"sentiment":%q,"opt_out":false,"booking":%t,"confidence":0.75}`, sentiment, strings.Contains(text, "demo"))
		json.NewEncoder(w).Encode(map[string]any{
			"model":   "fake-model-1",
			"choices": []any{map[string]any{"message": map[string]any{"role": "assistant", "content": answer}, "finish_reason": "stop"}},
		})
	}))
	t.Cleanup(f.srv.Close)
	t.Cleanup(func() { close(ended) })
	return f
}

func (f *fakeChat) requests() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.n
}

// TestClassifyConfig: with --config, the configuration's plugin "ai"
// block points the plugin at a model, whose answers classify prints, in
// the order of the lines though the model reads them at once.
func TestClassifyConfig(t *testing.T) {
	llm := newFakeChat(t, 4)
	path := writeFile(t, "ai.hcl", `variable "ai_url" {
  type = string
}

plugin "ai" {
  config {
    base_url    = var.ai_url
    model       = "fake-model"
    api_key     = "sk-test-key"
    max_retries = 0
  }
}
`)
	lines := []string{"alpha: sounds terrible", "beta, love it", "gamma, who is this?", "", "alpha, can I get a demo?", "beta"}
	code, out, errOut := classifyCLI(t, strings.Join(lines, "\n"), "--config", path, "--var", "ai_url="+llm.srv.URL+"/v1", "--parallel", "4")
	if code != 0 {
		t.Fatalf("classify exited %d\n%s", code, errOut)
	}
	if got, want := strings.Split(strings.TrimSuffix(out, "\n"), "\n"), []string{"positive", "negative", "neutral", "neutral", "positive", "negative"}; !slices.Equal(got, want) {
		t.Errorf("classify printed %q; want the model's labels %q", got, want)
	}
	if n := llm.requests(); n != 5 {
		t.Errorf("%d requests for 5 lines that are not blank", n)
	}

	code, out, errOut = classifyCLI(t, "alpha, a demo please\n", "--json", "--config", path, "--var", "ai_url="+llm.srv.URL+"/v1")
	var got classifiedLine
	if code != 0 || json.Unmarshal([]byte(out), &got) != nil {
		t.Fatalf("classify --json exited %d: %s\n%s", code, out, errOut)
	}
	if want := (classifiedLine{Text: "alpha, a demo please", Sentiment: "positive", Booking: true, Confidence: 0.75, Model: "fake-model-1", PromptVersion: "classify-2"}); got != want {
		t.Errorf("classify --json = %+v; want %+v", got, want)
	}
}

// TestClassifyErrors: a configuration the ai plugin refuses is reported
// at its block before any line is read, and an endpoint that refuses a
// line ends the command naming it, after the lines before.
func TestClassifyErrors(t *testing.T) {
	bad := writeFile(t, "bad.hcl", `plugin "ai" {
  config {
    base_url = "http://127.0.0.1:1/v1"
    model    = "m"
    retries  = 2
  }
}
`)
	code, out, errOut := classifyCLI(t, "hello\n", "--config", bad)
	if code != 1 || out != "" || !strings.Contains(errOut, "bad.hcl:5") || !strings.Contains(errOut, "retries") {
		t.Errorf("a config the plugin does not declare: exit %d, stdout %q\n%s\nwant exit 1 and a diagnostic at bad.hcl:5", code, out, errOut)
	}

	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var req struct {
			Messages []struct {
				Content string `json:"content"`
			} `json:"messages"`
		}
		json.NewDecoder(r.Body).Decode(&req)
		if strings.Contains(req.Messages[len(req.Messages)-1].Content, "forbidden") {
			w.WriteHeader(http.StatusForbidden)
			fmt.Fprint(w, `{"error":{"message":"this model is not available to you"}}`)
			return
		}
		json.NewEncoder(w).Encode(map[string]any{"choices": []any{map[string]any{"message": map[string]any{"content": `{"sentiment":"positive"}`}}}})
	}))
	t.Cleanup(srv.Close)
	path := writeFile(t, "ai.hcl", fmt.Sprintf(`plugin "ai" {
  config {
    base_url    = %q
    model       = "m"
    api_key     = "sk-test-secret"
    max_retries = 0
  }
}
`, srv.URL+"/v1"))
	code, out, errOut = classifyCLI(t, "yes\nyes\nforbidden\nyes\n", "--config", path, "--parallel", "1")
	if code != 1 || out != "positive\npositive\n" || !strings.Contains(errOut, "line 3") || !strings.Contains(errOut, "403") || strings.Contains(errOut, "sk-test-secret") {
		t.Errorf("a refused line: exit %d, stdout %q\n%s\nwant the two lines before it, then an error naming line 3 and the 403", code, out, errOut)
	}
	if code, _, errOut := classifyCLI(t, "", "--parallel", "0"); code != 1 || !strings.Contains(errOut, "--parallel") {
		t.Errorf("--parallel 0: exit %d\n%s", code, errOut)
	}
}

func TestClassifyHelp(t *testing.T) {
	code, out, _ := classifyCLI(t, "", "--help")
	for _, want := range []string{"outreach classify --json < replies.txt", "--config FILE|DIR", "--var", "--parallel"} {
		if code != 0 || !strings.Contains(out, want) {
			t.Errorf("classify --help (exit %d) lacks %q:\n%s", code, want, out)
		}
	}
}
