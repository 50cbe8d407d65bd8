// Package plan compares the objects a configuration declares with the
// objects the store holds and says what applying it would change, and what
// work that implies: the lists to scrape, the DMs per account, and when each
// campaign should be done given caps, pacing, windows and warmup. A Plan is
// a value: it can be printed as text or JSON, saved to a file and applied
// later. Secrets are compared by keyed digest and never held.
//
// It holds no business rules: the service applies a plan.
package plan
