package cli

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/outreachhq/outreach/core/clock"
	"github.com/outreachhq/outreach/plugins/x/proxytest"
	"github.com/outreachhq/outreach/plugins/x/xsim"
	"github.com/outreachhq/outreach/sdk"
)

// standaloneSandbox starts `outreach sandbox` in its own process, on the
// real clock, and returns its base URL.
func standaloneSandbox(t *testing.T, args ...string) string {
	t.Helper()
	cmd := exec.Command(os.Args[0], append([]string{"sandbox", "--addr", "127.0.0.1:0"}, args...)...)
	cmd.Env = append(os.Environ(), sdk.EnvLoopbackOnly+"=1")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	})
	serving := regexp.MustCompile(`serving on (http://127\.0\.0\.1:\d+)`)
	lines := bufio.NewScanner(stderr)
	for lines.Scan() {
		if m := serving.FindStringSubmatch(lines.Text()); m != nil {
			go func() { _, _ = io.Copy(io.Discard, stderr) }()
			return m[1]
		}
	}
	t.Fatalf("outreach sandbox did not say where it serves: %v", lines.Err())
	return ""
}

// freeLoopbackAddr is a loopback address with a port nothing listens on.
func freeLoopbackAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// realXConfig is a configuration for the real path: the x plugin's OAuth
// client and base URL point at a standalone simulator, two accounts go
// through their own proxies, and nothing says sandbox.
func realXConfig(simURL, redirect string, httpProxy, socksProxy *proxytest.Proxy) string {
	return fmt.Sprintf(`
variable "x_client_id" {
  type = string
}

variable "sales_proxy_auth" {
  type      = string
  sensitive = true
}

variable "founder_proxy_auth" {
  type      = string
  sensitive = true
}

plugin "x" {
  config {
    base_url     = %q
    client_id    = var.x_client_id
    redirect_url = %q
    # X's own limit on reading DM events: replies are read every 90s.
    rate_limits = {
      dm_events = "15/15m"
    }
  }
}

account "sales" {
  handle         = "acme_sales"
  daily_dm_limit = 50
  proxy          = %q
  proxy_auth     = var.sales_proxy_auth
  pacing {
    min_gap = "40m"
    max_gap = "50m"
  }
}

account "founder" {
  handle         = "acme_founder"
  daily_dm_limit = 50
  proxy          = %q
  proxy_auth     = var.founder_proxy_auth
  pacing {
    min_gap = "40m"
    max_gap = "50m"
  }
}

source "founders" {
  max_leads = 16
  target "paulg" {
    followers = true
  }
}

campaign "hello" {
  sources   = [source.founders]
  max_leads = 16
  variant {
    message = "Hey {{firstName}}, what are you building?"
  }
}
`, simURL, redirect, "http://"+httpProxy.Addr(), "socks5://"+socksProxy.Addr())
}

