package service

import (
	"fmt"
	"strconv"
	"time"

	"github.com/outreachhq/outreach/core/store"
)

// SpendTx is what counting and limiting network spend needs.
type SpendTx interface {
	AddSpend(ws, accountID, day string, s store.Spend) error
	WorkspaceSpendOn(ws, day string) (store.Spend, error)
	Setting(name string) (string, error)
}

// SpendLimitTx is what recording a workspace's spend limit needs.
type SpendLimitTx interface {
	PutSetting(name, value string) error
}

// spendLimitName is the setting that keeps a workspace's
// max_daily_api_spend, which apply writes and the engine reads.
func spendLimitName(ws string) string { return "max_daily_api_spend/" + ws }

// SetMaxDailySpend records a workspace's max_daily_api_spend, in dollars;
// 0 removes the limit.
func SetMaxDailySpend(tx SpendLimitTx, ws string, dollars float64) error {
	v := ""
	if dollars > 0 {
		v = strconv.FormatFloat(dollars, 'f', -1, 64)
	}
	return tx.PutSetting(spendLimitName(ws), v)
}

// MaxDailySpend returns a workspace's max_daily_api_spend, in dollars; 0
// for none.
func MaxDailySpend(tx SpendTx, ws string) (float64, error) {
	v, err := tx.Setting(spendLimitName(ws))
	if err != nil || v == "" {
		return 0, err
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil {
		return 0, fmt.Errorf("setting %s: %w", spendLimitName(ws), err)
	}
	return f, nil
}

// spendDay is the UTC day spend counts against.
func spendDay(now time.Time) string { return now.UTC().Format(time.DateOnly) }

// AddSpend counts what one of the account's network calls cost (in
// dollars) against its UTC day, in the transaction that records the
// call's outcome.
func AddSpend(tx SpendTx, a store.Account, cost float64, now time.Time) error {
	return tx.AddSpend(a.Workspace, a.ID, spendDay(now), store.SpendOf(cost))
}

// SpendHold returns the hold that keeps an account from a call costing
// cost (dollars) at now, when the workspace's spend of the UTC day plus
// that cost would pass its max_daily_api_spend: it lasts until the next
// UTC day, and its reason says so. over is false when the call may go;
// limited says whether the workspace has a limit at all.
func SpendHold(tx SpendTx, ws string, cost float64, now time.Time) (h store.Hold, over, limited bool, err error) {
	limit, err := MaxDailySpend(tx, ws)
	if err != nil || limit <= 0 {
		return store.Hold{}, false, false, err
	}
	spent, err := tx.WorkspaceSpendOn(ws, spendDay(now))
	if err != nil {
		return store.Hold{}, false, true, err
	}
	if spent+store.SpendOf(cost) <= store.SpendOf(limit) {
		return store.Hold{}, false, true, nil
	}
	y, m, d := now.UTC().Date()
	return store.Hold{
		Scope: store.HoldAll, By: "engine", Since: now, Until: time.Date(y, m, d+1, 0, 0, 0, 0, time.UTC),
		Reason: fmt.Sprintf("max_daily_api_spend of $%.2f reached today ($%.2f spent); work resumes at 00:00 UTC", limit, spent.Dollars()),
	}, true, true, nil
}
