package cli

import (
	"bytes"
	"context"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/outreachhq/outreach/core/pluginhost/pluginhosttest"
)

// listPlugins runs `outreach plugins list` with args.
func listPlugins(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := Run(context.Background(), append([]string{"plugins", "list"}, args...), Options{
		Stdout: &stdout, Stderr: &stderr, PluginCommand: testPluginCommand,
	})
	return code, stdout.String(), stderr.String()
}

// TestPluginsList lists the built-ins and a plugin found in the plugin
// dir, each launched to ask its version and kinds.
func TestPluginsList(t *testing.T) {
	dir := t.TempDir()
	// An external plugin: a script that runs this test binary as the ai
	// plugin.
	script := testPluginBinary(t, dir, "outreach-plugin-writer", "ai")
	code, out, errOut := listPlugins(t, "-plugin-dir", dir)
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

	pluginhosttest.Wrapper(t, dir, "outreach-plugin-broken", "/bin/echo", "nonsense")
	code, out, errOut = listPlugins(t, "-plugin-dir", dir)
	if code != 1 || !regexp.MustCompile(`(?m)^broken +- +- +`).MatchString(out) || !regexp.MustCompile(`plugin "broken": .*handshake failed`).MatchString(errOut) {
		t.Errorf("a broken plugin: exit %d\n%s\n%s\nwant it listed, its error on stderr, and exit 1", code, out, errOut)
	}
}

// TestPluginsListConfig: with --config, the plugins a configuration
// declares are listed too, from their blocks, and each failure is
// reported with its reason at its block: a plugin that panics at start
// with the panic.
func TestPluginsListConfig(t *testing.T) {
	path := writeFile(t, "plugins.hcl", `plugin "writer" {
  source = "./outreach-plugin-writer"
}
plugin "crashy" {
  source = "./outreach-plugin-crashy"
}
plugin "events" {
  source = "jsonl"
  config {
    path = "/tmp/never-written.jsonl"
    sync = "yes"
  }
}
`)
	dir := filepath.Dir(path)
	writer := testPluginBinary(t, dir, "outreach-plugin-writer", "ai")
	crashy := testPluginBinary(t, dir, "outreach-plugin-crashy", faultPlugin, pluginhosttest.FlagPanic)
	code, out, errOut := listPlugins(t, "-plugin-dir", t.TempDir(), "--config", path)
	if code != 1 {
		t.Errorf("plugins list exited %d, want 1", code)
	}
	for _, want := range []string{
		`(?m)^ai +0\.1\.0 +ai +builtin$`,
		`(?m)^writer +0\.1\.0 +ai +` + regexp.QuoteMeta(writer) + `$`,
		`(?m)^crashy +- +- +` + regexp.QuoteMeta(crashy) + `$`,
		`(?m)^events +0\.1\.0 +sink +builtin jsonl$`,
	} {
		if !regexp.MustCompile(want).MatchString(out) {
			t.Errorf("output does not match %s:\n%s", want, out)
		}
	}
	for _, want := range []string{
		"Error: Plugin failed to start\n\n  on " + path + ":5:12:",
		"panic: " + pluginhosttest.PanicAtStart,
		"Error: Incorrect plugin config value type\n\n  on " + path + ":11:12:",
	} {
		if !strings.Contains(errOut, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errOut)
		}
	}
}
