package ai_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
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
// one, so the conformance suite also runs out of process. It holds the
// tests and the plugins they start to loopback.
func TestMain(m *testing.M) {
	plugintest.HoldToLoopback()
	plugintest.Main(m, serve)
}

func TestConformance(t *testing.T) {
	llm := newFakeLLM(t)
	for _, tc := range []struct {
		name   string
		config json.RawMessage
	}{
		{"offline", json.RawMessage(`{}`)},
		{"chat completions", llm.config(t, nil)},
	} {
		t.Run(tc.name+"/in process", func(t *testing.T) {
			plugintest.TestAI(t, plugintest.InProcess(t, serve()), plugintest.AIFixture{Config: tc.config})
		})
		t.Run(tc.name+"/out of process", func(t *testing.T) {
			plugintest.TestAI(t, plugintest.Exec(t), plugintest.AIFixture{Config: tc.config})
		})
	}
	if len(llm.requests()) == 0 {
		t.Error("the chat-completions runs never reached the endpoint")
	}
}

var post = sdk.CommentRequest{
	PostText:       "We just shipped our new onboarding flow: signup to first value in under two minutes.",
	AuthorUsername: "@founder", AuthorName: "Ana Lima", AuthorBio: "Building Acme. Ex-Stripe.",
	Instructions: "congratulate them on the launch", MaxLength: 280,
}

func TestCommentChat(t *testing.T) {
	llm := newFakeLLM(t)
	p, _ := plugin(t, llm.config(t, map[string]any{"max_tokens": 200, "organization": "org-test"}))
	g, err := p.GenerateComment(context.Background(), post)
	if err != nil {
		t.Fatal(err)
	}
	want := sdk.Generated{Text: "Congrats on shipping! Two minutes from signup to value is impressive, well done.", Model: servedModel, PromptVersion: "comment-2"}
	if g != want {
		t.Errorf("GenerateComment = %+v; want %+v (unquoted, with the model the API named and the prompt's version)", g, want)
	}
	reqs := llm.requests()
	if len(reqs) != 1 {
		t.Fatalf("%d requests, want 1", len(reqs))
	}
	r := reqs[0]
	if r.Body.Model != "test-model" || r.Body.MaxTokens == nil || *r.Body.MaxTokens != 200 || r.Body.Temperature == nil || *r.Body.Temperature != 0.7 {
		t.Errorf("request model %q, max_tokens %v, temperature %v; want test-model, 200, 0.7", r.Body.Model, r.Body.MaxTokens, r.Body.Temperature)
	}
	if r.Body.ResponseFormat != nil {
		t.Errorf("a comment request asks for response_format %+v", r.Body.ResponseFormat)
	}
	if r.Auth != "Bearer "+testKey || r.Organization != "org-test" {
		t.Errorf("Authorization %q, OpenAI-Organization %q", r.Auth, r.Organization)
	}
	if len(r.Body.Messages) != 2 || r.Body.Messages[0].Role != "system" || r.Body.Messages[1].Role != "user" || r.user() != post.PostText {
		t.Errorf("messages %+v; want the system prompt, then the post as the user's", r.Body.Messages)
	}
	for _, want := range []string{"@founder", "Ana Lima", "Building Acme. Ex-Stripe.", "congratulate them on the launch", "under 280 characters"} {
		if !strings.Contains(r.system(), want) || strings.Contains(r.system(), "@@") {
			t.Errorf("the system prompt lacks %q:\n%s", want, r.system())
		}
	}
}

