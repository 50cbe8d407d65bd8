package bunt

import (
	"fmt"
	"time"

	"github.com/outreachhq/outreach/core/store"
)

// Dashboard sessions span workspaces: a browser names none until its
// session is found. Each is stored under (session, token hash). The sweep
// scans them all rather than keep an index by last-seen time: an install
// has a few sessions per person signed in, never enough for a scan to
// cost what an index's upkeep on every touch would.

func sessionKey(tokenHash string) string { return key("session", tokenHash) }

// PutSession creates or replaces a session, by TokenHash.
func (t *Tx) PutSession(s store.Session) error {
	if err := need("session", s.TokenHash, s.Workspace); err != nil {
		return err
	}
	return t.put(sessionKey(s.TokenHash), s)
}

// Session returns the session of a token hash.
func (t *Tx) Session(tokenHash string) (store.Session, error) {
	var s store.Session
	found, err := t.find(sessionKey(tokenHash), &s)
	switch {
	case err != nil:
		return store.Session{}, err
	case !found:
		return store.Session{}, fmt.Errorf("session: %w", store.ErrNotFound)
	}
	return s, nil
}

// DeleteSession removes a session, if there is one.
func (t *Tx) DeleteSession(tokenHash string) error {
	return t.del(sessionKey(tokenHash))
}

// DeleteSessionsSeenBefore removes the sessions last seen before before.
func (t *Tx) DeleteSessionsSeenBefore(before time.Time) (int, error) {
	var stale []string
	err := t.scanPrefix(prefix("session"), func(k, v string) (bool, error) {
		var s store.Session
		if err := decode(k, v, &s); err != nil {
			return false, err
		}
		if s.LastSeenAt.Before(before) {
			stale = append(stale, k)
		}
		return true, nil
	})
	if err != nil {
		return 0, err
	}
	// scan's function must not write: the deletes come after it.
	for _, k := range stale {
		if err := t.del(k); err != nil {
			return 0, err
		}
	}
	return len(stale), nil
}
