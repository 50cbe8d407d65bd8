package postgres

import (
	"fmt"

	"github.com/outreachhq/outreach/core/store"
)

// What copying a whole store reads (and PutLead and PutEvent, which it
// writes): lists of records that no other method lists, each in its
// table's key order.

// PutLead stores (or replaces) the workspace's record of a user, kept by
// no source.
func (t *Tx) PutLead(l store.Lead) error {
	if err := need("lead", l.Workspace, l.UserID); err != nil {
		return err
	}
	what := named("lead", l.Workspace, l.UserID)
	body, err := encode(what, l)
	if err != nil {
		return err
	}
	if err := t.put(fmt.Sprintf("put %s", what), `INSERT INTO leads (ws, user_id, body) VALUES ($1, $2, $3) ON CONFLICT (ws, user_id) DO UPDATE SET body = excluded.body`,
		l.Workspace, l.UserID, body); err != nil {
		return err
	}
	return nil
}

// LeadsAfter returns up to limit of a workspace's leads whose user id sorts
// after after, in user id order (limit <= 0: all).
func (t *Tx) LeadsAfter(ws, after string, limit int) ([]store.Lead, error) {
	return list[store.Lead](t, "leads", `
		SELECT body FROM leads WHERE ws = $1 AND user_id > $2 ORDER BY user_id LIMIT $3`, ws, after, limitArg(limit))
}

// Contacts lists a workspace's contacted marks, by user id.
func (t *Tx) Contacts(ws string) ([]store.Contact, error) {
	out := []store.Contact{}
	err := t.each(`SELECT user_id, campaign_id FROM contacted WHERE ws = $1 ORDER BY user_id`, []any{ws},
		func(rows row) error {
			var c store.Contact
			err := rows.Scan(&c.UserID, &c.CampaignID)
			out = append(out, c)
			return err
		})
	return out, wrap("list contacted leads", err)
}

// DoNotContacts lists a workspace's do-not-contact list, by user id.
func (t *Tx) DoNotContacts(ws string) ([]store.DoNotContact, error) {
	out := []store.DoNotContact{}
	err := t.each(`SELECT user_id, reason FROM do_not_contact WHERE ws = $1 ORDER BY user_id`, []any{ws},
		func(rows row) error {
			var d store.DoNotContact
			err := rows.Scan(&d.UserID, &d.Reason)
			out = append(out, d)
			return err
		})
	return out, wrap("list the do-not-contact list", err)
}

// SentDays lists an account's non-zero SentOn counts, by day.
func (t *Tx) SentDays(ws, accountID string) ([]store.DayCount, error) {
	out := []store.DayCount{}
	err := t.each(`SELECT day, n FROM sent_counts WHERE ws = $1 AND account_id = $2 AND n <> 0 ORDER BY day`,
		[]any{ws, accountID},
		func(rows row) error {
			var d store.DayCount
			err := rows.Scan(&d.Day, &d.N)
			out = append(out, d)
			return err
		})
	return out, wrap(fmt.Sprintf("list the sent counts of %s", named("account", ws, accountID)), err)
}

// Intents lists a workspace's intents, by job id.
func (t *Tx) Intents(ws string) ([]store.Intent, error) {
	return list[store.Intent](t, "intents", `SELECT body FROM intents WHERE ws = $1 ORDER BY job_id`, ws)
}

// EventCursors returns every consumer's cursor.
func (t *Tx) EventCursors() (map[string]int64, error) {
	out := map[string]int64{}
	err := t.each(`SELECT consumer, seq FROM event_cursors`, nil, func(rows row) error {
		var consumer string
		var seq int64
		err := rows.Scan(&consumer, &seq)
		out[consumer] = seq
		return err
	})
	return out, wrap("list event cursors", err)
}

// PutEvent stores an event with the Seq it carries, and moves the outbox's
// sequence past it. It takes the outbox's lock, as AppendEvent does, so
// that no appender takes a Seq meanwhile.
func (t *Tx) PutEvent(e store.Event) error {
	if err := need("event", e.Workspace); err != nil {
		return err
	}
	if _, err := t.exec(`SELECT pg_advisory_xact_lock($1)`, int64(eventLock)); err != nil {
		return fmt.Errorf("put event: take the outbox's lock: %w", err)
	}
	// The sequence moves only forward. setval's third argument says its
	// value was taken, so that nextval gives the one after.
	if err := t.put("put event: move the outbox's sequence", `
		SELECT setval('event_seq', greatest($1::bigint, last_value, 1), $1::bigint >= last_value OR is_called)
		FROM event_seq`, e.Seq); err != nil {
		return err
	}
	return t.insertEvent(e)
}
