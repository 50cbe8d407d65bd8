package cli

import (
	"os"
	"os/exec"
	"testing"

	"github.com/outreachhq/outreach/core/pluginhost/pluginhosttest"
	"github.com/outreachhq/outreach/core/store/postgres/pgtest"
	"github.com/outreachhq/outreach/sdk/plugintest"
)

// TestMain lets the test binary serve built-in plugins: the host re-executes
// it as `plugin serve NAME`, exactly as it re-executes bin/outreach, so the
// tests run plugins out of process. It also serves the misbehaving plugin
// of pluginhosttest as `plugin serve fault [ARGS]`, for tests to wrap as an
// external binary (testPluginBinary). It stops the Postgres cluster the
// tests started, if any.
func TestMain(m *testing.M) {
	plugintest.HoldToLoopback()
	if len(os.Args) > 3 && os.Args[1] == "plugin" && os.Args[2] == "serve" && os.Args[3] == faultPlugin {
		os.Exit(pluginhosttest.Main(os.Args[4:]))
	}
	if len(os.Args) > 2 && os.Args[1] == "plugin" && os.Args[2] == "serve" {
		os.Exit(Main(os.Args[1:]))
	}
	// `sandbox`: the simulated X standalone, for tests that need it in a
	// process of its own.
	if len(os.Args) > 1 && os.Args[1] == "sandbox" {
		os.Exit(Main(os.Args[1:]))
	}
	os.Exit(pgtest.Main(m))
}

// faultPlugin is the name the test binary serves pluginhosttest's plugin by.
const faultPlugin = "fault"

// testPluginCommand serves built-in plugins from the test binary. A
// race-enabled test binary would otherwise sleep a second as it exits, and
// every stop of a plugin wait for it.
func testPluginCommand(name string) *exec.Cmd {
	cmd := exec.Command(os.Args[0], "plugin", "serve", name)
	cmd.Env = []string{pluginhosttest.QuickExit}
	return cmd
}

// testPluginBinary writes dir/name, an external plugin binary (a script)
// that runs the test binary as plugin builtin (a built-in, or faultPlugin)
// with args, and returns its path.
func testPluginBinary(t *testing.T, dir, name, builtin string, args ...string) string {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	return pluginhosttest.Wrapper(t, dir, name, append([]string{exe, "plugin", "serve", builtin}, args...)...)
}
