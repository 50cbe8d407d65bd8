package webhook_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"maps"
	"net/http"
	"net/http/httptest"
	"os"
	"sync"
	"time"

	"github.com/outreachhq/outreach/sdk"
	"github.com/outreachhq/outreach/sdk/webhook"
)

// The README's Webhooks section quotes serveReceiver and newReceiver, from
// here to the end of newReceiver (readme_test.go checks the quote).
// serveReceiver is not called: examples do not listen.

// serveReceiver is a receiver's main: it serves newReceiver on port 8080.
func serveReceiver() error {
	v, err := webhook.NewVerifier(os.Getenv("OUTREACH_WEBHOOK_SECRET")) // whsec_...
	if err != nil {
		return err
	}
	http.Handle("POST /hooks/outreach", newReceiver(v))
	return http.ListenAndServe(":8080", nil)
}

// newReceiver handles outreach's deliveries: it checks the signature,
// skips an event it has handled already (deliveries are at least once),
// acts on the event, and answers 2xx, quickly: outreach waits 30 seconds,
// then retries.
func newReceiver(v *webhook.Verifier) http.Handler {
	var mu sync.Mutex
	handled := map[string]bool{} // by webhook-id; use your database
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
		if err != nil {
			http.Error(w, "cannot read the body", http.StatusBadRequest)
			return
		}
		// Verify the body as received, before decoding it.
		if err := v.Verify(r.Header, body); err != nil {
			http.Error(w, "bad signature", http.StatusUnauthorized)
			return
		}
		id := r.Header.Get(webhook.HeaderID)
		mu.Lock()
		defer mu.Unlock()
		if handled[id] {
			w.WriteHeader(http.StatusNoContent)
			return
		}
		var ev struct {
			Event     string          `json:"event"`
			Timestamp string          `json:"timestamp"`
			Data      json.RawMessage `json:"data"`
		}
		if err := json.Unmarshal(body, &ev); err != nil {
			http.Error(w, "not an event", http.StatusBadRequest)
			return
		}
		switch ev.Event {
		case sdk.EventNewReply:
			var d sdk.NewReplyData
			if err := json.Unmarshal(ev.Data, &d); err != nil {
				http.Error(w, "bad new_reply", http.StatusBadRequest)
				return
			}
			fmt.Printf("@%s replied to @%s: %s\n", d.Receiver.ScreenName, d.AccountHandle, d.Message.Text)
		case sdk.EventAccountPaused:
			var d sdk.AccountPausedData
			if err := json.Unmarshal(ev.Data, &d); err != nil {
				http.Error(w, "bad account_paused", http.StatusBadRequest)
				return
			}
			fmt.Printf("@%s paused: %s\n", d.AccountHandle, d.Reason)
		default:
			// Newer versions of outreach add event types: accept them.
		}
		handled[id] = true
		w.WriteHeader(http.StatusNoContent)
	})
}

// A receiver verifies each delivery with the endpoint's secret; here it gets
// one delivery twice, as a retry would send it, and then a forged one.
func ExampleVerifier() {
	const secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
	v, err := webhook.NewVerifier(secret)
	if err != nil {
		log.Fatal(err)
	}
	receiver := newReceiver(v)

	key, err := webhook.ParseSecret(secret)
	if err != nil {
		log.Fatal(err)
	}
	body := []byte(`{"event":"new_reply","timestamp":"2024-02-28T12:00:00.000Z","data":{"conversation_id":"123456789-987654321",` +
		`"account_handle":"yourhandle","receiver":{"screen_name":"prospect","name":"John Doe","profile_image_url":"https://pbs.twimg.com/..."},` +
		`"message":{"id":"1234567890123456789","text":"Hey! I'm interested, let's chat.","created_at":"2024-02-28T12:00:00.000Z"}}}`)
	deliver := func(body []byte, signed http.Header) {
		req := httptest.NewRequest(http.MethodPost, "/hooks/outreach", bytes.NewReader(body))
		maps.Copy(req.Header, signed)
		rec := httptest.NewRecorder()
		receiver.ServeHTTP(rec, req)
		fmt.Println(rec.Code)
	}
	signed := webhook.Headers("0c6b0a3e-5f2d-4f7a-9a51-3c8e2f1d7b64", time.Now(), body, key)
	deliver(body, signed)
	deliver(body, signed)
	deliver(bytes.Replace(body, []byte("interested"), []byte("not interested"), 1), signed)
	// Output:
	// @prospect replied to @yourhandle: Hey! I'm interested, let's chat.
	// 204
	// 204
	// 401
}
