package engine

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/outreachhq/outreach/core/store"
	"github.com/outreachhq/outreach/sdk"
)

// Recover resolves every intent left without an outcome by a crash, before
// any new work runs.
func (e *Engine) Recover(ctx context.Context) error {
	var intents []store.Intent
	if err := e.st.View(func(tx *store.Tx) (err error) {
		intents, err = tx.Intents()
		return err
	}); err != nil {
		return err
	}
	for _, in := range intents {
		var (
			j store.Job
			a store.Account
		)
		err := e.st.View(func(tx *store.Tx) (err error) {
			if j, err = tx.Job(in.Workspace, in.JobID); err != nil {
				return err
			}
			a, err = tx.Account(in.Workspace, in.AccountID)
			return err
		})
		if err != nil {
			return fmt.Errorf("recover intent of job %s: %w", in.JobID, err)
		}
		net, sess, err := e.connect(ctx, a)
		if err != nil {
			if err := e.park(j, in, err); err != nil {
				return err
			}
			continue
		}
		if err := e.resolve(ctx, net, sess, j, in); err != nil {
			return err
		}
	}
	return nil
}

// resolve settles a send in doubt by reading the conversation on X: the DM
// is there (record it as sent), it is not (retry it), or X cannot say (park
// the job for a person: a lead is never sent a first DM twice).
func (e *Engine) resolve(ctx context.Context, net sdk.Network, sess sdk.Session, j store.Job, in store.Intent) error {
	events, err := net.ConversationEvents(ctx, sess, in.RecipientID, 50)
	if err != nil && sdk.KindOf(err) != sdk.NotFound {
		return e.park(j, in, err)
	}
	for _, ev := range events {
		// Clocks differ between us and X: allow a minute of skew.
		if ev.SenderID == sess.UserID && ev.Text == in.Text && !ev.CreatedAt.Before(in.At.Add(-time.Minute)) {
			var c store.Campaign
			if err := e.st.View(func(tx *store.Tx) (err error) {
				c, err = tx.Campaign(j.Workspace, j.CampaignID)
				return err
			}); err != nil {
				return err
			}
			return e.recordSent(c, j, in, sdk.SentDM{ConversationID: ev.ConversationID, EventID: ev.ID})
		}
	}
	if err := e.st.Update(func(tx *store.Tx) error { return tx.DeleteIntent(in.Workspace, in.JobID) }); err != nil {
		return err
	}
	return e.failed(j, errors.New("send did not reach X; retrying"))
}

// park marks a job in doubt as needs_review, keeping the reason.
func (e *Engine) park(j store.Job, in store.Intent, cause error) error {
	e.opts.Logger.Error("send in doubt; parked for review", "job", j.ID, "error", cause)
	e.opts.Observe(Event{Kind: Failed, Workspace: j.Workspace, CampaignID: j.CampaignID, AccountID: j.AccountID, Err: cause})
	return e.st.Update(func(tx *store.Tx) error {
		if err := tx.PutJob(e.finished(j, store.JobNeedsReview, fmt.Errorf("send in doubt: %w", cause))); err != nil {
			return err
		}
		return tx.DeleteIntent(in.Workspace, in.JobID)
	})
}
