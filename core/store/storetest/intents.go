package storetest

import (
	"testing"

	"github.com/outreachhq/outreach/core/store"
)

func intent(ws, jobID string, expires int) store.Intent {
	return store.Intent{JobID: jobID, Workspace: ws, Kind: store.JobDM, AccountID: "a1", RecipientID: "100", Text: "hi",
		At: t0, Lease: store.Lease{Owner: "worker-1", Expires: at(expires)}}
}

func testIntents(t *testing.T, open Opener) {
	db := store.Narrow(open(t), func(tx Tx) Jobs { return tx })
	put := func(ins ...store.Intent) {
		t.Helper()
		update(t, db, func(tx Jobs) error {
			for _, in := range ins {
				if err := tx.PutIntent(in); err != nil {
					return err
				}
			}
			return nil
		})
	}
	expired := func(now, limit int) []string {
		return ids(read(t, db, func(tx Jobs) ([]store.Intent, error) { return tx.ExpiredIntents(at(now), limit) }),
			func(in store.Intent) string { return in.Workspace + "/" + in.JobID })
	}

	i1 := intent("w", "j1", 0)
	unleased := intent("w", "j0", 0)
	unleased.Lease = store.Lease{}
	put(i1, intent("w", "j2", 5), intent("w", "j3", 10), intent("v", "j4", 1), unleased)

	same(t, "Intent", read(t, db, func(tx Jobs) (store.Intent, error) { return tx.Intent("w", "j1") }), i1)

	// CreateIntent stores a new one, and calls existing instead of
	// replacing one there, before the transaction commits.
	fresh := intent("w", "j5", 30)
	var existing []string
	update(t, db, func(tx Jobs) error {
		existing = nil
		other := i1
		other.Text = "replaced"
		for _, in := range []store.Intent{fresh, other} {
			if err := tx.CreateIntent(in, func() error { existing = append(existing, in.JobID); return nil }); err != nil {
				return err
			}
		}
		return nil
	})
	same(t, "CreateIntent called existing for", existing, []string{"j1"})
	same(t, "a created Intent", read(t, db, func(tx Jobs) (store.Intent, error) { return tx.Intent("w", "j5") }), fresh)
	same(t, "an Intent CreateIntent met", read(t, db, func(tx Jobs) (store.Intent, error) { return tx.Intent("w", "j1") }), i1)
	update(t, db, func(tx Jobs) error { return tx.DeleteIntent("w", "j5") })
	wantNotFound(t, "Intent of another workspace", readErr(t, db, func(tx Jobs) error { _, err := tx.Intent("v", "j1"); return err }))

	// An engagement step's intent keeps its step and post.
	engage := intent("w", "j9", 0)
	engage.Engage, engage.PostID, engage.Text = store.EngageComment, "1500", "Nice thread"
	put(engage)
	same(t, "an engagement Intent", read(t, db, func(tx Jobs) (store.Intent, error) { return tx.Intent("w", "j9") }), engage)
	update(t, db, func(tx Jobs) error { return tx.DeleteIntent("w", "j9") })

	tests := []struct {
		now, limit int
		want       []string
	}{
		// An intent without a lease has expired since the zero time.
		{5, 10, []string{"w/j0", "w/j1", "v/j4", "w/j2"}},
		{5, 2, []string{"w/j0", "w/j1"}},
		{4, 10, []string{"w/j0", "w/j1", "v/j4"}},
		{10, 10, []string{"w/j0", "w/j1", "v/j4", "w/j2", "w/j3"}},
	}
	for _, tt := range tests {
		same(t, "ExpiredIntents", expired(tt.now, tt.limit), tt.want)
	}

	// Renewing a lease moves the intent in the expiry order; deleting one
	// removes it.
	i1.Lease.Expires = at(20)
	put(i1)
	update(t, db, func(tx Jobs) error {
		if err := tx.DeleteIntent("w", "j2"); err != nil {
			return err
		}
		if err := tx.DeleteIntent("w", "j0"); err != nil {
			return err
		}
		return tx.DeleteIntent("w", "never-existed")
	})
	same(t, "ExpiredIntents after a renewal and deletes", expired(10, 10), []string{"v/j4", "w/j3"})
	same(t, "ExpiredIntents later", expired(20, 10), []string{"v/j4", "w/j3", "w/j1"})
	wantNotFound(t, "a deleted intent", readErr(t, db, func(tx Jobs) error { _, err := tx.Intent("w", "j2"); return err }))
}
