package bunt_test

import (
	"testing"

	"github.com/outreachhq/outreach/core/store"
	"github.com/outreachhq/outreach/core/store/bunt"
	"github.com/outreachhq/outreach/core/store/storetest"
)

var _ storetest.Tx = (*bunt.Tx)(nil)

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Transactor[storetest.Tx] {
		st := open(t, t.TempDir())
		return store.Narrow(st, func(tx *bunt.Tx) storetest.Tx { return tx })
	})
}

// open opens the store of dir, closed when the test ends.
func open(t *testing.T, dir string) *bunt.Store {
	t.Helper()
	st, err := bunt.Open(dir, "bunt test")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := st.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return st
}

func TestLocker(t *testing.T) {
	st := open(t, t.TempDir())
	storetest.RunLocker(t, st, st)
}
