package engine

import (
	"slices"
	"time"

	"github.com/outreachhq/outreach/core/store"
)

// FillCampaign queues first DM jobs for the campaign's leads that have none
// yet, up to its lead limit, and saves the campaign. It returns how many it
// queued. It is called when a campaign is applied and whenever a source
// keeps new leads, inside the caller's transaction.
//
// The n-th lead goes to account n mod A, and each account cycles through
// the variants by weight: its k-th lead (k = n div A) gets the variant at
// k in the campaign's rotation (see rotation), so every account sends each
// variant in proportion to its weight. Equal weights rotate V0, V1, ...
// in turn.
func FillCampaign(tx *store.Tx, c *store.Campaign, now time.Time) (int, error) {
	if len(c.AccountIDs) == 0 || len(c.Variants) == 0 {
		return 0, nil
	}
	if c.Offsets == nil {
		c.Offsets = map[string]int{}
	}
	queued := 0
	rot := rotation(c.Variants)
	full := func() bool { return c.MaxLeads > 0 && c.Assigned >= c.MaxLeads }
	for _, sid := range c.SourceIDs {
		for !full() {
			ids, err := tx.SourceLeads(c.Workspace, sid, c.Offsets[sid], 256)
			if err != nil {
				return queued, err
			}
			if len(ids) == 0 {
				break
			}
			for _, id := range ids {
				if full() {
					break
				}
				c.Offsets[sid]++
				ok, claimed, err := eligible(tx, c, id)
				if err != nil {
					return queued, err
				}
				if !ok {
					continue
				}
				n := len(c.AccountIDs)
				j := store.Job{
					ID: DMJobID(c.ID, id), Workspace: c.Workspace, Kind: store.JobDM, State: store.JobPending,
					DueAt: now, CampaignID: c.ID, AccountID: c.AccountIDs[c.Assigned%n], LeadID: id,
					Variant: rot[(c.Assigned/n)%len(rot)], CreatedAt: now, UpdatedAt: now,
				}
				if err := tx.PutJob(j); err != nil {
					return queued, err
				}
				if !claimed {
					if err := tx.MarkContacted(c.Workspace, id, c.ID); err != nil {
						return queued, err
					}
				}
				c.Assigned++
				queued++
			}
		}
	}
	return queued, tx.PutCampaign(*c)
}

// rotation is one period of a smooth weighted round-robin over the
// variants (as nginx balances upstreams): sum-of-weights picks in which
// each variant appears as often as its weight (0 counts as 1), spread out
// rather than bunched, so that the split holds at any point of a campaign
// and not only at its end. It has no randomness: the same weights always
// give the same order, and equal weights give 0, 1, ..., V-1.
func rotation(vs []store.Variant) []int {
	weights := make([]int, len(vs))
	total := 0
	for i, v := range vs {
		weights[i] = max(v.Weight, 1)
		total += weights[i]
	}
	current := make([]int, len(vs))
	out := make([]int, 0, total)
	for range total {
		best := 0
		for i, w := range weights {
			current[i] += w
			if current[i] > current[best] {
				best = i
			}
		}
		current[best] -= total
		out = append(out, best)
	}
	return out
}

// eligible reports whether a lead may be queued for the campaign's first
// DM, and whether a campaign has already claimed it (the first claim is
// kept, so a campaign that opts out of deduplication does not take it over).
func eligible(tx *store.Tx, c *store.Campaign, leadID string) (ok, claimed bool, err error) {
	if tx.DoNotContact(c.Workspace, leadID) || tx.JobExists(c.Workspace, DMJobID(c.ID, leadID)) {
		return false, false, nil
	}
	by, err := tx.ContactedBy(c.Workspace, leadID)
	if err != nil {
		return false, false, err
	}
	// A lead another campaign has claimed is not cold-messaged again unless
	// this campaign opts out of deduplication.
	return by == "" || by == c.ID || !c.Dedupe, by != "", nil
}

// fillCampaigns fills every campaign of the workspace that draws on source
// and returns a Queued event per campaign that got jobs. The caller
// reports them once its transaction has committed: until then the jobs may
// yet be rolled back.
func (e *Engine) fillCampaigns(tx *store.Tx, ws, sourceID string, now time.Time) ([]Event, error) {
	campaigns, err := tx.Campaigns(ws)
	if err != nil {
		return nil, err
	}
	var queued []Event
	for _, c := range campaigns {
		if !slices.Contains(c.SourceIDs, sourceID) {
			continue
		}
		n, err := FillCampaign(tx, &c, now)
		if err != nil {
			return nil, err
		}
		if n > 0 {
			queued = append(queued, Event{Kind: Queued, Workspace: ws, CampaignID: c.ID, Count: n})
		}
	}
	return queued, nil
}
