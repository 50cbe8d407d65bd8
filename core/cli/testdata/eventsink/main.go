// Command eventsink is a sink plugin written the way a third party writes
// one: in a module of its own, from outreach's sdk alone. It appends every
// event it receives to a JSON-lines file, as one object per line with the
// event's id, type, timestamp, workspace and data. The CLI's tests declare
// it next to the quick start and read what it wrote.
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"sync"

	"github.com/outreachhq/outreach/sdk"
)

type sink struct {
	mu   sync.Mutex
	path string
}

func (s *sink) Info(context.Context) (sdk.Info, error) {
	return sdk.Info{Name: "eventsink", Version: "0.1.0", Kinds: []string{sdk.KindSink}}, nil
}

func (s *sink) ConfigSchema(context.Context) ([]sdk.ConfigField, error) {
	return []sdk.ConfigField{{Name: "path", Type: "string", Required: true, Description: "The file events are appended to."}}, nil
}

func (s *sink) Configure(_ context.Context, raw json.RawMessage) error {
	var c struct {
		Path string `json:"path"`
	}
	if err := json.Unmarshal(raw, &c); err != nil || c.Path == "" {
		return sdk.Errorf(sdk.Permanent, "eventsink: config needs a path")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.path = c.Path
	return nil
}

func (s *sink) Emit(_ context.Context, events []sdk.Event) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	f, err := os.OpenFile(s.path, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o600)
	if err != nil {
		return fmt.Errorf("eventsink: %w", err)
	}
	defer f.Close()
	enc := json.NewEncoder(f)
	for _, e := range events {
		if err := enc.Encode(e); err != nil {
			return fmt.Errorf("eventsink: %w", err)
		}
	}
	return f.Sync()
}

func main() {
	s := &sink{}
	sdk.Serve(sdk.ServeConfig{Plugin: s, Sink: s})
}
