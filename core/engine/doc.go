// Package engine runs the work: it leases due jobs from the store, scrapes
// lead sources, sends first DMs and follow-ups through network plugins with
// per-account pacing, reads replies, and recovers after a crash.
//
// DMs and follow-ups wait in per-account send queues (one per campaign and
// kind); the engine reads only each queue's head, and an account or queue
// that must wait (pacing, caps, windows, pauses, rate limits) is held in
// memory rather than by rewriting its jobs, so a send costs two commits
// however many jobs are queued.
//
// Every effect on X follows the same order: an intent record is committed
// (and synced) before the plugin is called, and the outcome replaces it in
// one transaction. An intent found without an outcome is resolved by
// reading the conversation on X; when X cannot say, the job is parked as
// needs_review and never resent.
//
// When an account may send (its pacing, its active hours, the campaign's
// window, its daily cap lowered by warmup) is core/schedule's arithmetic,
// which the plan's estimate uses too, so the two cannot disagree.
//
// The engine does not decide what to run: the service writes campaigns,
// sources and jobs; the engine executes them.
package engine
