package storetest

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/outreachhq/outreach/core/store"
)

func testOutbox(t *testing.T, open Opener) {
	t.Run("events", func(t *testing.T) {
		db := store.Narrow(open(t), func(tx Tx) Outbox { return tx })
		event := func(ws, id string) store.Event {
			return store.Event{ID: id, Workspace: ws, Type: store.EventNewReply, At: t0, Data: json.RawMessage(`{"conversation_id":"1-2"}`)}
		}
		appendAll := func(tx Outbox, es ...store.Event) ([]store.Event, error) {
			var out []store.Event
			for _, e := range es {
				got, err := tx.AppendEvent(e)
				if err != nil {
					return nil, err
				}
				out = append(out, got)
			}
			return out, nil
		}
		first := write(t, db, func(tx Outbox) ([]store.Event, error) { return appendAll(tx, event("w", "e1"), event("v", "e2")) })
		second := write(t, db, func(tx Outbox) ([]store.Event, error) { return appendAll(tx, event("w", "e3"), event("w", "e4")) })
		all := append(first, second...)
		for i, e := range all {
			if i > 0 && e.Seq <= all[i-1].Seq {
				t.Errorf("AppendEvent gave %s Seq %d after %s's %d; want it larger", e.ID, e.Seq, all[i-1].ID, all[i-1].Seq)
			}
			want := event(e.Workspace, e.ID)
			want.Seq = e.Seq
			same(t, "AppendEvent returns the event", e, want)
		}
		events := func(ws string, after int64, limit int) []store.Event {
			return read(t, db, func(tx Outbox) ([]store.Event, error) { return tx.Events(ws, after, limit) })
		}
		w1, v2, w3, w4 := all[0], all[1], all[2], all[3]
		same(t, "Events(w)", events("w", 0, 10), []store.Event{w1, w3, w4})
		same(t, "Events(w) after the first", events("w", w1.Seq, 10), []store.Event{w3, w4})
		same(t, "Events(w) after another workspace's", events("w", v2.Seq, 10), []store.Event{w3, w4})
		same(t, "Events(w) with a limit", events("w", 0, 2), []store.Event{w1, w3})
		same(t, "Events(w) after the last", events("w", w4.Seq, 10), nil)
		same(t, "Events(v)", events("v", 0, 10), []store.Event{v2})

		// AddEvent does what AppendEvent does, without telling the Seq.
		update(t, db, func(tx Outbox) error {
			if err := tx.AddEvent(event("w", "e5")); err != nil {
				return err
			}
			return tx.AddEvent(event("w", "e6"))
		})
		added := events("w", w4.Seq, 10)
		if len(added) != 2 || added[0].ID != "e5" || added[1].ID != "e6" || added[0].Seq <= w4.Seq || added[1].Seq <= added[0].Seq {
			t.Errorf("Events after AddEvent e5, e6: %+v; want them in order, after %d", added, w4.Seq)
		}
		for _, e := range added {
			want := event("w", e.ID)
			want.Seq = e.Seq
			same(t, "AddEvent's event", e, want)
		}
	})

	t.Run("cursors", func(t *testing.T) {
		db := store.Narrow(open(t), func(tx Tx) Outbox { return tx })
		cursor := func(name string) int64 {
			return read(t, db, func(tx Outbox) (int64, error) { return tx.EventCursor(name) })
		}
		if got := cursor("webhooks"); got != 0 {
			t.Errorf("EventCursor before any read = %d, want 0", got)
		}
		update(t, db, func(tx Outbox) error { return tx.SetEventCursor("webhooks", 5) })
		update(t, db, func(tx Outbox) error { return tx.SetEventCursor("webhooks", 7) })
		if got := cursor("webhooks"); got != 7 {
			t.Errorf("EventCursor = %d, want 7", got)
		}
		if got := cursor("sink.jsonl"); got != 0 {
			t.Errorf("EventCursor of another consumer = %d, want 0", got)
		}
	})

	t.Run("deliveries", func(t *testing.T) {
		db := store.Narrow(open(t), func(tx Tx) Outbox { return tx })
		delivery := func(ws, webhook, id string, created int) store.Delivery {
			return store.Delivery{ID: id, Workspace: ws, WebhookID: webhook, EventID: "e-" + id, EventSeq: 3, EventType: store.EventNewReply,
				Status: "pending", CreatedAt: at(created), UpdatedAt: at(created)}
		}
		put := func(ds ...store.Delivery) { t.Helper(); putDeliveries(t, db, ds...) }
		list := func(ws, webhook string, limit int) []store.Delivery {
			return read(t, db, func(tx Outbox) ([]store.Delivery, error) { return tx.Deliveries(ws, webhook, limit) })
		}
		d1, d2, d3 := delivery("w", "h1", "d1", 0), delivery("w", "h1", "d2", 10), delivery("w", "h1", "d3", 10)
		put(d1, d2, d3, delivery("w", "h2", "d4", 5), delivery("v", "h1", "d5", 5))
		same(t, "Deliveries (newest first)", list("w", "h1", 10), []store.Delivery{d3, d2, d1})
		same(t, "Deliveries with a limit", list("w", "h1", 2), []store.Delivery{d3, d2})

		// An attempt updates the delivery in place.
		d1.Status, d1.Attempts, d1.LastStatusCode, d1.LastError, d1.NextAttemptAt, d1.UpdatedAt = "retrying", 1, 503, "unavailable", at(15), at(12)
		put(d1)
		same(t, "Deliveries after an attempt", list("w", "h1", 10), []store.Delivery{d3, d2, d1})
		same(t, "Deliveries of another webhook", list("w", "h2", 10), []store.Delivery{delivery("w", "h2", "d4", 5)})
		same(t, "Deliveries of another workspace", list("v", "h2", 10), nil)
		same(t, "Delivery", read(t, db, func(tx Outbox) (store.Delivery, error) { return tx.Delivery("w", "d1") }), d1)
		if err := readErr(t, db, func(tx Outbox) error { _, err := tx.Delivery("v", "d1"); return err }); !store.IsNotFound(err) {
			t.Errorf("Delivery of another workspace's id: %v, want not found", err)
		}
	})

	t.Run("due deliveries", func(t *testing.T) {
		db := store.Narrow(open(t), func(tx Tx) Outbox { return tx })
		seq := map[string]int64{"a": 5, "b": 1, "c": 3, "d": 4, "e": 2, "f": 6, "g": 7}
		delivery := func(webhook, id, status string, due int) store.Delivery {
			return store.Delivery{ID: id, Workspace: "w", WebhookID: webhook, EventID: "e-" + id, EventSeq: seq[id], EventType: store.EventDMSent,
				Status: status, NextAttemptAt: at(due), CreatedAt: at(0), UpdatedAt: at(0)}
		}
		put := func(ds ...store.Delivery) { t.Helper(); putDeliveries(t, db, ds...) }
		due := func(webhook string, before, limit int) []store.Delivery {
			return read(t, db, func(tx Outbox) ([]store.Delivery, error) { return tx.DueDeliveries("w", webhook, at(before), limit) })
		}
		a, b, c := delivery("h1", "a", store.DeliveryRetrying, 10), delivery("h1", "b", store.DeliveryPending, 5), delivery("h1", "c", store.DeliveryPending, 10)
		put(a, b, c, delivery("h1", "d", store.DeliveryPending, 20), delivery("h2", "e", store.DeliveryPending, 1),
			delivery("h1", "f", store.DeliveryDelivered, 1), delivery("h1", "g", store.DeliveryFailed, 1))
		same(t, "DueDeliveries (earliest due first, then in event order; due at the bound included)", due("h1", 10, 0), []store.Delivery{b, c, a})
		same(t, "DueDeliveries with a limit", due("h1", 10, 2), []store.Delivery{b, c})
		same(t, "DueDeliveries before any is due", due("h1", 4, 0), nil)

		// A delivery that succeeds leaves the list; one that fails again
		// moves in it.
		b.Status, b.NextAttemptAt = store.DeliveryDelivered, time.Time{}
		a.NextAttemptAt = at(30)
		put(a, b)
		same(t, "DueDeliveries after attempts", due("h1", 25, 0), []store.Delivery{c, delivery("h1", "d", store.DeliveryPending, 20)})
	})
}

// putDeliveries stores deliveries in one transaction.
func putDeliveries(t *testing.T, db store.Transactor[Outbox], ds ...store.Delivery) {
	t.Helper()
	update(t, db, func(tx Outbox) error {
		for _, d := range ds {
			if err := tx.PutDelivery(d); err != nil {
				return err
			}
		}
		return nil
	})
}
