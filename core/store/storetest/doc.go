// Package storetest is the conformance suite of the store: Tx is the whole
// contract of a store's transaction, method by method, and Run checks an
// implementation against it. Every store (core/store/bunt, and the
// Postgres store) runs it from a test of its own:
//
//	func TestConformance(t *testing.T) {
//		storetest.Run(t, func(t *testing.T) store.Transactor[storetest.Tx] {
//			st := openTestStore(t) // fresh and empty; closed by t.Cleanup
//			return store.Narrow(st, func(tx *bunt.Tx) storetest.Tx { return tx })
//		})
//	}
//
// The suite reads as a user of the store: it puts records and reads them
// back through the methods consumers declare, and asserts what they
// would see (orders, pages, tallies, isolation between workspaces,
// transactions that fail leaving nothing behind, readers alongside a
// writer). It knows nothing of keys or tables.
//
// It is not a test of any one consumer's rules: what the service or the
// engine writes, and when, is tested beside them.
package storetest
