// Package store persists outreach's objects and jobs in a buntdb file in
// the data dir, locked against a second process.
//
// Everything is keyed by workspace, so a workspace can only reach its own
// objects. Indexes are explicit keys written in the same transaction as the
// record they index (buntdb's JSON indexes are too slow at scale). Every
// commit is synced to disk: the engine's intent records depend on it.
//
// The store has no business rules; the service and the engine decide what
// to write.
package store
