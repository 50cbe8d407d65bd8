package cli

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"testing"
)

// TestPluginsList lists the built-ins and a plugin found in the plugin
// dir, each launched to ask its version and kinds.
func TestPluginsList(t *testing.T) {
	dir := t.TempDir()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	// An external plugin: a script that runs this test binary as the ai
	// plugin.
	script := filepath.Join(dir, "outreach-plugin-writer")
	if err := os.WriteFile(script, []byte(fmt.Sprintf("#!/bin/sh\nGORACE=atexit_sleep_ms=0 exec %q plugin serve ai\n", exe)), 0o755); err != nil {
		t.Fatal(err)
	}
	list := func() (int, string, string) {
		var stdout, stderr bytes.Buffer
		code := Run(context.Background(), []string{"plugins", "list", "-plugin-dir", dir}, Options{
			Stdout: &stdout, Stderr: &stderr,
			PluginCommand: func(name string) *exec.Cmd {
				cmd := testPluginCommand(name)
				// A race-enabled test binary otherwise sleeps a second as it
				// exits, once per plugin listed.
				cmd.Env = []string{"GORACE=atexit_sleep_ms=0"}
				return cmd
			},
		})
		return code, stdout.String(), stderr.String()
	}
	code, out, errOut := list()
	if code != 0 {
		t.Fatalf("plugins list exited %d\n%s\n%s", code, out, errOut)
	}
	for _, want := range []string{
		`(?m)^NAME +VERSION +KINDS +SOURCE$`,
		`(?m)^ai +0\.1\.0 +ai +builtin$`,
		`(?m)^jsonl +0\.1\.0 +sink +builtin$`,
		`(?m)^x +0\.1\.0 +network +builtin$`,
		`(?m)^writer +0\.1\.0 +ai +` + regexp.QuoteMeta(script) + `$`,
	} {
		if !regexp.MustCompile(want).MatchString(out) {
			t.Errorf("output does not match %s:\n%s", want, out)
		}
	}

	if err := os.WriteFile(filepath.Join(dir, "outreach-plugin-broken"), []byte("#!/bin/sh\necho nonsense\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	code, out, errOut = list()
	if code != 1 || !regexp.MustCompile(`(?m)^broken +- +- +`).MatchString(out) || !regexp.MustCompile(`plugin "broken": .*handshake failed`).MatchString(errOut) {
		t.Errorf("a broken plugin: exit %d\n%s\n%s\nwant it listed, its error on stderr, and exit 1", code, out, errOut)
	}
}
