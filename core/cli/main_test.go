package cli

import (
	"os"
	"os/exec"
	"testing"

	"github.com/outreachhq/outreach/core/store/postgres/pgtest"
)

// TestMain lets the test binary serve built-in plugins: the host re-executes
// it as `plugin serve NAME`, exactly as it re-executes bin/outreach, so the
// tests run plugins out of process. It stops the Postgres cluster the tests
// started, if any.
func TestMain(m *testing.M) {
	if len(os.Args) > 2 && os.Args[1] == "plugin" && os.Args[2] == "serve" {
		os.Exit(Main(os.Args[1:]))
	}
	os.Exit(pgtest.Main(m))
}

// testPluginCommand serves built-in plugins from the test binary.
func testPluginCommand(name string) *exec.Cmd {
	return exec.Command(os.Args[0], "plugin", "serve", name)
}
