package pluginhost

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/outreachhq/outreach/core/pluginhost/pluginhosttest"
	"github.com/outreachhq/outreach/plugins/jsonl"
	"github.com/outreachhq/outreach/sdk"
)

// TestSinkSplitsLargeBatches: a batch larger than one call may carry
// (by count or by size) arrives whole and in order.
func TestSinkSplitsLargeBatches(t *testing.T) {
	path := filepath.Join(t.TempDir(), "events.jsonl")
	cfg, _ := json.Marshal(map[string]string{"path": path})
	h := newHost(t, Options{})
	sink, err := h.Sink("jsonl", cfg)
	if err != nil {
		t.Fatal(err)
	}
	big := json.RawMessage(fmt.Sprintf(`{"text":%q}`, strings.Repeat("x", 300<<10)))
	var events []sdk.Event
	for i := range 2500 {
		data := json.RawMessage(fmt.Sprintf(`{"i":%d}`, i))
		if i%500 == 7 {
			data = big // five events of 300 KiB: more than one call's worth together
		}
		events = append(events, sdk.Event{ID: fmt.Sprint(i), Type: sdk.EventDMSent, Timestamp: time.Unix(int64(i), 0), Workspace: "w", Data: data})
	}
	if err := sink.Emit(context.Background(), events); err != nil {
		t.Fatal(err)
	}
	got, err := jsonl.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(events) {
		t.Fatalf("%d events in the file; want %d", len(got), len(events))
	}
	for i := range got {
		if got[i].ID != events[i].ID {
			t.Fatalf("event %d is %s: out of order", i, got[i].ID)
		}
	}
}

// TestSinkCrash: a sink that crashes in Emit fails the call with an
// untyped error naming the plugin (the caller sends the batch again), and
// the next batch goes to a relaunched process.
func TestSinkCrash(t *testing.T) {
	path := filepath.Join(t.TempDir(), "events.jsonl")
	cfg, _ := json.Marshal(pluginhosttest.Config{SinkPath: path, StateDir: t.TempDir(),
		Faults: []pluginhosttest.Fault{{Op: "emit", Mode: pluginhosttest.Panic, Times: 1}}})
	h := newHost(t, Options{})
	sink, err := h.Sink("fault", cfg)
	if err != nil {
		t.Fatal(err)
	}
	ev, _ := sdk.NewEvent(sdk.EventAccountPaused, "w", time.Now(), map[string]string{"account": "sales"})
	err = sink.Emit(context.Background(), []sdk.Event{ev})
	if err == nil || !strings.Contains(err.Error(), `plugin "fault": emit:`) || sdk.KindOf(err) != "" {
		t.Fatalf("Emit on a crashing sink: %v", err)
	}
	if err := sink.Emit(context.Background(), []sdk.Event{ev}); err != nil {
		t.Fatalf("Emit after the crash: %v", err)
	}
	if got, err := jsonl.ReadFile(path); err != nil || len(got) != 1 || got[0].ID != ev.ID {
		t.Errorf("delivered %v, %v; want the event once", got, err)
	}
}
