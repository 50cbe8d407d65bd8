package engine

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/outreachhq/outreach/core/store"
	"github.com/outreachhq/outreach/sdk"
)

// pausedRetry is how long a job waits when its account is paused.
const pausedRetry = time.Hour

// send runs a first DM or follow-up job.
func (e *Engine) send(ctx context.Context, j store.Job) error {
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
		return e.retryLater(j, now.Add(pausedRetry), nil)
	}
	net, sess, err := e.connect(ctx, a)
	if err != nil {
		return e.failed(j, err)
	}
	a.XUserID = sess.UserID
	if j.Kind == store.JobFollowup {
		// Read replies first: a lead who answered a minute ago must not get
		// a "just bumping this".
		if err := e.pollAccount(ctx, a); err != nil {
			return err
		}
	}
	var (
		stop bool
		slot time.Time
	)
	err = e.st.View(func(tx *store.Tx) error {
		if tx.DoNotContact(j.Workspace, j.LeadID) {
			stop = true
			return nil
		}
		if j.Kind == store.JobFollowup {
			conv, err := tx.Conversation(j.Workspace, j.ConversationID)
			if err != nil {
				return err
			}
			if conv.Replied {
				stop = true
				return nil
			}
		}
		slot, err = e.sendSlot(tx, a, now)
		return err
	})
	if err != nil {
		return err
	}
	if stop {
		return e.finish(j, store.JobCancelled, nil)
	}
	if slot.After(now) {
		return e.retryLater(j, slot, nil)
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
		return e.recordSent(c, j, in, sent)
	}
	switch sdk.KindOf(err) {
	case "":
		// The call may or may not have reached X (a crash, a deadline, a
		// broken connection): ask X before deciding anything.
		return e.resolve(ctx, net, sess, j, in)
	case sdk.SessionExpired:
		e.opts.Logger.Error("account session expired", "account", a.Handle, "error", err)
	}
	// Every typed error means the DM was not sent.
	if derr := e.st.Update(func(tx *store.Tx) error { return tx.DeleteIntent(in.Workspace, in.JobID) }); derr != nil {
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
// the job is done, the message is in the conversation, the counters move and
// the next follow-up is queued.
func (e *Engine) recordSent(c store.Campaign, j store.Job, in store.Intent, sent sdk.SentDM) error {
	now := e.opts.Clock.Now()
	err := e.st.Update(func(tx *store.Tx) error {
		j.State, j.UpdatedAt, j.DoneAt = store.JobDone, now, now
		j.ConversationID, j.EventID, j.LastError = sent.ConversationID, sent.EventID, ""
		if err := tx.PutJob(j); err != nil {
			return err
		}
		conv, err := tx.Conversation(j.Workspace, sent.ConversationID)
		if store.IsNotFound(err) {
			conv = store.Conversation{
				ID: sent.ConversationID, Workspace: j.Workspace, AccountID: j.AccountID, LeadID: j.LeadID,
				CampaignID: j.CampaignID, Variant: j.Variant, CreatedAt: now,
			}
		} else if err != nil {
			return err
		}
		conv.LastAt = now
		if err := tx.PutConversation(conv); err != nil {
			return err
		}
		acct, err := tx.Account(j.Workspace, j.AccountID)
		if err != nil {
			return err
		}
		msg := store.Message{ID: sent.EventID, ConversationID: sent.ConversationID, SenderID: acct.XUserID, Text: in.Text, Sent: true, At: now}
		if _, err := tx.AddMessage(j.Workspace, msg); err != nil {
			return err
		}
		if err := tx.AddCounter(j.Workspace, 1, "dms_sent", j.AccountID); err != nil {
			return err
		}
		if err := tx.AddCounter(j.Workspace, 1, "sent_day", j.AccountID, dayKey(now)); err != nil {
			return err
		}
		if fu, ok := nextFollowup(c, j, sent.ConversationID, now); ok {
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
