package postgres

import (
	"fmt"
	"time"

	"github.com/outreachhq/outreach/core/store"
)

// The outbox: events in one table for the whole install, keyed by Seq and
// listed per workspace by (ws, seq); consumers' cursors in event_cursors.
//
// A consumer reads Events(ws, after) and moves its cursor past what it
// read, so an event must never commit with a Seq smaller than one already
// visible: it would be skipped. A sequence alone does not ensure it (two
// appenders take 5 and 6; 6 commits first and is read; then 5 commits).
// So an appender takes eventLock, a transaction-scoped advisory lock,
// before it takes its Seq: appenders run one at a time from there to their
// commit (PostgreSQL makes a commit visible before it releases the
// transaction's locks), and Seqs commit in order. Transactions that append
// no event never wait for it.
//
// An event's Data is kept in a column of its own, byte for byte: a JSON
// body would rewrite it.

// eventLock is the advisory lock key of the outbox's order ("outbox" in
// ASCII); nothing else of the database takes it.
const eventLock = 0x6f7574626f78

// eventBody is what the body column holds of an event: all but Data.
func eventBody(e store.Event) ([]byte, error) {
	e.Data = nil
	return encode(fmt.Sprintf("event %s/%s", e.Workspace, e.ID), e)
}

// AppendEvent stores an event and returns it with its Seq: larger than
// every Seq given (or put) before.
func (t *Tx) AppendEvent(e store.Event) (store.Event, error) {
	if err := need("event", e.Workspace); err != nil {
		return e, err
	}
	if _, err := t.exec(`SELECT pg_advisory_xact_lock($1)`, int64(eventLock)); err != nil {
		return e, fmt.Errorf("append event: take the outbox's lock: %w", err)
	}
	if _, err := t.one(`SELECT nextval('event_seq')`, nil, &e.Seq); err != nil {
		return e, fmt.Errorf("append event: %w", err)
	}
	return e, t.insertEvent(e)
}

// AddEvent stores an event, as AppendEvent does, without waiting for its
// Seq: its statements go with the transaction's next ones, so that an
// event costs no round trip of its own.
func (t *Tx) AddEvent(e store.Event) error {
	if err := need("event", e.Workspace); err != nil {
		return err
	}
	body, err := eventBody(e)
	if err != nil {
		return err
	}
	if err := t.put("append event: take the outbox's lock", `SELECT pg_advisory_xact_lock($1)`, int64(eventLock)); err != nil {
		return err
	}
	return t.put(fmt.Sprintf("store event %s", e.ID), `
		INSERT INTO events (seq, ws, body, data) VALUES (nextval('event_seq'), $1, $2, $3)`,
		e.Workspace, body, []byte(e.Data))
}

func (t *Tx) insertEvent(e store.Event) error {
	body, err := eventBody(e)
	if err != nil {
		return err
	}
	if err := t.put(fmt.Sprintf("store event %d", e.Seq), `
		INSERT INTO events (seq, ws, body, data) VALUES ($1, $2, $3, $4)
		ON CONFLICT (seq) DO UPDATE SET ws = excluded.ws, body = excluded.body, data = excluded.data`,
		e.Seq, e.Workspace, body, []byte(e.Data)); err != nil {
		return err
	}
	return nil
}

// Events returns up to limit of a workspace's events with a Seq after
// afterSeq, in Seq order (limit <= 0: all).
func (t *Tx) Events(ws string, afterSeq int64, limit int) ([]store.Event, error) {
	out := []store.Event{}
	err := t.each(`
		SELECT seq, body, data FROM events WHERE ws = $1 AND seq > $2 ORDER BY seq LIMIT $3`,
		[]any{ws, afterSeq, limitArg(limit)},
		func(rows row) error {
			var (
				seq        int64
				body, data []byte
			)
			if err := rows.Scan(&seq, &body, &data); err != nil {
				return err
			}
			var e store.Event
			if err := decode("event", body, &e); err != nil {
				return err
			}
			e.Seq, e.Data = seq, data
			out = append(out, e)
			return nil
		})
	if err != nil {
		return nil, fmt.Errorf("list events: %w", err)
	}
	return out, nil
}

// EventCursor is where a consumer's reading of the outbox stands.
func (t *Tx) EventCursor(consumer string) (int64, error) {
	var seq int64
	if _, err := t.one(`SELECT seq FROM event_cursors WHERE consumer = $1`, []any{consumer}, &seq); err != nil {
		return 0, fmt.Errorf("read the cursor of %s: %w", consumer, err)
	}
	return seq, nil
}

// SetEventCursor moves a consumer's cursor.
func (t *Tx) SetEventCursor(consumer string, seq int64) error {
	if err := t.put(fmt.Sprintf("set the cursor of %s", consumer), `
		INSERT INTO event_cursors (consumer, seq) VALUES ($1, $2)
		ON CONFLICT (consumer) DO UPDATE SET seq = excluded.seq`, consumer, seq); err != nil {
		return err
	}
	return nil
}

// PutDelivery stores the record of an event's delivery to a webhook.
func (t *Tx) PutDelivery(d store.Delivery) error {
	if err := need("delivery", d.Workspace, d.ID); err != nil {
		return err
	}
	what := named("delivery", d.Workspace, d.ID)
	body, err := encode(what, d)
	if err != nil {
		return err
	}
	var due *time.Time
	if d.Due() {
		due = &d.NextAttemptAt
	}
	if err := t.put(fmt.Sprintf("put %s", what), `
		INSERT INTO deliveries (ws, id, webhook_id, created_at, due_at, event_seq, body) VALUES ($1, $2, $3, $4, $5, $6, $7)
		ON CONFLICT (ws, id) DO UPDATE SET webhook_id = excluded.webhook_id, created_at = excluded.created_at,
			due_at = excluded.due_at, event_seq = excluded.event_seq, body = excluded.body`,
		d.Workspace, d.ID, d.WebhookID, d.CreatedAt, due, d.EventSeq, body); err != nil {
		return err
	}
	return nil
}

// Deliveries lists up to limit deliveries to a webhook, newest (CreatedAt,
// then ID) first (limit <= 0: all).
func (t *Tx) Deliveries(ws, webhookID string, limit int) ([]store.Delivery, error) {
	return list[store.Delivery](t, "deliveries", `
		SELECT body FROM deliveries WHERE ws = $1 AND webhook_id = $2
		ORDER BY created_at DESC, id DESC LIMIT $3`, ws, webhookID, limitArg(limit))
}

// Delivery returns a delivery record.
func (t *Tx) Delivery(ws, id string) (store.Delivery, error) {
	return get[store.Delivery](t, named("delivery", ws, id), `SELECT body FROM deliveries WHERE ws = $1 AND id = $2`, ws, id)
}

// DueDeliveries lists up to limit deliveries to a webhook that wait for an
// attempt due at or before before, earliest due first, then in event order
// (limit <= 0: all).
func (t *Tx) DueDeliveries(ws, webhookID string, before time.Time, limit int) ([]store.Delivery, error) {
	return list[store.Delivery](t, "due deliveries", `
		SELECT body FROM deliveries WHERE ws = $1 AND webhook_id = $2 AND due_at <= $3
		ORDER BY due_at, event_seq, id LIMIT $4`, ws, webhookID, before, limitArg(limit))
}
