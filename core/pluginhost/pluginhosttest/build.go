package pluginhosttest

import (
	"os/exec"
	"path/filepath"
	"testing"
)

// Build builds the Go main package pkg (an import path in this module)
// into dir, named name, with the race detector if this test binary has it,
// and returns the binary's path.
func Build(t testing.TB, pkg, dir, name string) string {
	t.Helper()
	out := filepath.Join(dir, name)
	args := []string{"build", "-o", out}
	if raceEnabled {
		args = append(args, "-race")
	}
	cmd := exec.Command("go", append(args, pkg)...)
	if msg, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build %s: %v\n%s", pkg, err, msg)
	}
	return out
}

// FaultPluginPackage is the import path of the fault plugin's main.
const FaultPluginPackage = "github.com/outreachhq/outreach/core/pluginhost/pluginhosttest/faultplugin"
