package bunt

import "github.com/outreachhq/outreach/core/store"

// An engagement outcome is stored under (workspace, "eng", campaign, lead,
// step), so that a lead's, a campaign's and a workspace's outcomes are
// each one prefix. Its tally, (workspace, "et", campaign, account, step,
// state), moves with every put as a job's does (tallies.go); an account's
// daily count of a step is (workspace, "engd", account, step, day).

func engagementKey(ws, campaignID, leadID string, step store.EngageStep) string {
	return wsKey(ws, "eng", campaignID, leadID, string(step))
}

func engageTallyKey(e store.Engagement) string {
	return wsKey(e.Workspace, "et", e.CampaignID, e.AccountID, string(e.Step), string(e.State))
}

func engagedKey(ws, accountID string, step store.EngageStep, day string) string {
	return wsKey(ws, "engd", accountID, string(step), day)
}

// PutEngagement stores the outcome of one step toward one lead of a
// campaign, replacing the one before, and moves its tally.
func (t *Tx) PutEngagement(e store.Engagement) error {
	if err := need("engagement", e.Workspace, e.CampaignID, e.LeadID, string(e.Step)); err != nil {
		return err
	}
	k := engagementKey(e.Workspace, e.CampaignID, e.LeadID, e.Step)
	var old store.Engagement
	found, err := t.find(k, &old)
	if err != nil {
		return err
	}
	var oldTallies []string
	if found {
		oldTallies = []string{engageTallyKey(old)}
	}
	if err := t.moveTallies(oldTallies, []string{engageTallyKey(e)}); err != nil {
		return err
	}
	return t.put(k, e)
}

// Engagements lists a workspace's engagement outcomes by campaign, lead
// and step: one campaign's if campaignID is set, one lead's if leadID is.
func (t *Tx) Engagements(ws, campaignID, leadID string) ([]store.Engagement, error) {
	p := wsPrefix(ws, "eng")
	switch {
	case campaignID != "" && leadID != "":
		p = wsPrefix(ws, "eng", campaignID, leadID)
	case campaignID != "":
		p = wsPrefix(ws, "eng", campaignID)
	}
	all, err := list[store.Engagement](t, p)
	if err != nil || leadID == "" || campaignID != "" {
		return all, err
	}
	out := []store.Engagement{}
	for _, e := range all {
		if e.LeadID == leadID {
			out = append(out, e)
		}
	}
	return out, nil
}

// EngageTallies returns the non-zero counts of a campaign's engagement
// outcomes by account, step and state.
func (t *Tx) EngageTallies(ws, campaignID string) ([]store.EngageTally, error) {
	out := []store.EngageTally{}
	err := t.tallies(wsPrefix(ws, "et", campaignID), 3, func(c []string, n int) {
		out = append(out, store.EngageTally{CampaignID: campaignID, AccountID: c[0], Step: store.EngageStep(c[1]), State: store.EngageState(c[2]), N: n})
	})
	return out, err
}

// EngagedOn returns how many of a step the account did on a calendar day.
func (t *Tx) EngagedOn(ws, accountID string, step store.EngageStep, day string) (int, error) {
	return t.count(engagedKey(ws, accountID, step, day))
}

// AddEngagedOn adds n to how many of a step the account did on a
// calendar day.
func (t *Tx) AddEngagedOn(ws, accountID string, step store.EngageStep, day string, n int) error {
	if err := need("engagement count", ws, accountID, string(step), day); err != nil {
		return err
	}
	return t.add(engagedKey(ws, accountID, step, day), n)
}

// EngagedDays lists an account's non-zero EngagedOn counts, by step, then
// day.
func (t *Tx) EngagedDays(ws, accountID string) ([]store.EngageCount, error) {
	out := []store.EngageCount{}
	err := t.tallies(wsPrefix(ws, "engd", accountID), 2, func(c []string, n int) {
		out = append(out, store.EngageCount{Step: store.EngageStep(c[0]), Day: c[1], N: n})
	})
	return out, err
}
