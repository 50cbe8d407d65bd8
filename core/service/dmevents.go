package service

import (
	"time"

	"github.com/outreachhq/outreach/core/store"
	"github.com/outreachhq/outreach/sdk"
)

// DMEventTx is what the dm_sent and dm_failed events read and write.
type DMEventTx interface {
	EventTx
	Lead(ws, userID string) (store.Lead, error)
	Account(ws, id string) (store.Account, error)
	Campaign(ws, id string) (store.Campaign, error)
}

// VariantLabel names a campaign's variant as users see it: A, B, ...
func VariantLabel(i int) string { return string(rune('A' + i)) }

// dmKind is what dm_sent and dm_failed call a sending job's DM.
func dmKind(k store.JobKind) string {
	switch k {
	case store.JobFollowup:
		return sdk.DMFollowUp
	case store.JobMessage:
		return sdk.DMManual
	case store.JobAnswer:
		return sdk.DMAIAnswer
	}
	return sdk.DMFirst
}

// receiverOf is the receiver of an event about a DM to lead userID: the
// lead given if it is that one, else the stored one (or only its id's
// screen name unknown, if no source found it).
func receiverOf(tx DMEventTx, ws, userID string, lead store.Lead) (store.Receiver, error) {
	if lead.UserID != userID {
		var err error
		if lead, err = tx.Lead(ws, userID); err != nil && !store.IsNotFound(err) {
			return store.Receiver{}, err
		}
	}
	return ReceiverOf(lead), nil
}

// appendDMSent appends the dm_sent event of a DM RecordSent records.
func appendDMSent(tx DMEventTx, s Sent, convID string, now time.Time) error {
	j := s.Job
	r, err := receiverOf(tx, j.Workspace, j.LeadID, s.Lead)
	if err != nil {
		return err
	}
	d := store.DMSentData{
		ConversationID: convID, AccountHandle: s.Account.Handle, Kind: dmKind(j.Kind), Receiver: r,
		Message: store.EventMessage{ID: s.EventID, Text: s.Text, CreatedAt: Timestamp(sentAt(s, now))},
	}
	if j.Kind == store.JobDM || j.Kind == store.JobFollowup {
		d.CampaignID, d.CampaignName, d.Step, d.Variant = j.CampaignID, s.Campaign.Name, j.Step, VariantLabel(j.Variant)
	}
	return AppendEvent(tx, j.Workspace, store.EventDMSent, now, d)
}

// sentAt is when a DM went out, as well as it is known.
func sentAt(s Sent, now time.Time) time.Time {
	switch {
	case !s.Answered.IsZero():
		return s.Answered
	case !s.At.IsZero():
		return s.At
	}
	return now
}

// DMFailed appends the dm_failed event of a sending job that failed for
// good, in the caller's transaction; a job that sends nothing appends
// nothing.
func DMFailed(tx DMEventTx, j store.Job, cause error, now time.Time) error {
	if !j.Kind.Sends() {
		return nil
	}
	a, err := tx.Account(j.Workspace, j.AccountID)
	if err != nil && !store.IsNotFound(err) {
		return err
	}
	r, err := receiverOf(tx, j.Workspace, j.LeadID, store.Lead{})
	if err != nil {
		return err
	}
	d := store.DMFailedData{JobID: j.ID, AccountHandle: a.Handle, Kind: dmKind(j.Kind), Receiver: r}
	if cause != nil {
		d.ErrorMessage = cause.Error()
	}
	if j.Kind == store.JobDM || j.Kind == store.JobFollowup {
		c, err := tx.Campaign(j.Workspace, j.CampaignID)
		if err != nil && !store.IsNotFound(err) {
			return err
		}
		d.CampaignID, d.CampaignName, d.Step = j.CampaignID, c.Name, j.Step
	}
	return AppendEvent(tx, j.Workspace, store.EventDMFailed, now, d)
}
