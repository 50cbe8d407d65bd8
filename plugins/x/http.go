package x

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/outreachhq/outreach/sdk"
)

func (c *Connector) get(ctx context.Context, s sdk.Session, path string, q url.Values, out any) error {
	u := c.config().BaseURL + path
	if len(q) > 0 {
		u += "?" + q.Encode()
	}
	return c.do(ctx, s, http.MethodGet, u, nil, out)
}

func (c *Connector) post(ctx context.Context, s sdk.Session, path string, body, out any) error {
	b, err := json.Marshal(body)
	if err != nil {
		return sdk.Errorf(sdk.Permanent, "x: encode request: %v", err)
	}
	return c.do(ctx, s, http.MethodPost, c.config().BaseURL+path, b, out)
}

// do sends one request as the session's account, through its proxy, and
// decodes a success into out, or turns X's error answers into *sdk.Error.
//
// A POST is a write, and a write that may have reached X must never look
// like one that did not: the host would send it again. So once a
// connection to X is open, a transport error, a 5xx, an unreadable body
// or a 2xx it cannot parse make a POST sdk.InDoubt, which the host settles
// by reading X. A GET has no effect to be in doubt about: it is tried
// again, after a growing pause, up to Config.ReadAttempts times, and is
// then Retryable.
func (c *Connector) do(ctx context.Context, s sdk.Session, method, u string, body []byte, out any) error {
	token := s.Credentials[sdk.CredentialAccessToken]
	if token == "" {
		// Refuse before any request: nothing is sent without credentials.
		return sdk.Errorf(sdk.SessionExpired, "x: account %q has no %s credential: sign it in with `outreach accounts login`", s.Handle, sdk.CredentialAccessToken)
	}
	cfg := c.config()
	t, err := c.transports.get(accountKey(s), s.Proxy)
	if err != nil {
		return err
	}
	client := &http.Client{Transport: t, Timeout: cfg.Timeout}
	send := func() error { return c.once(ctx, client, s.Proxy, token, method, u, body, out) }
	if method != http.MethodGet {
		return send()
	}
	for attempt := 1; ; attempt++ {
		err := send()
		if sdk.KindOf(err) != sdk.Retryable || attempt >= cfg.ReadAttempts || ctx.Err() != nil {
			return err
		}
		if c.sleep(ctx, cfg.RetryBackoff<<(attempt-1)) != nil {
			return err
		}
	}
}

