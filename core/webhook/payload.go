package webhook

import (
	"encoding/json"
	"fmt"

	"github.com/outreachhq/outreach/core/store"
)

// TimestampFormat is how a payload's timestamp is written: the
// reference's, UTC with milliseconds ("2024-02-28T12:00:00.000Z").
const TimestampFormat = "2006-01-02T15:04:05.000Z"

// Payload is the body of an event's delivery, the reference's shape:
// {"event": <type>, "timestamp": <when it happened>, "data": <its data>}.
// Every attempt of an event sends the same bytes.
func Payload(ev store.Event) ([]byte, error) {
	data := ev.Data
	if len(data) == 0 {
		data = json.RawMessage("{}")
	}
	b, err := json.Marshal(struct {
		Event     string          `json:"event"`
		Timestamp string          `json:"timestamp"`
		Data      json.RawMessage `json:"data"`
	}{ev.Type, ev.At.UTC().Format(TimestampFormat), data})
	if err != nil {
		return nil, fmt.Errorf("the payload of event %s: %w", ev.ID, err)
	}
	return b, nil
}
