package cli

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/outreachhq/outreach/core/pluginhost/pluginhosttest"
)

// csvSinkPackage is the example third-party plugin.
const csvSinkPackage = "github.com/outreachhq/outreach/examples/plugins/csv-sink"

// TestValidatePlugins: validate launches the plugin of every plugin block
// and reports what is wrong with it at the block's source line, or at the
// config attribute, and exits 1.
func TestValidatePlugins(t *testing.T) {
	tests := []struct {
		name, src, summary string
		line, col          int
		// detail must appear in the output too.
		detail string
	}{
		{"missing binary", "plugin \"crm\" {\n  source = \"./bin/outreach-plugin-crm\"\n}\n",
			"Plugin binary not found", 2, 12, "bin/outreach-plugin-crm does not exist"},
		{"wrong protocol version", "plugin \"newer\" {\n  source = \"./outreach-plugin-newer\"\n}\n",
			"Plugin failed to start", 2, 12, "Plugin version: 2, Client versions: [1]"},
		{"crash at start", "plugin \"crashy\" {\n  source = \"./outreach-plugin-crashy\"\n}\n",
			"Plugin failed to start", 2, 12, "panic: " + pluginhosttest.PanicAtStart},
		{"config value of the wrong type", "plugin \"events\" {\n  source = \"jsonl\"\n  config {\n    path = \"/tmp/never-written.jsonl\"\n    sync = \"yes\"\n  }\n}\n",
			"Incorrect plugin config value type", 5, 12, `The "sync" attribute of plugin "events"'s config needs true or false, but the given value is a string`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := writeFile(t, "plugins.hcl", tt.src)
			dir := filepath.Dir(path)
			testPluginBinary(t, dir, "outreach-plugin-newer", faultPlugin, pluginhosttest.FlagProtocol+"=2")
			testPluginBinary(t, dir, "outreach-plugin-crashy", faultPlugin, pluginhosttest.FlagPanic)
			code, out, errOut := runCLI(t, newClock(), "validate", path)
			if code != 1 {
				t.Fatalf("validate exited %d, want 1\n%s%s", code, out, errOut)
			}
			where := fmt.Sprintf("Error: %s\n\n  on %s:%d:%d:", tt.summary, path, tt.line, tt.col)
			if !strings.Contains(errOut, where) || !strings.Contains(errOut, tt.detail) {
				t.Errorf("stderr lacks %q and %q:\n%s", where, tt.detail, errOut)
			}
			// plan stops at the same check, before it opens any data.
			data := filepath.Join(t.TempDir(), "data")
			if code, _, errOut := runCLI(t, newClock(), "plan", "-data", data, path); code != 1 || !strings.Contains(errOut, where) {
				t.Errorf("plan exited %d:\n%s", code, errOut)
			}
			if _, err := os.Stat(data); !os.IsNotExist(err) {
				t.Errorf("plan made the data dir although a plugin failed its check: %v", err)
			}
		})
	}
}

// TestPlanListsPlugins: a good third-party plugin, built with go build and
// declared by a relative path, passes validate, and plan lists it (and a
// built-in declared under another name) with the versions they report, in
// text and in JSON. Neither command configures the plugins: the sinks'
// files are not created.
func TestPlanListsPlugins(t *testing.T) {
	events := filepath.Join(t.TempDir(), "events")
	path := writeFile(t, "plugins.hcl", `settings {
  sandbox = true
}
plugin "csv" {
  source  = "./bin/outreach-plugin-csv-sink"
  version = ">= 1.0.0, < 2.0.0"
  events  = ["dm_sent", "new_reply"]
  config {
    path = "`+events+`.csv"
  }
}
plugin "log" {
  source = "jsonl"
  config {
    path = "`+events+`.jsonl"
  }
}
`)
	bin := pluginhosttest.Build(t, csvSinkPackage, filepath.Join(filepath.Dir(path), "bin"), "outreach-plugin-csv-sink")
	code, out, errOut := runCLI(t, newClock(), "validate", path)
	if code != 0 || errOut != "" || !strings.Contains(out, "Success!") {
		t.Fatalf("validate exited %d\n%s%s", code, out, errOut)
	}
	data := t.TempDir()
	code, out, errOut = runCLI(t, newClock(), "plan", "-data", data, path)
	want := "\nPlugins:\n" +
		"  plugin.csv: version 1.0.0 (sink) from " + bin + "; constraint \">= 1.0.0, < 2.0.0\"\n" +
		"  plugin.log: version 0.1.0 (sink) from builtin jsonl\n"
	if code != 0 || !strings.HasSuffix(out, want) {
		t.Errorf("plan exited %d; want its output to end with:\n%s\ngot:\n%s%s", code, want, out, errOut)
	}
	code, out, errOut = runCLI(t, newClock(), "plan", "-json", "-data", data, path)
	var p struct {
		Plugins []struct{ Name, Source, Version, Constraint string }
	}
	if err := json.Unmarshal([]byte(out), &p); code != 0 || err != nil {
		t.Fatalf("plan -json exited %d (%v)\n%s%s", code, err, out, errOut)
	}
	if len(p.Plugins) != 2 || p.Plugins[0].Name != "csv" || p.Plugins[0].Source != bin || p.Plugins[0].Version != "1.0.0" ||
		p.Plugins[0].Constraint != ">= 1.0.0, < 2.0.0" || p.Plugins[1].Source != "builtin jsonl" {
		t.Errorf("plan -json plugins = %+v", p.Plugins)
	}
	for _, f := range []string{events + ".csv", events + ".jsonl"} {
		if _, err := os.Stat(f); !os.IsNotExist(err) {
			t.Errorf("%s exists: checking a plugin configured it (%v)", f, err)
		}
	}
}
