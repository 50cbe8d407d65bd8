// Package service is the one operation layer: every user action (add an
// account, create a lead source, launch a campaign, send a DM, update the
// CRM, schedule a tweet, resolve a send in doubt, ...) is an operation here,
// and `outreach apply`, the REST API and the dashboard all call the same
// operations. Each validates its input with errors that name the field,
// applies the business rules (eligibility, deduplication, distribution over
// accounts, variant assignment, ownership) and writes in one transaction,
// appending to the event outbox in that same transaction.
//
// It reads and writes through the narrow Tx it declares, never a store
// implementation, and does not talk to plugins: effects on X happen in the
// engine, which it wakes when it writes work.
package service
