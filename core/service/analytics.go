package service

import (
	"context"
	"slices"
	"sort"

	"github.com/outreachhq/outreach/core/store"
)

// CampaignStats is a campaign's progress per sending account, and how its
// engagement before first DMs went, per step.
type CampaignStats struct {
	store.Campaign
	Accounts   []CampaignAccountStats
	Engagement []EngageStats
}

// CampaignAccountStats is one account's share of a campaign.
type CampaignAccountStats struct {
	AccountID, Handle string
	// Sent and Replied count first DMs and replies per variant.
	Sent, Replied []int
	Followups     int
	// Pending counts first DMs and follow-ups not yet sent, Waiting the
	// first DMs among them; Skipped the first DMs a policy or a person
	// skipped; Failed those that failed or wait for review.
	Pending, Waiting, Skipped, Failed int
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

// Totals sums a campaign's figures over its accounts.
func (c CampaignStats) Totals() CampaignAccountStats {
	t := CampaignAccountStats{Handle: "total", Sent: make([]int, len(c.Variants)), Replied: make([]int, len(c.Variants))}
	for _, a := range c.Accounts {
		for i := range a.Sent {
			t.Sent[i] += a.Sent[i]
			t.Replied[i] += a.Replied[i]
		}
		t.Followups += a.Followups
		t.Pending += a.Pending
		t.Skipped += a.Skipped
		t.Failed += a.Failed
	}
	return t
}

// Stats returns the progress of every lead source and campaign of a
// workspace. It reads the tallies stores keep with every change, so it
// costs the same at 100,000 leads as at 100.
func (s *Service) Stats(ctx context.Context, ws string) ([]SourceInfo, []CampaignStats, error) {
	var (
		sources   []SourceInfo
		campaigns []CampaignStats
	)
	err := s.view(ctx, func(tx Tx) error {
		srcs, err := tx.Sources(ws)
		if err != nil {
			return err
		}
		for _, src := range srcs {
			info, err := sourceInfo(tx, src)
			if err != nil {
				return err
			}
			sources = append(sources, info)
		}
		camps, err := tx.Campaigns(ws)
		if err != nil {
			return err
		}
		for _, c := range camps {
			cs, err := campaignStats(tx, c)
			if err != nil {
				return err
			}
			campaigns = append(campaigns, cs)
		}
		return nil
	})
	return sources, campaigns, err
}

func campaignStats(tx Tx, c store.Campaign) (CampaignStats, error) {
	cs := CampaignStats{Campaign: c}
	tallies, err := tx.CampaignTallies(c.Workspace, c.ID)
	if err != nil {
		return cs, err
	}
	replies, err := tx.ReplyTallies(c.Workspace, c.ID)
	if err != nil {
		return cs, err
	}
	// Accounts in the campaign's order, then any since removed from it (it
	// still sent what it sent), by id.
	order := slices.Clone(c.AccountIDs)
	var others []string
	for _, t := range tallies {
		if !slices.Contains(order, t.AccountID) && !slices.Contains(others, t.AccountID) {
			others = append(others, t.AccountID)
		}
	}
	sort.Strings(others)
	order = append(order, others...)
	at := map[string]int{}
	for i, id := range order {
		at[id] = i
		a := CampaignAccountStats{AccountID: id, Sent: make([]int, len(c.Variants)), Replied: make([]int, len(c.Variants))}
		if acc, err := tx.Account(c.Workspace, id); err == nil {
			a.Handle = acc.Handle
		} else if !store.IsNotFound(err) {
			return cs, err
		}
		cs.Accounts = append(cs.Accounts, a)
	}
	for _, t := range tallies {
		a := &cs.Accounts[at[t.AccountID]]
		switch {
		case t.State == store.JobDone && t.Kind == store.JobFollowup:
			a.Followups += t.N
		case t.State == store.JobDone && t.Kind == store.JobDM && t.Variant < len(a.Sent):
			a.Sent[t.Variant] += t.N
		case t.State == store.JobPending:
			a.Pending += t.N
			if t.Kind == store.JobDM {
				a.Waiting += t.N
			}
		case t.State == store.JobSkipped && t.Kind == store.JobDM:
			a.Skipped += t.N
		case t.State == store.JobFailed || t.State == store.JobNeedsReview:
			a.Failed += t.N
		}
	}
	for _, r := range replies {
		if i, ok := at[r.AccountID]; ok && r.Variant < len(c.Variants) {
			cs.Accounts[i].Replied[r.Variant] += r.N
		}
	}
	cs.Engagement, err = engageStats(tx, c)
	return cs, err
}

// CampaignSummary is a campaign with the hosted API's basic figures,
// counted over its first DMs.
type CampaignSummary struct {
	store.Campaign
	// Total counts leads targeted; Completed first DMs sent; Pending those
	// waiting; Failed those that failed or wait for review.
	Total, Completed, Pending, Failed int
}

// Progress is the share of targeted leads whose first DM went out, in
// percent.
func (c CampaignSummary) Progress() int {
	if c.Total == 0 {
		return 0
	}
	return c.Completed * 100 / c.Total
}

// ListCampaigns returns a page of the workspace's campaigns, newest first,
// and how many there are in all.
func (s *Service) ListCampaigns(ctx context.Context, ws string, limit, offset int) ([]CampaignSummary, int, error) {
	var (
		out   []CampaignSummary
		total int
	)
	err := s.view(ctx, func(tx Tx) error {
		all, err := tx.Campaigns(ws)
		if err != nil {
			return err
		}
		total = len(all)
		for _, c := range page(newestFirst(all), limit, offset) {
			firsts, err := firstDMTallies(tx, c)
			if err != nil {
				return err
			}
			cs := CampaignSummary{Campaign: c}
			for _, f := range firsts {
				cs.Total += f.total
				cs.Completed += f.done
				cs.Pending += f.pending
				cs.Failed += f.failed
			}
			out = append(out, cs)
		}
		return nil
	})
	return out, total, err
}

// Pending counts the workspace's pending jobs: work still to do.
func (s *Service) Pending(ctx context.Context, ws string) (int, error) {
	var n int
	err := s.view(ctx, func(tx Tx) (err error) {
		n, err = tx.PendingJobs(ws)
		return err
	})
	return n, err
}
