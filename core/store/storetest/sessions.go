package storetest

import (
	"testing"

	"github.com/outreachhq/outreach/core/store"
)

func testSessions(t *testing.T, open Opener) {
	db := store.Narrow(open(t), func(tx Tx) Sessions { return tx })
	sess := func(hash, ws string, created, seen int) store.Session {
		return store.Session{TokenHash: hash, Workspace: ws, KeyHash: "k-" + ws, CreatedAt: at(created), LastSeenAt: at(seen)}
	}
	s1, s2, s3 := sess("t1", "w", 0, 10), sess("t2", "v", 0, 30), sess("t3", "w", 5, 20)
	update(t, db, func(tx Sessions) error {
		for _, s := range []store.Session{s1, s2, s3} {
			if err := tx.PutSession(s); err != nil {
				return err
			}
		}
		return nil
	})
	get := func(hash string) (store.Session, error) {
		var s store.Session
		err := readErr(t, db, func(tx Sessions) error {
			var err error
			s, err = tx.Session(hash)
			return err
		})
		return s, err
	}
	for _, want := range []store.Session{s1, s2, s3} {
		got, err := get(want.TokenHash)
		if err != nil {
			t.Fatalf("Session(%s): %v", want.TokenHash, err)
		}
		same(t, "Session", got, want)
	}
	_, err := get("unknown")
	wantNotFound(t, "Session of an unknown hash", err)

	// PutSession replaces a session: the service marks it seen.
	s1.LastSeenAt = at(40)
	update(t, db, func(tx Sessions) error { return tx.PutSession(s1) })
	got, _ := get("t1")
	same(t, "a session put again", got, s1)

	// The sweep removes the sessions last seen before its time, and only
	// those: s3 (seen at 20), not s2 (seen at 30, not before) nor s1.
	n := write(t, db, func(tx Sessions) (int, error) { return tx.DeleteSessionsSeenBefore(at(30)) })
	if n != 1 {
		t.Errorf("DeleteSessionsSeenBefore(30) = %d, want 1", n)
	}
	_, err = get("t3")
	wantNotFound(t, "a swept session", err)
	for _, want := range []store.Session{s1, s2} {
		if got, err := get(want.TokenHash); err != nil {
			t.Errorf("Session(%s) after the sweep: %v", want.TokenHash, err)
		} else {
			same(t, "a session the sweep keeps", got, want)
		}
	}
	if n := write(t, db, func(tx Sessions) (int, error) { return tx.DeleteSessionsSeenBefore(at(30)) }); n != 0 {
		t.Errorf("a second DeleteSessionsSeenBefore(30) = %d, want 0", n)
	}

	// DeleteSession ends one; ending it again, or an unknown one, is fine.
	update(t, db, func(tx Sessions) error {
		for _, h := range []string{"t2", "t2", "unknown"} {
			if err := tx.DeleteSession(h); err != nil {
				return err
			}
		}
		return nil
	})
	_, err = get("t2")
	wantNotFound(t, "a deleted session", err)
	if _, err := get("t1"); err != nil {
		t.Errorf("Session(t1) after deleting t2: %v", err)
	}
}