func TestCommentOffline(t *testing.T) {
	p, _ := plugin(t, json.RawMessage(`{}`))
	ctx := context.Background()
	g, err := p.GenerateComment(ctx, sdk.CommentRequest{PostText: "hello", Instructions: `  "Congrats on the launch, Ana!"  `})
	if err != nil || g != (sdk.Generated{Text: "Congrats on the launch, Ana!", Model: sdk.ModelOffline, PromptVersion: "comment-templates-1"}) {
		t.Errorf("offline comment from the campaign's template = %+v, %v; want the template as written", g, err)
	}
	g, err = p.GenerateComment(ctx, sdk.CommentRequest{PostText: "hello", AuthorUsername: "ana", MaxLength: 280})
	if err != nil || g.Text == "" || g.Model != sdk.ModelOffline || g.PromptVersion != "comment-templates-1" {
		t.Errorf("offline comment without a template = %+v, %v; want a generic one", g, err)
	}
	// A template that leaves something for a model to fill gets the
	// generic reply: nothing pretends to have read the post.
	g, err = p.GenerateComment(ctx, sdk.CommentRequest{PostText: "hello", AuthorUsername: "ana", Instructions: "Great insights on {{topic}}!"})
	if generic, _ := p.GenerateComment(ctx, sdk.CommentRequest{PostText: "hello", AuthorUsername: "ana"}); err != nil || g != generic {
		t.Errorf("offline comment from a template for a model = %+v, %v; want the generic one, %+v", g, err, generic)
	}
	for _, tc := range []struct {
		instructions string
		max          int
	}{
		{"Congrats {first_name}!", 0},
		{"I'm sorry, but I can't write that.", 0},
		{"Congratulations on a remarkable launch, the whole team must be proud", 20},
	} {
		_, err := p.GenerateComment(ctx, sdk.CommentRequest{PostText: "hello", Instructions: tc.instructions, MaxLength: tc.max})
		if sdk.KindOf(err) != sdk.Permanent || !strings.Contains(err.Error(), "campaign's comment template") {
			t.Errorf("offline comment from %q (max %d): %v; want a Permanent error about the template", tc.instructions, tc.max, err)
		}
	}
}

func TestClassifyChat(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name, text, answer string
		jsonMode           bool
		want               sdk.Classification
	}{
		{name: "booking", text: "sounds good, can we hop on a call thursday?",
			answer: `{"sentiment":"positive","opt_out":false,"booking":true,"confidence":0.92}`,
			want:   sdk.Classification{Sentiment: sdk.Positive, Booking: true, Confidence: 0.92}},
		{name: "opt-out from the model", text: "please never write to me again",
			answer: `{"sentiment":"negative","opt_out":true,"booking":false,"confidence":0.97}`, jsonMode: true,
			want: sdk.Classification{Sentiment: sdk.Negative, OptOut: true, Confidence: 0.97}},
		{name: "opt-out the model missed", text: "Love it, but don't follow up",
			answer: `{"sentiment":"positive","opt_out":false,"booking":false,"confidence":0.6}`,
			want:   sdk.Classification{Sentiment: sdk.Negative, OptOut: true, Confidence: 0.9}},
		{name: "opt-out read as positive", text: "haha sure, remove me from this list",
			answer: `{"sentiment":"positive","opt_out":true,"booking":false,"confidence":0.7}`,
			want:   sdk.Classification{Sentiment: sdk.Negative, OptOut: true, Confidence: 0.7}},
		{name: "fenced with a lead-in", text: "who is this?",
			answer: "Sure! Here is the classification:\n```json\n{\"sentiment\": \"Neutral\", \"opt_out\": false, \"booking\": false, \"confidence\": 0.8}\n```\nLet me know if you need more.",
			want:   sdk.Classification{Sentiment: sdk.Neutral, Confidence: 0.8}},
		{name: "confidence clamped", text: "YES", answer: `{"sentiment":"positive","opt_out":false,"booking":false,"confidence":7}`,
			want: sdk.Classification{Sentiment: sdk.Positive, Confidence: 1}},
		{name: "no confidence", text: "what's the price?", answer: `{"sentiment":"positive","opt_out":"false","booking":"true"}`,
			want: sdk.Classification{Sentiment: sdk.Positive, Booking: true, Confidence: 0.8}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			llm := newFakeLLM(t)
			llm.then(answer{content: tc.answer})
			p, _ := plugin(t, llm.config(t, map[string]any{"json_mode": tc.jsonMode}))
			got, err := p.ClassifyReply(ctx, sdk.ClassifyRequest{Text: tc.text, Context: []sdk.ConversationMessage{{FromAccount: true, Text: "Hi! Up for a quick call?"}}})
			if err != nil {
				t.Fatal(err)
			}
			tc.want.Model, tc.want.PromptVersion = servedModel, "classify-2"
			if got != tc.want {
				t.Errorf("ClassifyReply(%q) = %+v; want %+v", tc.text, got, tc.want)
			}
			r := llm.requests()[0]
			if tc.jsonMode != (r.Body.ResponseFormat != nil && r.Body.ResponseFormat.Type == "json_object") {
				t.Errorf("json_mode %t, response_format %+v", tc.jsonMode, r.Body.ResponseFormat)
			}
			if !strings.Contains(r.system(), `"sentiment"`) || !strings.Contains(r.system(), "booking") || *r.Body.Temperature != 0 {
				t.Errorf("the classify request (temperature %v) does not ask for the JSON answer:\n%s", *r.Body.Temperature, r.system())
			}
			if !strings.Contains(r.user(), "Us: Hi! Up for a quick call?") || !strings.HasSuffix(r.user(), tc.text) {
				t.Errorf("the user message lacks the conversation or the reply:\n%s", r.user())
			}
		})
	}
}

