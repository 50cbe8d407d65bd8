package engine

import (
	"context"
	"errors"
	"fmt"
	"slices"
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
		if err := e.recoverIntent(ctx, in); err != nil {
			return fmt.Errorf("recover intent of job %s: %w", in.JobID, err)
		}
	}
	return nil
}

// recoverIntent settles one intent found without an outcome.
func (e *Engine) recoverIntent(ctx context.Context, in store.Intent) error {
	var (
		j               store.Job
		a               store.Account
		jobErr, acctErr error
	)
	if err := e.st.View(func(tx *store.Tx) error {
		j, jobErr = tx.Job(in.Workspace, in.JobID)
		a, acctErr = tx.Account(in.Workspace, in.AccountID)
		return nil
	}); err != nil {
		return err
	}
	switch {
	case store.IsNotFound(jobErr) || jobErr == nil && j.State != store.JobPending:
		// Nothing waits on the outcome any more.
		e.opts.Logger.Warn("dropping the intent of a job that is gone or settled", "job", in.JobID)
		return e.st.Update(func(tx *store.Tx) error { return tx.DeleteIntent(in.Workspace, in.JobID) })
	case jobErr != nil:
		return jobErr
	case store.IsNotFound(acctErr):
		return e.park(j, in, errors.New("its account was removed, so X cannot be asked"))
	case acctErr != nil:
		return acctErr
	}
	net, sess, err := e.connect(ctx, a)
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return e.park(j, in, err)
	}
	// If the send happened, the account's pause started with it.
	e.paced(a, in.At)
	return e.resolve(ctx, net, sess, j, in)
}

// resolve settles a send in doubt by reading the conversation on X: the DM
// is there (record it as sent), it is not (retry it), or X cannot say (park
// the job for a person: a lead is never sent a first DM twice).
func (e *Engine) resolve(ctx context.Context, net sdk.Network, sess sdk.Session, j store.Job, in store.Intent) error {
	events, err := net.ConversationEvents(ctx, sess, in.RecipientID, 50)
	if err != nil && sdk.KindOf(err) != sdk.NotFound {
		if ctx.Err() != nil {
			return ctx.Err() // left for Recover, like a crash
		}
		return e.park(j, in, err)
	}
	var (
		c     store.Campaign
		known []store.Message
	)
	err = e.st.View(func(tx *store.Tx) (err error) {
		if c, err = tx.Campaign(j.Workspace, j.CampaignID); store.IsNotFound(err) {
			err = nil // still record the DM; there is no follow-up to queue
		}
		if err != nil {
			return err
		}
		convs := []string{conversationID(sess.UserID, in.RecipientID)}
		for _, ev := range events {
			if ev.ConversationID != "" && !slices.Contains(convs, ev.ConversationID) {
				convs = append(convs, ev.ConversationID)
			}
		}
		for _, id := range convs {
			msgs, err := tx.Messages(j.Workspace, id)
			if err != nil {
				return err
			}
			known = append(known, msgs...)
		}
		return nil
	})
	if err != nil {
		return err
	}
	// Only this account's DMs the store does not hold yet can be this send.
	var unknown []sdk.DMEvent
	for _, ev := range events {
		if ev.SenderID == sess.UserID && !slices.ContainsFunc(known, func(m store.Message) bool { return m.ID == ev.ID }) {
			unknown = append(unknown, ev)
		}
	}
	for _, ev := range unknown {
		if ev.Text == in.Text {
			return e.recordSent(c, j, in, sess.UserID, sdk.SentDM{ConversationID: ev.ConversationID, EventID: ev.ID})
		}
	}
	for _, ev := range unknown {
		// Clocks differ between us and X: allow a minute of skew.
		if !ev.CreatedAt.Before(in.At.Add(-time.Minute)) {
			// A DM from this account since the intent, in other words: X
			// may have rewritten it (links become t.co links) or a person
			// sent it. It cannot be told apart from this send.
			return e.park(j, in, fmt.Errorf("X shows a DM %s from this account since the send, with other text", ev.ID))
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
	err := e.st.Update(func(tx *store.Tx) error {
		if err := tx.PutJob(e.finished(j, store.JobNeedsReview, fmt.Errorf("send in doubt: %w", cause))); err != nil {
			return err
		}
		return tx.DeleteIntent(in.Workspace, in.JobID)
	})
	if err != nil {
		return err
	}
	e.opts.Observe(Event{Kind: Failed, Workspace: j.Workspace, CampaignID: j.CampaignID, AccountID: j.AccountID, Err: cause})
	return nil
}
