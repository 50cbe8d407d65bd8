package ai_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/outreachhq/outreach/plugins/ai"
	"github.com/outreachhq/outreach/sdk"
	"github.com/outreachhq/outreach/sdk/plugintest"
)

func serve() sdk.ServeConfig {
	p := ai.New()
	return sdk.ServeConfig{Plugin: p, AI: p}
}

// TestMain serves the plugin when plugintest.Exec runs the test binary as
// one, so the conformance suite also runs out of process.
func TestMain(m *testing.M) { plugintest.Main(m, serve) }

func TestConformance(t *testing.T) {
	llm := newFakeLLM(t)
	for _, tc := range []struct {
		name   string
		config json.RawMessage
	}{
		{"offline", json.RawMessage(`{}`)},
		{"chat completions", llm.config(t)},
	} {
		t.Run(tc.name+"/in process", func(t *testing.T) {
			plugintest.TestAI(t, plugintest.InProcess(t, serve()), plugintest.AIFixture{Config: tc.config})
		})
		t.Run(tc.name+"/out of process", func(t *testing.T) {
			plugintest.TestAI(t, plugintest.Exec(t), plugintest.AIFixture{Config: tc.config})
		})
	}
	if llm.calls() == 0 {
		t.Error("the chat-completions runs never reached the endpoint")
	}
}

// fakeLLM is an OpenAI-compatible endpoint on loopback with canned answers.
type fakeLLM struct {
	srv *httptest.Server
	// status, if set, is answered instead of a completion.
	status int

	mu   sync.Mutex
	n    int
	last struct {
		Model    string `json:"model"`
		Messages []struct {
			Role    string `json:"role"`
			Content string `json:"content"`
		} `json:"messages"`
	}
	auth string
}

const testKey = "sk-test-not-a-real-key"

func newFakeLLM(t *testing.T) *fakeLLM {
	f := &fakeLLM{}
	f.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		defer f.mu.Unlock()
		f.n++
		f.auth = r.Header.Get("Authorization")
		if r.Method != http.MethodPost || r.URL.Path != "/v1/chat/completions" {
			http.Error(w, `{"error":{"message":"no such route"}}`, http.StatusNotFound)
			return
		}
		if f.status != 0 {
			w.Header().Set("Retry-After", "30")
			w.WriteHeader(f.status)
			w.Write([]byte(`{"error":{"message":"canned failure"}}`))
			return
		}
		if err := json.NewDecoder(r.Body).Decode(&f.last); err != nil || len(f.last.Messages) == 0 {
			http.Error(w, `{"error":{"message":"bad request"}}`, http.StatusBadRequest)
			return
		}
		sys := f.last.Messages[0].Content
		user := strings.ToLower(f.last.Messages[len(f.last.Messages)-1].Content)
		var answer string
		switch {
		case strings.Contains(sys, "classify"):
			answer = "neutral"
			if i := strings.Index(user, "reply to classify:"); i >= 0 {
				user = user[i:]
			}
			if strings.Contains(user, "not interested") || strings.Contains(user, "stop") {
				answer = "Negative."
			} else if strings.Contains(user, "love") || strings.Contains(user, "good") {
				answer = "positive"
			}
		case strings.Contains(sys, "replies to posts"):
			answer = `"Congrats on shipping! Two minutes from signup to value is impressive, well done."`
		default:
			answer = "Happy to share more! Would a 15-minute call on Thursday work?"
		}
		json.NewEncoder(w).Encode(map[string]any{"choices": []any{map[string]any{"message": map[string]string{"role": "assistant", "content": answer}}}})
	}))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeLLM) config(t *testing.T) json.RawMessage {
	raw, err := json.Marshal(map[string]string{"base_url": f.srv.URL + "/v1", "model": "test-model", "api_key": testKey})
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

func (f *fakeLLM) calls() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.n
}

func configured(t *testing.T, config json.RawMessage) *ai.Plugin {
	t.Helper()
	p := ai.New()
	if err := p.Configure(context.Background(), config); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestChatRequest(t *testing.T) {
	llm := newFakeLLM(t)
	p := configured(t, llm.config(t))
	g, err := p.DraftReply(context.Background(), sdk.DraftRequest{
		Conversation: []sdk.ConversationMessage{{FromAccount: true, Text: "Hi!"}, {Text: "Hello, who is this?"}},
		LeadName:     "Ana",
	})
	if err != nil || g.Text == "" {
		t.Fatalf("DraftReply = %q, %v", g.Text, err)
	}
	llm.mu.Lock()
	defer llm.mu.Unlock()
	if llm.auth != "Bearer "+testKey || llm.last.Model != "test-model" {
		t.Errorf("request had Authorization %q and model %q", llm.auth, llm.last.Model)
	}
	var roles []string
	for _, m := range llm.last.Messages {
		roles = append(roles, m.Role)
	}
	if strings.Join(roles, ",") != "system,assistant,user" {
		t.Errorf("roles = %v: the account's messages are the model's own turns, the lead's the user's", roles)
	}
	if !strings.Contains(llm.last.Messages[0].Content, "Ana") {
		t.Errorf("the system prompt does not name the lead: %q", llm.last.Messages[0].Content)
	}
}

func TestChatErrors(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		status int
		want   sdk.ErrorKind
	}{
		{http.StatusTooManyRequests, sdk.RateLimited},
		{http.StatusUnauthorized, sdk.Permanent},
		{http.StatusBadRequest, sdk.Permanent},
		{http.StatusBadGateway, sdk.Retryable},
	} {
		llm := newFakeLLM(t)
		llm.status = tc.status
		p := configured(t, llm.config(t))
		_, err := p.GenerateComment(ctx, sdk.CommentRequest{PostText: "hello"})
		if sdk.KindOf(err) != tc.want || !strings.Contains(err.Error(), "canned failure") {
			t.Errorf("status %d: %v; want a %s error with the endpoint's message", tc.status, err, tc.want)
		}
		if strings.Contains(err.Error(), testKey) {
			t.Errorf("status %d: the error quotes the API key: %v", tc.status, err)
		}
		var se *sdk.Error
		if tc.want == sdk.RateLimited && (!asError(err, &se) || time.Until(se.ResetAt) < 20*time.Second) {
			t.Errorf("rate limit without the Retry-After reset: %v", err)
		}
	}
	llm := newFakeLLM(t)
	cfg := llm.config(t)
	llm.srv.Close()
	_, err := configured(t, cfg).ClassifyReply(ctx, sdk.ClassifyRequest{Text: "yes"})
	if sdk.KindOf(err) != sdk.Retryable {
		t.Errorf("endpoint down: %v; want Retryable (generating text has no effect to be in doubt about)", err)
	}
}

func asError(err error, target **sdk.Error) bool {
	e, ok := err.(*sdk.Error)
	*target = e
	return ok
}

func TestConfigErrors(t *testing.T) {
	for _, tc := range []struct{ config, want string }{
		{`{"model": "m"}`, "need base_url"},
		{`{"base_url": "ftp://x"}`, "not an http(s) URL"},
		{`{"base_url": "http://127.0.0.1:1"}`, "model is required"},
		{`{"base_url": "http://127.0.0.1:1", "model": "m", "timeout": "soon"}`, "not a positive duration"},
		{`{"base_url": "http://127.0.0.1:1", "modle": "m"}`, `unknown field "modle"`},
	} {
		err := ai.New().Configure(context.Background(), json.RawMessage(tc.config))
		if sdk.KindOf(err) != sdk.Permanent || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Configure(%s) = %v; want Permanent mentioning %q", tc.config, err, tc.want)
		}
	}
}
