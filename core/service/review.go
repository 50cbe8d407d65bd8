package service

import (
	"context"
	"fmt"
	"time"

	"github.com/outreachhq/outreach/core/message"
	"github.com/outreachhq/outreach/core/store"
)

// ReviewItem is a send in doubt that waits for a person: the job, why it
// was parked, who it was for, and what it says.
type ReviewItem struct {
	Job      store.Job
	Account  store.Account
	Lead     store.Lead
	Campaign store.Campaign // zero for a send of no campaign
	// Text is what the send says: the job's own text (a person's message,
	// an AI answer), or its campaign's message filled from the lead, as
	// the engine fills it. That is the campaign's message and the lead as
	// they read now: an apply or a scrape since may have changed them.
	Text string
}

// NeedsReview returns up to limit sends parked for review, by job id
// after afterID.
func (s *Service) NeedsReview(ctx context.Context, ws, afterID string, limit int) ([]ReviewItem, error) {
	if limit <= 0 || limit > 100 {
		limit = 100
	}
	var out []ReviewItem
	err := s.view(ctx, func(tx Tx) error {
		jobs, err := tx.Jobs(ws, store.JobQuery{State: store.JobNeedsReview, AfterID: afterID, Limit: limit})
		if err != nil {
			return err
		}
		for _, j := range jobs {
			it := ReviewItem{Job: j}
			if it.Account, err = tx.Account(ws, j.AccountID); err != nil && !store.IsNotFound(err) {
				return err
			}
			if it.Lead, err = tx.Lead(ws, j.LeadID); err != nil && !store.IsNotFound(err) {
				return err
			}
			if j.CampaignID != "" {
				if it.Campaign, err = tx.Campaign(ws, j.CampaignID); err != nil && !store.IsNotFound(err) {
					return err
				}
			}
			it.Text = j.Text
			if t, ok := message.Template(it.Campaign, j); it.Text == "" && ok {
				it.Text = message.Render(t, it.Lead)
			}
			out = append(out, it)
		}
		return nil
	})
	return out, err
}

// Resolution is a person's verdict on a send in doubt.
type Resolution string

// Resolutions.
const (
	// ResolvedSent: the person sees the DM on X; it is recorded as sent and
	// its follow-ups are queued.
	ResolvedSent Resolution = "sent"
	// ResolvedNotSent: the DM is not on X; it is sent again.
	ResolvedNotSent Resolution = "not_sent"
	// ResolvedSkip: leave the lead alone.
	ResolvedSkip Resolution = "skip"
)

// ResolveReview settles a send parked for review as a person says.
func (s *Service) ResolveReview(ctx context.Context, ws, jobID string, r Resolution) (store.Job, error) {
	var j store.Job
	err := s.update(ctx, func(tx Tx) (bool, error) {
		var err error
		j, err = tx.Job(ws, jobID)
		if store.IsNotFound(err) {
			return false, notFound("job %s", jobID)
		}
		if err != nil {
			return false, err
		}
		if j.State != store.JobNeedsReview {
			return false, &ConflictError{Field: "job_id", Reason: fmt.Sprintf("job %s is %s, not waiting for review", j.ID, j.State)}
		}
		now := s.clock.Now().UTC()
		switch r {
		case ResolvedSent:
			a, err := tx.Account(ws, j.AccountID)
			if err != nil {
				return false, fmt.Errorf("account of job %s: %w", j.ID, err)
			}
			c, err := tx.Campaign(ws, j.CampaignID)
			if err != nil && !store.IsNotFound(err) {
				return false, err
			}
			err = RecordSent(tx, Sent{Job: j, Campaign: c, Account: a, SenderID: a.XUserID, RecipientID: j.LeadID, At: j.UpdatedAt}, now)
			if err == nil {
				j, err = tx.Job(ws, jobID)
			}
			return true, err
		case ResolvedNotSent:
			j.State, j.DueAt, j.DoneAt = store.JobPending, now, time.Time{}
			j.LastError = "resolved by a person: not sent; sending again"
		case ResolvedSkip:
			j.State, j.DoneAt, j.LastError = store.JobSkipped, now, "resolved by a person: skipped"
		default:
			return false, invalid("resolution", "%q is not one of sent, not_sent, skip", r)
		}
		j.UpdatedAt = now
		return r == ResolvedNotSent, tx.PutJob(j)
	})
	return j, err
}
