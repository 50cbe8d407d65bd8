package service

import (
	"time"

	"github.com/outreachhq/outreach/core/schedule"
	"github.com/outreachhq/outreach/core/store"
)

// RecordTx is what recording a sent DM writes.
type RecordTx interface {
	DMEventTx
	PutJob(j store.Job) error
	Conversation(ws, id string) (store.Conversation, error)
	PutConversation(c store.Conversation) error
	CreateConversation(c store.Conversation, first *store.Message, existing func() error) error
	AddMessage(m store.Message) (bool, error)
	AddSentOn(ws, accountID, day string, n int) error
	DeleteIntent(ws, jobID string) error
	AccountState(ws, accountID string) (store.AccountState, error)
	PutAccountState(s store.AccountState) error
}

// Sent is a DM that went out: the job that sent it and what X said.
type Sent struct {
	Job      store.Job
	Campaign store.Campaign // the zero Campaign if it was removed
	Account  store.Account
	// Lead is the lead the DM went to, if the caller has it at hand
	// (otherwise it is read for the dm_sent event).
	Lead store.Lead
	// SenderID and RecipientID are the X user ids of the account and the
	// lead; Text is what was sent.
	SenderID, RecipientID, Text string
	// ConversationID and EventID are X's ids of the conversation and the
	// message; EventID is "" when a person said the DM went out.
	ConversationID, EventID string
	// At is when it was sent: it counts against that day's cap.
	At time.Time
	// Answered is when X said it went out, or X's own time of the DM when
	// it was found later; the zero time when nobody knows (a person said
	// so).
	Answered time.Time
	// PollAt, if set, is when the account should next read its replies if
	// no read is planned yet: it has a conversation now.
	PollAt time.Time
}

// RecordSent records a DM that went out, in the caller's transaction: the
// job is done, the message is in its conversation, the day's count of the
// account's DMs moves, the next follow-up is queued (if the campaign still
// has one), the account's pause restarts from X's answer and its health
// counts the send, the job's intent goes, and a dm_sent event tells of it.
// The engine records every send this way, and a person resolving a send in
// doubt records it the same way.
func RecordSent(tx RecordTx, s Sent, now time.Time) error {
	j := s.Job
	convID := SentConversationID(s.SenderID, s.RecipientID, s.ConversationID)
	j.State, j.UpdatedAt, j.DoneAt, j.Lease = store.JobDone, now, now, store.Lease{}
	j.ConversationID, j.EventID, j.LastError = convID, s.EventID, ""
	if err := tx.PutJob(j); err != nil {
		return err
	}
	if convID != "" {
		if err := recordInConversation(tx, s, j, convID, now); err != nil {
			return err
		}
	}
	// The DM counts against the cap of the day it was sent on, in the
	// account's cap time zone.
	if err := tx.AddSentOn(j.Workspace, j.AccountID, schedule.DayOf(s.At, s.Account.CapLocation()).Key(), 1); err != nil {
		return err
	}
	if fu, ok := NextFollowup(s.Campaign, j, convID, now); ok {
		if err := tx.PutJob(fu); err != nil {
			return err
		}
	}
	if err := afterSend(tx, s); err != nil {
		return err
	}
	if err := appendDMSent(tx, s, convID, now); err != nil {
		return err
	}
	return tx.DeleteIntent(j.Workspace, j.ID)
}