// TestClassifyUnreadable: an answer that is not the JSON asked for is
// asked for once more, then the lexicon classifies, less sure, and says
// so.
func TestClassifyUnreadable(t *testing.T) {
	ctx := context.Background()
	text := "Please stop messaging me"
	for _, tc := range []struct {
		name    string
		answers []answer
		calls   int
		model   bool
	}{
		{"prose twice", []answer{{content: "The lead seems somewhat negative overall."}}, 2, false},
		{"bad sentiment, then good JSON", []answer{{content: `{"sentiment":"mixed"}`}, {content: `{"sentiment":"negative","opt_out":true,"booking":false,"confidence":0.9}`}}, 2, true},
		{"cut at max_tokens", []answer{{content: `{"sentiment":"nega`, finish: "length"}}, 2, false},
		{"refusal", []answer{{refusal: "I can't help with that."}}, 1, false},
		{"content filter", []answer{{content: "", finish: "content_filter"}}, 1, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			llm := newFakeLLM(t)
			llm.then(tc.answers...)
			p, _ := plugin(t, llm.config(t, nil))
			got, err := p.ClassifyReply(ctx, sdk.ClassifyRequest{Text: text})
			if err != nil {
				t.Fatal(err)
			}
			if n := len(llm.requests()); n != tc.calls {
				t.Errorf("%d requests, want %d", n, tc.calls)
			}
			if got.Sentiment != sdk.Negative || !got.OptOut {
				t.Errorf("ClassifyReply(%q) = %+v; want a negative opt-out", text, got)
			}
			switch {
			case tc.model && (got.Model != servedModel || got.PromptVersion != "classify-2"):
				t.Errorf("read by the model on its second answer: %+v", got)
			case !tc.model && (got.Model != sdk.ModelOffline || got.PromptVersion != "classify-2-fallback-offline" || got.Confidence > 0.5):
				t.Errorf("fallback = %+v; want the lexicon's reading, model offline, version classify-2-fallback-offline, confidence at most 0.5", got)
			}
		})
	}
}

func TestClassifyOffline(t *testing.T) {
	p, _ := plugin(t, json.RawMessage(`{}`))
	for _, tc := range []struct {
		text   string
		want   sdk.Sentiment
		optOut bool
	}{
		{"Yes! Sounds great, let's talk.", sdk.Positive, false},
		{"Thanks, but leave me alone", sdk.Negative, true},
		{"", sdk.Neutral, false},
	} {
		got, err := p.ClassifyReply(context.Background(), sdk.ClassifyRequest{Text: tc.text})
		if err != nil || got.Sentiment != tc.want || got.OptOut != tc.optOut || got.Model != sdk.ModelOffline || got.PromptVersion == "" || got.Confidence < 0 || got.Confidence > 1 {
			t.Errorf("offline ClassifyReply(%q) = %+v, %v; want %s, opt-out %t, model offline, a prompt version", tc.text, got, err, tc.want, tc.optOut)
		}
	}
}

