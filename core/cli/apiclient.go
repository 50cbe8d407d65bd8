package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/outreachhq/outreach/core/service"
)

// apiClient calls the REST API of the `outreach serve` that holds the data
// dir, for a command that cannot open the store itself (DESIGN.md,
// Processes).
type apiClient struct {
	base string // "http://127.0.0.1:8080"
	key  string
	http *http.Client
}

func newAPIClient(base, key string) *apiClient {
	return &apiClient{base: strings.TrimSuffix(reachable(base), "/"), key: key, http: &http.Client{Timeout: time.Minute}}
}

// reachable is the address of a server announced as listening on every
// interface ("http://[::]:8080", from serve --addr :8080) as this machine
// reaches it: on loopback. (A dual-stack listener takes IPv4 on [::].)
func reachable(base string) string {
	u, err := url.Parse(base)
	if err != nil {
		return base
	}
	if ip := net.ParseIP(u.Hostname()); ip != nil && ip.IsUnspecified() {
		u.Host = net.JoinHostPort("127.0.0.1", u.Port())
	}
	return u.String()
}

// apiError is an error answer of the API. A 404 is service.ErrNotFound, as
// the same operation on the store would answer.
type apiError struct {
	status  int
	message string
}

func (e *apiError) Error() string { return e.message }

func (e *apiError) Is(target error) bool {
	return target == service.ErrNotFound && e.status == http.StatusNotFound
}

// do sends method path (under the API's base URL) with in as its JSON body
// (nil for none) and decodes a 2xx answer into out.
func (c *apiClient) do(ctx context.Context, method, path string, in, out any) error {
	var body io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return err
		}
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, body)
	if err != nil {
		return err
	}
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("Authorization", "Bearer "+c.key)
	resp, err := c.http.Do(req)
	if err != nil {
		return fmt.Errorf("call the server's API: %w", err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	if err != nil {
		return fmt.Errorf("read the server's answer to %s %s: %w", method, path, err)
	}
	if resp.StatusCode/100 != 2 {
		var e struct {
			Error   string `json:"error"`
			Message string `json:"message"`
		}
		if json.Unmarshal(b, &e) != nil || e.Message == "" {
			e.Message = strings.TrimSpace(string(b))
		}
		if resp.StatusCode == http.StatusUnauthorized {
			e.Message = fmt.Sprintf("the server at %s refused the API key: %s (a key of this data dir's workspace is needed: `outreach keys list` shows them)", c.base, e.Message)
		}
		return &apiError{status: resp.StatusCode, message: e.Message}
	}
	if err := json.Unmarshal(b, out); err != nil {
		return fmt.Errorf("decode the server's answer to %s %s: %w", method, path, err)
	}
	return nil
}
