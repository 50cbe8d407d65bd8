package postgres

import (
	"fmt"

	"github.com/outreachhq/outreach/core/store"
)

// Accounts are stored with their address and normalized handle as columns,
// each indexed: the handle across the whole install. Neither index is
// unique (the service refuses a handle or an address another account
// holds, with an error a person can act on); a lookup that finds two
// takes the first by workspace and id.

// PutAccount stores an account; its indexes follow its Address and
// Handle.
func (t *Tx) PutAccount(a store.Account) error {
	if err := need("account", a.Workspace, a.ID); err != nil {
		return err
	}
	what := named("account", a.Workspace, a.ID)
	body, err := encode(what, a)
	if err != nil {
		return err
	}
	if err := t.put(fmt.Sprintf("put %s", what), `
		INSERT INTO accounts (ws, id, address, handle, created_at, body) VALUES ($1, $2, $3, $4, $5, $6)
		ON CONFLICT (ws, id) DO UPDATE SET address = excluded.address, handle = excluded.handle,
			created_at = excluded.created_at, body = excluded.body`,
		a.Workspace, a.ID, a.Address, store.NormalizeHandle(a.Handle), a.CreatedAt, body); err != nil {
		return err
	}
	return nil
}

// Account returns an account by id.
func (t *Tx) Account(ws, id string) (store.Account, error) {
	return get[store.Account](t, named("account", ws, id), sqlAccount, ws, id)
}

// AccountByAddress finds the account configuration manages at address.
func (t *Tx) AccountByAddress(ws, address string) (store.Account, error) {
	return get[store.Account](t, fmt.Sprintf("%s in workspace %q", address, ws), `
		SELECT body FROM accounts WHERE ws = $1 AND address = $2 AND address <> ''
		ORDER BY id LIMIT 1`, ws, address)
}

// AccountByHandle finds the account of a handle in any workspace.
func (t *Tx) AccountByHandle(handle string) (store.Account, error) {
	h := store.NormalizeHandle(handle)
	return get[store.Account](t, "account @"+h, `
		SELECT body FROM accounts WHERE handle = $1 AND handle <> ''
		ORDER BY ws, id LIMIT 1`, h)
}

// Accounts lists a workspace's accounts by CreatedAt, then ID.
func (t *Tx) Accounts(ws string) ([]store.Account, error) {
	return list[store.Account](t, "accounts", `SELECT body FROM accounts WHERE ws = $1 ORDER BY created_at, id`, ws)
}

// AllAccounts lists the accounts of every workspace, by workspace, then as
// Accounts orders them.
func (t *Tx) AllAccounts() ([]store.Account, error) {
	return list[store.Account](t, "accounts", `SELECT body FROM accounts ORDER BY ws, created_at, id`)
}

// DeleteAccount removes an account, its indexes and its state.
func (t *Tx) DeleteAccount(ws, id string) error {
	if err := t.put(fmt.Sprintf("delete %s", named("account", ws, id)), `
		WITH state AS (DELETE FROM account_states WHERE ws = $1 AND account_id = $2)
		DELETE FROM accounts WHERE ws = $1 AND id = $2`, ws, id); err != nil {
		return err
	}
	return nil
}

// AccountState returns an account's state; the zero state if none was
// ever put.
func (t *Tx) AccountState(ws, accountID string) (store.AccountState, error) {
	s, err := get[store.AccountState](t, named("account state", ws, accountID), sqlAccountState, ws, accountID)
	if store.IsNotFound(err) {
		return store.AccountState{Workspace: ws, AccountID: accountID}, nil
	}
	return s, err
}

// PutAccountState stores an account's state.
func (t *Tx) PutAccountState(s store.AccountState) error {
	if err := need("account state", s.Workspace, s.AccountID); err != nil {
		return err
	}
	what := named("account state", s.Workspace, s.AccountID)
	body, err := encode(what, s)
	if err != nil {
		return err
	}
	if err := t.put(fmt.Sprintf("put %s", what), `
		INSERT INTO account_states (ws, account_id, body) VALUES ($1, $2, $3)
		ON CONFLICT (ws, account_id) DO UPDATE SET body = excluded.body`,
		s.Workspace, s.AccountID, body); err != nil {
		return err
	}
	return nil
}

// SentOn returns how many DMs the account sent on a calendar day.
func (t *Tx) SentOn(ws, accountID, day string) (int, error) {
	var n int
	if _, err := t.one(sqlSentOn, []any{ws, accountID, day}, &n); err != nil {
		return 0, fmt.Errorf("read sent count of %s: %w", named("account", ws, accountID), err)
	}
	return n, nil
}

// AddSentOn adds n to the DMs the account sent on a calendar day. The
// counts outlive the account's record: they are what X saw sent.
func (t *Tx) AddSentOn(ws, accountID, day string, n int) error {
	if err := need("sent count", ws, accountID, day); err != nil {
		return err
	}
	if n == 0 {
		return nil
	}
	if err := t.put(fmt.Sprintf("add to sent count of %s", named("account", ws, accountID)), `
		INSERT INTO sent_counts AS s (ws, account_id, day, n) VALUES ($1, $2, $3, $4)
		ON CONFLICT (ws, account_id, day) DO UPDATE SET n = s.n + excluded.n`,
		ws, accountID, day, n); err != nil {
		return err
	}
	return nil
}
