package cli

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/outreachhq/outreach/core/clock"
	"github.com/outreachhq/outreach/plugins/x/xsim"
)

// TestSandboxURLMustBeLoopback: apply and serve refuse a --sandbox-url off
// this machine, or not a base URL, before they touch the data dir.
func TestSandboxURLMustBeLoopback(t *testing.T) {
	for _, tc := range []struct{ url, want string }{
		{"http://10.0.0.1:8787", "not a loopback address"},
		{"http://api.x.com:80", "not a loopback address"},
		{"http://localhost.evil.com:80", "not a loopback address"},
		{"https://127.0.0.1:8787", "base URL"},
		{"http://127.0.0.1:8787/2/users", "base URL"},
		{"127.0.0.1:8787", "base URL"},
		{"http://127.0.0.1", "port"},
	} {
		for _, cmd := range [][]string{{"apply", "-auto-approve", quickstart}, {"serve", "--addr", "127.0.0.1:0"}} {
			dir := filepath.Join(t.TempDir(), "data")
			args := append(cmd, "--data", dir, "--sandbox-url", tc.url)
			code, _, errOut := runCLI(t, newClock(), args...)
			if code != 1 || !strings.Contains(errOut, "--sandbox-url") || !strings.Contains(errOut, tc.want) {
				t.Errorf("%s --sandbox-url %s: exit %d, stderr %q; want 1 and an error saying %q", cmd[0], tc.url, code, errOut, tc.want)
			}
			if _, err := os.Stat(dir); !os.IsNotExist(err) {
				t.Errorf("%s --sandbox-url %s created the data dir", cmd[0], tc.url)
			}
		}
	}
	for _, u := range []string{"http://127.0.0.1:8787", "http://[::1]:8787/", "http://LOCALHOST:8787"} {
		if _, err := checkSandboxURL(u); err != nil {
			t.Errorf("checkSandboxURL(%q): %v", u, err)
		}
	}
}

func TestSandboxRefusesNonLoopback(t *testing.T) {
	for _, addr := range []string{"0.0.0.0:0", ":0", "192.168.1.10:0", "example.com:80"} {
		code, _, errOut := runCLI(t, newClock(), "sandbox", "--addr", addr)
		if code != 1 || !strings.Contains(errOut, "--addr") {
			t.Errorf("sandbox --addr %s: exit %d, stderr %q", addr, code, errOut)
		}
	}
}

