package sdk

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/google/uuid"
)

// Sink sends the workspace's events somewhere: a file, a CRM, a queue.
// Implementations are called concurrently.
type Sink interface {
	// Emit delivers a batch of events, oldest first. An error means none of
	// the batch can be assumed delivered: the host may send the same events
	// again, with the same ids, so a sink that must not duplicate
	// deduplicates by Event.ID.
	Emit(ctx context.Context, events []Event) error
}

// Event is something that happened in a workspace.
type Event struct {
	// ID is a UUID, the same on every delivery of the event.
	ID string
	// Type is one of EventTypes (or a newer type: sinks pass on types
	// they do not know); Data is the JSON of its payload (events.go).
	Type      string
	Timestamp time.Time
	Workspace string
	// Data is the event's payload, a JSON object.
	Data json.RawMessage
}

// NewEvent returns an event with a new id, data marshalled to JSON.
func NewEvent(typ, workspace string, at time.Time, data any) (Event, error) {
	raw, err := json.Marshal(data)
	if err != nil {
		return Event{}, fmt.Errorf("event %s: encode data: %w", typ, err)
	}
	return Event{ID: uuid.NewString(), Type: typ, Timestamp: at, Workspace: workspace, Data: raw}, nil
}
