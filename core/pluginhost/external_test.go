package pluginhost

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/outreachhq/outreach/core/config"
	"github.com/outreachhq/outreach/core/pluginhost/pluginhosttest"
	"github.com/outreachhq/outreach/sdk"
)

// TestCSVSinkFromHCL builds the example third-party plugin with go build,
// declares it in HCL by a path relative to the file, and sends it events
// through the host: what a user of a third-party plugin does.
func TestCSVSinkFromHCL(t *testing.T) {
	dir := t.TempDir()
	pluginhosttest.Build(t, "github.com/outreachhq/outreach/examples/plugins/csv-sink", filepath.Join(dir, "bin"), "outreach-plugin-csv-sink")
	out := filepath.Join(dir, "events.csv")
	hcl := `plugin "csv" {
  source  = "./bin/outreach-plugin-csv-sink"
  version = ">= 1.0.0, < 2.0.0"
  config {
    path = "` + out + `"
  }
}
`
	file := filepath.Join(dir, "plugins.hcl")
	writeFile(t, file, hcl, 0o644)
	cfg, diags := config.NewParser().LoadPaths(file)
	if diags.HasErrors() {
		t.Fatalf("HCL: %s", diags.Error())
	}
	h := newHost(t, Options{})
	if err := h.RegisterConfig(cfg.Plugins); err != nil {
		t.Fatal(err)
	}
	info, src, err := h.Info(context.Background(), "csv")
	if err != nil {
		t.Fatal(err)
	}
	if info.Name != "csv-sink" || src.Path != filepath.Join(dir, "bin", "outreach-plugin-csv-sink") {
		t.Errorf("plugin csv is %+v from %s", info, src)
	}
	sink, err := h.Sink("csv", nil)
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC)
	ev, err := sdk.NewEvent(sdk.EventNewReply, "default", at, map[string]string{"text": "Sounds good, let's talk"})
	if err != nil {
		t.Fatal(err)
	}
	if err := sink.Emit(context.Background(), []sdk.Event{ev}); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	want := "id,type,timestamp,workspace,data\n" + ev.ID + `,new_reply,2026-03-02T09:30:00Z,default,"{""text"":""Sounds good, let's talk""}"` + "\n"
	if string(data) != want {
		t.Errorf("events.csv:\n%s\nwant:\n%s", data, want)
	}
}

// TestVersionConstraint: a plugin whose version the plugin block does not
// accept is refused at launch, with both versions in the message.
func TestVersionConstraint(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "plugins.hcl")
	writeFile(t, file, "plugin \"events\" {\n  source  = \"jsonl\"\n  version = \">= 2.0\"\n}\n", 0o644)
	cfg, diags := config.NewParser().LoadPaths(file)
	if diags.HasErrors() {
		t.Fatalf("HCL: %s", diags.Error())
	}
	h := newHost(t, Options{})
	if err := h.RegisterConfig(cfg.Plugins); err != nil {
		t.Fatal(err)
	}
	_, err := h.Sink("events", nil)
	if err == nil || !strings.Contains(err.Error(), `version 0.1.0 does not satisfy the plugin block's version constraint ">= 2.0"`) {
		t.Errorf("launch of a plugin of the wrong version: %v", err)
	}
}

// TestDiscovery: binaries named outreach-plugin-NAME in the plugin dir are
// plugins called NAME.
func TestDiscovery(t *testing.T) {
	dir := t.TempDir()
	path := wrapper(t, dir, "outreach-plugin-events", "ai")
	writeFile(t, filepath.Join(dir, "README"), "not a plugin", 0o755)
	writeFile(t, filepath.Join(dir, "outreach-plugin-notexec"), "#!/bin/sh\n", 0o644)
	h := newHost(t, Options{PluginDir: dir})
	if got := strings.Join(h.Names(), " "); got != "ai events fault jsonl x" {
		t.Errorf("Names() = %s", got)
	}
	info, src, err := h.Info(context.Background(), "events")
	if err != nil {
		t.Fatal(err)
	}
	if info.Name != "ai" || src.Path != path || src.Builtin {
		t.Errorf("events = %+v from %+v", info, src)
	}
}