// recordInConversation puts a sent DM in its conversation. A first DM
// creates it, most of the time, with no read before: a read of a
// conversation that is not there is what makes concurrent first DMs fail
// one another on Postgres (store's CreateConversation). Only one that is
// there already is read, and moved.
func recordInConversation(tx RecordTx, s Sent, j store.Job, convID string, now time.Time) error {
	var msg *store.Message
	if s.EventID != "" {
		msg = &store.Message{
			ID: s.EventID, Workspace: j.Workspace, ConversationID: convID, SenderID: s.SenderID, Text: s.Text, Sent: true, At: now,
			Auto: j.Kind == store.JobAnswer, Provenance: j.Provenance,
		}
	}
	conv := store.Conversation{
		ID: convID, Workspace: j.Workspace, AccountID: j.AccountID, LeadID: j.LeadID,
		CampaignID: j.CampaignID, Variant: j.Variant, CreatedAt: now,
		LastAt: now, LastText: s.Text, LastSent: true, UpdatedAt: now,
	}
	if msg != nil {
		conv.MessageCount = 1
	}
	return tx.CreateConversation(conv, msg, func() error {
		conv, err := tx.Conversation(j.Workspace, convID)
		if err != nil {
			return err
		}
		if msg != nil {
			added, err := tx.AddMessage(*msg)
			if err != nil {
				return err
			}
			if added {
				conv.MessageCount++
			}
		}
		conv.LastAt, conv.LastText, conv.LastSent, conv.UpdatedAt = now, s.Text, true, now
		switch j.Kind {
		case store.JobAnswer:
			conv.AutoAnswers++
		case store.JobMessage:
			conv.HumanAnswered = true // the AI setter leaves it to the person
		}
		return tx.PutConversation(conv)
	})
}

// SentConversationID is the conversation a sent DM is in: the id X gave,
// or else the one X forms for two users, which replies are matched on; ""
// if neither is known.
func SentConversationID(senderID, recipientID, given string) string {
	if given == "" && senderID != "" {
		return store.ConversationID(senderID, recipientID)
	}
	return given
}

// afterSend counts the send in the account's health and moves its pause
// after a paced send to start when X's answer came (s.Answered). The
// engine starts the pause with the send's intent (s.At), so that it
// outlasts a crash; but the DM reaches X some time after that, a long time
// on a slow network, and two sends must never be closer on X than the gap.
// It starts from the answer, not from the time of recording, which may come
// much later (after a retry, or from recovery), so that the gap never grows
// past its longest either. A pause that does not come from this send
// (longer than any gap after s.At: a later send's, or a hold) is left
// alone, as it is when nobody knows when X answered. A first read of
// replies is planned at s.PollAt.
func afterSend(tx RecordTx, s Sent) error {
	st, err := tx.AccountState(s.Job.Workspace, s.Job.AccountID)
	if err != nil {
		return err
	}
	st.NoteOutcome(store.OutcomeOK)
	if st.NextPollAt.IsZero() {
		st.NextPollAt = s.PollAt
	}
	answered := s.Answered
	gap := st.NextSendAt.Sub(s.At)
	if s.Job.Kind != store.JobMessage && !answered.IsZero() && answered.After(s.At) && gap > 0 && gap <= s.Account.Pacing().Longest() {
		st.NextSendAt = answered.Add(gap)
	}
	return tx.PutAccountState(st)
}

// NextFollowup returns the follow-up job after a sent first DM or
// follow-up, if its variant has one. If the campaign's policy refuses
// follow-ups, the job is made skipped, its last error saying why: the
// lead's record shows why no follow-up came, and none after it is made.
func NextFollowup(c store.Campaign, j store.Job, convID string, now time.Time) (store.Job, bool) {
	if c.ID == "" || (j.Kind != store.JobDM && j.Kind != store.JobFollowup) ||
		j.Variant >= len(c.Variants) || j.Step >= len(c.Variants[j.Variant].Followups) {
		return store.Job{}, false
	}
	fu := c.Variants[j.Variant].Followups[j.Step]
	next := store.Job{
		ID: store.FollowupJobID(j.CampaignID, j.LeadID, j.Step+1), Workspace: j.Workspace, Kind: store.JobFollowup,
		State: store.JobPending, DueAt: now.Add(fu.After), CampaignID: j.CampaignID, AccountID: j.AccountID,
		LeadID: j.LeadID, Variant: j.Variant, Step: j.Step + 1, ConversationID: convID, CreatedAt: now, UpdatedAt: now,
	}
	if why := c.Policy.Refusal(store.ActionFollowup); why != nil {
		next.State, next.DoneAt, next.LastError = store.JobSkipped, now, why.Error()
	}
	return next, true
}
