package engine

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/outreachhq/outreach/core/schedule"
	"github.com/outreachhq/outreach/core/store"
	"github.com/outreachhq/outreach/sdk"
)

// pausedRetry is how long a paused account's lanes wait before they are
// looked at again.
const pausedRetry = time.Hour

// send runs a first DM or follow-up job.
func (e *Engine) send(ctx context.Context, j store.Job) error {
	var (
		leftover    store.Intent
		hasLeftover bool
	)
	if err := e.st.View(func(tx *store.Tx) (err error) {
		leftover, hasLeftover, err = tx.Intent(j.Workspace, j.ID)
		return err
	}); err != nil {
		return err
	}
	if hasLeftover {
		// A run ended inside SendDM and Recover has not settled it: ask X
		// rather than send a second time.
		return e.recoverIntent(ctx, leftover)
	}
	var (
		c    store.Campaign
		a    store.Account
		lead store.Lead
	)
	err := e.st.View(func(tx *store.Tx) (err error) {
		if c, err = tx.Campaign(j.Workspace, j.CampaignID); err != nil {
			return err
		}
		if a, err = tx.Account(j.Workspace, j.AccountID); err != nil {
			return err
		}
		lead, err = tx.Lead(j.Workspace, j.LeadID)
		return err
	})
	if store.IsNotFound(err) {
		return e.finish(j, store.JobCancelled, errors.New("campaign, account or lead was removed"))
	}
	if err != nil {
		return err
	}
	now := e.opts.Clock.Now()
	if a.Paused || (j.Kind == store.JobFollowup && a.FollowupsPaused) {
		e.hold(j, now.Add(pausedRetry))
		return nil
	}
	// Waiting for the account's pacing, its hours, the campaign's window or
	// the next day's cap does not use an attempt, needs no plugin, and
	// writes nothing: the lane waits, and every job queued behind it.
	var slot time.Time
	err = e.st.View(func(tx *store.Tx) (err error) {
		slot, err = e.sendSlot(tx, a, c, now)
		return err
	})
	switch {
	case errors.Is(err, schedule.ErrNeverOpen):
		err = fmt.Errorf("the active hours of account @%s and the sending window of campaign %q are never open at the same time, so this DM cannot be sent: widen one of them", a.Handle, c.Name)
		e.opts.Observe(Event{Kind: Failed, Workspace: j.Workspace, CampaignID: j.CampaignID, AccountID: j.AccountID, Err: err})
		return e.finish(j, store.JobFailed, err)
	case errors.Is(err, schedule.ErrNoSlot):
		err = fmt.Errorf("account @%s: %w", a.Handle, err)
		e.opts.Observe(Event{Kind: Failed, Workspace: j.Workspace, CampaignID: j.CampaignID, AccountID: j.AccountID, Err: err})
		return e.finish(j, store.JobFailed, err)
	case err != nil:
		return err
	case slot.After(now):
		e.hold(j, slot)
		return nil
	}
	net, sess, err := e.connect(ctx, a)
	if err != nil {
		return e.failed(j, err)
	}
	a.XUserID = sess.UserID
	if j.Kind == store.JobFollowup {
		// Read replies first: a lead who answered a minute ago must not get
		// a "just bumping this". If X cannot list them, wait: a follow-up
		// sent blind may land on a lead who has just said stop.
		if err := e.readReplies(ctx, net, sess, a); err != nil {
			var re *readError
			if errors.As(err, &re) {
				return e.failed(j, err)
			}
			return err
		}
	}
	var (
		cancel bool
		why    error // why the job is cancelled, if it is not self-evident
	)
	err = e.st.View(func(tx *store.Tx) error {
		if tx.DoNotContact(j.Workspace, j.LeadID) {
			cancel = true
			return nil
		}
		if j.Kind == store.JobFollowup {
			conv, err := tx.Conversation(j.Workspace, j.ConversationID)
			if store.IsNotFound(err) {
				cancel, why = true, fmt.Errorf("conversation %q is not recorded", j.ConversationID)
				return nil
			}
			if err != nil {
				return err
			}
			if conv.Replied {
				cancel = true
				return nil
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	if cancel {
		return e.finish(j, store.JobCancelled, why)
	}
	text, ok := message(c, j)
	if !ok {
		return e.finish(j, store.JobCancelled, errors.New("the campaign no longer has this message"))
	}
	in := store.Intent{JobID: j.ID, Workspace: j.Workspace, AccountID: a.ID, RecipientID: lead.UserID, Text: Render(text, lead), At: now}
	if err := e.st.Update(func(tx *store.Tx) error { return tx.PutIntent(in) }); err != nil {
		return err
	}
	sent, err := net.SendDM(ctx, sess, in.RecipientID, in.Text)
	e.paced(a, now)
	if err == nil {
		return e.recordSent(c, j, in, sess.UserID, sent)
	}
	switch sdk.KindOf(err) {
	case "":
		if ctx.Err() != nil {
			// Interrupted during the call: X cannot be asked with a
			// finished context, so leave the intent, as a crash would, for
			// Recover on the next start.
			return ctx.Err()
		}
		// The call may or may not have reached X (a crash, a deadline, a
		// broken connection): ask X before deciding anything.
		return e.resolve(ctx, net, sess, j, in)
	case sdk.RateLimited:
		// X limits DMs per account: the account's other jobs wait for the
		// reset too, rather than each hitting the limit again.
		if at := retryAt(err, now); at.After(e.nextSend[a.ID]) {
			e.nextSend[a.ID] = at
		}
	case sdk.SessionExpired:
		// The account's other jobs would fail the same way: hold them all.
		if at := now.Add(pausedRetry); at.After(e.nextSend[a.ID]) {
			e.nextSend[a.ID] = at
		}
	}
	// Every typed error means the DM was not sent. A hold of the account
	// is kept with it, so it outlasts a restart.
	derr := e.st.Update(func(tx *store.Tx) error {
		if at := e.nextSend[a.ID]; at.After(now) {
			if err := tx.SetNextSend(a.Workspace, a.ID, at); err != nil {
				return err
			}
		}
		return tx.DeleteIntent(in.Workspace, in.JobID)
	})
	if derr != nil {
		return derr
	}
	return e.failed(j, err)
}

// message returns the template a job sends.
func message(c store.Campaign, j store.Job) (string, bool) {
	if j.Variant < 0 || j.Variant >= len(c.Variants) {
		return "", false
	}
	v := c.Variants[j.Variant]
	if j.Step == 0 {
		return v.Message, true
	}
	if j.Step > len(v.Followups) {
		return "", false
	}
	return v.Followups[j.Step-1].Message, true
}

// recordSent replaces a send's intent with its outcome, in one transaction:
// the job is done, the message is in the conversation, the counters move,
// the account's next send time is kept and the next follow-up is queued
// (if the campaign still has one). senderID is the account's X user id.
func (e *Engine) recordSent(c store.Campaign, j store.Job, in store.Intent, senderID string, sent sdk.SentDM) error {
	now := e.opts.Clock.Now()
	convID := sent.ConversationID
	if convID == "" {
		// A plugin that does not say: X forms one-to-one ids this way, and
		// replies are matched on it.
		convID = conversationID(senderID, in.RecipientID)
	}
	err := e.st.Update(func(tx *store.Tx) error {
		j.State, j.UpdatedAt, j.DoneAt = store.JobDone, now, now
		j.ConversationID, j.EventID, j.LastError = convID, sent.EventID, ""
		if err := tx.PutJob(j); err != nil {
			return err
		}
		conv, err := tx.Conversation(j.Workspace, convID)
		if store.IsNotFound(err) {
			conv = store.Conversation{
				ID: convID, Workspace: j.Workspace, AccountID: j.AccountID, LeadID: j.LeadID,
				CampaignID: j.CampaignID, Variant: j.Variant, CreatedAt: now,
			}
		} else if err != nil {
			return err
		}
		conv.LastAt = now
		if err := tx.PutConversation(conv); err != nil {
			return err
		}
		msg := store.Message{ID: sent.EventID, ConversationID: convID, SenderID: senderID, Text: in.Text, Sent: true, At: now}
		if _, err := tx.AddMessage(j.Workspace, msg); err != nil {
			return err
		}
		if err := tx.AddCounter(j.Workspace, 1, "dms_sent", j.AccountID); err != nil {
			return err
		}
		// The DM counts against the cap of the day it was sent on, in the
		// account's cap time zone.
		if a, err := tx.Account(j.Workspace, j.AccountID); err == nil {
			if err := tx.AddCounter(j.Workspace, 1, sentDay, a.ID, schedule.DayOf(in.At, capLocation(a)).Key()); err != nil {
				return err
			}
		} else if !store.IsNotFound(err) {
			return err
		}
		if at := e.nextSend[j.AccountID]; !at.IsZero() {
			if err := tx.SetNextSend(j.Workspace, j.AccountID, at); err != nil {
				return err
			}
		}
		if fu, ok := nextFollowup(c, j, convID, now); ok {
			if err := tx.PutJob(fu); err != nil {
				return err
			}
		}
		return tx.DeleteIntent(in.Workspace, in.JobID)
	})
	if err != nil {
		return fmt.Errorf("record sent DM: %w", err)
	}
	e.opts.Observe(Event{Kind: Sent, Workspace: j.Workspace, CampaignID: j.CampaignID, AccountID: j.AccountID, Variant: j.Variant, Step: j.Step})
	return nil
}

// conversationID is the id X gives the one-to-one conversation of two
// users: {smaller id}-{larger id}, ids compared as numbers.
func conversationID(a, b string) string {
	if len(a) > len(b) || len(a) == len(b) && a > b {
		a, b = b, a
	}
	return a + "-" + b
}

// nextFollowup returns the follow-up job after j, if the variant has one.
func nextFollowup(c store.Campaign, j store.Job, convID string, now time.Time) (store.Job, bool) {
	if j.Variant >= len(c.Variants) || j.Step >= len(c.Variants[j.Variant].Followups) {
		return store.Job{}, false
	}
	fu := c.Variants[j.Variant].Followups[j.Step]
	return store.Job{
		ID: FollowupJobID(j.CampaignID, j.LeadID, j.Step+1), Workspace: j.Workspace, Kind: store.JobFollowup,
		State: store.JobPending, DueAt: now.Add(fu.After), CampaignID: j.CampaignID, AccountID: j.AccountID,
		LeadID: j.LeadID, Variant: j.Variant, Step: j.Step + 1, ConversationID: convID, CreatedAt: now, UpdatedAt: now,
	}, true
}
