// Package store holds outreach's domain records (accounts, sources, leads,
// campaigns, jobs, intents, conversations, events, ...), the rules that
// travel with them and that both the engine and the plan apply (calendar
// arithmetic, what a Policy refuses), and the seam every store
// implementation fits: transactions of one kind, Transactor, that a
// consumer narrows to the interface it declares for itself.
//
// It is not a store. The implementations live in sub-packages: bunt (the
// embedded buntdb file, the default) and, for several processes, postgres.
// Neither the records nor this package say anything of keys, tables or
// encodings; storetest is the conformance suite every implementation runs,
// and its Tx interface is the whole contract, method by method.
//
// Consumers declare what they use where they use it (engine.Tx,
// service.Tx, ...), in the domain's terms: "the next job of each campaign
// of this account", "intents whose lease has expired", "conversations after
// this cursor". Narrow adapts an implementation's transactions to such an
// interface.
package store
