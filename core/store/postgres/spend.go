package postgres

import (
	"fmt"

	"github.com/outreachhq/outreach/core/store"
)

// AddSpend adds to what the account's network calls cost on a UTC day
// (its key, "2026-03-02").
func (t *Tx) AddSpend(ws, accountID, day string, s store.Spend) error {
	if err := need("spend", ws, accountID, day); err != nil {
		return err
	}
	if s == 0 {
		return nil
	}
	return t.put(fmt.Sprintf("add to the spend of %s", named("account", ws, accountID)), `
		INSERT INTO api_spend AS s (ws, account_id, day, micros) VALUES ($1, $2, $3, $4)
		ON CONFLICT (ws, account_id, day) DO UPDATE SET micros = s.micros + excluded.micros`,
		ws, accountID, day, int64(s))
}

// SpendOn returns what the account's network calls cost on a UTC day.
func (t *Tx) SpendOn(ws, accountID, day string) (store.Spend, error) {
	var n int64
	if _, err := t.one(`SELECT micros FROM api_spend WHERE ws = $1 AND account_id = $2 AND day = $3`, []any{ws, accountID, day}, &n); err != nil {
		return 0, fmt.Errorf("read the spend of %s: %w", named("account", ws, accountID), err)
	}
	return store.Spend(n), nil
}

// WorkspaceSpendOn returns what the workspace's accounts' network calls
// cost on a UTC day, in all.
func (t *Tx) WorkspaceSpendOn(ws, day string) (store.Spend, error) {
	var n int64
	if _, err := t.one(`SELECT coalesce(sum(micros), 0)::bigint FROM api_spend WHERE ws = $1 AND day = $2`, []any{ws, day}, &n); err != nil {
		return 0, fmt.Errorf("read the spend of workspace %q: %w", ws, err)
	}
	return store.Spend(n), nil
}
