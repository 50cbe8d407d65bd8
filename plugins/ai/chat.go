package ai

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/outreachhq/outreach/sdk"
)

// chatClient calls an OpenAI-compatible chat-completions endpoint, trying
// a request again after a failure a retry may fix.
type chatClient struct {
	url, model, apiKey, organization string
	// timeout bounds one request; maxRetries counts the tries after the
	// first.
	timeout    time.Duration
	maxRetries int
	maxTokens  int
	// temperature, if set, replaces each operation's own.
	temperature *float64
	jsonMode    bool
	http        *http.Client
	clock       clock
}

// clock is where the client's time and randomness come from; tests
// replace it so that a backoff or a Retry-After costs them no time.
type clock struct {
	now   func() time.Time
	sleep func(ctx context.Context, d time.Duration) error
	// jitter returns a number in [0, 1).
	jitter func() float64
}

// Backoff between tries: base doubles with each try up to backoffCap, and
// is jittered (half of it fixed, half random) so that callers who failed
// together do not retry together. A Retry-After up to retryAfterCap is
// waited for; a longer one ends the call at once, RateLimited with its
// reset, for the host to schedule.
const (
	backoffBase   = 500 * time.Millisecond
	backoffCap    = 8 * time.Second
	retryAfterCap = time.Minute
	// answerMargin is kept from the caller's deadline to answer it with a
	// typed error rather than miss it.
	answerMargin = 500 * time.Millisecond
	// maxResponse bounds the body read from the endpoint.
	maxResponse = 4 << 20
)

// message is one chat message of the request.
type message struct {
	Role    string `json:"role"`
	Content string `json:"content"`
}

type responseFormat struct {
	Type string `json:"type"`
}

type chatRequest struct {
	Model          string          `json:"model"`
	Messages       []message       `json:"messages"`
	Temperature    float64         `json:"temperature"`
	MaxTokens      int             `json:"max_tokens,omitempty"`
	ResponseFormat *responseFormat `json:"response_format,omitempty"`
}

type chatResponse struct {
	Model   string `json:"model"`
	Choices []struct {
		Message struct {
			Content string `json:"content"`
			Refusal string `json:"refusal"`
		} `json:"message"`
		FinishReason string `json:"finish_reason"`
	} `json:"choices"`
}

// answer is the first choice of a completion.
type answer struct {
	text string
	// refusal is the API's refusal field: the model declined.
	refusal string
	// finish is the finish_reason: "stop", "length", "content_filter"...
	finish string
	// model is the model as the API named it, else the configured one.
	model string
}

// complete sends r, trying again after a 429, a 5xx, a 408, a timeout or a
// connection error up to maxRetries times. Generating text has no effect
// outside, so every error is either worth retrying later (Retryable,
// RateLimited) or not (Permanent); none is in doubt.
func (c *chatClient) complete(ctx context.Context, r request) (answer, error) {
	req := chatRequest{Model: c.model, Messages: r.messages, Temperature: r.temperature, MaxTokens: c.maxTokens}
	if c.temperature != nil {
		req.Temperature = *c.temperature
	}
	if r.json && c.jsonMode {
		req.ResponseFormat = &responseFormat{Type: "json_object"}
	}
	body, err := json.Marshal(req)
	if err != nil {
		return answer{}, sdk.Errorf(sdk.Permanent, "ai: encode the request: %v", err)
	}
	// Deadlines are wall-clock time, whatever clock the client has.
	if dl, ok := ctx.Deadline(); ok && time.Until(dl) > 4*answerMargin {
		var cancel context.CancelFunc
		ctx, cancel = context.WithDeadline(ctx, dl.Add(-answerMargin))
		defer cancel()
	}
	for try := 0; ; try++ {
		a, f := c.once(ctx, body)
		if f == nil {
			return a, nil
		}
		if !f.retry || try >= c.maxRetries || ctx.Err() != nil {
			return answer{}, f.final(c.clock.now())
		}
		wait := c.backoff(try)
		if f.retryAfter > 0 {
			if f.retryAfter > retryAfterCap {
				return answer{}, f.final(c.clock.now())
			}
			wait = f.retryAfter
		}
		if dl, ok := ctx.Deadline(); ok && time.Until(dl) < wait {
			return answer{}, f.final(c.clock.now())
		}
		if err := c.clock.sleep(ctx, wait); err != nil {
			return answer{}, f.final(c.clock.now())
		}
	}
}

