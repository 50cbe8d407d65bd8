// Package plan is a pure diff: it compares the objects a configuration
// declares with a snapshot of what the store holds, both handed to it as
// records (Objects, Snapshot), and says what applying would change and what
// work that implies: the lists to scrape, the DMs per account, and when each
// campaign should be done given caps, pacing, windows and warmup. A Plan is
// a value: it can be printed as text or JSON, saved to a file and applied
// later. Secrets are compared by keyed digest and never held.
//
// It reads nothing and decides nothing: the service builds both sides and
// applies a plan. It imports neither the engine nor a store implementation;
// the estimate uses core/schedule and the records' calendar methods, which
// the engine sends by, and what a campaign's policy refuses comes from
// store.Policy, which the engine refuses by.
package plan
