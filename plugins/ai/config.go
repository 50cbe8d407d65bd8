package ai

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net/url"
	"strings"
	"time"

	"github.com/outreachhq/outreach/sdk"
)

// Defaults of the configuration.
const (
	defaultTimeout    = 30 * time.Second
	defaultMaxRetries = 3
	// defaultMaxTokens bounds what one answer may cost: several times a
	// 280-character comment or a DM, and far more than a classification.
	defaultMaxTokens = 512
	// maxMaxRetries keeps a typo (max_retries = 300) from holding a call
	// for hours.
	maxMaxRetries = 10
)

// configFields is the plugin's config schema. Each description is what
// `outreach plugins list` and a person reading a plugin block see.
var configFields = []sdk.ConfigField{
	{Name: "base_url", Type: "string", Description: "Base URL of an OpenAI-compatible API, such as https://api.openai.com/v1 or a local vLLM/Ollama server's http://127.0.0.1:11434/v1 (the plugin POSTs to base_url/chat/completions). Leave it out to work offline: the campaign's comment template or generic comments, the lexicon classifier, a canned reply."},
	{Name: "model", Type: "string", Description: "Model name sent with every request, such as gpt-4o-mini. Required with base_url."},
	{Name: "api_key", Type: "string", Sensitive: true, Description: `API key, sent as a bearer token; usually api_key = env("OPENAI_API_KEY"). Leave it out for servers that need none. It never appears in an error or a log.`},
	{Name: "organization", Type: "string", Description: "OpenAI organization id, sent as the OpenAI-Organization header. Optional."},
	{Name: "timeout", Type: "string", Description: "Timeout of one request, as a Go duration. Default 30s."},
	{Name: "max_retries", Type: "number", Description: "How many times a request is tried again after a 429, a 5xx, a 408, a timeout or a connection error, with exponential backoff and jitter, waiting as Retry-After says when it asks for at most a minute. Default 3; 0 to 10."},
	{Name: "max_tokens", Type: "number", Description: "The most tokens an answer may have, sent as max_tokens. Default 512; 0 sends none."},
	{Name: "temperature", Type: "number", Description: "Sampling temperature, 0 to 2, sent with every request. Default: 0.7 for comments and drafts, 0 for classifications. Set 1 for models that accept no other."},
	{Name: "json_mode", Type: "bool", Description: `Send response_format {"type":"json_object"} with classifications. Default false, since many local servers lack it; the answer is read as JSON either way.`},
	{Name: "prompts", Type: "map(string)", Description: "Optional system prompts that replace the built-in ones, each a Go text/template: prompts = { comment = \"...\", classify = \"...\", draft = \"...\" }. " +
		"comment may use {{.AuthorUsername}}, {{.AuthorName}}, {{.AuthorBio}} (the post's author), {{.Instructions}} (the campaign's comment template) and {{.MaxLength}} (0 for none); the post is the user message. " +
		"classify may use {{.Format}}, the sentence that asks for the JSON answer, which is appended when the template leaves it out; the conversation and the reply are the user message. " +
		"draft may use {{.LeadName}}, {{.Instructions}} and {{.MaxLength}}; the conversation follows as user (the lead) and assistant (the account) turns. " +
		"An overridden prompt's version is NAME-custom- and the first 8 hex digits of its SHA-256, stored with every text it writes."},
}

// config is the plugin's configuration as the host passes it: the JSON of
// the plugin block's config attributes. Pointers tell a value left out
// from a zero.
type config struct {
	BaseURL      string            `json:"base_url"`
	Model        string            `json:"model"`
	APIKey       string            `json:"api_key"`
	Organization string            `json:"organization"`
	Timeout      string            `json:"timeout"`
	MaxRetries   *float64          `json:"max_retries"`
	MaxTokens    *float64          `json:"max_tokens"`
	Temperature  *float64          `json:"temperature"`
	JSONMode     bool              `json:"json_mode"`
	Prompts      map[string]string `json:"prompts"`
}

// settings is a configuration checked and with its defaults applied.
type settings struct {
	// url is the chat-completions endpoint; "" works offline.
	url, model, apiKey, organization string
	timeout                          time.Duration
	maxRetries, maxTokens            int
	// temperature is nil for each operation's own.
	temperature *float64
	jsonMode    bool
	prompts     promptSet
}

// configError is an error in the configuration, naming the field.
func configError(field, format string, args ...any) error {
	return sdk.Errorf(sdk.Permanent, "ai: config: %s: %s", field, fmt.Sprintf(format, args...))
}

