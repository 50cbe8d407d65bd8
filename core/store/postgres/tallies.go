package postgres

import (
	"fmt"

	"github.com/outreachhq/outreach/core/store"
)

// Tallies are rows of job_tallies, reply_tallies and sentiment_tallies,
// moved by triggers on jobs and conversations in the statement that
// changes a record (migrations/0001_init.sql, 0005_sentiment_tallies.sql): a put that changes a job's bucket (campaign,
// account, kind, variant, state) takes one from the old bucket and adds
// one to the new. Reading a tally reads only tally rows, however many jobs
// they count; and as a bucket names its account, Updates that work
// different accounts of one campaign write different rows.

// PendingJobs counts a workspace's pending jobs: the sum of its pending
// buckets.
func (t *Tx) PendingJobs(ws string) (int, error) {
	var n int
	if _, err := t.one(`SELECT coalesce(sum(n), 0)::bigint FROM job_tallies WHERE ws = $1 AND state = 'pending'`,
		[]any{ws}, &n); err != nil {
		return 0, fmt.Errorf("count pending jobs: %w", err)
	}
	return n, nil
}

// CampaignTallies returns the non-zero tallies of a campaign's jobs, by
// account, kind, variant and state.
func (t *Tx) CampaignTallies(ws, campaignID string) ([]store.JobTally, error) {
	out := []store.JobTally{}
	err := t.each(`
		SELECT account_id, kind, variant, state, n FROM job_tallies
		WHERE ws = $1 AND campaign_id = $2 AND campaign_id <> '' AND n <> 0
		ORDER BY account_id, kind, variant, state`, []any{ws, campaignID},
		func(rows row) error {
			x := store.JobTally{CampaignID: campaignID}
			err := rows.Scan(&x.AccountID, &x.Kind, &x.Variant, &x.State, &x.N)
			out = append(out, x)
			return err
		})
	if err != nil {
		return nil, fmt.Errorf("read the tallies of %s: %w", named("campaign", ws, campaignID), err)
	}
	return out, nil
}

// AccountTallies returns the non-zero tallies of the jobs that name an
// account, by kind and state: the sums of its buckets.
func (t *Tx) AccountTallies(ws, accountID string) ([]store.JobTally, error) {
	out := []store.JobTally{}
	err := t.each(`
		SELECT kind, state, sum(n)::bigint FROM job_tallies
		WHERE ws = $1 AND account_id = $2 AND account_id <> ''
		GROUP BY kind, state HAVING sum(n) <> 0
		ORDER BY kind, state`, []any{ws, accountID},
		func(rows row) error {
			x := store.JobTally{AccountID: accountID}
			err := rows.Scan(&x.Kind, &x.State, &x.N)
			out = append(out, x)
			return err
		})
	if err != nil {
		return nil, fmt.Errorf("read the tallies of %s: %w", named("account", ws, accountID), err)
	}
	return out, nil
}

// ReplyTallies returns the non-zero counts of a campaign's replied
// conversations by account and variant.
func (t *Tx) ReplyTallies(ws, campaignID string) ([]store.ReplyTally, error) {
	out := []store.ReplyTally{}
	err := t.each(`
		SELECT account_id, variant, n FROM reply_tallies
		WHERE ws = $1 AND campaign_id = $2 AND n <> 0
		ORDER BY account_id, variant`, []any{ws, campaignID},
		func(rows row) error {
			x := store.ReplyTally{CampaignID: campaignID}
			err := rows.Scan(&x.AccountID, &x.Variant, &x.N)
			out = append(out, x)
			return err
		})
	if err != nil {
		return nil, fmt.Errorf("read the reply tallies of %s: %w", named("campaign", ws, campaignID), err)
	}
	return out, nil
}

// SentimentTallies returns the non-zero counts of an account's replied
// campaign conversations by campaign and sentiment.
func (t *Tx) SentimentTallies(ws, accountID string) ([]store.SentimentTally, error) {
	out := []store.SentimentTally{}
	err := t.each(`
		SELECT campaign_id, sentiment, n FROM sentiment_tallies
		WHERE ws = $1 AND account_id = $2 AND n <> 0
		ORDER BY campaign_id, sentiment`, []any{ws, accountID},
		func(rows row) error {
			x := store.SentimentTally{AccountID: accountID}
			err := rows.Scan(&x.CampaignID, &x.Sentiment, &x.N)
			out = append(out, x)
			return err
		})
	if err != nil {
		return nil, fmt.Errorf("read the sentiment tallies of %s: %w", named("account", ws, accountID), err)
	}
	return out, nil
}