// TestApplyOnSeparateSandbox runs the quick start against a simulated X it
// did not start, signing accounts in through the login endpoint: the DMs
// are on that simulator afterwards.
func TestApplyOnSeparateSandbox(t *testing.T) {
	clk := newClock()
	sim := xsim.New(xsim.Options{Clock: clk})
	if err := sim.Start("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sim.Close() })
	code, out, errOut := runCLI(t, clk, "apply", "-auto-approve", "--data", t.TempDir(), "--sandbox-url", sim.URL(), quickstart)
	if code != 0 {
		t.Fatalf("apply exited %d\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
	token, err := sandboxLogin(context.Background(), sim.URL(), "acme_sales")
	if err != nil {
		t.Fatal(err)
	}
	var page struct {
		Data []struct{ Text string } `json:"data"`
	}
	getJSON(t, context.Background(), sim.URL()+"/2/dm_events", token, &page)
	if len(page.Data) == 0 {
		t.Fatalf("the simulator shows no DM of @acme_sales after apply:\n%s", out)
	}
}

// getJSON GETs u with a bearer token and decodes the answer into v.
func getJSON(t *testing.T, ctx context.Context, u, token string, v any) {
	t.Helper()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: status %d", u, resp.StatusCode)
	}
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		t.Fatalf("GET %s: %v", u, err)
	}
}

// TestSandboxOAuth runs `outreach sandbox` with a registered client and
// --token-ttl, and signs an account in through X's OAuth endpoints as a
// real app would: the client's secret is checked, the token lives the
// given time on the simulator's clock, then answers 401.
func TestSandboxOAuth(t *testing.T) {
	const redirect = "http://127.0.0.1:8788/callback"
	path := filepath.Join(t.TempDir(), "sandbox.hcl")
	cfg := "sandbox {\n  oauth_client \"local\" {\n    secret = \"s3cret\"\n    redirect_uris = [\"" + redirect + "\"]\n  }\n}\n"
	if err := os.WriteFile(path, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	clk := newClock()
	base := runSandbox(t, clk, "--config", path, "--token-ttl", "1m")
	noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

	verifier := strings.Repeat("v", 50)
	sum := sha256.Sum256([]byte(verifier))
	q := url.Values{"response_type": {"code"}, "client_id": {"local"}, "redirect_uri": {redirect},
		"scope": {"tweet.read users.read dm.read dm.write offline.access"}, "state": {"s1"},
		"code_challenge": {base64.RawURLEncoding.EncodeToString(sum[:])}, "code_challenge_method": {"S256"},
		"screen_name": {"acme_sales"}}
	authorize := func(q url.Values) *http.Response {
		resp, err := noRedirect.Get(base + xsim.AuthorizePath + "?" + q.Encode())
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}
	other := url.Values{}
	for k, v := range q {
		other[k] = v
	}
	other.Set("client_id", "unregistered")
	if resp := authorize(other); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("unregistered client: status %d, want the 400 page", resp.StatusCode)
	}
	resp := authorize(q)
	loc, err := url.Parse(resp.Header.Get("Location"))
	if err != nil || resp.StatusCode != http.StatusFound || loc.Query().Get("code") == "" {
		t.Fatalf("authorize: status %d, Location %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	exchange := func(secret string) (int, map[string]any) {
		form := url.Values{"grant_type": {"authorization_code"}, "code": {loc.Query().Get("code")},
			"redirect_uri": {redirect}, "code_verifier": {verifier}}
		req, _ := http.NewRequest("POST", base+xsim.TokenPath, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.SetBasicAuth("local", secret)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var body map[string]any
		_ = json.NewDecoder(resp.Body).Decode(&body)
		return resp.StatusCode, body
	}
	if status, body := exchange("wrong"); status != http.StatusUnauthorized || body["error"] != "invalid_client" {
		t.Errorf("wrong secret: %d %v, want 401 invalid_client", status, body)
	}
	status, body := exchange("s3cret")
	if status != http.StatusOK || body["expires_in"] != float64(60) || body["refresh_token"] == nil {
		t.Fatalf("exchange: %d %v, want tokens that live 60 seconds", status, body)
	}
	token := body["access_token"].(string)
	var me struct{ Data struct{ Username string } }
	getJSON(t, context.Background(), base+"/2/users/me", token, &me)
	if me.Data.Username != "acme_sales" {
		t.Errorf("/2/users/me: %+v", me)
	}
	clk.Advance(time.Minute)
	req, _ := http.NewRequest("GET", base+"/2/users/me", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("after --token-ttl: status %d, want 401", resp.StatusCode)
	}
	var stats xsim.OAuthStats
	resp, err = http.Get(base + xsim.OAuthPath)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if err := json.NewDecoder(resp.Body).Decode(&stats); err != nil {
		t.Fatal(err)
	}
	if stats.CodesExchanged != 1 || stats.ExpiredToken401s != 1 || stats.Handles["acme_sales"].Requests != 1 {
		t.Errorf("GET %s: %+v", xsim.OAuthPath, stats)
	}
}

// runSandbox runs `outreach sandbox` in process on a free loopback port until the
// test ends and returns its base URL, read from the line it prints.
func runSandbox(t *testing.T, clk clock.Clock, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan int, 1)
	go func() {
		done <- Run(ctx, append([]string{"sandbox", "--addr", "127.0.0.1:0"}, args...), Options{
			Stdin: strings.NewReader(""), Stdout: io.Discard, Stderr: pw, Clock: clk,
		})
		pw.Close()
	}()
	lines := bufio.NewScanner(pr)
	if !lines.Scan() {
		cancel()
		t.Fatalf("sandbox printed nothing; exit %d", <-done)
	}
	first := lines.Text()
	go func() { // drain the rest, so the sandbox never blocks on stderr
		for lines.Scan() {
		}
	}()
	t.Cleanup(func() {
		cancel()
		if code := <-done; code != 0 {
			t.Errorf("sandbox exited %d", code)
		}
	})
	_, rest, ok := strings.Cut(first, "serving on ")
	base, _, _ := strings.Cut(rest, ";")
	if !ok || !strings.HasPrefix(base, "http://127.0.0.1:") {
		t.Fatalf("sandbox said %q", first)
	}
	return base
}
