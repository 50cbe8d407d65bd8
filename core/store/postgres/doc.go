// Package postgres is the store on PostgreSQL: one database that every
// process of an install shares (API servers and engine workers alike),
// through pgx. It is the only package, with its pgtest helper, that
// imports pgx.
//
// Its transactions (*Tx) implement the whole store contract
// (core/store/storetest.Tx); consumers narrow them to the interfaces they
// declare (store.Narrow). It is not a place for business rules, nor for
// the embedded single-process case: that is the bunt store's.
//
// # Schema
//
// Each record is a row: its JSON, in a body column of type json (the
// exact text encoding/json wrote: cheaper than jsonb both ways, and it
// takes every string Go can hold, where jsonb refuses \u0000), next to
// the columns its queries and indexes need. Reads decode the body alone,
// so records come back as they were put; no query looks inside a body. Key
// columns collate as "C", so that every order is a byte order, as Go
// compares strings. Time columns are timestamptz, exact to the
// microsecond: orders and comparisons by time are to the microsecond,
// ties falling to the id; the bodies keep the nanoseconds. An event's Data
// is a bytea column of its own, byte for byte.
//
// Every key starts with the workspace, and every query names it, but for
// those the contract makes install-wide (AccountByHandle, AllAccounts,
// DueJobs, NextDueAt, ExpiredIntents, APIKeyByHash, sessions, Workspaces,
// settings, the outbox's Seqs and cursors). The listings walk indexes in their own
// order (see each file), so that a page, a queue's heads or the due jobs
// cost what they return, not what the table holds. Tallies are counter
// rows moved by triggers (tallies.go).
//
// The schema is versioned migrations, embedded and applied in order
// (migrate.go); Open refuses a database of another version than this
// binary's, unless told to migrate an older one.
//
// # Transactions
//
// A View is a REPEATABLE READ, READ ONLY transaction: one consistent
// snapshot, which never waits for writers nor makes them wait. An Update
// is SERIALIZABLE: it commits only if the result is as if every Update had
// run one at a time, and PostgreSQL aborts it otherwise (a serialization
// failure, SQLSTATE 40001, or a deadlock, 40P01), at any statement or at
// commit. Update then runs its function again from the start, after a
// short random wait, up to 20 times: so the function may run more than
// once, and must have no effect outside the transaction but assigning its
// results. PostgreSQL tracks reads by index page, so Updates of
// neighbouring records may conflict too; the retry settles it. Tallies are
// rows of one account each, so Updates that work different accounts do
// not contend for a counter.
//
// An Update whose context asks for it (store.Snapshot) is REPEATABLE READ
// instead: it fails only on a row a concurrent transaction wrote, never
// for what it read near another's writes. The engine's send to send
// transaction asks, since it decides only on what the account's lease
// holder writes: with every account of a cluster sending at once, the
// index pages its reads lock under SERIALIZABLE (the next intent, the
// queue) were what failed it, most of the time.
//
// The outbox's order needs more than serializability: appenders are
// serialized until they commit by an advisory lock (outbox.go).
//
// # The queue
//
// Jobs run on River, in the same database (queue.go): an Update that puts
// pending jobs inserts, in its own transaction, the River jobs that will
// run them (a lane per account, a job per scrape), and Work runs a
// process's share of them.
package postgres
