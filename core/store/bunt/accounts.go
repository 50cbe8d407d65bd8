package bunt

import (
	"cmp"
	"fmt"
	"slices"

	"github.com/outreachhq/outreach/core/store"
)

func accountKey(ws, id string) string { return wsKey(ws, store.KindAccount, id) }

// handleKey indexes an account by its normalized handle across the whole
// install; the value names its workspace and id.
func handleKey(handle string) string { return key("handle", store.NormalizeHandle(handle)) }

// allAccountsKey lists every account of every workspace, for AllAccounts.
func allAccountsKey(ws, id string) string { return key("accounts", ws, id) }

func stateKey(ws, accountID string) string { return wsKey(ws, "state", accountID) }

func sentKey(ws, accountID, day string) string { return wsKey(ws, "sent", accountID, day) }

// PutAccount stores an account, moving its address and handle indexes
// when they change. It does not refuse a handle or an address another
// account holds (the service does, with an error a person can act on): the
// index names the account put last, and deleting or moving the other one
// leaves it alone.
func (t *Tx) PutAccount(a store.Account) error {
	if err := need("account", a.Workspace, a.ID); err != nil {
		return err
	}
	var old store.Account
	found, err := t.find(accountKey(a.Workspace, a.ID), &old)
	if err != nil {
		return err
	}
	if err := t.moveAddress(store.KindAccount, a.Workspace, a.ID, old.Address, a.Address); err != nil {
		return err
	}
	if h := store.NormalizeHandle(a.Handle); !found || h != store.NormalizeHandle(old.Handle) {
		if found {
			if err := t.dropIndex(handleKey(old.Handle), ref(a.Workspace, a.ID)); err != nil {
				return err
			}
		}
		if h != "" {
			if err := t.set(handleKey(h), ref(a.Workspace, a.ID)); err != nil {
				return err
			}
		}
	}
	if !found {
		if err := t.set(allAccountsKey(a.Workspace, a.ID), ""); err != nil {
			return err
		}
	}
	return t.put(accountKey(a.Workspace, a.ID), a)
}

// dropIndex deletes a unique index entry if it still names the record
// (value v): another record may have taken the name since.
func (t *Tx) dropIndex(k, v string) error {
	cur, ok, err := t.raw(k)
	if err != nil || !ok || cur != v {
		return err
	}
	return t.del(k)
}

// Account returns an account by id.
func (t *Tx) Account(ws, id string) (store.Account, error) {
	var a store.Account
	err := t.get(accountKey(ws, id), &a)
	return a, err
}

// AccountByAddress finds the account configuration manages at address.
func (t *Tx) AccountByAddress(ws, address string) (store.Account, error) {
	return byAddress[store.Account](t, store.KindAccount, ws, address)
}

// AccountByHandle finds the account of a handle in any workspace.
func (t *Tx) AccountByHandle(handle string) (store.Account, error) {
	k := handleKey(handle)
	v, ok, err := t.raw(k)
	if err != nil {
		return store.Account{}, err
	}
	if !ok {
		return store.Account{}, fmt.Errorf("account @%s: %w", store.NormalizeHandle(handle), store.ErrNotFound)
	}
	ws, id, err := unref(k, v)
	if err != nil {
		return store.Account{}, err
	}
	return t.Account(ws, id)
}

// Accounts lists a workspace's accounts by CreatedAt, then ID.
func (t *Tx) Accounts(ws string) ([]store.Account, error) {
	out, err := list[store.Account](t, wsPrefix(ws, store.KindAccount))
	return sortAccounts(out), err
}

// AllAccounts lists the accounts of every workspace, by workspace, then as
// Accounts orders them.
func (t *Tx) AllAccounts() ([]store.Account, error) {
	out := []store.Account{}
	err := t.scanPrefix(prefix("accounts"), func(k, _ string) (bool, error) {
		p := split(k)
		if len(p) != 3 {
			return true, nil
		}
		a, err := t.Account(p[1], p[2])
		if err != nil {
			return false, err
		}
		out = append(out, a)
		return true, nil
	})
	return sortAccounts(out), err
}

func sortAccounts(as []store.Account) []store.Account {
	slices.SortStableFunc(as, func(a, b store.Account) int {
		return cmp.Or(cmp.Compare(a.Workspace, b.Workspace), a.CreatedAt.Compare(b.CreatedAt), cmp.Compare(a.ID, b.ID))
	})
	return as
}

// DeleteAccount removes an account, its indexes and its state.
func (t *Tx) DeleteAccount(ws, id string) error {
	var old store.Account
	found, err := t.find(accountKey(ws, id), &old)
	if err != nil {
		return err
	}
	if found {
		if err := t.moveAddress(store.KindAccount, ws, id, old.Address, ""); err != nil {
			return err
		}
		if err := t.dropIndex(handleKey(old.Handle), ref(ws, id)); err != nil {
			return err
		}
	}
	for _, k := range []string{accountKey(ws, id), allAccountsKey(ws, id), stateKey(ws, id), leasedStateKey(ws, id)} {
		if err := t.del(k); err != nil {
			return err
		}
	}
	return nil
}

// AccountState returns an account's state; the zero state if none was
// ever put.
func (t *Tx) AccountState(ws, accountID string) (store.AccountState, error) {
	s := store.AccountState{Workspace: ws, AccountID: accountID}
	_, err := t.find(stateKey(ws, accountID), &s)
	return s, err
}

// PutAccountState stores an account's state.
func (t *Tx) PutAccountState(s store.AccountState) error {
	if err := need("account state", s.Workspace, s.AccountID); err != nil {
		return err
	}
	if err := t.indexLease(leasedStateKey(s.Workspace, s.AccountID), ref(s.Workspace, s.AccountID), s.Lease); err != nil {
		return err
	}
	return t.put(stateKey(s.Workspace, s.AccountID), s)
}

// SentOn returns how many DMs the account sent on a calendar day.
func (t *Tx) SentOn(ws, accountID, day string) (int, error) {
	return t.count(sentKey(ws, accountID, day))
}

// AddSentOn adds n to the DMs the account sent on a calendar day. The
// counts outlive the account's record: they are what X saw sent.
func (t *Tx) AddSentOn(ws, accountID, day string, n int) error {
	if err := need("sent count", ws, accountID, day); err != nil {
		return err
	}
	return t.add(sentKey(ws, accountID, day), n)
}
