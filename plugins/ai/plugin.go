package ai

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"time"

	"github.com/outreachhq/outreach/sdk"
)

// Version is the plugin's version, reported in its info.
const Version = "0.1.0"

// Plugin implements sdk.Plugin and sdk.AI.
type Plugin struct {
	// backend is swapped whole by Configure, so calls in flight keep the
	// configuration they started with.
	backend atomic.Pointer[backend]
}

var (
	_ sdk.Plugin = (*Plugin)(nil)
	_ sdk.AI     = (*Plugin)(nil)
)

// backend writes the text: a chat-completions endpoint, or nil for the
// offline defaults.
type backend struct {
	chat *chatClient
}

// New returns the plugin with the offline defaults.
func New() *Plugin {
	p := &Plugin{}
	p.backend.Store(&backend{})
	return p
}

// Info implements sdk.Plugin.
func (p *Plugin) Info(context.Context) (sdk.Info, error) {
	return sdk.Info{Name: "ai", Version: Version, Kinds: []string{sdk.KindAI}, Capabilities: []string{"comment", "classify", "draft"}}, nil
}

// ConfigSchema implements sdk.Plugin.
func (p *Plugin) ConfigSchema(context.Context) ([]sdk.ConfigField, error) {
	return []sdk.ConfigField{
		{Name: "base_url", Type: "string", Description: "Base URL of an OpenAI-compatible API, e.g. https://api.openai.com/v1 (the plugin POSTs to base_url/chat/completions). Leave it out to work offline: template comments, lexicon sentiment, a canned reply."},
		{Name: "model", Type: "string", Description: "Model name sent with every request, e.g. gpt-4o-mini. Required with base_url."},
		{Name: "api_key", Type: "string", Sensitive: true, Description: "API key, sent as a bearer token. Leave it out for servers that need none."},
		{Name: "timeout", Type: "string", Description: "Timeout of one request, as a Go duration. Default 30s."},
	}, nil
}

// config is the plugin's configuration as written in HCL.
type config struct {
	BaseURL string `json:"base_url"`
	Model   string `json:"model"`
	APIKey  string `json:"api_key"`
	Timeout string `json:"timeout"`
}

// Configure implements sdk.Plugin.
func (p *Plugin) Configure(_ context.Context, raw json.RawMessage) error {
	var c config
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&c); err != nil {
		return sdk.Errorf(sdk.Permanent, "ai: config: %v", err)
	}
	if c.BaseURL == "" {
		if c.Model != "" || c.APIKey != "" {
			return sdk.Errorf(sdk.Permanent, "ai: config: model and api_key need base_url, the endpoint to send them to")
		}
		p.backend.Store(&backend{})
		return nil
	}
	u, err := url.Parse(c.BaseURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return sdk.Errorf(sdk.Permanent, "ai: config: base_url %q is not an http(s) URL", c.BaseURL)
	}
	if c.Model == "" {
		return sdk.Errorf(sdk.Permanent, "ai: config: model is required with base_url")
	}
	timeout := 30 * time.Second
	if c.Timeout != "" {
		d, err := time.ParseDuration(c.Timeout)
		if err != nil || d <= 0 {
			return sdk.Errorf(sdk.Permanent, "ai: config: timeout %q is not a positive duration like 30s", c.Timeout)
		}
		timeout = d
	}
	p.backend.Store(&backend{chat: &chatClient{
		url:    strings.TrimRight(c.BaseURL, "/") + "/chat/completions",
		model:  c.Model,
		apiKey: c.APIKey,
		http:   &http.Client{Timeout: timeout},
	}})
	return nil
}

// GenerateComment implements sdk.AI.
func (p *Plugin) GenerateComment(ctx context.Context, req sdk.CommentRequest) (sdk.Generated, error) {
	b := p.backend.Load()
	if b.chat == nil {
		return sdk.Generated{Text: truncate(templateComment(req), req.MaxLength), Model: sdk.ModelOffline, PromptVersion: "comment-templates-1"}, nil
	}
	text, err := b.chat.complete(ctx, commentPrompt(req))
	if err != nil {
		return sdk.Generated{}, err
	}
	text = cleanText(text)
	if text == "" {
		return sdk.Generated{}, sdk.Errorf(sdk.Retryable, "ai: the model wrote an empty comment")
	}
	return sdk.Generated{Text: truncate(text, req.MaxLength), Model: b.chat.model, PromptVersion: "comment-1"}, nil
}

// ClassifyReply implements sdk.AI.
func (p *Plugin) ClassifyReply(ctx context.Context, req sdk.ClassifyRequest) (sdk.Classification, error) {
	b := p.backend.Load()
	if b.chat == nil || sdk.IsOptOut(req.Text) {
		// An opt-out is negative, and the engine acts on the same
		// detector: a model that read it otherwise would only disagree.
		return classify(req.Text), nil
	}
	answer, err := b.chat.complete(ctx, classifyPrompt(req))
	if err != nil {
		return sdk.Classification{}, err
	}
	if s, ok := parseSentiment(answer); ok {
		return sdk.Classification{Sentiment: s, Confidence: modelConfidence}, nil
	}
	// A model that rambles instead of answering in one word still leaves
	// the reply to be classified: the lexicon does it, less sure.
	c := classify(req.Text)
	c.Confidence = min(c.Confidence, 0.5)
	return c, nil
}

// DraftReply implements sdk.AI.
func (p *Plugin) DraftReply(ctx context.Context, req sdk.DraftRequest) (sdk.Generated, error) {
	b := p.backend.Load()
	if b.chat == nil {
		return sdk.Generated{Text: truncate(cannedReply(req), req.MaxLength), Model: sdk.ModelOffline, PromptVersion: "draft-canned-1"}, nil
	}
	text, err := b.chat.complete(ctx, draftPrompt(req))
	if err != nil {
		return sdk.Generated{}, err
	}
	text = cleanText(text)
	if text == "" {
		return sdk.Generated{}, sdk.Errorf(sdk.Retryable, "ai: the model wrote an empty reply")
	}
	return sdk.Generated{Text: text, Model: b.chat.model, PromptVersion: "draft-1"}, nil
}
