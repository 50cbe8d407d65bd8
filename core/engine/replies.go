package engine

import (
	"context"
	"errors"
	"strings"

	"github.com/outreachhq/outreach/core/store"
	"github.com/outreachhq/outreach/sdk"
)

// pollReplies reads new DM events of every account that has sent DMs.
func (e *Engine) pollReplies(ctx context.Context) error {
	var accounts []store.Account
	err := e.st.View(func(tx *store.Tx) error {
		all, err := tx.AllAccounts()
		if err != nil {
			return err
		}
		for _, a := range all {
			if n, err := tx.Counter(a.Workspace, "dms_sent", a.ID); err != nil {
				return err
			} else if n > 0 {
				accounts = append(accounts, a)
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, a := range accounts {
		if err := e.pollAccount(ctx, a); err != nil {
			return err
		}
	}
	return nil
}

// pollAccount records the account's new DM events (see readReplies).
// Failures to reach X are logged and left for the next poll.
func (e *Engine) pollAccount(ctx context.Context, a store.Account) error {
	net, sess, err := e.connect(ctx, a)
	if err != nil {
		e.opts.Logger.Warn("read replies", "account", a.Handle, "error", err)
		return nil
	}
	err = e.readReplies(ctx, net, sess, a)
	var re *readError
	if errors.As(err, &re) {
		e.opts.Logger.Warn("read replies", "account", a.Handle, "error", err)
		return nil
	}
	return err
}

// readError is X failing to list an account's DM events, as opposed to the
// store failing.
type readError struct{ err error }

func (r *readError) Error() string { return "read DM events: " + r.err.Error() }
func (r *readError) Unwrap() error { return r.err }

// readReplies records the account's new DM events. A lead's first reply
// marks the conversation replied and cancels its pending follow-ups in the
// same transaction; an opt-out also puts the lead on the do-not-contact
// list. It returns a *readError if X could not be read.
func (e *Engine) readReplies(ctx context.Context, net sdk.Network, sess sdk.Session, a store.Account) error {
	var cursor string
	if err := e.st.View(func(tx *store.Tx) (err error) {
		cursor, err = tx.DMCursor(a.Workspace, a.ID)
		return err
	}); err != nil {
		return err
	}
	events, next, err := net.ReadDMEvents(ctx, sess, cursor)
	if err != nil {
		return &readError{err}
	}
	if len(events) == 0 && next == cursor {
		return nil // nothing to commit (and sync)
	}
	var replied []Event
	err = e.st.Update(func(tx *store.Tx) error {
		replied = replied[:0]
		for _, ev := range events {
			if ev.EventType != "" && ev.EventType != "MessageCreate" {
				continue
			}
			if ev.ConversationID == "" && ev.SenderID != sess.UserID {
				ev.ConversationID = conversationID(ev.SenderID, sess.UserID) // as recordSent names it
			}
			conv, err := tx.Conversation(a.Workspace, ev.ConversationID)
			if store.IsNotFound(err) {
				continue // not a conversation outreach started
			}
			if err != nil {
				return err
			}
			msg := store.Message{ID: ev.ID, ConversationID: ev.ConversationID, SenderID: ev.SenderID, Text: ev.Text, Sent: ev.SenderID == sess.UserID, At: ev.CreatedAt}
			added, err := tx.AddMessage(a.Workspace, msg)
			if err != nil || !added || msg.Sent {
				if err != nil {
					return err
				}
				continue
			}
			conv.LastAt, conv.Unread = ev.CreatedAt, true
			if IsOptOut(ev.Text) {
				if err := tx.AddDoNotContact(a.Workspace, conv.LeadID, "opted out: "+ev.Text); err != nil {
					return err
				}
			}
			if !conv.Replied {
				conv.Replied, conv.RepliedAt = true, ev.CreatedAt
				if err := e.cancelFollowups(tx, conv); err != nil {
					return err
				}
				replied = append(replied, Event{Kind: Replied, Workspace: a.Workspace, CampaignID: conv.CampaignID, AccountID: a.ID, Variant: conv.Variant})
			}
			if err := tx.PutConversation(conv); err != nil {
				return err
			}
		}
		return tx.SetDMCursor(a.Workspace, a.ID, next)
	})
	if err != nil {
		return err
	}
	for _, ev := range replied {
		e.opts.Observe(ev)
	}
	return nil
}

// cancelFollowups cancels the pending follow-ups of a conversation's lead.
func (e *Engine) cancelFollowups(tx *store.Tx, conv store.Conversation) error {
	if conv.CampaignID == "" {
		return nil
	}
	jobs, err := tx.Jobs(conv.Workspace, followupPrefix(conv.CampaignID, conv.LeadID))
	if err != nil {
		return err
	}
	for _, j := range jobs {
		if j.State == store.JobPending {
			if err := tx.PutJob(e.finished(j, store.JobCancelled, nil)); err != nil {
				return err
			}
		}
	}
	return nil
}

// optOutPhrases end all contact when a reply contains one of them.
var optOutPhrases = []string{"stop", "unsubscribe", "remove me", "opt out", "opt-out", "do not contact", "don't contact", "do not message", "don't message"}

// apostrophes straightens the curly apostrophes phones type ("don’t"), so
// the phrases above match them.
var apostrophes = strings.NewReplacer("\u2019", "'", "\u2018", "'")

// IsOptOut reports whether a reply asks not to be contacted again. "stop"
// counts only as a word of its own ("non-stop" and "stopped by" do not).
func IsOptOut(text string) bool {
	t := strings.ToLower(apostrophes.Replace(text))
	for _, p := range optOutPhrases {
		for i := strings.Index(t, p); i >= 0; {
			end := i + len(p)
			if (i == 0 || !isWordByte(t[i-1])) && (end == len(t) || !isWordByte(t[end])) {
				return true
			}
			next := strings.Index(t[i+1:], p)
			if next < 0 {
				break
			}
			i += next + 1
		}
	}
	return false
}

func isWordByte(b byte) bool {
	return b == '-' || b == '_' || b >= '0' && b <= '9' || b >= 'a' && b <= 'z'
}
