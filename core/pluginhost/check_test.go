package pluginhost

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"

	"github.com/outreachhq/outreach/core/config"
	"github.com/outreachhq/outreach/core/pluginhost/pluginhosttest"
)

// declare writes src as plugins.hcl in dir and decodes its plugin blocks.
func declare(t *testing.T, dir, src string) []*config.Plugin {
	t.Helper()
	file := filepath.Join(dir, "plugins.hcl")
	writeFile(t, file, src, 0o644)
	cfg, diags := config.NewParser().LoadPaths(file)
	if diags.HasErrors() {
		t.Fatalf("HCL: %s", diags.Error())
	}
	return cfg.Plugins
}

// TestCheckConfig: every problem a plugin block can have that only the
// plugin can tell is one diagnostic, at the block's line or the
// attribute's, saying what is wrong; a plugin without problems passes and
// is described.
func TestCheckConfig(t *testing.T) {
	events := filepath.Join(t.TempDir(), "events.jsonl")
	tests := []struct {
		name string
		// block is the plugin block; %s is replaced by the test's dir.
		block string
		// summary, line and column of the one diagnostic; "" for none.
		summary   string
		line, col int
		detail    []string
	}{
		{name: "good sink",
			block: "plugin \"events\" {\n  source  = \"jsonl\"\n  version = \">= 0.1.0\"\n  events  = [\"dm_sent\"]\n  config {\n    path = \"" + events + "\"\n    sync = true\n  }\n}\n"},
		{name: "missing binary",
			block:   "plugin \"crm\" {\n  source = \"./bin/outreach-plugin-crm\"\n}\n",
			summary: "Plugin binary not found", line: 2, col: 12,
			detail: []string{"bin/outreach-plugin-crm does not exist"}},
		{name: "wrong protocol version",
			block:   "plugin \"newer\" {\n  source = \"./outreach-plugin-newer\"\n}\n",
			summary: "Plugin failed to start", line: 2, col: 12,
			detail: []string{"Plugin version: 2, Client versions: [1]", "plugin protocol version 1"}},
		{name: "crash at start",
			block:   "plugin \"crashy\" {\n  source = \"./outreach-plugin-crashy\"\n}\n",
			summary: "Plugin failed to start", line: 2, col: 12,
			detail: []string{"exited before it completed the plugin handshake", "The plugin's stderr ended with:", "panic: " + pluginhosttest.PanicAtStart, "goroutine "}},
		{name: "version not allowed",
			block:   "plugin \"events\" {\n  source  = \"jsonl\"\n  version = \">= 2.0\"\n  config {\n    path = \"" + events + "\"\n  }\n}\n",
			summary: "Plugin version not allowed", line: 3, col: 13,
			detail: []string{`is version 0.1.0, which does not meet the constraint ">= 2.0"`}},
		{name: "config value of the wrong type",
			block:   "plugin \"events\" {\n  source = \"jsonl\"\n  config {\n    path = \"" + events + "\"\n    sync = \"yes\"\n  }\n}\n",
			summary: "Incorrect plugin config value type", line: 5, col: 12,
			detail: []string{`The "sync" attribute of plugin "events"'s config needs true or false, but the given value is a string`}},
		{name: "unknown config attribute",
			block:   "plugin \"events\" {\n  source = \"jsonl\"\n  config {\n    path   = \"" + events + "\"\n    rotate = true\n  }\n}\n",
			summary: "Unsupported plugin config attribute", line: 5, col: 5,
			detail: []string{`does not take a config attribute named "rotate"`, "path (string, required), sync (bool)"}},
		{name: "missing required config attribute",
			block:   "plugin \"events\" {\n  source = \"jsonl\"\n  config {\n    sync = true\n  }\n}\n",
			summary: "Missing required plugin config attribute", line: 3, col: 3,
			detail: []string{`needs the config attribute "path"`}},
		{name: "no config block at all",
			block:   "plugin \"jsonl\" {}\n",
			summary: "Missing required plugin config attribute", line: 1, col: 1},
		{name: "events on a network plugin",
			block:   "plugin \"x\" {\n  events = [\"dm_sent\"]\n}\n",
			summary: "Events on a plugin that is not a sink", line: 2, col: 12,
			detail: []string{`Plugin "x" is a network plugin`}},
		{name: "unknown built-in",
			block:   "plugin \"crm\" {}\n",
			summary: "Unknown built-in plugin", line: 1, col: 1,
			detail: []string{"The built-ins are ai, fault, jsonl, x"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			wrapper(t, dir, "outreach-plugin-newer", "fault", pluginhosttest.FlagProtocol+"=2")
			wrapper(t, dir, "outreach-plugin-crashy", "fault", pluginhosttest.FlagPanic)
			plugins := declare(t, dir, tt.block)
			h := newHost(t, Options{})
			declared, diags := h.CheckConfig(context.Background(), plugins)
			if tt.summary == "" {
				if len(diags) > 0 {
					t.Fatalf("diagnostics for a good plugin: %s", diags.Error())
				}
				if d := declared[0]; d.Err != nil || d.Info.Version != "0.1.0" || d.Source.String() != "builtin jsonl" || d.Constraint != ">= 0.1.0" {
					t.Errorf("declared = %+v", d)
				}
				return
			}
			if len(diags) != 1 {
				t.Fatalf("%d diagnostics, want one %q:\n%s", len(diags), tt.summary, diags.Error())
			}
			d := diags[0]
			if d.Severity != hcl.DiagError || d.Summary != tt.summary || d.Subject == nil ||
				d.Subject.Filename != filepath.Join(dir, "plugins.hcl") || d.Subject.Start.Line != tt.line || d.Subject.Start.Column != tt.col {
				t.Errorf("diagnostic %q at %v, want %q at line %d column %d", d.Summary, d.Subject, tt.summary, tt.line, tt.col)
			}
			for _, want := range tt.detail {
				if !strings.Contains(d.Detail, want) {
					t.Errorf("detail lacks %q:\n%s", want, d.Detail)
				}
			}
		})
	}
}

