package webhook

import (
	"context"
	"time"

	"github.com/outreachhq/outreach/core/clock"
	"github.com/outreachhq/outreach/sdk"
)

// Sink backoff: after a failed batch the sink is tried again after
// sinkBackoff, doubling up to maxSinkBackoff. A sink has no per-event
// records: its cursor moves only once a batch is in, so it gets every
// event at least once, however long it is down.
const (
	sinkBackoff    = time.Second
	maxSinkBackoff = 5 * time.Minute
)

// runSink sends a sink its events until ctx is done.
func (d *Dispatcher) runSink(ctx context.Context, s Sink) {
	wait := time.Duration(0)
	for ctx.Err() == nil {
		if err := d.sinkOnce(ctx, s); err != nil && ctx.Err() == nil {
			wait = min(max(2*wait, sinkBackoff), maxSinkBackoff)
			d.log.Warn("sink", "sink", s.Name, "error", err, "retry_in", wait)
		} else {
			wait = 0
		}
		if clock.Sleep(ctx, d.clk, max(wait, d.opts.Poll)) != nil {
			return
		}
	}
}

// sinkOnce sends the sink, in batches, the events after its cursor that
// it subscribes to, and moves the cursor past each batch once the sink
// took it.
func (d *Dispatcher) sinkOnce(ctx context.Context, s Sink) error {
	for ctx.Err() == nil {
		var (
			last  int64
			more  bool
			batch []sdk.Event
		)
		err := d.db.View(ctx, func(tx Tx) error {
			cursor, err := tx.EventCursor(sinkCursor(s))
			if err != nil {
				return err
			}
			events, err := tx.Events(s.Workspace, cursor, sinkBatch)
			if err != nil || len(events) == 0 {
				return err
			}
			more, last = len(events) == sinkBatch, events[len(events)-1].Seq
			batch = batch[:0]
			for _, ev := range events {
				if subscribed(s.Events, ev.Type) {
					batch = append(batch, sdk.Event{ID: ev.ID, Type: ev.Type, Timestamp: ev.At, Workspace: ev.Workspace, Data: ev.Data})
				}
			}
			return nil
		})
		if err != nil || last == 0 {
			return err
		}
		if len(batch) > 0 {
			ectx, cancel := graceful(ctx)
			err := s.Sink.Emit(ectx, batch)
			cancel()
			if err != nil {
				return err
			}
		}
		err = d.db.Update(context.WithoutCancel(ctx), func(tx Tx) error {
			return tx.SetEventCursor(sinkCursor(s), last)
		})
		if err != nil || !more {
			return err
		}
	}
	return nil
}
