package postgres_test

import (
	"testing"

	"github.com/outreachhq/outreach/core/store"
	"github.com/outreachhq/outreach/core/store/postgres"
	"github.com/outreachhq/outreach/core/store/postgres/pgtest"
	"github.com/outreachhq/outreach/core/store/storetest"
)

func TestSpendConformance(t *testing.T) {
	storetest.RunSpend(t, func(t *testing.T) store.Transactor[storetest.Spends] {
		st := open(t, pgtest.NewDatabase(t), postgres.Options{})
		return store.Narrow(st, func(tx *postgres.Tx) storetest.Spends { return tx })
	})
}
