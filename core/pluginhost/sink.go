package pluginhost

import (
	"context"
	"fmt"

	"github.com/outreachhq/outreach/sdk"
)

// sink is a plugin's Sink with the host's deadlines, relaunches and errors
// that name the plugin.
type sink struct{ m *managed }

var _ sdk.Sink = (*sink)(nil)

// Limits of one Emit call. gRPC servers refuse messages over 4 MiB by
// default, and one slow call must not hold thousands of events.
const (
	maxBatchEvents = 1000
	maxBatchBytes  = 1 << 20
)

// Emit sends events in as few calls as the limits allow, in order (the
// delivery of the outbox keeps to the types a sink's block subscribes
// to). It is never retried here: an error means the caller sends the batch again
// (delivery is at least once; sinks deduplicate by event id), so the error
// says how many events went before the failing call.
func (s *sink) Emit(ctx context.Context, events []sdk.Event) error {
	for start := 0; start < len(events); {
		end, size := start, 0
		for end < len(events) && end-start < maxBatchEvents {
			n := len(events[end].Data) + len(events[end].ID) + len(events[end].Type) + len(events[end].Workspace) + 32
			if end > start && size+n > maxBatchBytes {
				break
			}
			size += n
			end++
		}
		batch := events[start:end]
		_, err := call(s.m, ctx, "emit", effect, func(ctx context.Context, p *process) (struct{}, error) {
			return struct{}{}, p.sink.Emit(ctx, batch)
		})
		if err != nil {
			if start > 0 {
				return fmt.Errorf("%w (the first %d of %d events were delivered)", err, start, len(events))
			}
			return err
		}
		start = end
	}
	return nil
}
