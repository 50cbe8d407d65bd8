package storetest

import (
	"testing"
	"time"

	"github.com/outreachhq/outreach/core/store"
)

func testWorkspaces(t *testing.T, open Opener) {
	db := store.Narrow(open(t), func(tx Tx) Workspaces { return tx })
	if got := read(t, db, Workspaces.Workspaces); len(got) != 0 {
		t.Errorf("Workspaces of an empty store = %q, want none", got)
	}
	update(t, db, func(tx Workspaces) error {
		for _, ws := range []string{"b", "a-b", "a", "b"} {
			if err := tx.PutWorkspace(ws); err != nil {
				return err
			}
		}
		return nil
	})
	same(t, "Workspaces", read(t, db, Workspaces.Workspaces), []string{"a", "a-b", "b"})
}

// account returns an account of workspace ws with every field set.
func account(ws, id, handle string, created time.Time) store.Account {
	return store.Account{
		ID: id, Workspace: ws, Handle: handle, Network: "x", XUserID: "9" + id, DisplayName: "Acme " + id,
		Verified: true, FollowupsPaused: true, AISetter: true,
		DailyDMLimit: 40, DailyFollowLimit: 20, MinGap: 2 * time.Minute, MaxGap: 5 * time.Minute, Jitter: time.Second,
		ActiveHours: &store.Window{Start: 9 * time.Hour, End: 17 * time.Hour, TimeZone: "Europe/Paris", Days: []string{"mon", "tue"}},
		Warmup:      &store.Warmup{Start: 5, Increase: 2}, WarmupStartedAt: created,
		Proxy: "http://proxy:8080", Secrets: []byte{1, 2, 3}, SecretDigests: map[string]string{"auth_token": "d1"},
		CreatedAt: created, UpdatedAt: created.Add(time.Hour),
	}
}

