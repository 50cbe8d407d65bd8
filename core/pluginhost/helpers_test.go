package pluginhost

import (
	"io"
	"os"
	"testing"

	"github.com/hashicorp/go-hclog"

	"github.com/outreachhq/outreach/core/pluginhost/pluginhosttest"
)

func writeFile(t *testing.T, path, content string, mode os.FileMode) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), mode); err != nil {
		t.Fatal(err)
	}
}

// wrapper writes an executable script at dir/name that runs the test
// binary as built-in plugin builtin with args.
func wrapper(t *testing.T, dir, name, builtin string, args ...string) string {
	t.Helper()
	return pluginhosttest.Wrapper(t, dir, name, append([]string{testExe(t), "plugin", "serve", builtin}, args...)...)
}

// hclogJSON is a JSON logger at info level.
func hclogJSON(w io.Writer) hclog.Logger {
	return hclog.New(&hclog.LoggerOptions{Level: hclog.Info, Output: w, JSONFormat: true})
}