func TestDraftChat(t *testing.T) {
	llm := newFakeLLM(t)
	p, _ := plugin(t, llm.config(t, map[string]any{"temperature": 0.2}))
	g, err := p.DraftReply(context.Background(), sdk.DraftRequest{
		Conversation: []sdk.ConversationMessage{
			{FromAccount: true, Text: "Hi Ana, what's the hardest part of building right now?"},
			{Text: "Hiring, honestly. What do you do?"},
			{FromAccount: true, Text: "We help teams hire engineers faster."},
			{Text: "Interesting. How much is it?"},
		},
		Instructions: "short, friendly", LeadName: "Ana", MaxLength: 500,
	})
	if err != nil {
		t.Fatal(err)
	}
	if g.Text == "" || g.Model != servedModel || g.PromptVersion != "draft-2" {
		t.Errorf("DraftReply = %+v", g)
	}
	r := llm.requests()[0]
	var roles []string
	for _, m := range r.Body.Messages {
		roles = append(roles, m.Role)
	}
	if strings.Join(roles, ",") != "system,assistant,user,assistant,user" || r.user() != "Interesting. How much is it?" {
		t.Errorf("roles %v, last %q: the account's messages are the model's own turns, the lead's the user's", roles, r.user())
	}
	for _, want := range []string{"Ana", "short, friendly", "under 500 characters", "Never invent prices, links or dates", "a person will follow up"} {
		if !strings.Contains(r.system(), want) {
			t.Errorf("the system prompt lacks %q:\n%s", want, r.system())
		}
	}
	if *r.Body.Temperature != 0.2 || *r.Body.MaxTokens != 512 {
		t.Errorf("temperature %v, max_tokens %v; want the configured 0.2 and the default 512", *r.Body.Temperature, *r.Body.MaxTokens)
	}
}

func TestDraftOffline(t *testing.T) {
	p, _ := plugin(t, json.RawMessage(`{}`))
	g, err := p.DraftReply(context.Background(), sdk.DraftRequest{LeadName: "Ana", Conversation: []sdk.ConversationMessage{{Text: "Sounds good!"}}, MaxLength: 280})
	if err != nil || g.Text == "" || g.Model != sdk.ModelOffline || g.PromptVersion != "draft-canned-1" {
		t.Errorf("offline DraftReply = %+v, %v", g, err)
	}
}

// TestChatGuardrails: what a model writes reaches a lead only trimmed,
// unquoted, within its length, and neither empty, a refusal nor a
// template; otherwise it is an error, never a stand-in text.
func TestChatGuardrails(t *testing.T) {
	long := "Congrats on the launch, that is a real milestone for the team. " + strings.Repeat("More words here ", 6)
	for _, tc := range []struct {
		name string
		a    answer
		max  int
		want string
		kind sdk.ErrorKind
	}{
		{name: "quotes and space", a: answer{content: "  \u201cNice work, Ana!\u201d \n"}, want: "Nice work, Ana!"},
		{name: "empty", a: answer{content: "  \"\" "}, kind: sdk.Retryable},
		{name: "refusal field", a: answer{refusal: "I'm sorry, I can't help with that request."}, kind: sdk.Permanent},
		{name: "refusal text", a: answer{content: "I'm sorry, but I can't write messages like that."}, kind: sdk.Permanent},
		{name: "as an AI", a: answer{content: "As an AI, I don't have opinions, but congrats!"}, kind: sdk.Permanent},
		{name: "cannot help", a: answer{content: "I cannot help with unsolicited outreach."}, kind: sdk.Permanent},
		{name: "content filter", a: answer{content: "", finish: "content_filter"}, kind: sdk.Permanent},
		{name: "double-brace placeholder", a: answer{content: "Hi {{first_name}}, congrats!"}, kind: sdk.Retryable},
		{name: "brace placeholder", a: answer{content: "Hi {name}, congrats on {company}!"}, kind: sdk.Retryable},
		{name: "bracket placeholder", a: answer{content: "Congrats! Best, [Your Name]"}, kind: sdk.Retryable},
		{name: "over length, cut at a sentence", a: answer{content: "Congrats on the launch. It looks great!! So fast."}, max: 42, want: "Congrats on the launch. It looks great!!"},
		{name: "over length, cut at a word", a: answer{content: "Congrats on the launch of this thing"}, max: 32, want: "Congrats on the launch of this"},
		{name: "over length, too long to cut", a: answer{content: long}, max: 70, kind: sdk.Retryable},
		{name: "cut at max_tokens after a sentence", a: answer{content: "Congrats on the launch, it looks great. Two minutes to value is", finish: "length"}, want: "Congrats on the launch, it looks great."},
		{name: "cut at max_tokens mid-sentence", a: answer{content: "Congrats on the launch, it looks great and two", finish: "length"}, kind: sdk.Retryable},
	} {
		t.Run(tc.name, func(t *testing.T) {
			llm := newFakeLLM(t)
			llm.then(tc.a)
			p, _ := plugin(t, llm.config(t, nil))
			ctx := context.Background()
			c := post
			c.MaxLength = tc.max
			g, cerr := p.GenerateComment(ctx, c)
			d, derr := p.DraftReply(ctx, sdk.DraftRequest{Conversation: []sdk.ConversationMessage{{Text: "tell me more"}}, MaxLength: tc.max})
			for _, got := range []struct {
				op   string
				text string
				err  error
			}{{"comment", g.Text, cerr}, {"draft", d.Text, derr}} {
				if tc.kind == "" {
					if got.err != nil || got.text != tc.want {
						t.Errorf("%s = %q, %v; want %q", got.op, got.text, got.err, tc.want)
					}
					continue
				}
				if sdk.KindOf(got.err) != tc.kind || got.text != "" {
					t.Errorf("%s = %q, %v; want a %s error and no text", got.op, got.text, got.err, tc.kind)
				}
			}
			if n := len(llm.requests()); n != 2 {
				t.Errorf("%d requests, want 2: a text the guardrails refuse is not asked for again here", n)
			}
		})
	}
}

