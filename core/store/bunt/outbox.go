package bunt

import (
	"strconv"
	"time"

	"github.com/outreachhq/outreach/core/store"
)

// The outbox: events under (workspace, "ev", seq), seq from one counter of
// the whole install, so Seq orders every workspace's events together;
// consumers' cursors under (cursor, consumer). Deliveries are stored
// under (workspace, "dlv", id) and listed newest first through (workspace,
// "dlw", webhook, created, id), both descending; those due for an attempt
// also through (workspace, "dld", webhook, next attempt, event seq, id).

const seqCounterKey = "seq"

func eventKey(ws string, seq int64) string { return wsKey(ws, "ev", seqKey(seq)) }

func cursorKey(consumer string) string { return key("cursor", consumer) }

func deliveryKey(ws, id string) string { return wsKey(ws, "dlv", id) }

func deliveryIndex(d store.Delivery) map[string]string {
	ix := map[string]string{wsKey(d.Workspace, "dlw", d.WebhookID, newestFirst(d.CreatedAt), descending(d.ID)): d.ID}
	if d.Due() {
		ix[wsKey(d.Workspace, "dld", d.WebhookID, timeKey(d.NextAttemptAt), seqKey(d.EventSeq), d.ID)] = d.ID
	}
	return ix
}

// AppendEvent stores an event and returns it with its Seq.
func (t *Tx) AppendEvent(e store.Event) (store.Event, error) {
	if err := need("event", e.Workspace); err != nil {
		return e, err
	}
	seq, err := t.count(key(seqCounterKey))
	if err != nil {
		return e, err
	}
	e.Seq = int64(seq) + 1
	if err := t.set(key(seqCounterKey), strconv.FormatInt(e.Seq, 10)); err != nil {
		return e, err
	}
	return e, t.put(eventKey(e.Workspace, e.Seq), e)
}

// AddEvent stores an event, as AppendEvent does.
func (t *Tx) AddEvent(e store.Event) error {
	_, err := t.AppendEvent(e)
	return err
}

// Events returns up to limit of a workspace's events with a Seq after
// afterSeq, in Seq order (limit <= 0: all).
func (t *Tx) Events(ws string, afterSeq int64, limit int) ([]store.Event, error) {
	p := wsPrefix(ws, "ev")
	out := []store.Event{}
	err := t.scan(after(eventKey(ws, afterSeq)), prefixEnd(p), func(k, v string) (bool, error) {
		var e store.Event
		if err := decode(k, v, &e); err != nil {
			return false, err
		}
		out = append(out, e)
		return limit <= 0 || len(out) < limit, nil
	})
	return out, err
}

// EventCursor is where a consumer's reading of the outbox stands.
func (t *Tx) EventCursor(consumer string) (int64, error) {
	n, err := t.count(cursorKey(consumer))
	return int64(n), err
}

// SetEventCursor moves a consumer's cursor.
func (t *Tx) SetEventCursor(consumer string, seq int64) error {
	return t.set(cursorKey(consumer), strconv.FormatInt(seq, 10))
}

// PutDelivery stores the record of an event's delivery to a webhook.
func (t *Tx) PutDelivery(d store.Delivery) error {
	if err := need("delivery", d.Workspace, d.ID); err != nil {
		return err
	}
	var old store.Delivery
	found, err := t.find(deliveryKey(d.Workspace, d.ID), &old)
	if err != nil {
		return err
	}
	var oldIx map[string]string
	if found {
		oldIx = deliveryIndex(old)
	}
	if err := t.moveIndex(oldIx, deliveryIndex(d)); err != nil {
		return err
	}
	return t.put(deliveryKey(d.Workspace, d.ID), d)
}

// Deliveries lists up to limit deliveries to a webhook, newest (CreatedAt,
// then ID) first (limit <= 0: all).
func (t *Tx) Deliveries(ws, webhookID string, limit int) ([]store.Delivery, error) {
	p := wsPrefix(ws, "dlw", webhookID)
	return t.deliveriesIn(ws, p, prefixEnd(p), limit)
}

// deliveriesIn reads up to limit of a workspace's deliveries an index
// lists between from and to, in its order.
func (t *Tx) deliveriesIn(ws, from, to string, limit int) ([]store.Delivery, error) {
	out := []store.Delivery{}
	err := t.scan(from, to, func(_, id string) (bool, error) {
		var d store.Delivery
		if err := t.get(deliveryKey(ws, id), &d); err != nil {
			return false, err
		}
		out = append(out, d)
		return limit <= 0 || len(out) < limit, nil
	})
	return out, err
}

// Delivery returns a delivery record.
func (t *Tx) Delivery(ws, id string) (store.Delivery, error) {
	var d store.Delivery
	return d, t.get(deliveryKey(ws, id), &d)
}

// DueDeliveries lists up to limit deliveries to a webhook that wait for an
// attempt due at or before before, earliest due first, then in event order
// (limit <= 0: all).
func (t *Tx) DueDeliveries(ws, webhookID string, before time.Time, limit int) ([]store.Delivery, error) {
	// Every key due at before itself sorts before the end.
	return t.deliveriesIn(ws, wsPrefix(ws, "dld", webhookID), prefixEnd(wsPrefix(ws, "dld", webhookID, timeKey(before))), limit)
}
