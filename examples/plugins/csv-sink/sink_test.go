package main

import (
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/outreachhq/outreach/sdk"
	"github.com/outreachhq/outreach/sdk/plugintest"
)

func serve() sdk.ServeConfig {
	s := New()
	return sdk.ServeConfig{Plugin: s, Sink: s}
}

// TestMain lets plugintest.Exec run this test binary as the plugin.
func TestMain(m *testing.M) { plugintest.Main(m, serve) }

// TestConformance runs the sink conformance suite in process and out of
// process: all a plugin author needs to know the host can use the plugin.
func TestConformance(t *testing.T) {
	t.Run("in process", func(t *testing.T) { plugintest.TestSink(t, plugintest.InProcess(t, serve()), fixture) })
	t.Run("out of process", func(t *testing.T) { plugintest.TestSink(t, plugintest.Exec(t), fixture) })
}

var fixture = plugintest.SinkFixture{
	Destination: func(t *testing.T) (json.RawMessage, func() ([]sdk.Event, error)) {
		path := filepath.Join(t.TempDir(), "events.csv")
		cfg, _ := json.Marshal(map[string]string{"path": path})
		return cfg, func() ([]sdk.Event, error) { return ReadFile(path) }
	},
}

// ReadFile reads back the events of a CSV file the sink wrote.
func ReadFile(path string) ([]sdk.Event, error) {
	f, err := os.Open(path)
	if os.IsNotExist(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		return nil, err
	}
	var out []sdk.Event
	for _, r := range rows[1:] {
		at, err := time.Parse(time.RFC3339Nano, r[2])
		if err != nil {
			return nil, err
		}
		out = append(out, sdk.Event{ID: r[0], Type: r[1], Timestamp: at, Workspace: r[3], Data: json.RawMessage(r[4])})
	}
	return out, nil
}
