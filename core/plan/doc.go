// Package plan compares the objects a configuration declares with the
// objects the store holds and says what applying it would change, and what
// work that implies. A Plan is a value: it can be printed as text or JSON
// and applied later.
//
// It holds no business rules: the service applies a plan.
package plan
