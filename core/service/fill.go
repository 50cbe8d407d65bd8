package service

import (
	"slices"
	"time"

	"github.com/outreachhq/outreach/core/store"
)

// FillTx is what filling a campaign reads and writes. The engine fills
// campaigns through it in the transaction that keeps a scrape's leads, so
// its transactions implement it too.
type FillTx interface {
	Campaigns(ws string) ([]store.Campaign, error)
	PutCampaign(c store.Campaign) error
	Account(ws, id string) (store.Account, error)
	SourceLeads(ws, sourceID string, from, limit int) ([]string, error)
	Job(ws, id string) (store.Job, error)
	PutJob(j store.Job) error
	Jobs(ws string, q store.JobQuery) ([]store.Job, error)
	CampaignTallies(ws, campaignID string) ([]store.JobTally, error)
	DoNotContact(ws, userID string) (bool, error)
	ContactedBy(ws, userID string) (string, error)
	MarkContacted(ws, userID, campaignID string) error
	EventTx
}

// Filled is how many first DMs a fill queued for one campaign.
type Filled struct {
	CampaignID string
	Queued     int
}

// FillCampaigns fills every campaign of the workspace that draws on the
// source (see Fill), and says which got new jobs. The caller reports them
// once its transaction has committed: until then they may be rolled back.
// A campaign with a schedule is left alone: it takes in new leads when its
// schedule runs (RunSchedule).
func FillCampaigns(tx FillTx, ws, sourceID string, now time.Time) ([]Filled, error) {
	campaigns, err := tx.Campaigns(ws)
	if err != nil {
		return nil, err
	}
	var out []Filled
	for _, c := range campaigns {
		if c.Schedule != "" || !slices.Contains(c.SourceIDs, sourceID) {
			continue
		}
		n, err := Fill(tx, &c, now)
		if err != nil {
			return nil, err
		}
		if n > 0 {
			out = append(out, Filled{CampaignID: c.ID, Queued: n})
		}
	}
	return out, nil
}

// fillBatch is how many of a source's leads Fill reads at a time.
const fillBatch = 256

// Fill queues first DM jobs for the campaign's leads that have none yet,
// up to its lead limit, and saves the campaign. It returns how many it
// queued. It runs when a campaign is created or changed and whenever a
// source keeps new leads, inside the caller's transaction.
//
// The n-th lead goes to account n mod A, and each account cycles through
// the variants by weight: its k-th lead (k = n div A) gets the variant at
// k in the campaign's rotation (see rotation), so every account sends each
// variant in proportion to its weight.
//
// A campaign that is not full once it has taken every lead of its sources,
// and whose sources have nothing left to scrape, has run out of leads: it
// is marked so and a leads_exhausted event is appended, once (again only
// if new leads come and run out too).
func Fill(tx FillTx, c *store.Campaign, now time.Time) (int, error) {
	if len(c.AccountIDs) == 0 || len(c.Variants) == 0 {
		return 0, tx.PutCampaign(*c)
	}
	if c.Offsets == nil {
		c.Offsets = map[string]int{}
	}
	queued := 0
	rot := rotation(c.Variants)
	full := func() bool { return c.MaxLeads > 0 && c.Assigned >= c.MaxLeads }
	for _, sid := range c.SourceIDs {
		for !full() {
			ids, err := tx.SourceLeads(c.Workspace, sid, c.Offsets[sid], fillBatch)
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
					ID: store.DMJobID(c.ID, id), Workspace: c.Workspace, Kind: store.JobDM, State: store.JobPending,
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
	if queued > 0 {
		c.ExhaustedAt, c.CompletedAt = time.Time{}, time.Time{} // it has leads again
	}
	// Short of full, the loop above has taken every lead its sources have.
	if !full() && c.ExhaustedAt.IsZero() {
		done, err := sourcesScraped(tx, c)
		if err != nil {
			return 0, err
		}
		if done {
			c.ExhaustedAt = now
			if err := leadsExhausted(tx, *c, now); err != nil {
				return 0, err
			}
		}
	}
	return queued, tx.PutCampaign(*c)
}

// sourcesScraped reports whether none of the campaign's sources has a
// scrape still pending.
func sourcesScraped(tx FillTx, c *store.Campaign) (bool, error) {
	for _, sid := range c.SourceIDs {
		pending, err := tx.Jobs(c.Workspace, store.JobQuery{SourceID: sid, State: store.JobPending, Limit: 1})
		if err != nil || len(pending) > 0 {
			return false, err
		}
	}
	return len(c.SourceIDs) > 0, nil
}

// leadsExhausted appends the campaign's leads_exhausted event.
func leadsExhausted(tx FillTx, c store.Campaign, now time.Time) error {
	tallies, err := tx.CampaignTallies(c.Workspace, c.ID)
	if err != nil {
		return err
	}
	sent := 0
	for _, t := range tallies {
		if t.Kind == store.JobDM && t.State == store.JobDone {
			sent += t.N
		}
	}
	handle := ""
	if a, err := tx.Account(c.Workspace, c.AccountIDs[0]); err == nil {
		handle = a.Handle
	} else if !store.IsNotFound(err) {
		return err
	}
	return AppendEvent(tx, c.Workspace, store.EventLeadsExhausted, now, store.LeadsExhaustedData{
		CampaignID: c.ID, CampaignName: c.Name, AccountHandle: handle, TotalSent: sent,
	})
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
func eligible(tx FillTx, c *store.Campaign, leadID string) (ok, claimed bool, err error) {
	if dnc, err := tx.DoNotContact(c.Workspace, leadID); err != nil || dnc {
		return false, false, err
	}
	switch _, err := tx.Job(c.Workspace, store.DMJobID(c.ID, leadID)); {
	case err == nil:
		return false, false, nil
	case !store.IsNotFound(err):
		return false, false, err
	}
	by, err := tx.ContactedBy(c.Workspace, leadID)
	if err != nil {
		return false, false, err
	}
	// A lead another campaign has claimed is not cold-messaged again unless
	// this campaign opts out of deduplication.
	return by == "" || by == c.ID || !c.Dedupe, by != "", nil
}