// TestChatTimeout: an endpoint that never answers fails the call,
// Retryable, once every try has had its timeout, not the host's deadline.
func TestChatTimeout(t *testing.T) {
	llm := newFakeLLM(t)
	llm.then(answer{block: true})
	p, w := plugin(t, llm.config(t, map[string]any{"timeout": "200ms", "max_retries": 1}))
	start := time.Now()
	_, err := p.ClassifyReply(context.Background(), sdk.ClassifyRequest{Text: "hello"})
	elapsed := time.Since(start)
	if sdk.KindOf(err) != sdk.Retryable || !strings.Contains(err.Error(), "no answer within the timeout of 200ms") {
		t.Errorf("ClassifyReply = %v; want a Retryable timeout", err)
	}
	if n := len(llm.requests()); n != 2 || len(w.list()) != 1 {
		t.Errorf("%d requests and waits %v; want 2 tries, one wait", n, w.list())
	}
	if elapsed > 5*time.Second {
		t.Errorf("the call took %s with a 200ms timeout and one retry", elapsed)
	}
}

func TestChatRetries(t *testing.T) {
	ctx := context.Background()
	httpDate := t0.Add(45 * time.Second).Format(http.TimeFormat)
	tooMany := func(retryAfter string) answer {
		return answer{status: 429, header: map[string]string{"Retry-After": retryAfter}, body: `{"error":{"message":"Rate limit reached for requests"}}`}
	}
	unavailable := answer{status: 500, body: `{"error":{"message":"The server had an error"}}`}
	for _, tc := range []struct {
		name    string
		config  map[string]any
		answers []answer
		calls   int
		waits   []time.Duration
		kind    sdk.ErrorKind
		resetAt time.Time
	}{
		{name: "429 then 200", answers: []answer{tooMany("7"), {}}, calls: 2, waits: []time.Duration{7 * time.Second}},
		{name: "429 with a date, then 200", answers: []answer{tooMany(httpDate), {}}, calls: 2, waits: []time.Duration{45 * time.Second}},
		{name: "retry-after-ms", answers: []answer{{status: 429, header: map[string]string{"Retry-After-Ms": "1500"}}, {}}, calls: 2, waits: []time.Duration{1500 * time.Millisecond}},
		{name: "500 then 200", answers: []answer{unavailable, {}}, calls: 2, waits: []time.Duration{375 * time.Millisecond}},
		{name: "503 and 408 then 200", answers: []answer{{status: 503}, {status: 408}, {}}, calls: 3, waits: []time.Duration{375 * time.Millisecond, 750 * time.Millisecond}},
		{name: "500 forever", answers: []answer{unavailable}, calls: 4, kind: sdk.Retryable,
			waits: []time.Duration{375 * time.Millisecond, 750 * time.Millisecond, 1500 * time.Millisecond}},
		{name: "500 forever, max_retries 1", config: map[string]any{"max_retries": 1}, answers: []answer{unavailable}, calls: 2, kind: sdk.Retryable,
			waits: []time.Duration{375 * time.Millisecond}},
		{name: "500 forever, max_retries 0", config: map[string]any{"max_retries": 0}, answers: []answer{unavailable}, calls: 1, kind: sdk.Retryable},
		{name: "429 forever", answers: []answer{tooMany("20")}, calls: 4, kind: sdk.RateLimited, resetAt: t0.Add(20 * time.Second),
			waits: []time.Duration{20 * time.Second, 20 * time.Second, 20 * time.Second}},
		{name: "429 for an hour", answers: []answer{tooMany("3600")}, calls: 1, kind: sdk.RateLimited, resetAt: t0.Add(time.Hour)},
		{name: "400", answers: []answer{{status: 400, body: `{"error":{"message":"Invalid value for 'temperature'"}}`}}, calls: 1, kind: sdk.Permanent},
		{name: "403", answers: []answer{{status: 403, body: `{"error":"model access denied"}`}}, calls: 1, kind: sdk.Permanent},
		{name: "404", answers: []answer{{status: 404, body: `{"detail":"model not found"}`}}, calls: 1, kind: sdk.Permanent},
	} {
		t.Run(tc.name, func(t *testing.T) {
			llm := newFakeLLM(t)
			llm.then(tc.answers...)
			p, w := plugin(t, llm.config(t, tc.config))
			c, err := p.ClassifyReply(ctx, sdk.ClassifyRequest{Text: "sounds good"})
			if n := len(llm.requests()); n != tc.calls {
				t.Errorf("%d requests, want %d", n, tc.calls)
			}
			if got := w.list(); fmt.Sprint(got) != fmt.Sprint(tc.waits) && !(len(got) == 0 && len(tc.waits) == 0) {
				t.Errorf("waited %v; want %v", got, tc.waits)
			}
			if tc.kind == "" {
				if err != nil || c.Sentiment != sdk.Positive {
					t.Errorf("ClassifyReply = %+v, %v; want the answer after the retries", c, err)
				}
				return
			}
			if sdk.KindOf(err) != tc.kind {
				t.Fatalf("ClassifyReply = %v; want a %s error", err, tc.kind)
			}
			status := strconv.Itoa(tc.answers[0].status)
			if !strings.Contains(err.Error(), status) || (tc.answers[0].body != "" && !strings.Contains(err.Error(), apiMessage(tc.answers[0].body))) {
				t.Errorf("error %q does not name status %s and the API's message", err, status)
			}
			var se *sdk.Error
			if errors.As(err, &se); !se.ResetAt.Equal(tc.resetAt) {
				t.Errorf("ResetAt = %v; want %v", se.ResetAt, tc.resetAt)
			}
		})
	}
}

