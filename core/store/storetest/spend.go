package storetest

import (
	"errors"
	"testing"

	"github.com/outreachhq/outreach/core/store"
)

// testSpends tests a store's spend counters (Settings).
func testSpends(t *testing.T, open Opener) {
	t.Run("counts per account and day, summed per workspace", func(t *testing.T) {
		db := open(t)
		update(t, db, func(tx Tx) error {
			for _, add := range []struct {
				ws, account, day string
				s                store.Spend
			}{
				{"w", "a", "2026-03-02", store.SpendOf(0.015)},
				{"w", "a", "2026-03-02", store.SpendOf(0.015)},
				{"w", "b", "2026-03-02", store.SpendOf(10)},
				{"w", "a", "2026-03-03", store.SpendOf(0.010)},
				{"other", "a", "2026-03-02", store.SpendOf(99)},
				{"w", "a", "2026-03-02", 0},
			} {
				if err := tx.AddSpend(add.ws, add.account, add.day, add.s); err != nil {
					return err
				}
			}
			return nil
		})
		for _, c := range []struct {
			ws, account, day string
			want             store.Spend
		}{
			{"w", "a", "2026-03-02", 30_000},
			{"w", "b", "2026-03-02", 10_000_000},
			{"w", "a", "2026-03-03", 10_000},
			{"w", "a", "2026-03-04", 0},
			{"other", "a", "2026-03-02", 99_000_000},
		} {
			got := read(t, db, func(tx Tx) (store.Spend, error) { return tx.SpendOn(c.ws, c.account, c.day) })
			if got != c.want {
				t.Errorf("SpendOn(%s, %s, %s) = %d, want %d", c.ws, c.account, c.day, got, c.want)
			}
		}
		for _, c := range []struct {
			ws, day string
			want    store.Spend
		}{{"w", "2026-03-02", 10_030_000}, {"w", "2026-03-03", 10_000}, {"w", "2026-03-05", 0}, {"other", "2026-03-02", 99_000_000}} {
			got := read(t, db, func(tx Tx) (store.Spend, error) { return tx.WorkspaceSpendOn(c.ws, c.day) })
			if got != c.want {
				t.Errorf("WorkspaceSpendOn(%s, %s) = %d, want %d", c.ws, c.day, got, c.want)
			}
		}
	})
	t.Run("a failed transaction adds nothing", func(t *testing.T) {
		db := open(t)
		err := db.Update(t.Context(), func(tx Tx) error {
			if err := tx.AddSpend("w", "a", "2026-03-02", 5); err != nil {
				return err
			}
			return errRollback
		})
		if !errors.Is(err, errRollback) {
			t.Fatalf("Update = %v, want the function's error", err)
		}
		if got := read(t, db, func(tx Tx) (store.Spend, error) { return tx.WorkspaceSpendOn("w", "2026-03-02") }); got != 0 {
			t.Errorf("after a rollback the day's spend is %d, want 0", got)
		}
	})
	t.Run("a record without its keys is refused", func(t *testing.T) {
		db := open(t)
		if err := db.Update(t.Context(), func(tx Tx) error { return tx.AddSpend("w", "", "2026-03-02", 5) }); err == nil {
			t.Error("AddSpend without an account: no error")
		}
	})
}