// sleepCtx waits d or until ctx ends.
func sleepCtx(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// once sends one request; see do.
func (c *Connector) once(ctx context.Context, client *http.Client, proxy, token, method, u string, body []byte, out any) error {
	write := method != http.MethodGet
	// connected turns true once the transport has a connection to write
	// the request on; before that nothing can have reached X.
	var connected atomic.Bool
	ctx = httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{
		GotConn: func(httptrace.GotConnInfo) { connected.Store(true) },
	})
	req, err := http.NewRequestWithContext(ctx, method, u, bytes.NewReader(body))
	if err != nil {
		return sdk.Errorf(sdk.Permanent, "x: %v", err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("User-Agent", "outreach-x/"+Version)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := client.Do(req)
	if err != nil {
		err = proxyFailure(err, proxy)
		switch {
		case sdk.KindOf(err) != "":
			return err
		case write && connected.Load():
			return inDoubt(method, req.URL.Path, "%v", err)
		case write:
			return sdk.Errorf(sdk.Retryable, "x: %s %s: not sent: %v", method, req.URL.Path, err)
		}
		return sdk.Errorf(sdk.Retryable, "x: %s %s: %v", method, req.URL.Path, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 16<<20))
	switch {
	case err == nil:
	case resp.StatusCode >= 300 && resp.StatusCode < 500:
		// The status alone says X refused the request.
		return statusError(method, req.URL.Path, proxy, resp, data)
	case write:
		return inDoubt(method, req.URL.Path, "%s, then reading the body failed: %v", resp.Status, err)
	default:
		return sdk.Errorf(sdk.Retryable, "x: %s %s: %s, then reading the body failed: %v", method, req.URL.Path, resp.Status, err)
	}
	if resp.StatusCode >= 300 {
		return statusError(method, req.URL.Path, proxy, resp, data)
	}
	var env struct {
		Data   json.RawMessage `json:"data"`
		Errors []apiProblem    `json:"errors"`
	}
	if err := json.Unmarshal(data, &env); err != nil {
		return malformed(method, req.URL.Path, resp, err)
	}
	// X answers a lookup of a missing resource with 200 and only errors.
	if len(env.Data) == 0 && len(env.Errors) > 0 {
		p := env.Errors[0]
		if p.isNotFound() {
			return sdk.Errorf(sdk.NotFound, "x: %s", p.message())
		}
		return sdk.Errorf(sdk.Permanent, "x: %s", p.message())
	}
	if err := json.Unmarshal(data, out); err != nil {
		return malformed(method, req.URL.Path, resp, err)
	}
	return nil
}

// inDoubt is the error of a write that may have taken effect.
func inDoubt(method, path, format string, args ...any) error {
	return sdk.Errorf(sdk.InDoubt, "x: %s %s: the outcome is unknown, X may have carried it out: %s", method, path, fmt.Sprintf(format, args...))
}

// malformed is the error of a 2xx answer the connector cannot parse: X
// said it did the write, but the connector cannot say what it did.
func malformed(method, path string, resp *http.Response, err error) error {
	if method != http.MethodGet {
		return inDoubt(method, path, "%s with a malformed body: %v", resp.Status, err)
	}
	return sdk.Errorf(sdk.Retryable, "x: %s %s: malformed response: %v", method, path, err)
}

func statusError(method, path, proxy string, resp *http.Response, body []byte) error {
	detail := resp.Status
	var p apiProblem
	if json.Unmarshal(body, &p) == nil && p.message() != "" {
		detail += ": " + p.message()
		if p.Reason != "" {
			detail += " (" + p.Reason + ")"
		}
	}
	msg := fmt.Sprintf("x: %s %s: %s", method, path, detail)
	switch {
	case resp.StatusCode == http.StatusTooManyRequests:
		e := sdk.Errorf(sdk.RateLimited, "%s", msg)
		e.ResetAt = rateLimitReset(resp.Header)
		return e
	case resp.StatusCode == http.StatusProxyAuthRequired:
		// A proxy in front of a plain-HTTP base URL answers for itself.
		return proxyFailure(errProxyAuth, proxy)
	case resp.StatusCode == http.StatusUnauthorized:
		return sdk.Errorf(sdk.SessionExpired, "%s", msg)
	case resp.StatusCode == http.StatusForbidden:
		return forbiddenError(method, path, msg, p)
	case resp.StatusCode == http.StatusNotFound:
		return sdk.Errorf(sdk.NotFound, "%s", msg)
	case resp.StatusCode >= 500 && method != http.MethodGet:
		// X may fail after the write took effect (a 503 from a proxy that
		// timed out waiting for it, say).
		return inDoubt(method, path, "%s", detail)
	case resp.StatusCode >= 500:
		return sdk.Errorf(sdk.Retryable, "%s", msg)
	}
	return sdk.Errorf(sdk.Permanent, "%s", msg)
}

// rateLimitReset is when a 429 lifts: x-rate-limit-reset (the 15-minute
// window's end), or later when a 24-hour limit, per user or per app, is
// spent: X then also sends x-user-limit-24hour-remaining: 0 (or the app's)
// with that window's reset. Zero if X says nothing.
func rateLimitReset(h http.Header) time.Time {
	var at time.Time
	if reset, err := strconv.ParseInt(h.Get("x-rate-limit-reset"), 10, 64); err == nil {
		at = time.Unix(reset, 0).UTC()
	}
	for _, who := range []string{"user", "app"} {
		prefix := "x-" + who + "-limit-24hour-"
		if strings.TrimSpace(h.Get(prefix+"remaining")) != "0" {
			continue
		}
		if reset, err := strconv.ParseInt(h.Get(prefix+"reset"), 10, 64); err == nil {
			if day := time.Unix(reset, 0).UTC(); day.After(at) {
				at = day
			}
		}
	}
	return at
}

// forbiddenError reads a 403. X says the account or the app cannot act
// with a problem type (user-suspended, client-forbidden, unsupported-
// authentication, which is also what a token without a needed scope gets)
// or a legacy code (64 suspended, 326 locked, 261 the app cannot write, 93
// the app may not use DMs, 220 the token cannot reach the resource), and
// refuses a request that looks automated with code 226. On a DM send only
// the recipient's refusals (150, 151, 349, or a not-authorized-for-resource
// problem about the recipient) mean the lead is unreachable; any other 403
// there is the account's, since reading it as the recipient's would mark
// every lead unreachable while the real fault stays. A post X already has
// is duplicateError, for createPost to resolve.
func forbiddenError(method, path, msg string, p apiProblem) error {
	post := method == http.MethodPost
	switch {
	case p.hasCode(codeAutomated) || p.says("looks like it might be automated"):
		return sdk.Errorf(sdk.Automated, "%s", msg)
	case p.hasCode(codeInvalidToken):
		return sdk.Errorf(sdk.SessionExpired, "%s", msg)
	case p.isAccountProblem():
		return sdk.Errorf(sdk.AccountBlocked, "%s", msg)
	case post && path == "/2/tweets" && p.isDuplicate():
		return &duplicateError{sdk.Errorf(sdk.Permanent, "%s", msg)}
	case post && isDMPath(path) && p.isRecipientClosed():
		return sdk.Errorf(sdk.RecipientClosed, "%s", msg)
	case post && isDMPath(path):
		return sdk.Errorf(sdk.AccountBlocked, "%s (X refused the account, not the recipient)", msg)
	}
	return sdk.Errorf(sdk.Permanent, "%s", msg)
}

// duplicateError is X's refusal of a post the account has already made.
type duplicateError struct{ err *sdk.Error }

func (e *duplicateError) Error() string { return e.err.Error() }
func (e *duplicateError) Unwrap() error { return e.err }

// X's legacy codes (error_codes.legacy_numeric.json).
const (
	codeSuspended       = 64
	codeInvalidToken    = 89
	codeAppNoDMs        = 93
	codeNotFollowing    = 150
	codeDMFailed        = 151
	codeDuplicate       = 187
	codeRestricted      = 220
	codeAutomated       = 226
	codeAppCannotWrite  = 261
	codeLocked          = 326
	codeCannotMessage   = 349
	problemNotAuthority = "not-authorized-for-resource"
)

// accountProblemTypes are the problem types (the last segment of the type
// URI) of a 403 about the account or the app rather than the resource.
var accountProblemTypes = []string{"user-suspended", "client-forbidden", "unsupported-authentication"}

// recipientClosedTexts are X's texts for codes 150, 151 and 349, for
// answers that carry the text without the code.
var recipientClosedTexts = []string{
	"cannot send messages to users who are not following you",
	"there was an error sending your message",
	"cannot send messages to this user",
	"does not accept direct messages",
}

func (p apiProblem) isAccountProblem() bool {
	for _, c := range []int{codeSuspended, codeLocked, codeAppCannotWrite, codeAppNoDMs, codeRestricted} {
		if p.hasCode(c) {
			return true
		}
	}
	return slices.Contains(accountProblemTypes, p.typeName())
}

func (p apiProblem) isRecipientClosed() bool {
	if p.hasCode(codeNotFollowing) || p.hasCode(codeDMFailed) || p.hasCode(codeCannotMessage) {
		return true
	}
	if p.typeName() == problemNotAuthority {
		return true
	}
	return slices.ContainsFunc(recipientClosedTexts, p.says)
}

func (p apiProblem) isDuplicate() bool {
	return p.hasCode(codeDuplicate) || p.says("duplicate content") || p.says("status is a duplicate")
}

func (p apiProblem) typeName() string { return p.Type[strings.LastIndex(p.Type, "/")+1:] }

// says reports whether any of the problem's texts contains text, ignoring
// case.
func (p apiProblem) says(text string) bool {
	text = strings.ToLower(text)
	texts := []string{p.Detail, p.Title, p.Message}
	for _, e := range p.Errors {
		texts = append(texts, e.Message)
	}
	return slices.ContainsFunc(texts, func(s string) bool { return strings.Contains(strings.ToLower(s), text) })
}

func (p apiProblem) hasCode(code int) bool {
	if p.Code == code {
		return true
	}
	for _, e := range p.Errors {
		if e.Code == code {
			return true
		}
	}
	return false
}

func isDMPath(path string) bool { return strings.HasPrefix(path, "/2/dm_conversations/") }

// apiProblem is X's error object: an RFC 7807-like problem, or the legacy
// {code, message} shape.
type apiProblem struct {
	Type   string `json:"type"`
	Title  string `json:"title"`
	Detail string `json:"detail"`
	// Legacy shape: {"errors":[{"code":88,"message":"..."}]}.
	Errors []struct {
		Code    int    `json:"code"`
		Message string `json:"message"`
	} `json:"errors"`
	Message string `json:"message"`
	// Code is a legacy code given beside a problem's fields.
	Code int `json:"code"`
	// Reason is client-forbidden's reason ("client-not-enrolled").
	Reason string `json:"reason"`
}

func (p apiProblem) message() string {
	switch {
	case p.Detail != "":
		return p.Detail
	case p.Title != "":
		return p.Title
	case p.Message != "":
		return p.Message
	case len(p.Errors) > 0:
		return p.Errors[0].Message
	}
	return ""
}

func (p apiProblem) isNotFound() bool {
	return p.Title == "Not Found Error" || strings.HasSuffix(p.Type, "/resource-not-found")
}
