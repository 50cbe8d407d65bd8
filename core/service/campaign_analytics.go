package service

import (
	"context"
	"math"
	"slices"

	"github.com/outreachhq/outreach/core/schedule"
	"github.com/outreachhq/outreach/core/store"
)

// AnalyticsQuery narrows the figures of Analytics: to the campaigns of one
// name, to one account; empty fields select everything.
type AnalyticsQuery struct {
	CampaignName string
	AccountID    string
}

// Analytics are the workspace's figures as the hosted API's dashboard
// shows them: per account, per campaign and account, per variant, and the
// sentiment of replies.
type Analytics struct {
	Accounts  []AccountAnalytics
	Campaigns []CampaignAnalytics
	Totals    AnalyticsTotals
}

// Sentiments counts replied conversations by the sentiment of the lead's
// latest classified reply; a reply not (yet) classified counts in none.
type Sentiments struct {
	Positive, Negative, Neutral int
}

// Total is the number of classified replies.
func (s Sentiments) Total() int { return s.Positive + s.Negative + s.Neutral }

// add counts n replies of sentiment.
func (s *Sentiments) add(sentiment string, n int) {
	switch sentiment {
	case store.SentimentPositive:
		s.Positive += n
	case store.SentimentNegative:
		s.Negative += n
	case store.SentimentNeutral:
		s.Neutral += n
	}
}

// AccountAnalytics are one account's figures over every campaign.
type AccountAnalytics struct {
	AccountInfo
	// SentToday counts the DMs it sent on its current day, the day its
	// daily cap counts (in the time zone of its active hours, else UTC).
	SentToday int
	// Responses counts the leads who replied to it in a campaign's
	// conversation; ResponseRate is their share of DMsSent, in percent.
	Responses    int
	ResponseRate float64
	// Pending counts its first DMs and follow-ups not yet sent.
	Pending   int
	Sentiment Sentiments
}

// CampaignAnalytics are one campaign's figures for one account, counted
// over first DMs.
type CampaignAnalytics struct {
	CampaignName      string
	AccountID, Handle string
	// Total counts the leads given to the account; Completed the first DMs
	// sent, Pending those waiting, Failed those that failed or wait for
	// review.
	Total, Completed, Pending, Failed int
	// Progress is Completed's share of Total, in percent.
	Progress int
	// Replies counts the leads who replied; ResponseRate is their share of
	// Completed, in percent.
	Replies      int
	ResponseRate float64
	Sentiment    Sentiments
	Variants     []VariantAnalytics
}

// VariantAnalytics is one message variant's A/B figures for one account.
type VariantAnalytics struct {
	Message       string
	Sent, Replied int
	ReplyRate     float64
}

// AnalyticsTotals sum the figures of the accounts listed.
type AnalyticsTotals struct {
	DMsSent, Responses int
	ResponseRate       float64
	Sentiment          Sentiments
}

// Rate is part's share of whole in percent, with one decimal: 12.5.
func Rate(part, whole int) float64 {
	if whole <= 0 {
		return 0
	}
	return math.Round(float64(part)*1000/float64(whole)) / 10
}