// parseConfig decodes and checks raw. Unknown fields are refused, and every
// error names the field it is about. Errors never quote api_key.
func parseConfig(raw json.RawMessage) (settings, error) {
	var c config
	if len(bytes.TrimSpace(raw)) > 0 {
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&c); err != nil {
			return settings{}, decodeError(err)
		}
		if _, err := dec.Token(); err != io.EOF {
			return settings{}, sdk.Errorf(sdk.Permanent, "ai: config: more than one JSON value")
		}
	}
	s := settings{
		model: c.Model, apiKey: c.APIKey, organization: c.Organization,
		timeout: defaultTimeout, maxRetries: defaultMaxRetries, maxTokens: defaultMaxTokens,
		temperature: c.Temperature, jsonMode: c.JSONMode,
	}
	var errs []error
	if c.BaseURL == "" {
		for _, f := range []struct{ name, value string }{{"model", c.Model}, {"api_key", c.APIKey}, {"organization", c.Organization}} {
			if f.value != "" {
				errs = append(errs, configError(f.name, "needs base_url, the endpoint to send it to; leave both out to work offline"))
			}
		}
	} else {
		u, err := url.Parse(c.BaseURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			errs = append(errs, configError("base_url", "%q is not an http(s) URL such as https://api.openai.com/v1", c.BaseURL))
		} else if u.User != nil {
			// A key in the URL would be quoted by every error that names it.
			errs = append(errs, configError("base_url", "holds user information; put the key in api_key"))
		}
		s.url = strings.TrimRight(c.BaseURL, "/") + "/chat/completions"
		if c.Model == "" {
			errs = append(errs, configError("model", "is required with base_url"))
		}
	}
	if strings.ContainsAny(c.APIKey, "\r\n") {
		errs = append(errs, configError("api_key", "holds a line break"))
	}
	if strings.ContainsAny(c.Organization, "\r\n") {
		errs = append(errs, configError("organization", "holds a line break"))
	}
	if c.Timeout != "" {
		d, err := time.ParseDuration(c.Timeout)
		if err != nil || d <= 0 {
			errs = append(errs, configError("timeout", "%q is not a positive duration such as 30s", c.Timeout))
		}
		s.timeout = d
	}
	if c.MaxRetries != nil {
		n, ok := whole(*c.MaxRetries)
		if !ok || n < 0 || n > maxMaxRetries {
			errs = append(errs, configError("max_retries", "%v is not a whole number from 0 to %d", *c.MaxRetries, maxMaxRetries))
		}
		s.maxRetries = n
	}
	if c.MaxTokens != nil {
		n, ok := whole(*c.MaxTokens)
		if !ok || n < 0 {
			errs = append(errs, configError("max_tokens", "%v is not a whole number, 0 or more", *c.MaxTokens))
		}
		s.maxTokens = n
	}
	if t := c.Temperature; t != nil && !(*t >= 0 && *t <= 2) {
		errs = append(errs, configError("temperature", "%v is not between 0 and 2", *t))
	}
	prompts, err := parsePrompts(c.Prompts)
	if err != nil {
		errs = append(errs, err)
	}
	s.prompts = prompts
	if len(errs) > 0 {
		return settings{}, sdk.Errorf(sdk.Permanent, "%s", errors.Join(errs...).Error())
	}
	return s, nil
}

// whole reads a JSON number that must be a whole number.
func whole(f float64) (int, bool) {
	if f != math.Trunc(f) || math.Abs(f) > 1<<31 {
		return 0, false
	}
	return int(f), true
}

// decodeError names the field of a JSON decoding error. encoding/json's
// own messages quote no values, so none can leak the key.
func decodeError(err error) error {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		field := te.Field
		if field == "" {
			return sdk.Errorf(sdk.Permanent, "ai: config: want an object of attributes, got a JSON %s", te.Value)
		}
		return configError(field, "want %s, got a %s", describeGoType(field), te.Value)
	}
	msg := err.Error()
	if name, ok := strings.CutPrefix(msg, "json: unknown field "); ok {
		known := make([]string, len(configFields))
		for i, f := range configFields {
			known[i] = f.Name
		}
		return configError(strings.Trim(name, `"`), "unknown field %s; the fields are %s", name, strings.Join(known, ", "))
	}
	return sdk.Errorf(sdk.Permanent, "ai: config: %s", msg)
}

// describeGoType says what a field's value must be, as its schema does.
func describeGoType(field string) string {
	switch {
	case field == "prompts":
		return "an object of strings"
	case strings.HasPrefix(field, "prompts."):
		return "a string"
	}
	for _, f := range configFields {
		if f.Name != field {
			continue
		}
		switch f.Type {
		case "number":
			return "a number"
		case "bool":
			return "true or false"
		}
	}
	return "a string"
}