// apiMessage is the message of an error body of the shapes TestChatRetries
// uses.
func apiMessage(body string) string {
	for _, re := range []string{`"message":"([^"]*)"`, `"error":"([^"]*)"`, `"detail":"([^"]*)"`} {
		if m := regexp.MustCompile(re).FindStringSubmatch(body); m != nil {
			return m[1]
		}
	}
	return ""
}

// TestChatAPIKey: the key goes to the endpoint as a bearer token and into
// no error, even one whose message quotes it.
func TestChatAPIKey(t *testing.T) {
	ctx := context.Background()
	llm := newFakeLLM(t)
	masked := testKey[:8] + "************" + testKey[len(testKey)-4:]
	llm.then(answer{status: 401, body: fmt.Sprintf(`{"error":{"message":"Incorrect API key provided: %s. Or %s."}}`, masked, testKey)})
	p, _ := plugin(t, llm.config(t, nil))
	_, err := p.GenerateComment(ctx, post)
	if sdk.KindOf(err) != sdk.Permanent || !strings.Contains(err.Error(), "401") || !strings.Contains(err.Error(), "Incorrect API key provided") {
		t.Errorf("401: %v; want a Permanent error naming the status and the API's message", err)
	}
	if r := llm.requests(); len(r) != 1 || r[0].Auth != "Bearer "+testKey {
		t.Errorf("requests %+v; want one, with the key as a bearer token", r)
	}
	errs := []error{err}
	llm.then(answer{block: true})
	p, _ = plugin(t, llm.config(t, map[string]any{"timeout": "50ms", "max_retries": 0}))
	_, err = p.DraftReply(ctx, sdk.DraftRequest{})
	errs = append(errs, err)
	down := newFakeLLM(t)
	cfg := down.config(t, map[string]any{"max_retries": 0})
	down.srv.Close()
	p, _ = plugin(t, cfg)
	_, err = p.ClassifyReply(ctx, sdk.ClassifyRequest{Text: "yes"})
	if sdk.KindOf(err) != sdk.Retryable {
		t.Errorf("endpoint down: %v; want Retryable (generating text has no effect to be in doubt about)", err)
	}
	errs = append(errs, err, ai.New().Configure(ctx, json.RawMessage(`{"api_key": "`+testKey+`", "timeout": 3}`)))
	for _, err := range errs {
		if err == nil {
			t.Fatal("want an error")
		}
		for _, secret := range []string{testKey, masked, testKey[len(testKey)-12:]} {
			if strings.Contains(err.Error(), secret) {
				t.Errorf("the error quotes the API key: %v", err)
			}
		}
	}
}

