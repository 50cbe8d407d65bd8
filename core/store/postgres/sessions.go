package postgres

import (
	"time"

	"github.com/outreachhq/outreach/core/store"
)

// Dashboard sessions are rows of sessions, across workspaces, by token
// hash; an index by last_seen_at serves the sweep.

// PutSession creates or replaces a session, by TokenHash.
func (t *Tx) PutSession(s store.Session) error {
	if err := need("session", s.TokenHash, s.Workspace); err != nil {
		return err
	}
	body, err := encode("session", s)
	if err != nil {
		return err
	}
	return t.put("put session", `
		INSERT INTO sessions (token_hash, last_seen_at, body) VALUES ($1, $2, $3)
		ON CONFLICT (token_hash) DO UPDATE SET last_seen_at = excluded.last_seen_at, body = excluded.body`,
		s.TokenHash, s.LastSeenAt, body)
}

// Session returns the session of a token hash.
func (t *Tx) Session(tokenHash string) (store.Session, error) {
	return get[store.Session](t, "session", `SELECT body FROM sessions WHERE token_hash = $1`, tokenHash)
}

// DeleteSession removes a session, if there is one.
func (t *Tx) DeleteSession(tokenHash string) error {
	return t.put("delete session", `DELETE FROM sessions WHERE token_hash = $1`, tokenHash)
}

// DeleteSessionsSeenBefore removes the sessions last seen before before.
func (t *Tx) DeleteSessionsSeenBefore(before time.Time) (int, error) {
	tag, err := t.exec(`DELETE FROM sessions WHERE last_seen_at < $1`, before)
	if err != nil {
		return 0, wrap("sweep sessions", err)
	}
	return int(tag.RowsAffected()), nil
}