// TestCheckConfigReportsEveryPlugin: the plugins are checked together and
// their problems reported in the order of the blocks.
func TestCheckConfigReportsEveryPlugin(t *testing.T) {
	dir := t.TempDir()
	plugins := declare(t, dir, "plugin \"a\" {\n  source = \"./gone-a\"\n}\nplugin \"ai\" {}\nplugin \"b\" {\n  source = \"./gone-b\"\n}\n")
	h := newHost(t, Options{})
	declared, diags := h.CheckConfig(context.Background(), plugins)
	if len(diags) != 2 || !strings.Contains(diags[0].Detail, "gone-a") || !strings.Contains(diags[1].Detail, "gone-b") {
		t.Errorf("diagnostics:\n%s", diags.Error())
	}
	if len(declared) != 3 || declared[1].Info.Name != "ai" || declared[0].Err == nil {
		t.Errorf("declared = %+v", declared)
	}
}

// TestLaunchReportsPanic: a plugin that panics before the handshake fails
// its launch with the panic in the error, not only go-plugin's message.
func TestLaunchReportsPanic(t *testing.T) {
	dir := t.TempDir()
	wrapper(t, dir, "outreach-plugin-crashy", "fault", pluginhosttest.FlagPanic)
	h := newHost(t, Options{PluginDir: dir})
	_, err := h.Network("crashy", nil)
	if err == nil || !strings.Contains(err.Error(), "handshake failed: the plugin exited before it completed it") || !strings.Contains(err.Error(), "panic: "+pluginhosttest.PanicAtStart) {
		t.Errorf("launch of a plugin that panics at start: %v", err)
	}
	if _, _, err := h.Describe(context.Background(), "crashy"); err == nil || !strings.Contains(err.Error(), "panic: "+pluginhosttest.PanicAtStart) {
		t.Errorf("describe a plugin that panics at start: %v", err)
	}
}