func TestChatPromptOverride(t *testing.T) {
	llm := newFakeLLM(t)
	comment := "Write a reply to {{.AuthorName}} (@{{.AuthorUsername}}) in under {{.MaxLength}} characters. {{.Instructions}}"
	classify := "Read the reply. Is it a yes?"
	p, _ := plugin(t, llm.config(t, map[string]any{"prompts": map[string]string{"comment": comment, "classify": classify}}))
	ctx := context.Background()
	g, err := p.GenerateComment(ctx, post)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256([]byte(comment))
	if want := "comment-custom-" + hex.EncodeToString(sum[:])[:8]; g.PromptVersion != want {
		t.Errorf("PromptVersion = %q; want %q", g.PromptVersion, want)
	}
	c, err := p.ClassifyReply(ctx, sdk.ClassifyRequest{Text: "I love it"})
	if err != nil || c.Sentiment != sdk.Positive || !strings.HasPrefix(c.PromptVersion, "classify-custom-") {
		t.Errorf("ClassifyReply = %+v, %v; want positive, by the custom prompt", c, err)
	}
	d, err := p.DraftReply(ctx, sdk.DraftRequest{LeadName: "Ana"})
	if err != nil || d.PromptVersion != "draft-2" {
		t.Errorf("DraftReply = %+v, %v; want the built-in prompt, draft-2", d, err)
	}
	reqs := llm.requests()
	if want := "Write a reply to Ana Lima (@founder) in under 280 characters. congratulate them on the launch"; reqs[0].system() != want {
		t.Errorf("comment system prompt %q; want %q", reqs[0].system(), want)
	}
	if sys := reqs[1].system(); !strings.HasPrefix(sys, classify) || !strings.Contains(sys, `"sentiment"`) {
		t.Errorf("classify system prompt %q; want the custom one, with the JSON answer's format appended", sys)
	}
}

