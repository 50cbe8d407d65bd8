// Package bunt is the embedded store: one buntdb file in the data dir,
// held by one process at a time (a file lock that names its holder), every
// commit synced to disk. It is the default store, and the only package
// that imports buntdb.
//
// Its transactions (*Tx) implement the whole store contract
// (core/store/storetest.Tx); consumers narrow them to the interfaces they
// declare (store.Narrow). Records are the JSON of the domain types; every
// index is an explicit key written in the same transaction as its record
// (buntdb's JSON indexes are far too slow at scale), and tallies are
// counters moved by the same puts, so that reading one costs the same
// however many records it counts. keys.go describes the key layout.
//
// Views run alongside an Update, which buffers its writes and applies
// them in one short commit (overlay.go).
//
// It is not a place for business rules: the service and the engine decide
// what to write. Nor is it for several processes: that is the Postgres
// store's job.
package bunt
