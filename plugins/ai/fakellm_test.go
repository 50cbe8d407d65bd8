package ai_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/outreachhq/outreach/plugins/ai"
)

// fakeLLM is an OpenAI-compatible chat-completions endpoint on loopback.
// By default it answers like a small obliging model (see canned); a test
// scripts other answers with reply.
type fakeLLM struct {
	srv *httptest.Server
	// release unblocks the handlers of block answers when the test ends.
	release chan struct{}

	mu   sync.Mutex
	reqs []recorded
	// reply, if set, answers request n (0-based) instead of canned.
	reply func(n int, r recorded) answer
}

// recorded is one request as the endpoint saw it.
type recorded struct {
	Auth, Organization string
	Body               struct {
		Model    string `json:"model"`
		Messages []struct {
			Role    string `json:"role"`
			Content string `json:"content"`
		} `json:"messages"`
		MaxTokens      *int     `json:"max_tokens"`
		Temperature    *float64 `json:"temperature"`
		ResponseFormat *struct {
			Type string `json:"type"`
		} `json:"response_format"`
	}
}

func (r recorded) system() string { return r.Body.Messages[0].Content }
func (r recorded) user() string   { return r.Body.Messages[len(r.Body.Messages)-1].Content }

// answer is what the endpoint answers: a status with headers and a raw
// body, or a completion.
type answer struct {
	status  int
	header  map[string]string
	body    string
	content string
	refusal string
	finish  string
	model   string
	// block: no answer until the client gives up or the test ends.
	block bool
}

const (
	testKey = "sk-test-not-a-real-key-0123456789"
	// servedModel is the model the fake endpoint says answered, which is
	// what the plugin stores rather than the configured alias.
	servedModel = "test-model-2026-01-01"
)

func newFakeLLM(t *testing.T) *fakeLLM {
	f := &fakeLLM{release: make(chan struct{})}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	// Cleanups run last first: the blocked handlers are released before
	// the server waits for them.
	t.Cleanup(func() { close(f.release) })
	return f
}

func (f *fakeLLM) serve(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost || r.URL.Path != "/v1/chat/completions" {
		http.Error(w, `{"error":{"message":"no such route"}}`, http.StatusNotFound)
		return
	}
	var rec recorded
	rec.Auth, rec.Organization = r.Header.Get("Authorization"), r.Header.Get("OpenAI-Organization")
	if err := json.NewDecoder(r.Body).Decode(&rec.Body); err != nil || len(rec.Body.Messages) == 0 {
		http.Error(w, `{"error":{"message":"bad request"}}`, http.StatusBadRequest)
		return
	}
	f.mu.Lock()
	n := len(f.reqs)
	f.reqs = append(f.reqs, rec)
	reply := f.reply
	f.mu.Unlock()
	a := canned(rec)
	if reply != nil {
		a = reply(n, rec)
	}
	if a.block {
		select {
		case <-r.Context().Done():
		case <-f.release:
		}
		return
	}
	for k, v := range a.header {
		w.Header().Set(k, v)
	}
	if a.status != 0 && a.status != http.StatusOK {
		w.WriteHeader(a.status)
		fmt.Fprint(w, a.body)
		return
	}
	if a.body != "" {
		fmt.Fprint(w, a.body)
		return
	}
	if a.model == "" {
		a.model = servedModel
	}
	if a.finish == "" {
		a.finish = "stop"
	}
	msg := map[string]any{"role": "assistant", "content": a.content}
	if a.refusal != "" {
		msg["content"], msg["refusal"] = nil, a.refusal
	}
	json.NewEncoder(w).Encode(map[string]any{
		"id": "chatcmpl-1", "object": "chat.completion", "model": a.model,
		"choices": []any{map[string]any{"index": 0, "message": msg, "finish_reason": a.finish}},
	})
}

// maxLengthRE reads the length limit the built-in prompts state.
var maxLengthRE = regexp.MustCompile(`under (\d+) characters`)

// canned answers as a model would: JSON for a classification (read from
// the reply's words), else a comment or a reply that keeps to the length
// the prompt asks for.
func canned(r recorded) answer {
	sys, user := r.system(), strings.ToLower(r.user())
	if strings.Contains(sys, `"sentiment"`) {
		if _, reply, ok := strings.Cut(user, "reply to classify:"); ok {
			user = reply
		}
		sentiment, optOut := "neutral", strings.Contains(user, "stop")
		switch {
		case optOut || strings.Contains(user, "not interested"):
			sentiment = "negative"
		case strings.Contains(user, "love") || strings.Contains(user, "good") || strings.Contains(user, "great"):
			sentiment = "positive"
		}
		return answer{content: fmt.Sprintf(`{"sentiment":%q,"opt_out":%t,"booking":%t,"confidence":0.87}`,
			sentiment, optOut, strings.Contains(user, "call") || strings.Contains(user, "price"))}
	}
	limit := 1000
	if m := maxLengthRE.FindStringSubmatch(sys); m != nil {
		limit, _ = strconv.Atoi(m[1])
	}
	text := "Happy to share more! Would a 15-minute call on Thursday work for you?"
	if strings.Contains(sys, "replies to posts") {
		text = `"Congrats on shipping! Two minutes from signup to value is impressive, well done."`
	}
	if utf8.RuneCountInString(text) > limit {
		text = "Congrats, well done!"
	}
	return answer{content: text}
}

// config is the plugin's configuration for this endpoint, with extra
// fields.
func (f *fakeLLM) config(t *testing.T, extra map[string]any) json.RawMessage {
	t.Helper()
	c := map[string]any{"base_url": f.srv.URL + "/v1", "model": "test-model", "api_key": testKey}
	for k, v := range extra {
		c[k] = v
	}
	raw, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

func (f *fakeLLM) requests() []recorded {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]recorded(nil), f.reqs...)
}

func (f *fakeLLM) script(reply func(n int, r recorded) answer) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.reply = reply
}

// then scripts the answers in order, the last one repeated; canned where
// one is the zero answer.
func (f *fakeLLM) then(answers ...answer) {
	f.script(func(n int, r recorded) answer {
		a := answers[min(n, len(answers)-1)]
		if a.status == 0 && a.header == nil && a.body == "" && a.content == "" && a.refusal == "" && a.finish == "" && !a.block {
			return canned(r)
		}
		return a
	})
}

// t0 is the time of the plugins' fake clock.
var t0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

// waits records what a plugin slept for, in place of sleeping.
type waits struct {
	mu sync.Mutex
	d  []time.Duration
}

func (w *waits) list() []time.Duration {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]time.Duration(nil), w.d...)
}

// plugin is a plugin configured with config whose clock stands at t0,
// whose sleeps are recorded and return at once, and whose jitter is half
// its range.
func plugin(t *testing.T, config json.RawMessage) (*ai.Plugin, *waits) {
	t.Helper()
	w := &waits{}
	p := ai.New()
	p.SetClock(func() time.Time { return t0 }, func(ctx context.Context, d time.Duration) error {
		w.mu.Lock()
		w.d = append(w.d, d)
		w.mu.Unlock()
		return ctx.Err()
	}, func() float64 { return 0.5 })
	if err := p.Configure(context.Background(), config); err != nil {
		t.Fatalf("Configure(%s): %v", config, err)
	}
	return p, w
}
