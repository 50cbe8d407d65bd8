package engine

import (
	"context"
	"errors"
	"time"

	"github.com/outreachhq/outreach/core/service"
	"github.com/outreachhq/outreach/core/store"
	"github.com/outreachhq/outreach/sdk"
)

// poll reads the account's new DM events, under its lease, and sets when
// it reads them next (readReplies does, with what it read, if it could).
// Failing to reach X is logged and left for the next read.
func (e *Engine) poll(ctx context.Context, a store.Account) error {
	net, sess, err := e.connect(ctx, a)
	if err == nil {
		err = e.readReplies(ctx, net, sess, a)
	}
	var (
		re *readError
		ce *connectErr
	)
	switch {
	case ctx.Err() != nil:
		return ctx.Err()
	case err != nil && !errors.As(err, &re) && !errors.As(err, &ce):
		return err
	case err == nil:
		return nil // readReplies set the next read
	default:
		e.log.Warn("read replies", "account", a.Handle, "error", err)
	}
	every := e.pollEvery(ctx, a)
	return e.update(ctx, func(tx Tx) error {
		st, err := tx.AccountState(a.Workspace, a.ID)
		if err != nil {
			return err
		}
		st.NextPollAt = e.clk.Now().Add(every)
		return tx.PutAccountState(st)
	})
}

// pollAll reads the replies of every account that reads them, each under
// its lease: the last thing a foreground run does.
func (e *Engine) pollAll(ctx context.Context) error {
	var accounts []store.Account
	err := e.view(ctx, func(tx Tx) error {
		all, err := tx.AllAccounts()
		for _, a := range all {
			st, err := tx.AccountState(a.Workspace, a.ID)
			if err != nil {
				return err
			}
			if !st.NextPollAt.IsZero() {
				accounts = append(accounts, a)
			}
		}
		return err
	})
	for _, a := range accounts {
		if err != nil || ctx.Err() != nil {
			break
		}
		l, _, lerr := e.acquireAccount(ctx, a.Workspace, a.ID)
		if l == nil {
			err = lerr
			continue
		}
		err = e.poll(ctx, a)
		if rerr := e.releaseAccount(ctx, l); err == nil {
			err = rerr
		}
	}
	return err
}

// readError is X failing to list an account's DM events, as opposed to the
// store failing.
type readError struct{ err error }

func (r *readError) Error() string { return "read DM events: " + r.err.Error() }
func (r *readError) Unwrap() error { return r.err }

// readReplies records the account's new DM events. The leads' new
// replies are classified first, outside the transaction (classifyReplies);
// then, in one transaction, each message is recorded, a conversation the
// lead started is created, a lead's first reply marks the conversation
// replied and cancels its pending follow-ups, and an opt-out puts the lead
// on the do-not-contact list. Each reply appends a new_reply event (and an
// opt-out a lead_opted_out one). The account's state records where the
// read ended and when it was made, even if it found nothing, and (for an
// account that polls) when it reads next. It returns a *readError if X
// could not be read.
func (e *Engine) readReplies(ctx context.Context, net sdk.Network, sess sdk.Session, a store.Account) error {
	var cursor string
	if err := e.view(ctx, func(tx Tx) error {
		st, err := tx.AccountState(a.Workspace, a.ID)
		cursor = st.DMCursor
		return err
	}); err != nil {
		return err
	}
	// What X lists is as of the call, or a little later: the read counts
	// from when it was asked for.
	readAt := e.clk.Now()
	events, next, err := net.ReadDMEvents(ctx, sess, cursor)
	if err != nil {
		return &readError{err}
	}
	var verdicts map[string]classified
	if len(events) > 0 {
		if verdicts, err = e.classifyReplies(ctx, a, sess, events); err != nil {
			return err
		}
	}
	var replied []Event
	every := e.pollEvery(ctx, a)
	err = e.update(ctx, func(tx Tx) error {
		replied = replied[:0]
		now := e.clk.Now()
		if err := e.addSpend(tx, a, sdk.OpDMEvents, 1, len(events), now); err != nil {
			return err
		}
		for _, ev := range events {
			first, err := e.recordEvent(tx, a, sess, ev, verdicts[ev.ID], now)
			if err != nil {
				return err
			}
			if first != nil {
				replied = append(replied, *first)
			}
		}
		st, err := tx.AccountState(a.Workspace, a.ID)
		if err != nil {
			return err
		}
		st.DMCursor, st.DMReadAt = next, readAt
		if !st.NextPollAt.IsZero() {
			// A read, whoever asked for it, puts off the next poll.
			st.NextPollAt = now.Add(every)
		}
		return tx.PutAccountState(st)
	})
	if err != nil {
		return err
	}
	for _, ev := range replied {
		e.observe(ev)
	}
	return nil
}

