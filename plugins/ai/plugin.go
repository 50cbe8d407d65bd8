package ai

import (
	"context"
	"encoding/json"
	"math/rand/v2"
	"slices"
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
	// clock is given to each configuration's client.
	clock clock
}

var (
	_ sdk.Plugin = (*Plugin)(nil)
	_ sdk.AI     = (*Plugin)(nil)
)

// backend is one configuration: a chat-completions client and its
// prompts, or no client for the offline defaults.
type backend struct {
	chat    *chatClient
	prompts promptSet
}

// New returns the plugin with the offline defaults.
func New() *Plugin {
	p := &Plugin{clock: clock{now: time.Now, sleep: sleepCtx, jitter: rand.Float64}}
	p.backend.Store(&backend{})
	return p
}

// Info implements sdk.Plugin.
func (p *Plugin) Info(context.Context) (sdk.Info, error) {
	return sdk.Info{Name: "ai", Version: Version, Kinds: []string{sdk.KindAI}, Capabilities: []string{"comment", "classify", "draft"}}, nil
}

// ConfigSchema implements sdk.Plugin.
func (p *Plugin) ConfigSchema(context.Context) ([]sdk.ConfigField, error) {
	return slices.Clone(configFields), nil
}

// Configure implements sdk.Plugin. Without base_url the plugin works
// offline; the other fields are checked all the same, so that a
// configuration is refused for what it says whether or not it is used.
func (p *Plugin) Configure(_ context.Context, raw json.RawMessage) error {
	s, err := parseConfig(raw)
	if err != nil {
		return err
	}
	next := &backend{prompts: s.prompts}
	if s.url != "" {
		next.chat = &chatClient{
			url: s.url, model: s.model, apiKey: s.apiKey, organization: s.organization,
			timeout: s.timeout, maxRetries: s.maxRetries, maxTokens: s.maxTokens,
			temperature: s.temperature, jsonMode: s.jsonMode,
			http: newHTTPClient(), clock: p.clock,
		}
	}
	if old := p.backend.Swap(next); old != nil && old.chat != nil {
		// Calls in flight keep their connections; idle ones would only
		// linger.
		old.chat.http.CloseIdleConnections()
	}
	return nil
}
