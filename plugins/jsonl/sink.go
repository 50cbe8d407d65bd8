package jsonl

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/outreachhq/outreach/sdk"
)

// Version is the plugin's version, reported in its info.
const Version = "0.1.0"

// Sink implements sdk.Plugin and sdk.Sink: it appends events to a JSON
// lines file.
type Sink struct {
	mu   sync.Mutex
	file *os.File
	sync bool
}

var (
	_ sdk.Plugin = (*Sink)(nil)
	_ sdk.Sink   = (*Sink)(nil)
)

// New returns a sink with no file yet: Configure names it.
func New() *Sink { return &Sink{} }

// Info implements sdk.Plugin.
func (s *Sink) Info(context.Context) (sdk.Info, error) {
	return sdk.Info{Name: "jsonl", Version: Version, Kinds: []string{sdk.KindSink}}, nil
}

// ConfigSchema implements sdk.Plugin.
func (s *Sink) ConfigSchema(context.Context) ([]sdk.ConfigField, error) {
	return []sdk.ConfigField{
		{Name: "path", Type: "string", Required: true, Description: "File the events are appended to, one JSON object a line. Created (with its directory) if missing, readable by its owner only."},
		{Name: "sync", Type: "bool", Description: "Flush every batch to disk (fsync) before acknowledging it. Default false: the operating system flushes it soon after."},
	}, nil
}

// config is the plugin's configuration as written in HCL.
type config struct {
	Path string `json:"path"`
	Sync bool   `json:"sync"`
}

// Configure implements sdk.Plugin. It opens the file at once so that a
// path that cannot be written fails the launch, not the first event.
func (s *Sink) Configure(_ context.Context, raw json.RawMessage) error {
	var c config
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&c); err != nil {
		return sdk.Errorf(sdk.Permanent, "jsonl: config: %v", err)
	}
	if c.Path == "" {
		return sdk.Errorf(sdk.Permanent, "jsonl: config: path is required: the file to append events to")
	}
	if !filepath.IsAbs(c.Path) {
		// The plugin runs in the host's working directory, which the user
		// did not choose for it: only an absolute path is unambiguous.
		return sdk.Errorf(sdk.Permanent, "jsonl: config: path %q is not absolute", c.Path)
	}
	if err := os.MkdirAll(filepath.Dir(c.Path), 0o700); err != nil {
		return sdk.Errorf(sdk.Permanent, "jsonl: %v", err)
	}
	f, err := os.OpenFile(c.Path, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o600)
	if err != nil {
		return sdk.Errorf(sdk.Permanent, "jsonl: %v", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.file != nil {
		_ = s.file.Close()
	}
	s.file, s.sync = f, c.Sync
	return nil
}

// line is one event as written to the file.
type line struct {
	ID        string          `json:"id"`
	Type      string          `json:"type"`
	Timestamp time.Time       `json:"timestamp"`
	Workspace string          `json:"workspace"`
	Data      json.RawMessage `json:"data"`
}

// Emit implements sdk.Sink. The batch is encoded first and written with one
// write, so batches from concurrent calls never interleave and a failed
// batch leaves at most a torn last line.
func (s *Sink) Emit(_ context.Context, events []sdk.Event) error {
	if len(events) == 0 {
		return nil
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	for _, e := range events {
		data := e.Data
		if len(data) == 0 {
			data = json.RawMessage("null")
		}
		if !json.Valid(data) {
			return sdk.Errorf(sdk.Permanent, "jsonl: event %s: data is not valid JSON", e.ID)
		}
		if err := enc.Encode(line{ID: e.ID, Type: e.Type, Timestamp: e.Timestamp.UTC(), Workspace: e.Workspace, Data: data}); err != nil {
			return sdk.Errorf(sdk.Permanent, "jsonl: event %s: %v", e.ID, err)
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.file == nil {
		return sdk.Errorf(sdk.Permanent, "jsonl: not configured: set path in the plugin's config block")
	}
	if _, err := s.file.Write(buf.Bytes()); err != nil {
		return fmt.Errorf("jsonl: append to %s: %w", s.file.Name(), err)
	}
	if s.sync {
		if err := s.file.Sync(); err != nil {
			return fmt.Errorf("jsonl: sync %s: %w", s.file.Name(), err)
		}
	}
	return nil
}

// ReadFile reads back the events of a file the sink wrote, in order. It is
// for tests and tools.
func ReadFile(path string) ([]sdk.Event, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var out []sdk.Event
	dec := json.NewDecoder(bytes.NewReader(data))
	for dec.More() {
		var l line
		if err := dec.Decode(&l); err != nil {
			return out, fmt.Errorf("%s: event %d: %w", path, len(out)+1, err)
		}
		out = append(out, sdk.Event{ID: l.ID, Type: l.Type, Timestamp: l.Timestamp, Workspace: l.Workspace, Data: l.Data})
	}
	return out, nil
}
