package bunt_test

import (
	"testing"

	"github.com/outreachhq/outreach/core/store"
	"github.com/outreachhq/outreach/core/store/bunt"
	"github.com/outreachhq/outreach/core/store/storetest"
)

func TestSpendConformance(t *testing.T) {
	storetest.RunSpend(t, func(t *testing.T) store.Transactor[storetest.Spends] {
		return store.Narrow(open(t, t.TempDir()), func(tx *bunt.Tx) storetest.Spends { return tx })
	})
}