// TestRealXEndToEnd runs the real path on loopback: a standalone simulator
// stands in for X and its OAuth server; `accounts login` signs two
// accounts in through a scripted browser; `accounts check` shows them;
// `apply` runs a campaign on the virtual clock across two token expiries,
// its DMs carrying OAuth tokens; each account's traffic goes through its
// own proxy.
func TestRealXEndToEnd(t *testing.T) {
	simURL := standaloneSandbox(t)
	httpProxy := proxytest.NewHTTP(t, "sales", "pw-sales")
	socksProxy := proxytest.NewSOCKS5(t, "founder", "pw-founder")
	redirect := "http://" + freeLoopbackAddr(t) + "/oauth/x/callback"
	dir := t.TempDir()
	cfgPath := filepath.Join(dir, "real-x.hcl")
	if err := os.WriteFile(cfgPath, []byte(realXConfig(simURL, redirect, httpProxy, socksProxy)), 0o600); err != nil {
		t.Fatal(err)
	}
	data := filepath.Join(dir, "data")
	vars := []string{"-var", "x_client_id=outreach-test-app", "-var", "sales_proxy_auth=sales:pw-sales", "-var", "founder_proxy_auth=founder:pw-founder"}
	clk := newClock()

	// Before sign-in, plan and accounts check say what to do.
	code, out, errOut := runCLI(t, clk, append([]string{"plan", "--data", data, cfgPath}, vars...)...)
	if code != 0 || !strings.Contains(out, "account.sales (@acme_sales): it has no OAuth 2.0 authorization from the x plugin yet; run `outreach accounts login sales --config "+cfgPath+"`") {
		t.Errorf("plan before sign-in exited %d and does not say to sign account.sales in:\n%s%s", code, out, errOut)
	}
	code, out, _ = runCLI(t, clk, append([]string{"accounts", "check", "--config", cfgPath, "--data", data}, vars...)...)
	if code != 1 || !strings.Contains(out, "not signed in: run `outreach accounts login founder --config "+cfgPath+"`") {
		t.Errorf("accounts check before sign-in exited %d:\n%s", code, out)
	}

	for _, account := range []string{"sales", "acme_founder"} {
		login(t, clk, append([]string{"accounts", "login", account, "--config", cfgPath, "--data", data, "--no-browser"}, vars...))
	}
	code, out, errOut = runCLI(t, clk, append([]string{"accounts", "check", "--config", cfgPath, "--data", data}, vars...)...)
	if code != 0 {
		t.Fatalf("accounts check exited %d\n%s\n%s", code, out, errOut)
	}
	for _, want := range []string{"@acme_sales", "@acme_founder", "valid for", " ok "} {
		if !strings.Contains(out, want) {
			t.Errorf("accounts check does not show %q:\n%s", want, out)
		}
	}

	code, out, errOut = runCLI(t, clk, append([]string{"apply", "-auto-approve", "--data", data, cfgPath}, vars...)...)
	if code != 0 {
		t.Fatalf("apply exited %d\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
	_, campaigns := stats(t, data)
	sent := 0
	for _, c := range campaigns {
		for _, a := range c.Accounts {
			for _, n := range a.Sent {
				sent += n
			}
		}
	}
	if sent < 10 {
		t.Fatalf("%d first DMs sent; want 10 or more\n%s", sent, out)
	}
	if took := clk.Now().Sub(testNow); took < 4*time.Hour {
		t.Fatalf("the campaign took %s of virtual time: too little to cross two token expiries", took)
	}

	var st xsim.OAuthStats
	getJSON(t, context.Background(), simURL+xsim.OAuthPath, "", &st)
	t.Logf("%d first DMs over %s of virtual time; the simulated X's OAuth: %+v", sent, clk.Now().Sub(testNow), st)
	for _, h := range []string{"acme_sales", "acme_founder"} {
		hs := st.Handles[h]
		// Two expiries of two-hour tokens: three tokens or more, each
		// used, and the DMs among the requests made with them.
		if hs.Refreshes < 2 || hs.AccessTokens < 3 || hs.Requests < 5 {
			t.Errorf("@%s on the simulated X: %+v; want 2+ refreshes and 3+ access tokens used", h, hs)
		}
	}
	if st.ExpiredToken401s != 0 {
		t.Errorf("%d requests went out with an expired token; the keeper refreshes before expiry", st.ExpiredToken401s)
	}

	// Each proxy carried its own account's traffic, with its own
	// credentials, to the simulator.
	simHost := strings.TrimPrefix(simURL, "http://")
	for _, p := range []struct {
		proxy *proxytest.Proxy
		user  string
	}{{httpProxy, "sales"}, {socksProxy, "founder"}} {
		recs := p.proxy.Records()
		if len(recs) == 0 {
			t.Errorf("the %s proxy carried nothing", p.user)
		}
		for _, r := range recs {
			if r.User != p.user || (r.Target != simHost && !strings.Contains(r.RequestLine, simHost)) {
				t.Errorf("the %s proxy carried %+v", p.user, r)
			}
		}
	}
}

// login runs `accounts login` with a scripted browser: it reads the
// authorization URL the command prints, follows it (the simulator
// consents at once and redirects to the command's loopback listener), and
// checks that the command stored the sign-in and exited 0.
func login(t *testing.T, clk clock.Clock, args []string) {
	t.Helper()
	pr, pw := io.Pipe()
	var stderr strings.Builder
	done := make(chan int, 1)
	go func() {
		done <- Run(context.Background(), args, Options{
			Stdin: strings.NewReader(""), Stdout: pw, Stderr: &stderr,
			Clock: clk, PluginCommand: testPluginCommand, Seed: 42,
		})
		pw.Close()
	}()
	lines := bufio.NewScanner(pr)
	var authURL string
	for lines.Scan() {
		if strings.HasPrefix(lines.Text(), "http") {
			authURL = lines.Text()
			break
		}
	}
	if authURL == "" {
		t.Fatalf("accounts login printed no authorization URL (exit %d):\n%s", <-done, stderr.String())
	}
	var rest strings.Builder
	go func() { _, _ = io.Copy(&rest, pr) }()
	resp, err := http.Get(authURL)
	if err != nil {
		t.Fatalf("the scripted browser: %v", err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(page), "Signed in") {
		t.Fatalf("the redirect page: %d %s\n%s", resp.StatusCode, page, stderr.String())
	}
	if code := <-done; code != 0 {
		t.Fatalf("accounts login exited %d:\n%s", code, stderr.String())
	}
}

// TestServeSignsAccountsIn: with a public_url, the API's credential job
// signs an account in through the x plugin's OAuth: POST /get-cookies
// answers with an authorization_url, X redirects back to the server's
// /oauth/x/callback, and the job completes with the account's tokens
// stored; a forged callback is refused.
func TestServeSignsAccountsIn(t *testing.T) {
	simURL := standaloneSandbox(t)
	dir := t.TempDir()
	code, key, errOut := runCLI(t, newClock(), "keys", "create", "--data", dir)
	key = strings.TrimSpace(key)
	if code != 0 {
		t.Fatalf("keys create exited %d\n%s", code, errOut)
	}
	addr := freeLoopbackAddr(t)
	path := writeFile(t, "serve.hcl", fmt.Sprintf(`settings {
  public_url = "http://%s"
}
plugin "x" {
  config {
    base_url  = %q
    client_id = "outreach-test-app"
  }
}
account "main" {
  handle = "acme_main"
}
`, addr, simURL))
	base, log := startServe(t, "--addr", addr, "--data", dir, "--config", path)
	if !strings.Contains(log, "account.main (@acme_main): it has no OAuth 2.0 authorization") {
		t.Errorf("serve's plan does not say that account.main must be signed in:\n%s", log)
	}
	call := func(method, path, body string) (int, map[string]any) {
		t.Helper()
		req, _ := http.NewRequest(method, base+path, strings.NewReader(body))
		req.Header.Set("X-API-Key", key)
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var out map[string]any
		_ = json.NewDecoder(resp.Body).Decode(&out)
		return resp.StatusCode, out
	}
	status, started := call(http.MethodPost, "/api/v1/get-cookies", `{"handle": "acme_main"}`)
	authURL, _ := started["authorization_url"].(string)
	if status != http.StatusOK || started["status"] != "awaiting_authorization" || !strings.HasPrefix(authURL, simURL+"/i/oauth2/authorize?") {
		t.Fatalf("POST /get-cookies: %d %v", status, started)
	}
	if !strings.Contains(authURL, "redirect_uri="+url.QueryEscape("http://"+addr+"/oauth/x/callback")) {
		t.Errorf("the authorization URL does not send X back to the server: %s", authURL)
	}

	forged, err := http.Get(base + "/oauth/x/callback?code=abc&state=forged")
	if err != nil {
		t.Fatal(err)
	}
	forged.Body.Close()
	if forged.StatusCode != http.StatusBadRequest {
		t.Errorf("a forged callback answered %d, want 400", forged.StatusCode)
	}

	// The owner signs in: X consents and redirects to the server.
	resp, err := http.Get(authURL)
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(page), "Signed in @acme_main") {
		t.Fatalf("the callback page: %d %s", resp.StatusCode, page)
	}
	status, job := call(http.MethodGet, "/api/v1/get-cookies/status?job_id="+started["job_id"].(string), "")
	if j, _ := job["job"].(map[string]any); status != http.StatusOK || j["status"] != "completed" {
		t.Fatalf("GET /get-cookies/status: %d %v", status, job)
	}
}

// TestLoginThroughServer: while `outreach serve` holds the data dir,
// `accounts login` runs the sign-in itself and hands the tokens to the
// server's API, which makes them the handle's authorization: once the
// server stops, `accounts check` finds the account signed in.
func TestLoginThroughServer(t *testing.T) {
	simURL := standaloneSandbox(t)
	data := t.TempDir()
	code, key, errOut := runCLI(t, newClock(), "keys", "create", "--data", data)
	key = strings.TrimSpace(key)
	if code != 0 {
		t.Fatalf("keys create exited %d\n%s", code, errOut)
	}
	cfgPath := writeFile(t, "login.hcl", fmt.Sprintf(`plugin "x" {
  config {
    base_url     = %q
    client_id    = "outreach-test-app"
    redirect_url = "http://%s/oauth/x/callback"
  }
}
account "main" {
  handle = "acme_main"
}
`, simURL, freeLoopbackAddr(t)))

	ctx, cancel := context.WithCancel(context.Background())
	stderrR, stderrW := io.Pipe()
	served := make(chan int, 1)
	go func() {
		served <- Run(ctx, []string{"serve", "--addr", "127.0.0.1:0", "--data", data, "--config", cfgPath}, Options{
			Stdout: io.Discard, Stderr: stderrW, Clock: clock.Real{}, PluginCommand: testPluginCommand,
		})
		stderrW.Close()
	}()
	lines := bufio.NewScanner(stderrR)
	for lines.Scan() && !strings.Contains(lines.Text(), "serving the API on") {
	}
	go func() { _, _ = io.Copy(io.Discard, stderrR) }()

	login(t, newClock(), []string{"accounts", "login", "main", "--config", cfgPath, "--data", data, "--no-browser", "--key", key})
	cancel()
	if code := <-served; code != 0 {
		t.Fatalf("serve exited %d", code)
	}
	code, out, errOut := runCLI(t, clock.Real{}, "accounts", "check", "--config", cfgPath, "--data", data)
	if code != 0 || !strings.Contains(out, "valid for") || !strings.Contains(out, " ok ") {
		t.Fatalf("accounts check after a sign-in through the server exited %d:\n%s%s", code, out, errOut)
	}
}
