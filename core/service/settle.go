package service

import (
	"time"

	"github.com/outreachhq/outreach/core/store"
)

// SettleTx is what settling a campaign reads and writes.
type SettleTx interface {
	EventTx
	Campaign(ws, id string) (store.Campaign, error)
	PutCampaign(c store.Campaign) error
	QueueHeads(ws, accountID string) ([]store.Job, error)
	CampaignTallies(ws, campaignID string) ([]store.JobTally, error)
	ReplyTallies(ws, campaignID string) ([]store.ReplyTally, error)
}

// Settle marks a campaign completed once it can take no more leads (full,
// or out of leads) and none of its jobs is pending, and appends its
// campaign_completed event, once. accountID, if set, is the account one of
// whose jobs of the campaign just settled: while it has another queued,
// the campaign is not done, and nothing more is read.
func Settle(tx SettleTx, ws, campaignID, accountID string, now time.Time) error {
	if campaignID == "" {
		return nil
	}
	c, err := tx.Campaign(ws, campaignID)
	if store.IsNotFound(err) {
		return nil
	}
	if err != nil {
		return err
	}
	return SettleCampaign(tx, c, accountID, now)
}

// SettleCampaign is Settle of the campaign c as tx holds it.
func SettleCampaign(tx SettleTx, c store.Campaign, accountID string, now time.Time) error {
	if !c.CompletedAt.IsZero() {
		return nil
	}
	ws := c.Workspace
	full := c.MaxLeads > 0 && c.Assigned >= c.MaxLeads
	if !full && c.ExhaustedAt.IsZero() {
		return nil
	}
	// While the account that just settled a job of the campaign has another
	// in its queue, the campaign is not done: its other accounts' tallies,
	// which every concurrent send of the campaign writes, need not be read.
	// (On Postgres, reading them in every send would make every two
	// concurrent sends of a campaign conflict.)
	if accountID != "" {
		heads, err := tx.QueueHeads(ws, accountID)
		if err != nil {
			return err
		}
		for _, h := range heads {
			if h.CampaignID == c.ID {
				return nil
			}
		}
	}
	tallies, err := tx.CampaignTallies(ws, c.ID)
	if err != nil {
		return err
	}
	d := store.CampaignCompletedData{CampaignID: c.ID, CampaignName: c.Name}
	for _, t := range tallies {
		switch {
		case t.State == store.JobPending:
			return nil
		case t.Kind != store.JobDM:
		case t.State == store.JobDone:
			d.TotalSent += t.N
		case t.State == store.JobFailed || t.State == store.JobNeedsReview:
			d.Failed += t.N
		}
	}
	replies, err := tx.ReplyTallies(ws, c.ID)
	if err != nil {
		return err
	}
	for _, r := range replies {
		d.Replies += r.N
	}
	c.CompletedAt = now
	if err := tx.PutCampaign(c); err != nil {
		return err
	}
	return AppendEvent(tx, ws, store.EventCampaignCompleted, now, d)
}