// Analytics returns the workspace's campaign figures, narrowed by q. The
// account figures cover every campaign; q.CampaignName narrows only the
// campaign figures. An account or campaign name that is not the
// workspace's selects nothing.
func (s *Service) Analytics(ctx context.Context, ws string, q AnalyticsQuery) (Analytics, error) {
	var out Analytics
	now := s.clock.Now()
	err := s.view(ctx, func(tx Tx) error {
		out = Analytics{}
		accounts, err := tx.Accounts(ws)
		if err != nil {
			return err
		}
		if q.AccountID != "" {
			accounts = slices.DeleteFunc(accounts, func(a store.Account) bool { return a.ID != q.AccountID })
		}
		// Responses and their sentiment are tallied per account, campaign
		// and sentiment as conversations change: each account's tallies
		// are read once, and summed over one campaign or ("") all.
		sentimentTallies := map[string][]store.SentimentTally{}
		repliesOf := func(account, campaign string) (int, Sentiments, error) {
			ts, ok := sentimentTallies[account]
			if !ok {
				var err error
				if ts, err = tx.SentimentTallies(ws, account); err != nil {
					return 0, Sentiments{}, err
				}
				sentimentTallies[account] = ts
			}
			n, sentiment := 0, Sentiments{}
			for _, t := range ts {
				if campaign == "" || t.CampaignID == campaign {
					n += t.N
					sentiment.add(t.Sentiment, t.N)
				}
			}
			return n, sentiment, nil
		}

		out.Accounts = make([]AccountAnalytics, 0, len(accounts))
		for _, a := range accounts {
			info, err := accountInfo(tx, a, now)
			if err != nil {
				return err
			}
			aa := AccountAnalytics{AccountInfo: info}
			if aa.Responses, aa.Sentiment, err = repliesOf(a.ID, ""); err != nil {
				return err
			}
			aa.ResponseRate = Rate(aa.Responses, info.DMsSent)
			if aa.SentToday, err = tx.SentOn(ws, a.ID, schedule.DayOf(now, a.CapLocation()).Key()); err != nil {
				return err
			}
			tallies, err := tx.AccountTallies(ws, a.ID)
			if err != nil {
				return err
			}
			for _, t := range tallies {
				if t.State == store.JobPending && (t.Kind == store.JobDM || t.Kind == store.JobFollowup) {
					aa.Pending += t.N
				}
			}
			out.Accounts = append(out.Accounts, aa)
			out.Totals.DMsSent += aa.DMsSent
			out.Totals.Responses += aa.Responses
			out.Totals.Sentiment.Positive += aa.Sentiment.Positive
			out.Totals.Sentiment.Negative += aa.Sentiment.Negative
			out.Totals.Sentiment.Neutral += aa.Sentiment.Neutral
		}
		out.Totals.ResponseRate = Rate(out.Totals.Responses, out.Totals.DMsSent)

		campaigns, err := tx.Campaigns(ws)
		if err != nil {
			return err
		}
		out.Campaigns = []CampaignAnalytics{}
		for _, c := range campaigns {
			if q.CampaignName != "" && c.Name != q.CampaignName {
				continue
			}
			cs, err := campaignStats(tx, c)
			if err != nil {
				return err
			}
			firsts, err := firstDMTallies(tx, c)
			if err != nil {
				return err
			}
			for _, a := range cs.Accounts {
				if q.AccountID != "" && a.AccountID != q.AccountID {
					continue
				}
				f := firsts[a.AccountID]
				ca := CampaignAnalytics{
					CampaignName: c.Name, AccountID: a.AccountID, Handle: a.Handle,
					Total: f.total, Completed: f.done, Pending: f.pending, Failed: f.failed,
					Replies: a.TotalReplied(),
				}
				if _, ca.Sentiment, err = repliesOf(a.AccountID, c.ID); err != nil {
					return err
				}
				if ca.Total > 0 {
					ca.Progress = ca.Completed * 100 / ca.Total
				}
				ca.ResponseRate = Rate(ca.Replies, ca.Completed)
				ca.Variants = make([]VariantAnalytics, len(c.Variants))
				for i, v := range c.Variants {
					ca.Variants[i] = VariantAnalytics{Message: v.Message, Sent: a.Sent[i], Replied: a.Replied[i], ReplyRate: Rate(a.Replied[i], a.Sent[i])}
				}
				out.Campaigns = append(out.Campaigns, ca)
			}
		}
		return nil
	})
	return out, err
}

// firstDMs counts one account's first DMs of a campaign by outcome.
type firstDMs struct{ total, done, pending, failed int }

func firstDMTallies(tx Tx, c store.Campaign) (map[string]firstDMs, error) {
	tallies, err := tx.CampaignTallies(c.Workspace, c.ID)
	if err != nil {
		return nil, err
	}
	out := map[string]firstDMs{}
	for _, t := range tallies {
		if t.Kind != store.JobDM {
			continue
		}
		f := out[t.AccountID]
		f.total += t.N
		switch t.State {
		case store.JobDone:
			f.done += t.N
		case store.JobPending:
			f.pending += t.N
		case store.JobFailed, store.JobNeedsReview:
			f.failed += t.N
		}
		out[t.AccountID] = f
	}
	return out, nil
}