func testAccounts(t *testing.T, open Opener) {
	t.Run("put and get", func(t *testing.T) {
		db := store.Narrow(open(t), func(tx Tx) Accounts { return tx })
		a := account("w", "a1", "Acme", t0)
		a.Address = "account.main"
		update(t, db, func(tx Accounts) error { return tx.PutAccount(a) })

		same(t, "Account", read(t, db, func(tx Accounts) (store.Account, error) { return tx.Account("w", "a1") }), a)
		same(t, "AccountByAddress", read(t, db, func(tx Accounts) (store.Account, error) { return tx.AccountByAddress("w", "account.main") }), a)
		for _, h := range []string{"Acme", "acme", "@acme", "@ACME", " acme "} {
			got := read(t, db, func(tx Accounts) (store.Account, error) { return tx.AccountByHandle(h) })
			if got.ID != "a1" {
				t.Errorf("AccountByHandle(%q) = %q, want a1", h, got.ID)
			}
		}
		for name, fn := range map[string]func(Accounts) error{
			"Account of a missing id":  func(tx Accounts) error { _, err := tx.Account("w", "nope"); return err },
			"AccountByAddress missing": func(tx Accounts) error { _, err := tx.AccountByAddress("w", "account.other"); return err },
			"AccountByHandle missing":  func(tx Accounts) error { _, err := tx.AccountByHandle("acme2"); return err },
		} {
			wantNotFound(t, name, readErr(t, db, fn))
		}
	})

	t.Run("moving address and handle moves the indexes", func(t *testing.T) {
		db := store.Narrow(open(t), func(tx Tx) Accounts { return tx })
		a := account("w", "a1", "old", t0)
		a.Address = "account.old"
		update(t, db, func(tx Accounts) error { return tx.PutAccount(a) })
		a.Address, a.Handle = "account.new", "@New"
		update(t, db, func(tx Accounts) error { return tx.PutAccount(a) })

		wantNotFound(t, "old address", readErr(t, db, func(tx Accounts) error { _, err := tx.AccountByAddress("w", "account.old"); return err }))
		wantNotFound(t, "old handle", readErr(t, db, func(tx Accounts) error { _, err := tx.AccountByHandle("old"); return err }))
		same(t, "by new address", read(t, db, func(tx Accounts) (store.Account, error) { return tx.AccountByAddress("w", "account.new") }), a)
		same(t, "by new handle", read(t, db, func(tx Accounts) (store.Account, error) { return tx.AccountByHandle("new") }), a)

		// An account the API added has no address: dropping it unindexes it.
		a.Address = ""
		update(t, db, func(tx Accounts) error { return tx.PutAccount(a) })
		wantNotFound(t, "dropped address", readErr(t, db, func(tx Accounts) error { _, err := tx.AccountByAddress("w", "account.new"); return err }))
	})

	t.Run("listed by CreatedAt then ID, workspace by workspace", func(t *testing.T) {
		db := store.Narrow(open(t), func(tx Tx) Accounts { return tx })
		update(t, db, func(tx Accounts) error {
			for _, a := range []store.Account{
				account("w", "c", "h-c", at(1)), account("w", "b", "h-b", at(0)), account("w", "a", "h-a", at(1)),
				account("v", "z", "h-z", at(5)), account("w-2", "y", "h-y", at(0)),
			} {
				if err := tx.PutAccount(a); err != nil {
					return err
				}
			}
			return nil
		})
		accountIDs := func(as []store.Account) []string { return ids(as, func(a store.Account) string { return a.ID }) }
		for range 2 {
			same(t, "Accounts(w)", accountIDs(read(t, db, func(tx Accounts) ([]store.Account, error) { return tx.Accounts("w") })), []string{"b", "a", "c"})
			same(t, "AllAccounts", accountIDs(read(t, db, Accounts.AllAccounts)), []string{"z", "b", "a", "c", "y"})
		}
		same(t, "Accounts of a workspace with none", accountIDs(read(t, db, func(tx Accounts) ([]store.Account, error) { return tx.Accounts("none") })), nil)
	})

	t.Run("delete removes the account, its indexes and its state", func(t *testing.T) {
		db := store.Narrow(open(t), func(tx Tx) Accounts { return tx })
		a := account("w", "a1", "acme", t0)
		a.Address = "account.main"
		update(t, db, func(tx Accounts) error {
			if err := tx.PutAccount(a); err != nil {
				return err
			}
			return tx.PutAccountState(store.AccountState{Workspace: "w", AccountID: "a1", DMCursor: "c1", NextSendAt: t0})
		})
		update(t, db, func(tx Accounts) error {
			if err := tx.DeleteAccount("w", "a1"); err != nil {
				return err
			}
			return tx.DeleteAccount("w", "never-existed")
		})
		wantNotFound(t, "Account", readErr(t, db, func(tx Accounts) error { _, err := tx.Account("w", "a1"); return err }))
		wantNotFound(t, "AccountByAddress", readErr(t, db, func(tx Accounts) error { _, err := tx.AccountByAddress("w", "account.main"); return err }))
		wantNotFound(t, "AccountByHandle", readErr(t, db, func(tx Accounts) error { _, err := tx.AccountByHandle("acme"); return err }))
		same(t, "AccountState", read(t, db, func(tx Accounts) (store.AccountState, error) { return tx.AccountState("w", "a1") }),
			store.AccountState{Workspace: "w", AccountID: "a1"})
		if got := read(t, db, Accounts.AllAccounts); len(got) != 0 {
			t.Errorf("AllAccounts after the delete = %d accounts, want none", len(got))
		}

		// The handle and the address are free again.
		b := account("w", "b1", "ACME", at(1))
		b.Address = "account.main"
		update(t, db, func(tx Accounts) error { return tx.PutAccount(b) })
		same(t, "new account by handle", read(t, db, func(tx Accounts) (store.Account, error) { return tx.AccountByHandle("acme") }), b)
	})

	t.Run("sent counts by day", func(t *testing.T) {
		db := store.Narrow(open(t), func(tx Tx) Accounts { return tx })
		update(t, db, func(tx Accounts) error {
			if err := tx.AddSentOn("w", "a1", "2026-03-02", 2); err != nil {
				return err
			}
			return tx.AddSentOn("w", "a1", "2026-03-02", 3)
		})
		tests := []struct {
			ws, account, day string
			want             int
		}{
			{"w", "a1", "2026-03-02", 5},
			{"w", "a1", "2026-03-03", 0},
			{"w", "a2", "2026-03-02", 0},
			{"other", "a1", "2026-03-02", 0},
		}
		for _, tt := range tests {
			got := read(t, db, func(tx Accounts) (int, error) { return tx.SentOn(tt.ws, tt.account, tt.day) })
			if got != tt.want {
				t.Errorf("SentOn(%s, %s, %s) = %d, want %d", tt.ws, tt.account, tt.day, got, tt.want)
			}
		}
	})
}

func testAccountState(t *testing.T, open Opener) {
	db := store.Narrow(open(t), func(tx Tx) Accounts { return tx })
	zero := read(t, db, func(tx Accounts) (store.AccountState, error) { return tx.AccountState("w", "a1") })
	same(t, "state never put", zero, store.AccountState{Workspace: "w", AccountID: "a1"})

	s := store.AccountState{
		Workspace: "w", AccountID: "a1", NextSendAt: at(3), DMCursor: "cur", NextPollAt: at(10), DMReadAt: at(2),
		Holds: []store.Hold{{Scope: store.HoldFollowups, By: "api", Reason: "vacation", Since: t0, Until: at(60)}},
		Lease: store.Lease{Owner: "worker-1", Expires: at(1)},
		Ramp:  &store.RampState{Start: t0, Held: 2, Shift: 1},
	}
	update(t, db, func(tx Accounts) error { return tx.PutAccountState(s) })
	same(t, "AccountState", read(t, db, func(tx Accounts) (store.AccountState, error) { return tx.AccountState("w", "a1") }), s)
	same(t, "AccountState of another workspace", read(t, db, func(tx Accounts) (store.AccountState, error) { return tx.AccountState("v", "a1") }),
		store.AccountState{Workspace: "v", AccountID: "a1"})

	s.Lease, s.Holds = store.Lease{}, nil
	update(t, db, func(tx Accounts) error { return tx.PutAccountState(s) })
	same(t, "AccountState replaced", read(t, db, func(tx Accounts) (store.AccountState, error) { return tx.AccountState("w", "a1") }), s)
}
