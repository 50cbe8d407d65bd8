package pluginhost

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/hashicorp/go-hclog"

	"github.com/outreachhq/outreach/core/pluginhost/pluginhosttest"
	"github.com/outreachhq/outreach/sdk"
)

// batchSize is how many events the batched path sends a call: what a sink
// flush of the outbox would send.
const batchSize = 100

// BenchmarkPluginCall prints, side by side, the cost per item of handing
// events to a sink: a direct in-process call (the baseline), one gRPC call
// per item to a plugin out of process, and batches of batchSize over the
// same connection. The batched path must stay within 10us per item of the
// direct call.
func BenchmarkPluginCall(b *testing.B) {
	ctx := context.Background()
	events := benchEvents(batchSize)
	perItem := func(b *testing.B, items int) {
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(items), "ns/item")
	}

	direct := pluginhosttest.New(hclog.NewNullLogger())
	if err := direct.Configure(ctx, json.RawMessage(`{}`)); err != nil {
		b.Fatal(err)
	}
	b.Run("direct", func(b *testing.B) {
		for i := range b.N {
			if err := direct.Emit(ctx, events[i%batchSize:i%batchSize+1]); err != nil {
				b.Fatal(err)
			}
		}
		perItem(b, b.N)
	})

	h := newHost(b, Options{Logger: hclog.NewNullLogger()})
	sink, err := h.Sink("fault", json.RawMessage(`{}`))
	if err != nil {
		b.Fatal(err)
	}
	b.Run("unary-per-item", func(b *testing.B) {
		for i := range b.N {
			if err := sink.Emit(ctx, events[i%batchSize:i%batchSize+1]); err != nil {
				b.Fatal(err)
			}
		}
		perItem(b, b.N)
	})
	b.Run("batched", func(b *testing.B) {
		for range b.N {
			if err := sink.Emit(ctx, events); err != nil {
				b.Fatal(err)
			}
		}
		perItem(b, b.N*batchSize)
	})
}

// benchEvents are n events the size of a typical new_reply.
func benchEvents(n int) []sdk.Event {
	out := make([]sdk.Event, n)
	at := time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC)
	for i := range out {
		out[i] = sdk.Event{
			ID: fmt.Sprintf("6f1c1f0e-8a4b-4c57-9a53-%012d", i), Type: sdk.EventNewReply, Timestamp: at, Workspace: "default",
			Data: json.RawMessage(fmt.Sprintf(`{"conversation_id":"1580000000000000000-16%017d","lead":"lead_%d","text":"Sounds great, let's talk next week!","campaign":"hello","variant":"A"}`, i, i)),
		}
	}
	return out
}
