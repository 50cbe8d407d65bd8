package cli

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/outreachhq/outreach/core/clock"
	"github.com/outreachhq/outreach/core/config"
)

// TestServeConfigWithErrors checks that serve --config with a mistake in
// the configuration stops before it binds a port or applies anything, and
// prints the diagnostic with its file:line:col.
func TestServeConfigWithErrors(t *testing.T) {
	dir := t.TempDir()
	path := writeFile(t, "bad.hcl", `settings {
  sandbox = true
}
account "main" {
  handle = "acme"
}
webhook "crm" {
  url = "https://me:pw@example.com/hook"
}
`)
	code, out, errOut := runCLI(t, newClock(), "serve", "--addr", "127.0.0.1:0", "--data", dir, "--config", path)
	if code != 1 {
		t.Fatalf("serve exited %d, want 1\n%s%s", code, out, errOut)
	}
	if !strings.Contains(errOut, path+":8:9") || !strings.Contains(errOut, "Credentials in webhook URL") {
		t.Errorf("stderr lacks the diagnostic at %s:8:9:\n%s", path, errOut)
	}
	if strings.Contains(errOut, "serving the API") || strings.Contains(errOut, "will be created") {
		t.Errorf("serve went on past a configuration with errors:\n%s", errOut)
	}
	b := openData(t, dir)
	if accounts, err := b.svc.ListAccounts(context.Background(), "default"); err != nil || len(accounts) != 0 {
		t.Errorf("accounts after a refused start: %d, %v; want none", len(accounts), err)
	}
}

// TestServeAppliesConfig serves with --config on a real port: the
// configuration is applied at start (its plan in the log), its sandbox
// setting runs the engine on the simulated X, its allow_private_webhooks
// is warned about, and the API serves what it declares.
func TestServeAppliesConfig(t *testing.T) {
	dir := t.TempDir()
	code, key, errOut := runCLI(t, newClock(), "keys", "create", "--data", dir)
	key = strings.TrimSpace(key)
	if code != 0 {
		t.Fatalf("keys create exited %d\n%s", code, errOut)
	}
	path := writeFile(t, "serve.hcl", `settings {
  sandbox                = true
  allow_private_webhooks = true
}
account "main" {
  handle = "acme_main"
}
webhook "local" {
  url    = "http://127.0.0.1:9/hook"
  secret = "whsec_b3V0cmVhY2ggZXhhbXBsZSBzZWNyZXQ6IDMyIGJ5dGU="
}
`)
	base, log := startServe(t, "--addr", "127.0.0.1:0", "--data", dir, "--config", path)
	for _, want := range []string{
		"account.main will be created", "webhook.local will be created", "Apply complete. Objects: 2 added",
		"Warning: webhooks may reach private and loopback addresses: settings { allow_private_webhooks = true }",
	} {
		if !strings.Contains(log, want) {
			t.Errorf("serve's log lacks %q:\n%s", want, log)
		}
	}
	if strings.Contains(log, "the engine is not running") {
		t.Errorf("the configuration's sandbox = true did not start the engine:\n%s", log)
	}
	req, _ := http.NewRequest(http.MethodGet, base+"/api/v1/accounts", nil)
	req.Header.Set("X-API-Key", key)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body struct {
		Accounts []struct {
			Handle string `json:"handle"`
		} `json:"accounts"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /api/v1/accounts: status %d, %v", resp.StatusCode, err)
	}
	if len(body.Accounts) != 1 || body.Accounts[0].Handle != "acme_main" {
		t.Errorf("accounts = %+v, want the configuration's acme_main", body.Accounts)
	}
}

// startServe runs serve in-process with args until the test ends, and
// returns its base URL and what it logged before listening.
func startServe(t *testing.T, args ...string) (base, log string) {
	t.Helper()
	return startServeClock(t, clock.Real{}, args...)
}

// startServeClock is startServe on clock clk.
func startServeClock(t *testing.T, clk clock.Clock, args ...string) (base, log string) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	stderrR, stderrW := io.Pipe()
	done := make(chan int, 1)
	go func() {
		done <- Run(ctx, append([]string{"serve"}, args...), Options{
			Stdout: io.Discard, Stderr: stderrW, Clock: clk, PluginCommand: testPluginCommand,
		})
		stderrW.Close()
	}()
	var (
		drained sync.WaitGroup
		rest    strings.Builder // what serve logs once listening
	)
	t.Cleanup(func() {
		cancel()
		code := <-done
		drained.Wait()
		if code != 0 {
			t.Errorf("serve exited %d; its log after it started:\n%s", code, rest.String())
		}
	})
	var b strings.Builder
	lines := bufio.NewScanner(stderrR)
	addr := regexp.MustCompile(`serving the API on (http://127\.0\.0\.1:\d+)`)
	for base == "" && lines.Scan() {
		b.WriteString(lines.Text() + "\n")
		if m := addr.FindStringSubmatch(lines.Text()); m != nil {
			base = m[1]
		}
	}
	drained.Add(1)
	go func() {
		defer drained.Done()
		_, _ = io.Copy(&rest, stderrR)
	}()
	if base == "" {
		t.Fatalf("serve never printed its address:\n%s", b.String())
	}
	return base, b.String()
}

// TestAllowPrivateWebhooks checks the one place serve and apply decide
// whether deliveries may reach private addresses, and the warning it
// gives when they may.
func TestServeAllowPrivateWebhooks(t *testing.T) {
	allowing := &config.Config{Settings: &config.Settings{AllowPrivateWebhooks: true}}
	guarded := &config.Config{Settings: &config.Settings{}}
	tests := []struct {
		name string
		flag bool
		cfg  *config.Config
		want bool
		says string
	}{
		{"nothing", false, nil, false, ""},
		{"settings without it", false, guarded, false, ""},
		{"flag", true, nil, true, "--allow-private-webhooks"},
		{"settings", false, allowing, true, "settings { allow_private_webhooks = true }"},
		{"both", true, allowing, true, "--allow-private-webhooks and settings"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b strings.Builder
			if got := allowPrivateWebhooks(&b, tt.flag, tt.cfg); got != tt.want {
				t.Errorf("allowPrivateWebhooks = %v, want %v", got, tt.want)
			}
			if tt.says == "" && b.Len() > 0 || !strings.Contains(b.String(), tt.says) {
				t.Errorf("warning %q; want one saying %q", b.String(), tt.says)
			}
			if tt.want && !strings.HasPrefix(b.String(), "Warning: webhooks may reach private and loopback addresses: ") {
				t.Errorf("warning %q", b.String())
			}
		})
	}
}
