package webhook_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/outreachhq/outreach/core/store"
	"github.com/outreachhq/outreach/core/webhook"
)

// TestPayloadIsTheReferences: a new_reply event delivers the reference's
// example, field for field (../shared/api-reference.txt, "new_reply Event").
func TestPayloadIsTheReferences(t *testing.T) {
	data, err := json.Marshal(store.NewReplyData{
		ConversationID: "123456789-987654321",
		AccountHandle:  "yourhandle",
		Receiver:       store.Receiver{ScreenName: "prospect", Name: "John Doe", ProfileImageURL: "https://pbs.twimg.com/..."},
		Message:        store.EventMessage{ID: "1234567890123456789", Text: "Hey! I'm interested, let's chat.", CreatedAt: "2024-02-28T12:00:00.000Z"},
	})
	if err != nil {
		t.Fatal(err)
	}
	ev := store.Event{ID: "evt_1", Workspace: "w", Type: store.EventNewReply, At: time.Date(2024, 2, 28, 12, 0, 0, 0, time.UTC), Data: data}
	got, err := webhook.Payload(ev)
	if err != nil {
		t.Fatal(err)
	}
	const reference = `{
		"event": "new_reply",
		"timestamp": "2024-02-28T12:00:00.000Z",
		"data": {
			"conversation_id": "123456789-987654321",
			"account_handle": "yourhandle",
			"receiver": {"screen_name": "prospect", "name": "John Doe", "profile_image_url": "https://pbs.twimg.com/..."},
			"message": {"id": "1234567890123456789", "text": "Hey! I'm interested, let's chat.", "created_at": "2024-02-28T12:00:00.000Z"}
		}
	}`
	var want, have any
	if err := json.Unmarshal([]byte(reference), &want); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(got, &have); err != nil {
		t.Fatalf("the payload is not JSON: %v\n%s", err, got)
	}
	if d := cmp.Diff(want, have); d != "" {
		t.Errorf("payload (-reference +got):\n%s", d)
	}
	// A timestamp in another zone is written in UTC, with milliseconds.
	ev.At = time.Date(2024, 2, 28, 13, 0, 0, 123456789, time.FixedZone("CET", 3600))
	got, _ = webhook.Payload(ev)
	var p struct{ Timestamp string }
	_ = json.Unmarshal(got, &p)
	if p.Timestamp != "2024-02-28T12:00:00.123Z" {
		t.Errorf("timestamp %q, want 2024-02-28T12:00:00.123Z", p.Timestamp)
	}
}
