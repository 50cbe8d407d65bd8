package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/outreachhq/outreach/sdk"
)

// Version is reported in the plugin's info; `outreach plugins list` shows
// it, and a plugin block's version constraint is checked against it.
const Version = "1.0.0"

// header is the first row of a new file.
var header = []string{"id", "type", "timestamp", "workspace", "data"}

// Sink appends events to a CSV file. The host calls it from several
// goroutines, so it holds a lock while writing.
type Sink struct {
	mu   sync.Mutex
	path string
}

// The compiler checks that Sink is a plugin and a sink.
var (
	_ sdk.Plugin = (*Sink)(nil)
	_ sdk.Sink   = (*Sink)(nil)
)

// New returns an unconfigured sink; Configure names its file.
func New() *Sink { return &Sink{} }

// Info names the plugin and the kinds it serves.
func (s *Sink) Info(context.Context) (sdk.Info, error) {
	return sdk.Info{Name: "csv-sink", Version: Version, Kinds: []string{sdk.KindSink}}, nil
}

// ConfigSchema documents the config block.
func (s *Sink) ConfigSchema(context.Context) ([]sdk.ConfigField, error) {
	return []sdk.ConfigField{
		{Name: "path", Type: "string", Required: true, Description: "Absolute path of the CSV file the events are appended to; created, with a header row, if missing."},
	}, nil
}

// Configure receives the config block as JSON. Errors the user must fix
// are Permanent: the host shows them and does not retry.
func (s *Sink) Configure(_ context.Context, raw json.RawMessage) error {
	var c struct {
		Path string `json:"path"`
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&c); err != nil {
		return sdk.Errorf(sdk.Permanent, "csv-sink: config: %v", err)
	}
	if !filepath.IsAbs(c.Path) {
		return sdk.Errorf(sdk.Permanent, "csv-sink: config: path must be an absolute file path, got %q", c.Path)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.path = c.Path
	return nil
}

// Emit appends a batch. It writes the whole batch at once so that batches
// from concurrent calls never interleave.
func (s *Sink) Emit(_ context.Context, events []sdk.Event) error {
	if len(events) == 0 {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.path == "" {
		return sdk.Errorf(sdk.Permanent, "csv-sink: not configured")
	}
	f, err := os.OpenFile(s.path, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o600)
	if err != nil {
		return sdk.Errorf(sdk.Permanent, "csv-sink: %v", err)
	}
	defer f.Close()
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	if fi, err := f.Stat(); err == nil && fi.Size() == 0 {
		_ = w.Write(header)
	}
	for _, e := range events {
		_ = w.Write([]string{e.ID, e.Type, e.Timestamp.UTC().Format(time.RFC3339Nano), e.Workspace, string(e.Data)})
	}
	w.Flush()
	if _, err := f.Write(buf.Bytes()); err != nil {
		// Not typed: the host treats it as transient and sends the batch
		// again later.
		return fmt.Errorf("csv-sink: append to %s: %w", s.path, err)
	}
	return nil
}
