package service

import (
	"context"

	"github.com/outreachhq/outreach/core/engine"
	"github.com/outreachhq/outreach/core/store"
)

// SourceStats is a lead source's progress.
type SourceStats struct {
	ID, Name string
	// Scraped counts users read; Kept those the filter kept.
	Scraped, Kept int
	// Pending counts lists still to scrape; Failed those that failed.
	Pending, Failed int
}

// CampaignStats is a campaign's progress per sending account.
type CampaignStats struct {
	ID, Name string
	Variants []string
	Accounts []CampaignAccountStats
}

// CampaignAccountStats is one account's share of a campaign.
type CampaignAccountStats struct {
	AccountID, Handle string
	// Sent and Replied count first DMs and replies per variant.
	Sent, Replied []int
	Followups     int
	// Pending counts first DMs and follow-ups not yet sent; Failed those
	// that failed or wait for review.
	Pending, Failed int
}

// TotalSent is the number of first DMs the account sent.
func (a CampaignAccountStats) TotalSent() int { return sum(a.Sent) }

// TotalReplied is the number of leads who replied to the account.
func (a CampaignAccountStats) TotalReplied() int { return sum(a.Replied) }

func sum(xs []int) int {
	n := 0
	for _, x := range xs {
		n += x
	}
	return n
}

// Stats returns the progress of every source and campaign of a workspace.
func (s *Service) Stats(_ context.Context, ws string) ([]SourceStats, []CampaignStats, error) {
	var (
		sources   []SourceStats
		campaigns []CampaignStats
	)
	err := s.st.View(func(tx *store.Tx) error {
		srcs, err := tx.Sources(ws)
		if err != nil {
			return err
		}
		for _, src := range srcs {
			st := SourceStats{ID: src.ID, Name: src.Name}
			jobs, err := tx.Jobs(ws, engine.SourceJobPrefix(src.ID))
			if err != nil {
				return err
			}
			for _, j := range jobs {
				st.Scraped += j.Seen
				switch j.State {
				case store.JobPending:
					st.Pending++
				case store.JobFailed:
					st.Failed++
				}
			}
			if st.Kept, err = tx.SourceLeadCount(ws, src.ID); err != nil {
				return err
			}
			sources = append(sources, st)
		}
		camps, err := tx.Campaigns(ws)
		if err != nil {
			return err
		}
		// One read of the conversations serves every campaign.
		convs, err := tx.Conversations(ws)
		if err != nil {
			return err
		}
		for _, c := range camps {
			cs, err := campaignStats(tx, c, convs)
			if err != nil {
				return err
			}
			campaigns = append(campaigns, cs)
		}
		return nil
	})
	return sources, campaigns, err
}

func campaignStats(tx *store.Tx, c store.Campaign, convs []store.Conversation) (CampaignStats, error) {
	cs := CampaignStats{ID: c.ID, Name: c.Name}
	for _, v := range c.Variants {
		cs.Variants = append(cs.Variants, v.Message)
	}
	// Accounts are listed in the campaign's order, then any account since
	// removed from it (it still sent what it sent), in order of first job.
	byAccount := map[string]int{}
	account := func(id string) *CampaignAccountStats {
		if i, ok := byAccount[id]; ok {
			return &cs.Accounts[i]
		}
		a := CampaignAccountStats{AccountID: id, Sent: make([]int, len(c.Variants)), Replied: make([]int, len(c.Variants))}
		if acc, err := tx.Account(c.Workspace, id); err == nil {
			a.Handle = acc.Handle
		}
		byAccount[id] = len(cs.Accounts)
		cs.Accounts = append(cs.Accounts, a)
		return &cs.Accounts[len(cs.Accounts)-1]
	}
	for _, id := range c.AccountIDs {
		account(id)
	}
	for _, prefix := range engine.CampaignJobPrefixes(c.ID) {
		jobs, err := tx.Jobs(c.Workspace, prefix)
		if err != nil {
			return cs, err
		}
		for _, j := range jobs {
			a := account(j.AccountID)
			switch j.State {
			case store.JobDone:
				if j.Kind == store.JobFollowup {
					a.Followups++
				} else if j.Variant < len(a.Sent) {
					a.Sent[j.Variant]++
				}
			case store.JobPending:
				a.Pending++
			case store.JobFailed, store.JobNeedsReview:
				a.Failed++
			}
		}
	}
	for _, conv := range convs {
		if conv.CampaignID == c.ID && conv.Replied && conv.Variant < len(c.Variants) {
			account(conv.AccountID).Replied[conv.Variant]++
		}
	}
	return cs, nil
}
