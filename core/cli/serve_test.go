package cli

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/outreachhq/outreach/core/clock"
)

// TestKeysAndServe follows the README's tour: create a key, serve on a real
// port, list accounts with the key in either header, and read the OpenAPI
// document without one.
func TestKeysAndServe(t *testing.T) {
	dir := t.TempDir()
	clk := clock.NewVirtual(time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC))
	if code, out, errOut := runCLI(t, clk, "apply", "-auto-approve", "-detach", "-data", dir, quickstart); code != 0 {
		t.Fatalf("apply exited %d\n%s\n%s", code, out, errOut)
	}
	code, key, errOut := runCLI(t, clk, "keys", "create", "--data", dir)
	key = strings.TrimSpace(key)
	if code != 0 || !regexp.MustCompile(`^sk_live_[0-9A-Za-z]{40}$`).MatchString(key) {
		t.Fatalf("keys create exited %d, printed %q\n%s", code, key, errOut)
	}

	ctx, cancel := context.WithCancel(context.Background())
	stderrR, stderrW := io.Pipe()
	done := make(chan int, 1)
	go func() {
		done <- Run(ctx, []string{"serve", "--sandbox", "--addr", "127.0.0.1:0", "--data", dir}, Options{
			Stdout: io.Discard, Stderr: stderrW, Clock: clock.Real{}, PluginCommand: testPluginCommand,
		})
		stderrW.Close()
	}()
	t.Cleanup(func() {
		cancel()
		if code := <-done; code != 0 {
			t.Errorf("serve exited %d", code)
		}
	})
	// The server prints its address once it listens: wait for that line.
	lines := bufio.NewScanner(stderrR)
	var base string
	for base == "" && lines.Scan() {
		if m := regexp.MustCompile(`http://(127\.0\.0\.1:\d+)`).FindStringSubmatch(lines.Text()); m != nil {
			base = "http://" + m[1]
		}
	}
	go io.Copy(io.Discard, stderrR)
	if base == "" {
		t.Fatal("serve never printed its address")
	}

	for _, header := range []string{"X-API-Key", "Authorization"} {
		req, _ := http.NewRequest(http.MethodGet, base+"/api/v1/accounts", nil)
		if header == "Authorization" {
			req.Header.Set(header, "Bearer "+key)
		} else {
			req.Header.Set(header, key)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var body struct {
			Accounts []map[string]any `json:"accounts"`
		}
		err = json.NewDecoder(resp.Body).Decode(&body)
		resp.Body.Close()
		if err != nil || resp.StatusCode != http.StatusOK {
			t.Fatalf("%s: status %d, decode error %v", header, resp.StatusCode, err)
		}
		if resp.Header.Get("X-Request-ID") == "" || resp.Header.Get("X-RateLimit-Limit") == "" {
			t.Errorf("%s: response lacks X-Request-ID or X-RateLimit-Limit: %v", header, resp.Header)
		}
		var handles []string
		for _, a := range body.Accounts {
			handles = append(handles, a["handle"].(string))
		}
		if strings.Join(handles, ",") != "acme_sales,acme_founder" {
			t.Errorf("%s: accounts %v, want the quick start's two", header, handles)
		}
	}

	resp, err := http.Get(base + "/api/v1/accounts")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("no key: status %d, want 401", resp.StatusCode)
	}
	resp, err = http.Get(base + "/openapi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	doc, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(doc), "/api/v1/accounts") {
		t.Errorf("openapi.yaml: status %d, document lacks /api/v1/accounts", resp.StatusCode)
	}
}
