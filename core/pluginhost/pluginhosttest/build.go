package pluginhosttest

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// Build builds the Go main package pkg (an import path in this module)
// into dir, named name, with the race detector if this test binary has it,
// and returns the binary's path.
func Build(t testing.TB, pkg, dir, name string) string {
	t.Helper()
	return build(t, "", pkg, dir, name)
}

// BuildModule builds the main package at the root of the Go module in
// moduleDir (a module of its own, as a third party's plugin is) into
// dir/name, as Build does.
func BuildModule(t testing.TB, moduleDir, dir, name string) string {
	t.Helper()
	return build(t, moduleDir, ".", dir, name)
}

func build(t testing.TB, in, pkg, dir, name string) string {
	t.Helper()
	out := filepath.Join(dir, name)
	args := []string{"build", "-o", out}
	if raceEnabled {
		args = append(args, "-race")
	}
	cmd := exec.Command("go", append(args, pkg)...)
	cmd.Dir = in
	if msg, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build %s: %v\n%s", filepath.Join(in, pkg), err, msg)
	}
	return out
}

// FaultPluginPackage is the import path of the fault plugin's main.
const FaultPluginPackage = "github.com/outreachhq/outreach/core/pluginhost/pluginhosttest/faultplugin"

// QuickExit, in a plugin's environment, stops a race-enabled plugin from
// sleeping a second when it exits (the race runtime's default), which
// every stop of the plugin would wait for.
const QuickExit = "GORACE=atexit_sleep_ms=0"

// Wrapper writes an executable script at dir/name that runs the command
// args (the first an absolute path) with QuickExit, and returns its path:
// a plugin binary for a host to launch, made of another binary and
// arguments (a test binary serving a built-in, the fault plugin asked for
// a wrong handshake). exec keeps the pid, so the host's process is the
// plugin itself.
func Wrapper(t testing.TB, dir, name string, args ...string) string {
	t.Helper()
	quoted := make([]string, len(args))
	for i, a := range args {
		quoted[i] = fmt.Sprintf("%q", a)
	}
	path := filepath.Join(dir, name)
	script := fmt.Sprintf("#!/bin/sh\n%s exec %s\n", QuickExit, strings.Join(quoted, " "))
	if err := os.WriteFile(path, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	return path
}
