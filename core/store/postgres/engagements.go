package postgres

import (
	"fmt"

	"github.com/outreachhq/outreach/core/store"
)

// Engagement outcomes are rows of engagements, one per campaign, lead and
// step; their tallies are rows of engage_tallies, moved by a trigger
// (migrations/0003_engagement.sql) as job tallies are; each account's
// daily counts of each step are rows of engage_counts.

// PutEngagement stores the outcome of one step toward one lead of a
// campaign, replacing the one before; the trigger moves its tally.
func (t *Tx) PutEngagement(e store.Engagement) error {
	if err := need("engagement", e.Workspace, e.CampaignID, e.LeadID, string(e.Step)); err != nil {
		return err
	}
	what := fmt.Sprintf("engagement %s/%s/%s/%s", e.Workspace, e.CampaignID, e.LeadID, e.Step)
	body, err := encode(what, e)
	if err != nil {
		return err
	}
	_, err = t.exec(`
		INSERT INTO engagements (ws, campaign_id, lead_id, step, account_id, state, body) VALUES ($1, $2, $3, $4, $5, $6, $7)
		ON CONFLICT (ws, campaign_id, lead_id, step) DO UPDATE
		SET account_id = excluded.account_id, state = excluded.state, body = excluded.body`,
		e.Workspace, e.CampaignID, e.LeadID, string(e.Step), e.AccountID, string(e.State), body)
	return wrap("put "+what, err)
}

// Engagements lists a workspace's engagement outcomes by campaign, lead
// and step: one campaign's if campaignID is set, one lead's if leadID is.
func (t *Tx) Engagements(ws, campaignID, leadID string) ([]store.Engagement, error) {
	return list[store.Engagement](t, "engagements", `
		SELECT body FROM engagements
		WHERE ws = $1 AND ($2 = '' OR campaign_id = $2) AND ($3 = '' OR lead_id = $3)
		ORDER BY campaign_id, lead_id, step`, ws, campaignID, leadID)
}

// EngageTallies returns the non-zero counts of a campaign's engagement
// outcomes by account, step and state.
func (t *Tx) EngageTallies(ws, campaignID string) ([]store.EngageTally, error) {
	out := []store.EngageTally{}
	err := t.each(`
		SELECT account_id, step, state, n FROM engage_tallies
		WHERE ws = $1 AND campaign_id = $2 AND n <> 0
		ORDER BY account_id, step, state`, []any{ws, campaignID},
		func(rows row) error {
			x := store.EngageTally{CampaignID: campaignID}
			err := rows.Scan(&x.AccountID, &x.Step, &x.State, &x.N)
			out = append(out, x)
			return err
		})
	return out, wrap(fmt.Sprintf("read the engagement tallies of %s", named("campaign", ws, campaignID)), err)
}

// EngagedOn returns how many of a step the account did on a calendar day.
func (t *Tx) EngagedOn(ws, accountID string, step store.EngageStep, day string) (int, error) {
	var n int
	if _, err := t.one(`SELECT n FROM engage_counts WHERE ws = $1 AND account_id = $2 AND step = $3 AND day = $4`,
		[]any{ws, accountID, string(step), day}, &n); err != nil {
		return 0, fmt.Errorf("read the %s count of %s: %w", step, named("account", ws, accountID), err)
	}
	return n, nil
}

// AddEngagedOn adds n to how many of a step the account did on a calendar
// day.
func (t *Tx) AddEngagedOn(ws, accountID string, step store.EngageStep, day string, n int) error {
	if err := need("engagement count", ws, accountID, string(step), day); err != nil {
		return err
	}
	if n == 0 {
		return nil
	}
	_, err := t.exec(`
		INSERT INTO engage_counts AS c (ws, account_id, step, day, n) VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (ws, account_id, step, day) DO UPDATE SET n = c.n + excluded.n`,
		ws, accountID, string(step), day, n)
	return wrap(fmt.Sprintf("add to the %s count of %s", step, named("account", ws, accountID)), err)
}

// EngagedDays lists an account's non-zero EngagedOn counts, by step, then
// day.
func (t *Tx) EngagedDays(ws, accountID string) ([]store.EngageCount, error) {
	out := []store.EngageCount{}
	err := t.each(`SELECT step, day, n FROM engage_counts WHERE ws = $1 AND account_id = $2 AND n <> 0 ORDER BY step, day`,
		[]any{ws, accountID},
		func(rows row) error {
			var c store.EngageCount
			err := rows.Scan(&c.Step, &c.Day, &c.N)
			out = append(out, c)
			return err
		})
	return out, wrap(fmt.Sprintf("list the engagement counts of %s", named("account", ws, accountID)), err)
}
