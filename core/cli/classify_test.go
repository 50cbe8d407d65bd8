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

// TestClassifyLabeled: with --labeled, classify reads labeled replies and
// prints each one the classifier read otherwise, by its input line, then
// the figures, counted from what the offline classifier says of each.
func TestClassifyLabeled(t *testing.T) {
	replies := []struct {
		text, sentiment string
		optOut          bool
	}{
		{"sounds great, let's talk", "positive", false},
		{"please stop messaging me", "negative", true},
		{"who is this?", "neutral", false},
		// Labeled against what any classifier says: a miss on purpose.
		{"yes, tell me more", "negative", true},
	}
	var in strings.Builder
	var texts []string
	for i, r := range replies {
		if i == 2 {
			in.WriteString("\n") // a blank line is skipped, and counted
		}
		fmt.Fprintf(&in, `{"text": %q, "sentiment": %q, "opt_out": %v}`+"\n", r.text, r.sentiment, r.optOut)
		texts = append(texts, r.text)
	}
	read := offlineLabels(t, texts)
	right, optOutRead := 0, 0
	for i, r := range replies {
		right += map[bool]int{true: 1}[read[i] == r.sentiment]
		optOutRead += map[bool]int{true: 1}[sdk.IsOptOut(r.text)]
	}

	code, out, errOut := classifyCLI(t, in.String(), "--labeled")
	if code != 0 {
		t.Fatalf("classify --labeled exited %d\n%s", code, errOut)
	}
	for _, want := range []string{
		fmt.Sprintf("line 5: labeled negative, opt-out, read %s", read[3]),
		`: "yes, tell me more"`,
		"4 replies, classified by offline (rules-en-",
		fmt.Sprintf("sentiment  %.1f%% right; positive", 100*float64(right)/4),
		fmt.Sprintf("opt-out    precision %.1f%%, recall 50.0%% (2 labeled, %d read, 1 both)", 100/float64(optOutRead), optOutRead),
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the report has no %q:\n%s", want, out)
		}
	}
	misses := strings.Count("\n"+out, "\nline ")
	if strings.Contains(out, "booking") || misses != 4-right {
		t.Errorf("the report lists %d misses (want %d) or measures booking, which no label has:\n%s", misses, 4-right, out)
	}

	code, out, errOut = classifyCLI(t, in.String(), "--labeled", "--json")
	var report struct {
		Replies, Right int
		BySentiment    map[string]struct{ Replies, Right int } `json:"by_sentiment"`
		OptOut         *struct{ Labeled, Read, Both int }      `json:"opt_out"`
		Booking        *struct{}                               `json:"booking"`
		Misses         []struct{ Line int }                    `json:"misses"`
	}
	if err := json.Unmarshal([]byte(out), &report); code != 0 || err != nil {
		t.Fatalf("classify --labeled --json exited %d (%v)\n%s\n%s", code, err, out, errOut)
	}
	if report.Replies != 4 || report.Right != right || report.BySentiment["negative"].Replies != 2 ||
		report.OptOut == nil || *report.OptOut != (struct{ Labeled, Read, Both int }{2, optOutRead, 1}) ||
		report.Booking != nil || len(report.Misses) != 4-right {
		t.Errorf("--json report %+v; want 4 replies, %d right, opt-out 2 labeled, %d read, 1 both, no booking", report, right, optOutRead)
	}
}

// TestClassifyLabeledErrors: a bad line of labeled replies ends the
// command before anything is classified, naming the line and the field.
func TestClassifyLabeledErrors(t *testing.T) {
	good := `{"text": "ok", "sentiment": "neutral"}` + "\n"
	for _, tc := range []struct{ in, want string }{
		{good + `{"text": "hi", "sentiment": "postive"}`, `line 2: sentiment is "postive"; it must be positive, negative or neutral`},
		{good + `{"text": "hi", "sentiment": "positive", "opt_out": "yes"}`, "line 2: not a labeled reply (a JSON object with text, sentiment and perhaps opt_out and booking): opt_out is a JSON string, not a bool"},
		{`{"text": "hi", "sentimnt": "positive"}`, `line 1: not a labeled reply (a JSON object with text, sentiment and perhaps opt_out and booking): unknown field "sentimnt"`},
		{"just a reply", "line 1: not a labeled reply"},
		{`{"text": "  ", "sentiment": "neutral"}`, "line 1: text is missing or blank"},
		{`{"sentiment": "neutral"}`, "line 1: text is missing or blank"},
		{`{"text": "a", "sentiment": "neutral"} {"text": "b"}`, "line 1: more than one JSON value"},
		{"\n\n", "no labeled replies on stdin"},
	} {
		code, out, errOut := classifyCLI(t, tc.in, "--labeled")
		if code == 0 || !strings.Contains(errOut, tc.want) || out != "" {
			t.Errorf("classify --labeled on %q: exit %d, stdout %q, stderr %q; want an error with %q and no output", tc.in, code, out, errOut, tc.want)
		}
	}
}

// FuzzReadLabeled: any input is labeled replies with a known sentiment
// and some text, or an error naming a line; never a panic.
func FuzzReadLabeled(f *testing.F) {
	f.Add(`{"text": "ok", "sentiment": "neutral", "opt_out": false, "booking": true}`)
	f.Add("\n\n{\"text\": \"x\"}\n")
	f.Add(`{"text": 1}`)
	f.Fuzz(func(t *testing.T, in string) {
		rs, err := readLabeled(strings.NewReader(in))
		if err != nil {
			if !strings.HasPrefix(err.Error(), "line ") && !strings.HasPrefix(err.Error(), "read stdin") && !strings.HasPrefix(err.Error(), "no labeled replies") {
				t.Errorf("error %q names no line", err)
			}
			return
		}
		for _, r := range rs {
			if strings.TrimSpace(r.Text) == "" || !slices.Contains([]string{"positive", "negative", "neutral"}, r.Sentiment) || r.line < 1 {
				t.Errorf("read %+v", r)
			}
		}
	})
}
