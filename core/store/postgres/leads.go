package postgres

import (
	"fmt"

	"github.com/outreachhq/outreach/core/store"
)

// Lead returns a lead by X user id.
func (t *Tx) Lead(ws, userID string) (store.Lead, error) {
	return get[store.Lead](t, named("lead", ws, userID), sqlLead, ws, userID)
}

// AddSourceLead stores a lead as kept by a source, at the end of the
// source's order; it reports false, and writes nothing, if the source
// already has it.
//
// It is one statement, as a scrape adds leads by the thousand: the source
// keeps the lead at its next position unless it has it, and only then is
// the lead's record written. Two transactions adding to one source at once
// read the same last position; PostgreSQL fails one of them as a
// serialization failure, and its Update runs again, after the other, as
// the source's list of leads is a spot of contention (see serially).
func (t *Tx) AddSourceLead(ws, sourceID string, l store.Lead) (bool, error) {
	if err := need("lead", ws, sourceID, l.UserID); err != nil {
		return false, err
	}
	what := named("lead", ws, l.UserID)
	body, err := encode(what, l)
	if err != nil {
		return false, err
	}
	if err := t.serial("leads of " + named("source", ws, sourceID)); err != nil {
		return false, err
	}
	tag, err := t.exec(`
		WITH kept AS (
			INSERT INTO source_leads (ws, source_id, pos, user_id)
			SELECT $1, $2, coalesce(max(pos) + 1, 0), $3 FROM source_leads WHERE ws = $1 AND source_id = $2
			ON CONFLICT (ws, source_id, user_id) DO NOTHING
			RETURNING user_id
		)
		INSERT INTO leads (ws, user_id, body) SELECT $1, user_id, $4 FROM kept
		ON CONFLICT (ws, user_id) DO UPDATE SET body = excluded.body`,
		ws, sourceID, l.UserID, body)
	if err != nil {
		return false, fmt.Errorf("add %s to source %s: %w", what, sourceID, err)
	}
	return tag.RowsAffected() == 1, nil
}

// SourceLeadCount is how many leads a source has kept: its last position
// plus one, read from the end of its index.
func (t *Tx) SourceLeadCount(ws, sourceID string) (int, error) {
	var n int
	if _, err := t.one(`SELECT coalesce(max(pos) + 1, 0) FROM source_leads WHERE ws = $1 AND source_id = $2`,
		[]any{ws, sourceID}, &n); err != nil {
		return 0, fmt.Errorf("count the leads of %s: %w", named("source", ws, sourceID), err)
	}
	return n, nil
}

// SourceLeads returns the user ids a source kept, in the order it kept
// them, from position from, at most limit of them (limit <= 0: all).
func (t *Tx) SourceLeads(ws, sourceID string, from, limit int) ([]string, error) {
	ids := []string{}
	err := t.each(`
		SELECT user_id FROM source_leads WHERE ws = $1 AND source_id = $2 AND pos >= $3
		ORDER BY pos LIMIT $4`, []any{ws, sourceID, max(from, 0), limitArg(limit)},
		func(rows row) error {
			var id string
			err := rows.Scan(&id)
			ids = append(ids, id)
			return err
		})
	if err != nil {
		return nil, fmt.Errorf("list the leads of %s: %w", named("source", ws, sourceID), err)
	}
	return ids, nil
}

// MarkContacted records the campaign that first cold-messaged a lead; a
// lead already marked keeps its first campaign.
func (t *Tx) MarkContacted(ws, userID, campaignID string) error {
	if err := t.put(fmt.Sprintf("mark %s contacted", named("lead", ws, userID)), `INSERT INTO contacted (ws, user_id, campaign_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
		ws, userID, campaignID); err != nil {
		return err
	}
	return nil
}

// ContactedBy returns the campaign that first cold-messaged a lead, ""
// if none has.
func (t *Tx) ContactedBy(ws, userID string) (string, error) {
	var campaign string
	if _, err := t.one(`SELECT campaign_id FROM contacted WHERE ws = $1 AND user_id = $2`, []any{ws, userID}, &campaign); err != nil {
		return "", fmt.Errorf("read contacted mark of %s: %w", named("lead", ws, userID), err)
	}
	return campaign, nil
}

// AddDoNotContact puts a user on the workspace's do-not-contact list.
func (t *Tx) AddDoNotContact(ws, userID, reason string) error {
	if err := need("do-not-contact entry", ws, userID); err != nil {
		return err
	}
	if err := t.put(fmt.Sprintf("add %s to the do-not-contact list", named("user", ws, userID)), `
		INSERT INTO do_not_contact (ws, user_id, reason) VALUES ($1, $2, $3)
		ON CONFLICT (ws, user_id) DO UPDATE SET reason = excluded.reason`, ws, userID, reason); err != nil {
		return err
	}
	return nil
}

// RemoveDoNotContact takes a user off the workspace's do-not-contact list;
// removing a user who is not on it is no error.
func (t *Tx) RemoveDoNotContact(ws, userID string) error {
	return t.put(fmt.Sprintf("remove %s from the do-not-contact list", named("user", ws, userID)),
		`DELETE FROM do_not_contact WHERE ws = $1 AND user_id = $2`, ws, userID)
}

// DoNotContact reports whether a user is on the do-not-contact list.
func (t *Tx) DoNotContact(ws, userID string) (bool, error) {
	found, err := t.one(sqlDoNotContact, []any{ws, userID}, new(bool))
	if err != nil {
		return false, fmt.Errorf("read the do-not-contact list: %w", err)
	}
	return found, nil
}
