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
	u := c.cfg.BaseURL + path
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
	return c.do(ctx, s, http.MethodPost, c.cfg.BaseURL+path, b, out)
}

// do sends one request as the session's account and decodes a success into
// out, or turns X's error answers into *sdk.Error.
//
// A POST is a write, and a write that may have reached X must never look
// like one that did not: the host would send it again. So once a
// connection to X is open, a transport error, a 5xx, an unreadable body
// or a 2xx it cannot parse make a POST sdk.InDoubt, which the host settles
// by reading X. A GET has no effect to be in doubt about.
func (c *Connector) do(ctx context.Context, s sdk.Session, method, u string, body []byte, out any) error {
	token := s.Credentials[sdk.CredentialAccessToken]
	if token == "" {
		// Refuse before any request: nothing is sent without credentials.
		return sdk.Errorf(sdk.SessionExpired, "x: account %q has no %s credential", s.Handle, sdk.CredentialAccessToken)
	}
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
	resp, err := c.client.Do(req)
	if err != nil {
		switch {
		case write && connected.Load():
			return inDoubt(method, req.URL.Path, "%v", err)
		case write:
			return sdk.Errorf(sdk.Retryable, "x: %s %s: not sent: %v", method, req.URL.Path, err)
		}
		// A read: whether to try again is the caller's call.
		return fmt.Errorf("x: %s %s: %w", method, req.URL.Path, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 16<<20))
	switch {
	case err == nil:
	case resp.StatusCode >= 300 && resp.StatusCode < 500:
		// The status alone says X refused the request.
		return statusError(method, req.URL.Path, resp, data)
	case write:
		return inDoubt(method, req.URL.Path, "%s, then reading the body failed: %v", resp.Status, err)
	default:
		return fmt.Errorf("x: %s %s: read body: %w", method, req.URL.Path, err)
	}
	if resp.StatusCode >= 300 {
		return statusError(method, req.URL.Path, resp, data)
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

func statusError(method, path string, resp *http.Response, body []byte) error {
	detail := resp.Status
	var p apiProblem
	if json.Unmarshal(body, &p) == nil && p.message() != "" {
		detail += ": " + p.message()
	}
	msg := fmt.Sprintf("x: %s %s: %s", method, path, detail)
	switch {
	case resp.StatusCode == http.StatusTooManyRequests:
		e := sdk.Errorf(sdk.RateLimited, "%s", msg)
		if reset, err := strconv.ParseInt(resp.Header.Get("x-rate-limit-reset"), 10, 64); err == nil {
			e.ResetAt = time.Unix(reset, 0).UTC()
		}
		return e
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

// forbiddenError tells a 403 about the account from one about the
// recipient. X says the account cannot act with a problem type
// (user-suspended, client-forbidden, unsupported-authentication) or a legacy
// code (64 suspended, 326 locked), and refuses a request that looks automated
// with code 226; any other 403 on a DM send is the recipient's choice.
func forbiddenError(method, path, msg string, p apiProblem) error {
	switch {
	case p.hasCode(codeAutomated) || strings.Contains(p.Detail, "looks like it might be automated"):
		return sdk.Errorf(sdk.Automated, "%s", msg)
	case p.isAccountProblem():
		return sdk.Errorf(sdk.AccountBlocked, "%s", msg)
	case method == http.MethodPost && isDMPath(path):
		return sdk.Errorf(sdk.RecipientClosed, "%s", msg)
	}
	return sdk.Errorf(sdk.Permanent, "%s", msg)
}

// X's legacy codes for the account's state (error_codes.legacy_numeric.json).
const (
	codeSuspended = 64
	codeAutomated = 226
	codeLocked    = 326
)

// accountProblemTypes are the problem types (the last segment of the type
// URI) of a 403 about the account or the app rather than the resource.
var accountProblemTypes = []string{"user-suspended", "client-forbidden", "unsupported-authentication"}

func (p apiProblem) isAccountProblem() bool {
	if p.hasCode(codeSuspended) || p.hasCode(codeLocked) {
		return true
	}
	name := p.Type[strings.LastIndex(p.Type, "/")+1:]
	return slices.Contains(accountProblemTypes, name)
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
