// Package engine runs the work the service writes: it leases due jobs,
// scrapes lead sources, engages with leads and sends first DMs, follow-ups
// and people's messages and posts scheduled tweets through network
// plugins, reads replies, and resolves sends and posts in doubt.
//
// Every account is worked by one worker at a time, anywhere: a worker
// takes the account's lease (stored, with an owner and an expiry, renewed
// while it works) before it acts as the account, and several engines, in
// one process or several, share the accounts between them. A bounded pool
// of workers runs at once, so an account whose plugin call hangs, or whose
// rate limit holds it, never delays another account's send. Pacing, holds
// and their reasons are stored with the account's state, not kept in
// memory, so they hold across restarts and engines.
//
// A send is three steps. The guard decides whether it may go now (pauses
// and holds, pacing, active hours, the campaign's window, the day's cap,
// do-not-contact, a reply). The effect commits an intent record (durably,
// with the lease) and then calls the plugin. The record step replaces the
// intent with the outcome in one transaction: the job, the conversation,
// the counters, the next follow-up and the outbox events.
//
// An intent whose lease has expired is in doubt: its worker died between
// the two. So is a send that ended in a timeout, a cut connection, a 5xx,
// an unreadable answer, or any error a plugin does not type as "not sent".
// Either way the engine reads the conversation on X before anything is
// retried, and parks the job as needs_review when X cannot say: a lead is
// never sent a first DM twice. A scheduled tweet is posted in the same
// three steps, under its account's lease; a post in doubt is resolved by
// reading the account's own recent posts (tweets.go). So is each step of
// the engagement a campaign may ask for before its first DM (follow, like,
// comment): stages of the first DM's job, each with its intent, its daily
// cap and its outcome, none of which ever stops the DM (engage.go).
//
// The engine decides nothing about what to run: operations in core/service
// write campaigns, sources and jobs, and wake it. When an account may send
// is core/schedule's arithmetic, which the plan's estimate uses too.
package engine
