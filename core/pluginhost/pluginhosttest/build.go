package pluginhosttest

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
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

// Alive reports whether process pid exists and is not a zombie.
func Alive(pid int) bool {
	if syscall.Kill(pid, 0) != nil {
		return false
	}
	if runtime.GOOS != "linux" {
		return true
	}
	stat, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return false
	}
	// The state follows the command name in parentheses: Z is a zombie.
	s := string(stat)
	i := strings.LastIndexByte(s, ')')
	return i < 0 || i+2 >= len(s) || s[i+2] != 'Z'
}

// Children lists the live child processes of this process whose
// executable is exe (all children if exe is ""). It reads /proc, so it
// returns nil on systems without it.
func Children(exe string) []int {
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return nil
	}
	self := os.Getpid()
	var out []int
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		stat, err := os.ReadFile("/proc/" + e.Name() + "/stat")
		if err != nil {
			continue
		}
		s := string(stat)
		i := strings.LastIndexByte(s, ')')
		if i < 0 {
			continue
		}
		fields := strings.Fields(s[i+1:])
		// fields[0] is the state, fields[1] the parent pid.
		if len(fields) < 2 || fields[1] != strconv.Itoa(self) || fields[0] == "Z" {
			continue
		}
		if exe != "" {
			if target, err := os.Readlink("/proc/" + e.Name() + "/exe"); err != nil || target != exe {
				continue
			}
		}
		out = append(out, pid)
	}
	return out
}
