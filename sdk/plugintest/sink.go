package plugintest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/outreachhq/outreach/sdk"
)

// SinkFixture is what a sink plugin is tested with.
type SinkFixture struct {
	// Destination makes a fresh, empty destination (a new file under
	// t.TempDir(), say). It returns the config that points the sink at it
	// and a function that reads back, in order, the events delivered there.
	Destination func(t *testing.T) (config json.RawMessage, delivered func() ([]sdk.Event, error))
}

// TestSink checks a sink plugin: TestPlugin, then that every event of every
// batch arrives once, in order, with its id, type, workspace, timestamp (to
// the millisecond) and data intact; that an empty batch is fine; and that
// batches emitted from many goroutines at once all arrive whole.
func TestSink(t *testing.T, c *Conn, f SinkFixture) {
	if c.Sink == nil {
		t.Fatalf("plugin %q does not serve the sink kind (kinds %v)", c.Info.Name, c.Info.Kinds)
	}
	config, _ := f.Destination(t)
	TestPlugin(t, c, config)
	ctx := context.Background()
	// destination configures the plugin for a fresh destination.
	destination := func(t *testing.T) func() []sdk.Event {
		config, read := f.Destination(t)
		if err := c.Plugin.Configure(ctx, config); err != nil {
			t.Fatalf("Configure(%s): %v", config, err)
		}
		return func() []sdk.Event {
			t.Helper()
			got, err := read()
			if err != nil {
				t.Fatalf("read back the delivered events: %v", err)
			}
			return got
		}
	}
	t.Run("one batch", func(t *testing.T) {
		read := destination(t)
		if err := c.Sink.Emit(ctx, nil); err != nil {
			t.Fatalf("Emit(no events): %v", err)
		}
		want := sampleEvents(0, 3)
		want[1].Data = json.RawMessage(`{"text":"Ça marche, \"merci\"!\nà bientôt","tags":["a","b"],"n":1.5,"nested":{"ok":true}}`)
		if err := c.Sink.Emit(ctx, want); err != nil {
			t.Fatalf("Emit: %v", err)
		}
		sameEvents(t, read(), want)
	})
	t.Run("many batches", func(t *testing.T) {
		read := destination(t)
		var want []sdk.Event
		for b := range 10 {
			batch := sampleEvents(b*100, 100)
			if err := c.Sink.Emit(ctx, batch); err != nil {
				t.Fatalf("Emit(batch %d): %v", b, err)
			}
			want = append(want, batch...)
		}
		sameEvents(t, read(), want)
	})
	t.Run("concurrent batches", func(t *testing.T) {
		read := destination(t)
		const writers, batches, size = 8, 10, 5
		var wg sync.WaitGroup
		errs := make(chan error, writers*batches)
		for w := range writers {
			wg.Go(func() {
				for b := range batches {
					if err := c.Sink.Emit(ctx, sampleEvents((w*batches+b)*size, size)); err != nil {
						errs <- err
					}
				}
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Fatalf("concurrent Emit: %v", err)
		}
		got := read()
		if len(got) != writers*batches*size {
			t.Fatalf("%d events delivered; want %d", len(got), writers*batches*size)
		}
		// A batch arrives whole: its events stay next to one another.
		index := map[string]int{}
		for i, e := range got {
			if _, dup := index[e.ID]; dup {
				t.Fatalf("event %s delivered twice", e.ID)
			}
			index[e.ID] = i
		}
		for start := 0; start < writers*batches*size; start += size {
			batch := sampleEvents(start, size)
			first, ok := index[batch[0].ID]
			if !ok {
				t.Fatalf("event %s missing", batch[0].ID)
			}
			sameEvents(t, got[first:first+size], batch)
		}
	})
}

// sampleEvents returns n events numbered from first, of every type.
func sampleEvents(first, n int) []sdk.Event {
	types := []string{sdk.EventDMSent, sdk.EventNewReply, sdk.EventAccountPaused, sdk.EventLeadsExhausted}
	base := time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC)
	out := make([]sdk.Event, n)
	for i := range out {
		k := first + i
		out[i] = sdk.Event{
			ID:        fmt.Sprintf("00000000-0000-4000-8000-%012d", k),
			Type:      types[k%len(types)],
			Timestamp: base.Add(time.Duration(k) * 1500 * time.Millisecond),
			Workspace: "default",
			Data:      json.RawMessage(fmt.Sprintf(`{"seq":%d,"handle":"lead_%d"}`, k, k)),
		}
	}
	return out
}

// sameEvents fails unless got and want hold the same events in order.
// Timestamps compare to the millisecond and data as JSON values, since a
// sink may store both in its own format.
func sameEvents(t *testing.T, got, want []sdk.Event) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%d events delivered; want %d", len(got), len(want))
	}
	for i := range want {
		g, w := got[i], want[i]
		if g.ID != w.ID || g.Type != w.Type || g.Workspace != w.Workspace {
			t.Fatalf("event %d delivered as {%s %s %s}; want {%s %s %s}", i, g.ID, g.Type, g.Workspace, w.ID, w.Type, w.Workspace)
		}
		if !g.Timestamp.Truncate(time.Millisecond).Equal(w.Timestamp.Truncate(time.Millisecond)) {
			t.Fatalf("event %s timestamp %s; want %s", w.ID, g.Timestamp, w.Timestamp)
		}
		if !jsonEqual(g.Data, w.Data) {
			t.Fatalf("event %s data %s; want %s", w.ID, g.Data, w.Data)
		}
	}
}

func jsonEqual(a, b json.RawMessage) bool {
	var x, y any
	if json.Unmarshal(a, &x) != nil || json.Unmarshal(b, &y) != nil {
		return bytes.Equal(a, b)
	}
	xb, _ := json.Marshal(x)
	yb, _ := json.Marshal(y)
	return bytes.Equal(xb, yb)
}
