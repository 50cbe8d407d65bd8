package bunt

import "github.com/outreachhq/outreach/core/store"

// An account's network spend on a UTC day, and the workspace's total of
// that day, kept beside it so that the engine's check before every call
// reads one key:
//
//	w/ws/spend/account/day           an account's spend on a day
//	w/ws/spendday/day                the workspace's spend on a day

func spendKey(ws, accountID, day string) string { return wsKey(ws, "spend", accountID, day) }
func spendDayKey(ws, day string) string         { return wsKey(ws, "spendday", day) }

// AddSpend adds to what the account's network calls cost on a UTC day
// (its key, "2026-03-02"), and to the workspace's total of the day.
func (t *Tx) AddSpend(ws, accountID, day string, s store.Spend) error {
	if err := need("spend", ws, accountID, day); err != nil {
		return err
	}
	if s == 0 {
		return nil
	}
	if err := t.add(spendKey(ws, accountID, day), int(s)); err != nil {
		return err
	}
	return t.add(spendDayKey(ws, day), int(s))
}

// SpendOn returns what the account's network calls cost on a UTC day.
func (t *Tx) SpendOn(ws, accountID, day string) (store.Spend, error) {
	n, err := t.count(spendKey(ws, accountID, day))
	return store.Spend(n), err
}

// WorkspaceSpendOn returns what the workspace's accounts' network calls
// cost on a UTC day, in all.
func (t *Tx) WorkspaceSpendOn(ws, day string) (store.Spend, error) {
	n, err := t.count(spendDayKey(ws, day))
	return store.Spend(n), err
}
