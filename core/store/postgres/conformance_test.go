package postgres_test

import (
	"os"
	"testing"

	"github.com/outreachhq/outreach/core/store"
	"github.com/outreachhq/outreach/core/store/postgres"
	"github.com/outreachhq/outreach/core/store/postgres/pgtest"
	"github.com/outreachhq/outreach/core/store/storetest"
)

var _ storetest.Tx = (*postgres.Tx)(nil)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Transactor[storetest.Tx] {
		st := open(t, pgtest.NewDatabase(t), postgres.Options{})
		return store.Narrow(st, func(tx *postgres.Tx) storetest.Tx { return tx })
	})
}

// open opens the store of the database at url, closed when the test ends.
func open(t testing.TB, url string, opts postgres.Options) *postgres.Store {
	t.Helper()
	st, err := postgres.Open(t.Context(), url, opts)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(st.Close)
	return st
}

// TestLocker takes locks through two stores on one database, as two
// processes of a cluster do.
func TestLocker(t *testing.T) {
	url := pgtest.NewDatabase(t)
	storetest.RunLocker(t, open(t, url, postgres.Options{}), open(t, url, postgres.Options{}))
}
