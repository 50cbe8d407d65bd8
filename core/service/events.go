package service

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/outreachhq/outreach/core/store"
)

// EventTx appends to the outbox.
type EventTx interface {
	AddEvent(e store.Event) error
}

// AppendEvent appends an event of type typ, with its data, to the outbox
// in the caller's transaction: the event exists exactly when the change
// that caused it commits. The engine appends its events through it too.
func AppendEvent(tx EventTx, ws, typ string, at time.Time, data any) error {
	raw, err := json.Marshal(data)
	if err != nil {
		return fmt.Errorf("encode %s event: %w", typ, err)
	}
	return tx.AddEvent(store.Event{ID: uuid.NewString(), Workspace: ws, Type: typ, At: at.UTC(), Data: raw})
}

// Timestamp formats a time as events and the API print it: RFC 3339 in
// UTC with milliseconds, as the hosted API does.
func Timestamp(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z07:00") }

// ReceiverOf is the receiver block of an event about a lead.
func ReceiverOf(l store.Lead) store.Receiver {
	return store.Receiver{ScreenName: l.Username, Name: l.Name, ProfileImageURL: l.ProfileImageURL}
}
