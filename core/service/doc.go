// Package service holds the operations that both the REST API and
// `outreach apply` perform: adding accounts, creating lead sources,
// launching campaigns, reading analytics. It owns the business rules; the
// API and the CLI only translate to and from it.
//
// It does not talk to plugins: effects on X happen in the engine.
package service