// recordEvent records one DM event of the account's, with what the classifier said of
// it if it is a reply, and returns a Replied event for a lead's first
// reply. A lead's message in a conversation outreach does not know starts
// one; the account's own DMs are recorded only in conversations it knows.
func (e *Engine) recordEvent(tx Tx, a store.Account, sess sdk.Session, ev sdk.DMEvent, v classified, now time.Time) (*Event, error) {
	convID, inbound, ok := eventConversation(ev, sess)
	if !ok {
		return nil, nil
	}
	conv, err := tx.Conversation(a.Workspace, convID)
	switch {
	case store.IsNotFound(err) && inbound && convID == store.ConversationID(ev.SenderID, sess.UserID):
		conv = store.Conversation{ID: convID, Workspace: a.Workspace, AccountID: a.ID, LeadID: ev.SenderID, Inbound: true, CreatedAt: now}
	case store.IsNotFound(err):
		return nil, nil // a group's, or a DM the account sent outside outreach
	case err != nil:
		return nil, err
	}
	// The engine acts on the shared detector, and on a classifier that
	// reads an opt-out it misses.
	optOut := inbound && (sdk.IsOptOut(ev.Text) || v.optOut)
	msg := store.Message{
		ID: ev.ID, Workspace: a.Workspace, ConversationID: conv.ID, SenderID: ev.SenderID, Text: ev.Text, Sent: !inbound, At: ev.CreatedAt,
		Polled: true, Sentiment: v.sentiment, Unclassified: v.why,
		Confidence: v.confidence, OptOut: optOut, Booking: v.booking, Provenance: v.provenance,
	}
	if inbound && v == (classified{}) {
		// Classified before the transaction only if new then: a message
		// that arrived between the two is recorded, unclassified.
		msg.Unclassified = "not classified: it was recorded while it was being read"
	}
	added, err := tx.AddMessage(msg)
	if err != nil || !added {
		return nil, err
	}
	conv.MessageCount++
	if !ev.CreatedAt.Before(conv.LastAt) {
		conv.LastAt, conv.LastText, conv.LastSent = ev.CreatedAt, ev.Text, !inbound
	}
	conv.UpdatedAt = now
	if !inbound {
		// A DM of the account's that no send recorded: a person may have
		// answered on X itself, and the AI setter then stays out.
		if byHand, err := sentByHand(tx, conv, ev.Text); err != nil {
			return nil, err
		} else if byHand {
			conv.HumanAnswered = true
		}
		return nil, tx.PutConversation(conv)
	}
	conv.Unread = true
	if v.sentiment != "" {
		conv.Sentiment = v.sentiment
		if conv.CRM.Tag == "" || conv.AutoTag {
			conv.CRM.Tag, conv.AutoTag = sentimentTags[v.sentiment], true
		}
	}
	lead, err := tx.Lead(a.Workspace, conv.LeadID)
	if err != nil && !store.IsNotFound(err) {
		return nil, err
	}
	reply := store.NewReplyData{
		ConversationID: conv.ID, AccountHandle: a.Handle, Receiver: receiverOf(lead, conv.LeadID),
		Message: store.EventMessage{ID: ev.ID, Text: ev.Text, CreatedAt: service.Timestamp(ev.CreatedAt)},
	}
	if err := service.AppendEvent(tx, a.Workspace, store.EventNewReply, now, reply); err != nil {
		return nil, err
	}
	if optOut {
		if err := tx.AddDoNotContact(a.Workspace, conv.LeadID, "opted out: "+ev.Text); err != nil {
			return nil, err
		}
		if err := service.AppendEvent(tx, a.Workspace, store.EventLeadOptedOut, now, store.LeadOptedOutData(reply)); err != nil {
			return nil, err
		}
	}
	var first *Event
	if !conv.Replied {
		conv.Replied, conv.RepliedAt = true, ev.CreatedAt
		if err := cancelFollowups(tx, conv, now); err != nil {
			return nil, err
		}
		first = &Event{Kind: Replied, Workspace: a.Workspace, CampaignID: conv.CampaignID, AccountID: a.ID, Variant: conv.Variant}
	}
	if err := e.setterTurn(tx, a, &conv, reply, v, optOut, now); err != nil {
		return nil, err
	}
	return first, tx.PutConversation(conv)
}

// receiverOf is the receiver block of an event about a conversation's
// lead; a prospect who wrote first and was never scraped is known only by
// X user id.
func receiverOf(l store.Lead, userID string) store.Receiver {
	if l.UserID == "" {
		return store.Receiver{ScreenName: userID}
	}
	return service.ReceiverOf(l)
}

// cancelFollowups cancels the pending follow-ups of a conversation's lead,
// and what that settles.
func cancelFollowups(tx Tx, conv store.Conversation, now time.Time) error {
	if conv.CampaignID == "" {
		return nil
	}
	jobs, err := tx.Jobs(conv.Workspace, store.JobQuery{CampaignID: conv.CampaignID, LeadID: conv.LeadID, Kind: store.JobFollowup, State: store.JobPending})
	if err != nil {
		return err
	}
	for _, j := range jobs {
		if err := tx.PutJob(finished(j, store.JobCancelled, nil, now)); err != nil {
			return err
		}
	}
	return settle(tx, conv.Workspace, conv.CampaignID, conv.AccountID, now)
}
