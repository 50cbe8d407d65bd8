package engine

import (
	"context"
	"errors"
	"time"

	"github.com/outreachhq/outreach/core/service"
	"github.com/outreachhq/outreach/core/store"
	"github.com/outreachhq/outreach/sdk"
)

// finished is j in a final state, its lease given back.
func finished(j store.Job, state store.JobState, cause error, now time.Time) store.Job {
	j.State, j.UpdatedAt, j.Lease = state, now, store.Lease{}
	if state.Final() {
		j.DoneAt = now
	}
	if cause != nil {
		j.LastError = cause.Error()
	}
	return j
}

// finish records a job's final state, and what settling it settles.
func (e *Engine) finish(ctx context.Context, j store.Job, state store.JobState, cause error) error {
	return e.update(ctx, func(tx Tx) error {
		now := e.clk.Now()
		var err error
		if state == store.JobFailed {
			err = putFailed(tx, j, cause, now)
		} else {
			err = tx.PutJob(finished(j, state, cause, now))
		}
		if err != nil {
			return err
		}
		return settle(tx, j.Workspace, j.CampaignID, j.AccountID, now)
	})
}

// putFailed records that a job failed for good and, for a DM, appends its
// dm_failed event.
func putFailed(tx Tx, j store.Job, cause error, now time.Time) error {
	if err := tx.PutJob(finished(j, store.JobFailed, cause, now)); err != nil {
		return err
	}
	return service.DMFailed(tx, j, cause, now)
}

// report is what a transaction has to tell once it has committed.
type report struct {
	ev  *Event // progress, if any
	log func() // a line for the log, if any
}

// updateReporting commits fn, then tells what the run of it that
// committed reports: progress and log lines are told once they are
// durable, never from inside a transaction that may yet roll back or be
// run again.
func (e *Engine) updateReporting(ctx context.Context, fn func(Tx) (report, error)) error {
	var r report
	err := e.update(ctx, func(tx Tx) (err error) {
		r, err = fn(tx)
		return err
	})
	if err != nil {
		return err
	}
	if r.log != nil {
		r.log()
	}
	if r.ev != nil {
		e.observe(*r.ev)
	}
	return nil
}

// failedEvent is the progress event of a job that failed for good.
func failedEvent(j store.Job, cause error) *Event {
	return &Event{Kind: Failed, Workspace: j.Workspace, CampaignID: j.CampaignID, SourceID: j.SourceID, AccountID: j.AccountID, Err: cause}
}

// retry puts a job back to pending after a backoff, counting the attempt,
// or fails it once it has tried maxAttempts times (and reports its Failed
// event).
func (e *Engine) retry(tx Tx, j store.Job, cause error) (report, error) {
	now := e.clk.Now()
	j.Attempts++
	if j.Attempts >= maxAttempts {
		if err := putFailed(tx, j, cause, now); err != nil {
			return report{}, err
		}
		return report{ev: failedEvent(j, cause)}, settle(tx, j.Workspace, j.CampaignID, j.AccountID, now)
	}
	warn := func() { e.log.Warn("job failed; will retry", "job", j.ID, "attempt", j.Attempts, "error", cause) }
	return report{log: warn}, tx.PutJob(requeued(j, now.Add(e.backoff(j.Attempts)), cause))
}

// requeued is j pending again from at, its lease given back.
func requeued(j store.Job, at time.Time, cause error) store.Job {
	j.State, j.DueAt, j.Lease = store.JobPending, at, store.Lease{}
	if cause != nil {
		j.LastError = cause.Error()
	}
	return j
}

// failed handles a plugin error of a job that has no effect in doubt
// (scrapes, lookups): wait out rate limits and expired sessions, give up
// on permanent failures, retry the rest with backoff.
func (e *Engine) failed(ctx context.Context, j store.Job, err error) error {
	now := e.clk.Now()
	if ctx.Err() != nil {
		// Stopped, not failed: the process is stopping, or the queue's time
		// for this run is up. The job resumes from its checkpoint, its
		// attempts untouched.
		return e.update(ctx, func(tx Tx) error { return tx.PutJob(requeued(j, now, nil)) })
	}
	switch sdk.KindOf(err) {
	case sdk.RateLimited:
		return e.update(ctx, func(tx Tx) error { return tx.PutJob(requeued(j, retryAt(err, now), err)) })
	case sdk.SessionExpired, sdk.AccountBlocked, sdk.Automated:
		// Nothing works for the account until its credentials are renewed,
		// a person acts or X's cool-down passes; waiting must not use up
		// the job's attempts and fail its lead.
		e.log.Error("the account cannot act; waiting", "job", j.ID, "error", err)
		return e.update(ctx, func(tx Tx) error { return tx.PutJob(requeued(j, now.Add(heldRetry), err)) })
	case sdk.NotFound, sdk.Permanent, sdk.RecipientClosed:
		if ferr := e.finish(ctx, j, store.JobFailed, err); ferr != nil {
			return ferr
		}
		e.observe(*failedEvent(j, err))
		return nil
	}
	return e.updateReporting(ctx, func(tx Tx) (report, error) { return e.retry(tx, j, err) })
}

// heldRetry is how long an account whose session expired waits before it
// is tried again.
const heldRetry = time.Hour

// retryAt is when to try again after a rate limit: when it lifts, or in a
// quarter of an hour if the plugin does not say.
func retryAt(err error, now time.Time) time.Time {
	var se *sdk.Error
	if errors.As(err, &se) && se.ResetAt.After(now) {
		return se.ResetAt
	}
	return now.Add(15 * time.Minute)
}

// settle settles a campaign after a job of accountID settled
// (service.Settle).
func settle(tx Tx, ws, campaignID, accountID string, now time.Time) error {
	return service.Settle(tx, ws, campaignID, accountID, now)
}

// settleCampaign is settle of the campaign c as tx holds it.
func settleCampaign(tx Tx, c store.Campaign, accountID string, now time.Time) error {
	return service.SettleCampaign(tx, c, accountID, now)
}
