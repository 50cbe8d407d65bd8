package service

import (
	"context"

	"github.com/outreachhq/outreach/core/store"
)

// NeedsReviewByCampaign counts, by campaign id, the workspace's sends
// parked for review (first DMs and follow-ups): each campaign's share of
// the NeedsReview queue. The campaign figures of Analytics and Stats count
// these among the failed; the dashboard shows them apart, since a person
// can resolve them. A campaign with none is absent.
func (s *Service) NeedsReviewByCampaign(ctx context.Context, ws string) (map[string]int, error) {
	out := map[string]int{}
	err := s.view(ctx, func(tx Tx) error {
		clear(out)
		campaigns, err := tx.Campaigns(ws)
		if err != nil {
			return err
		}
		for _, c := range campaigns {
			tallies, err := tx.CampaignTallies(ws, c.ID)
			if err != nil {
				return err
			}
			for _, t := range tallies {
				if t.State == store.JobNeedsReview {
					out[c.ID] += t.N
				}
			}
		}
		return nil
	})
	return out, err
}