// backoff is the wait before try+1: exponential, capped, jittered.
func (c *chatClient) backoff(try int) time.Duration {
	d := backoffCap
	if try < 10 {
		d = min(backoffBase<<try, backoffCap)
	}
	return d/2 + time.Duration(c.clock.jitter()*float64(d/2))
}

// failure is why one try failed.
type failure struct {
	kind sdk.ErrorKind
	msg  string
	// retry: another try may succeed.
	retry bool
	// retryAfter is what the endpoint asked to wait, 0 if it did not say.
	retryAfter time.Duration
}

// final is the error the call ends with after f: a rate limit carries
// when it lifts, if the endpoint said.
func (f *failure) final(now time.Time) error {
	e := sdk.Errorf(f.kind, "%s", f.msg)
	if f.kind == sdk.RateLimited && f.retryAfter > 0 {
		e.ResetAt = now.Add(f.retryAfter)
	}
	return e
}

// once sends one request.
func (c *chatClient) once(ctx context.Context, body []byte) (answer, *failure) {
	tctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(tctx, http.MethodPost, c.url, bytes.NewReader(body))
	if err != nil {
		return answer{}, &failure{kind: sdk.Permanent, msg: fmt.Sprintf("ai: chat completions: %v", err)}
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	if c.apiKey != "" {
		req.Header.Set("Authorization", "Bearer "+c.apiKey)
	}
	if c.organization != "" {
		req.Header.Set("OpenAI-Organization", c.organization)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return answer{}, c.transportFailure(ctx, tctx, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxResponse))
	if err != nil {
		return answer{}, c.transportFailure(ctx, tctx, err)
	}
	if resp.StatusCode != http.StatusOK {
		return answer{}, c.statusFailure(resp, data)
	}
	var out chatResponse
	if err := json.Unmarshal(data, &out); err != nil {
		return answer{}, &failure{kind: sdk.Retryable, retry: true, msg: fmt.Sprintf("ai: chat completions: the answer is not a completion: %v", err)}
	}
	if len(out.Choices) == 0 {
		return answer{}, &failure{kind: sdk.Retryable, retry: true, msg: "ai: chat completions: the answer has no choices"}
	}
	ch := out.Choices[0]
	a := answer{text: ch.Message.Content, refusal: ch.Message.Refusal, finish: ch.FinishReason, model: out.Model}
	if a.model == "" {
		a.model = c.model
	}
	return a, nil
}

// transportFailure is a request that got no complete answer: a timeout
// of this try, the caller's deadline or cancellation, or a connection
// error. Errors name the endpoint, never the request.
func (c *chatClient) transportFailure(ctx, tctx context.Context, err error) *failure {
	switch {
	case ctx.Err() != nil:
		return &failure{kind: sdk.Retryable, msg: fmt.Sprintf("ai: chat completions: %v", ctx.Err())}
	case errors.Is(tctx.Err(), context.DeadlineExceeded):
		return &failure{kind: sdk.Retryable, retry: true, msg: fmt.Sprintf("ai: POST %s: no answer within the timeout of %s", c.url, c.timeout)}
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return &failure{kind: sdk.Retryable, retry: true, msg: fmt.Sprintf("ai: POST %s: timed out: %v", c.url, unwrapURL(err))}
	}
	return &failure{kind: sdk.Retryable, retry: true, msg: fmt.Sprintf("ai: POST %s: %v", c.url, unwrapURL(err))}
}

// unwrapURL drops *url.Error's "Post URL:" prefix, which the message
// already gives.
func unwrapURL(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

// statusFailure turns an error status into a failure that names the
// status and the endpoint's own message: 429 is a rate limit, 408 and 5xx
// may pass, and anything else (400, 401, 403, 404, ...) is a bad key,
// model or request that a retry repeats.
func (c *chatClient) statusFailure(resp *http.Response, body []byte) *failure {
	msg := "ai: chat completions: " + resp.Status
	if m := apiMessage(body); m != "" {
		msg += ": " + c.redact(m)
	}
	switch code := resp.StatusCode; {
	case code == http.StatusTooManyRequests:
		return &failure{kind: sdk.RateLimited, retry: true, msg: msg, retryAfter: retryAfter(resp.Header, c.clock.now())}
	case code >= 500 || code == http.StatusRequestTimeout || code == http.StatusConflict:
		return &failure{kind: sdk.Retryable, retry: true, msg: msg, retryAfter: retryAfter(resp.Header, c.clock.now())}
	}
	return &failure{kind: sdk.Permanent, msg: msg}
}

// apiMessage is the message of an error body, in the shapes compatible
// servers answer: {"error": {"message": ...}}, {"error": "..."},
// {"message": "..."} or {"detail": "..."}. It is cut short: it is the
// endpoint's word, not a place for whole prompts.
func apiMessage(body []byte) string {
	var e struct {
		Error   json.RawMessage `json:"error"`
		Message string          `json:"message"`
		Detail  any             `json:"detail"`
	}
	if json.Unmarshal(body, &e) != nil {
		return ""
	}
	var msg string
	var obj struct {
		Message string `json:"message"`
	}
	switch {
	case json.Unmarshal(e.Error, &obj) == nil && obj.Message != "":
		msg = obj.Message
	case json.Unmarshal(e.Error, &msg) == nil && msg != "":
	case e.Message != "":
		msg = e.Message
	default:
		if s, ok := e.Detail.(string); ok {
			msg = s
		}
	}
	msg = strings.Join(strings.Fields(msg), " ")
	if utf8.RuneCountInString(msg) > 300 {
		msg = string([]rune(msg)[:300]) + "..."
	}
	return msg
}

// redact removes the API key from an endpoint's message, whole or masked
// as OpenAI quotes a wrong one ("sk-proj-****abcd").
func (c *chatClient) redact(msg string) string {
	if c.apiKey == "" {
		return msg
	}
	msg = strings.ReplaceAll(msg, c.apiKey, "[api_key]")
	words := strings.Fields(msg)
	for i, w := range words {
		if strings.Contains(w, "***") {
			words[i] = "[api_key]"
		}
	}
	return strings.Join(words, " ")
}

// retryAfter reads how long the endpoint asks to wait: Retry-After in
// seconds or as an HTTP date, or OpenAI's retry-after-ms; 0 if it does not
// say.
func retryAfter(h http.Header, now time.Time) time.Duration {
	if ms := h.Get("Retry-After-Ms"); ms != "" {
		if d, err := time.ParseDuration(strings.TrimSpace(ms) + "ms"); err == nil && d > 0 {
			return d
		}
	}
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0
	}
	if d, err := time.ParseDuration(v + "s"); err == nil {
		return max(d, 0)
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(t.Sub(now), 0)
	}
	return 0
}

// newHTTPClient is the client of one configuration: it dials through
// sdk.GuardDialer, so a test run (OUTREACH_LOOPBACK_ONLY=1) cannot reach
// off the machine, and uses no proxy from the environment, which a plugin
// does not inherit.
func newHTTPClient() *http.Client {
	d := sdk.GuardDialer(&net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second})
	return &http.Client{Transport: &http.Transport{
		DialContext:           d.DialContext,
		ForceAttemptHTTP2:     true,
		MaxIdleConnsPerHost:   16,
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   10 * time.Second,
		ExpectContinueTimeout: time.Second,
	}}
}

// sleepCtx waits d or until ctx is done.
func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
