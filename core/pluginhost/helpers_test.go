package pluginhost

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/go-hclog"
)

func writeFile(t *testing.T, path, content string, mode os.FileMode) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), mode); err != nil {
		t.Fatal(err)
	}
}

// wrapper writes an executable script at dir/name that runs the test
// binary as built-in plugin builtin with args. exec keeps the pid, so the
// host's process is the plugin itself.
func wrapper(t *testing.T, dir, name, builtin string, args ...string) string {
	t.Helper()
	quoted := make([]string, len(args))
	for i, a := range args {
		quoted[i] = fmt.Sprintf("%q", a)
	}
	path := filepath.Join(dir, name)
	writeFile(t, path, fmt.Sprintf("#!/bin/sh\n%s exec %q plugin serve %s %s\n", quickExit, testExe(t), builtin, strings.Join(quoted, " ")), 0o755)
	return path
}

// hclogJSON is a JSON logger at info level.
func hclogJSON(w io.Writer) hclog.Logger {
	return hclog.New(&hclog.LoggerOptions{Level: hclog.Info, Output: w, JSONFormat: true})
}
