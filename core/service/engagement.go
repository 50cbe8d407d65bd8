package service

import (
	"context"

	"github.com/outreachhq/outreach/core/store"
)

// The engine engages with a lead before a campaign's first DM as the
// campaign asks (follow, like, comment) and stores how each step ended
// (store.Engagement); these read it.

// Engagements returns how the engagement steps of a campaign ended: for
// one lead if leadID is set, for every lead otherwise, by lead and step.
func (s *Service) Engagements(ctx context.Context, ws, campaignID, leadID string) ([]store.Engagement, error) {
	if campaignID == "" {
		return nil, invalid("campaign_id", "name the campaign whose engagement to read")
	}
	var out []store.Engagement
	err := s.view(ctx, func(tx Tx) error {
		if _, err := tx.Campaign(ws, campaignID); store.IsNotFound(err) {
			return notFound("campaign %s", campaignID)
		} else if err != nil {
			return err
		}
		var err error
		out, err = tx.Engagements(ws, campaignID, leadID)
		return err
	})
	return out, err
}

// EngageStats counts how one engagement step of a campaign ended, over its
// leads.
type EngageStats struct {
	Step                             store.EngageStep
	Done, Requested, Skipped, Failed int
}

// engageStats counts a campaign's engagement outcomes by step, in the
// order the steps run: each step the campaign asks for, and any other
// that has outcomes (asked for before).
func engageStats(tx Tx, c store.Campaign) ([]EngageStats, error) {
	tallies, err := tx.EngageTallies(c.Workspace, c.ID)
	if err != nil {
		return nil, err
	}
	var out []EngageStats
	for _, step := range store.EngageSteps {
		st := EngageStats{Step: step}
		counted := false
		for _, t := range tallies {
			if t.Step != step {
				continue
			}
			counted = true
			switch t.State {
			case store.EngageDone:
				st.Done += t.N
			case store.EngageRequested:
				st.Requested += t.N
			case store.EngageSkipped:
				st.Skipped += t.N
			case store.EngageFailed:
				st.Failed += t.N
			}
		}
		if counted || c.Asks(step) {
			out = append(out, st)
		}
	}
	return out, nil
}
