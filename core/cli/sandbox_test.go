package cli

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

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
