package bunt

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"

	"github.com/outreachhq/outreach/core/store"
)

// Tallies are counters kept in the same transaction as the records they
// count, moved from the old record's bucket to the new one's on every
// put, so that reading them reads only the counters:
//
//	w/ws/ct/campaign/account/kind/variant/state   jobs of a campaign
//	w/ws/at/account/kind/state                    jobs that name an account
//	w/ws/pending                                  a workspace's pending jobs
//	w/ws/rt/campaign/account/variant              replied conversations
//	w/ws/rs/account/campaign/sentiment            the same, by sentiment
//
// A counter that falls to zero is deleted.

func pendingKey(ws string) string { return wsKey(ws, "pending") }

func jobTallies(j store.Job) []string {
	var ks []string
	if j.CampaignID != "" {
		ks = append(ks, wsKey(j.Workspace, "ct", j.CampaignID, j.AccountID, string(j.Kind), strconv.Itoa(j.Variant), string(j.State)))
	}
	if j.AccountID != "" {
		ks = append(ks, wsKey(j.Workspace, "at", j.AccountID, string(j.Kind), string(j.State)))
	}
	if j.State == store.JobPending {
		ks = append(ks, pendingKey(j.Workspace))
	}
	return ks
}

func replyTallies(c store.Conversation) []string {
	if !countsAsReply(c) {
		return nil
	}
	return []string{wsKey(c.Workspace, "rt", c.CampaignID, c.AccountID, strconv.Itoa(c.Variant)), sentimentTally(c)}
}

// countsAsReply reports whether c counts in the reply tallies: a lead
// answered a campaign's DM.
func countsAsReply(c store.Conversation) bool { return c.Replied && c.CampaignID != "" }

// sentimentTally is the rs counter of replied campaign conversation c.
func sentimentTally(c store.Conversation) string {
	return wsKey(c.Workspace, "rs", c.AccountID, c.CampaignID, c.Sentiment)
}

// moveTallies takes one off each counter of old and adds one to each of
// new, writing only the counters whose count changes.
func (t *Tx) moveTallies(old, new []string) error {
	delta := map[string]int{}
	for _, k := range old {
		delta[k]--
	}
	for _, k := range new {
		delta[k]++
	}
	for k, d := range delta {
		if err := t.add(k, d); err != nil {
			return err
		}
	}
	return nil
}

// tallies reads the counters under p: the components of each key after p,
// and its count.
func (t *Tx) tallies(p string, parts int, fn func(c []string, n int)) error {
	return t.scanPrefix(p, func(k, v string) (bool, error) {
		c := split(k[len(p):])
		if len(c) != parts {
			return false, errBadKey(k)
		}
		n, err := strconv.Atoi(v)
		if err != nil {
			return false, fmt.Errorf("decode %s: %w", printable(k), err)
		}
		if n != 0 {
			fn(c, n)
		}
		return true, nil
	})
}

// PendingJobs counts a workspace's pending jobs.
func (t *Tx) PendingJobs(ws string) (int, error) { return t.count(pendingKey(ws)) }

// CampaignTallies returns the non-zero tallies of a campaign's jobs, by
// account, kind, variant and state.
func (t *Tx) CampaignTallies(ws, campaignID string) ([]store.JobTally, error) {
	out := []store.JobTally{}
	err := t.tallies(wsPrefix(ws, "ct", campaignID), 4, func(c []string, n int) {
		v, _ := strconv.Atoi(c[2])
		out = append(out, store.JobTally{CampaignID: campaignID, AccountID: c[0], Kind: store.JobKind(c[1]), Variant: v, State: store.JobState(c[3]), N: n})
	})
	slices.SortFunc(out, func(a, b store.JobTally) int {
		return cmp.Or(cmp.Compare(a.AccountID, b.AccountID), cmp.Compare(a.Kind, b.Kind), cmp.Compare(a.Variant, b.Variant), cmp.Compare(a.State, b.State))
	})
	return out, err
}

// AccountTallies returns the non-zero tallies of the jobs that name an
// account, by kind and state.
func (t *Tx) AccountTallies(ws, accountID string) ([]store.JobTally, error) {
	out := []store.JobTally{}
	err := t.tallies(wsPrefix(ws, "at", accountID), 2, func(c []string, n int) {
		out = append(out, store.JobTally{AccountID: accountID, Kind: store.JobKind(c[0]), State: store.JobState(c[1]), N: n})
	})
	return out, err
}

// ReplyTallies returns the non-zero counts of a campaign's replied
// conversations by account and variant.
func (t *Tx) ReplyTallies(ws, campaignID string) ([]store.ReplyTally, error) {
	out := []store.ReplyTally{}
	err := t.tallies(wsPrefix(ws, "rt", campaignID), 2, func(c []string, n int) {
		v, _ := strconv.Atoi(c[1])
		out = append(out, store.ReplyTally{CampaignID: campaignID, AccountID: c[0], Variant: v, N: n})
	})
	slices.SortFunc(out, func(a, b store.ReplyTally) int {
		return cmp.Or(cmp.Compare(a.AccountID, b.AccountID), cmp.Compare(a.Variant, b.Variant))
	})
	return out, err
}

// SentimentTallies returns the non-zero counts of an account's replied
// campaign conversations by campaign and sentiment.
func (t *Tx) SentimentTallies(ws, accountID string) ([]store.SentimentTally, error) {
	out := []store.SentimentTally{}
	err := t.tallies(wsPrefix(ws, "rs", accountID), 2, func(c []string, n int) {
		out = append(out, store.SentimentTally{AccountID: accountID, CampaignID: c[0], Sentiment: c[1], N: n})
	})
	return out, err
}