func TestConfigErrors(t *testing.T) {
	for _, tc := range []struct{ config, want string }{
		{`{"model": "m"}`, "model: needs base_url"},
		{`{"api_key": "k"}`, "api_key: needs base_url"},
		{`{"base_url": "ftp://x", "model": "m"}`, "base_url: \"ftp://x\" is not an http(s) URL"},
		{`{"base_url": "https://user:pw@example.com/v1", "model": "m"}`, "base_url: holds user information"},
		{`{"base_url": "http://127.0.0.1:1"}`, "model: is required"},
		{`{"timeout": "soon"}`, "timeout: \"soon\" is not a positive duration"},
		{`{"timeout": "-1s"}`, "timeout:"},
		{`{"timeout": 30}`, "timeout: want a string, got a number"},
		{`{"max_retries": -1}`, "max_retries: -1 is not a whole number from 0 to 10"},
		{`{"max_retries": 1.5}`, "max_retries:"},
		{`{"max_retries": "3"}`, "max_retries: want a number, got a string"},
		{`{"max_tokens": -5}`, "max_tokens:"},
		{`{"temperature": 3}`, "temperature: 3 is not between 0 and 2"},
		{`{"json_mode": "yes"}`, "json_mode: want true or false"},
		{`{"prompts": {"comment": "{{.AuthorName"}}`, "prompts.comment: not a valid template"},
		{`{"prompts": {"draft": "Hi {{.Nope}}"}}`, "prompts.draft: the template fails"},
		{`{"prompts": {"classify": " "}}`, "prompts.classify: is empty"},
		{`{"prompts": {"comment": "Hi{{range 1000000000}}{{range 1000000000}}{{end}}{{end}}"}}`, "prompts.comment: comment:1:10: {{range 1000000000}}"},
		{`{"prompts": {"comment": "{{if .AuthorName}}{{template \"comment\"}}{{end}}"}}`, "prompts.comment: comment:1:29: {{template \"comment\"}} is not allowed"},
		{`{"prompts": {"draft": "{{define \"x\"}}hi{{end}}{{template \"x\"}}"}}`, "prompts.draft: defines templates"},
		{`{"prompts": {"reply": "x"}}`, "prompts.reply: unknown prompt"},
		{`{"prompts": {"comment": 3}}`, "prompts"},
		{`{"prompts": "x"}`, "prompts: want an object of strings"},
		{`{"modle": "m"}`, `modle: unknown field "modle"`},
		{`[]`, "want an object"},
		{`{} {}`, "more than one"},
	} {
		err := ai.New().Configure(context.Background(), json.RawMessage(tc.config))
		if sdk.KindOf(err) != sdk.Permanent || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Configure(%s) = %v; want Permanent mentioning %q", tc.config, err, tc.want)
		}
	}
	for _, ok := range []string{``, `{}`, `null`, `{"timeout": "5s", "max_retries": 0, "max_tokens": 0, "temperature": 1, "json_mode": true}`} {
		if err := ai.New().Configure(context.Background(), json.RawMessage(ok)); err != nil {
			t.Errorf("Configure(%s) = %v", ok, err)
		}
	}
}

// TestConfigSchema: every field Configure reads is declared, with a
// description, and only api_key is sensitive.
func TestConfigSchema(t *testing.T) {
	fields, err := ai.New().ConfigSchema(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range fields {
		names = append(names, f.Name)
		if f.Description == "" || f.Sensitive != (f.Name == "api_key") {
			t.Errorf("field %s: description %q, sensitive %t", f.Name, f.Description, f.Sensitive)
		}
	}
	if got, want := strings.Join(names, ","), "base_url,model,api_key,organization,timeout,max_retries,max_tokens,temperature,json_mode,prompts"; got != want {
		t.Errorf("fields %s; want %s", got, want)
	}
}

// FuzzConfig: no configuration panics Configure, and every one it refuses
// is refused as Permanent, without quoting the key.
func FuzzConfig(f *testing.F) {
	for _, seed := range []string{
		`{}`, `{"base_url": "http://127.0.0.1:1", "model": "m", "api_key": "sk-secret-1234567890"}`,
		`{"max_retries": 2.5, "api_key": "sk-secret-1234567890"}`, `{"prompts": {"comment": "{{.AuthorName}}"}}`,
		`{"prompts": {"draft": "{{template \"x\"}}"}}`, `{"timeout": "1h", "temperature": 2}`, `[`, `null`, `{"prompts": null}`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		err := ai.New().Configure(context.Background(), raw)
		if err == nil {
			return
		}
		if sdk.KindOf(err) != sdk.Permanent {
			t.Errorf("Configure(%q) = %v; want a Permanent error", raw, err)
		}
		var c struct {
			APIKey string `json:"api_key"`
		}
		// A key that is also written elsewhere (as the base_url) may be
		// quoted as that.
		if json.Unmarshal(raw, &c) == nil && len(c.APIKey) >= 8 && strings.Count(string(raw), c.APIKey) == 1 && strings.Contains(err.Error(), c.APIKey) {
			t.Errorf("Configure(%q) quotes the key: %v", raw, err)
		}
	})
}
