package jsonl_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/outreachhq/outreach/plugins/jsonl"
	"github.com/outreachhq/outreach/sdk"
	"github.com/outreachhq/outreach/sdk/plugintest"
)

func serve() sdk.ServeConfig {
	s := jsonl.New()
	return sdk.ServeConfig{Plugin: s, Sink: s}
}

// TestMain serves the plugin when plugintest.Exec runs the test binary as
// one, so the conformance suite also runs out of process.
func TestMain(m *testing.M) { plugintest.Main(m, serve) }

func fixture() plugintest.SinkFixture {
	return plugintest.SinkFixture{
		Destination: func(t *testing.T) (json.RawMessage, func() ([]sdk.Event, error)) {
			path := filepath.Join(t.TempDir(), "events", "out.jsonl")
			cfg, _ := json.Marshal(map[string]any{"path": path})
			return cfg, func() ([]sdk.Event, error) { return jsonl.ReadFile(path) }
		},
	}
}

func TestConformance(t *testing.T) {
	t.Run("in process", func(t *testing.T) { plugintest.TestSink(t, plugintest.InProcess(t, serve()), fixture()) })
	t.Run("out of process", func(t *testing.T) { plugintest.TestSink(t, plugintest.Exec(t), fixture()) })
}

func TestConfigErrors(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct{ config, want string }{
		{`{}`, "path is required"},
		{`{"path": "relative.jsonl"}`, "not absolute"},
		{`{"path": "/x", "pth": 1}`, `unknown field "pth"`},
		{`{"path": 42}`, "cannot unmarshal"},
	} {
		err := jsonl.New().Configure(ctx, json.RawMessage(tc.config))
		if sdk.KindOf(err) != sdk.Permanent || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Configure(%s) = %v; want a Permanent error mentioning %q", tc.config, err, tc.want)
		}
	}
}

func TestFileFormat(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "out.jsonl")
	s := jsonl.New()
	cfg, _ := json.Marshal(map[string]any{"path": path, "sync": true})
	if err := s.Configure(ctx, cfg); err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 3, 2, 9, 30, 0, 0, time.FixedZone("CET", 3600))
	err := s.Emit(ctx, []sdk.Event{{ID: "e1", Type: sdk.EventNewReply, Timestamp: at, Workspace: "w", Data: json.RawMessage(`{"a":1}`)}, {ID: "e2", Type: "x"}})
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"id":"e1","type":"new_reply","timestamp":"2026-03-02T08:30:00Z","workspace":"w","data":{"a":1}}` + "\n" +
		`{"id":"e2","type":"x","timestamp":"0001-01-01T00:00:00Z","workspace":"","data":null}` + "\n"
	if string(got) != want {
		t.Errorf("file:\n%s\nwant:\n%s", got, want)
	}
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("file mode %v (%v); want 0600: events name leads", fi.Mode().Perm(), err)
	}
	if err := s.Emit(ctx, []sdk.Event{{ID: "bad", Data: json.RawMessage(`{`)}}); sdk.KindOf(err) != sdk.Permanent {
		t.Errorf("Emit(invalid data) = %v; want Permanent", err)
	}
}
