package service

import (
	"time"

	"github.com/outreachhq/outreach/core/plan"
	"github.com/outreachhq/outreach/core/schedule"
	"github.com/outreachhq/outreach/core/store"
)

// snapshot reads what a plan compares against: the workspace's managed
// objects (those with an address; objects made through the API are not
// configuration's to plan), and the facts the estimate of the desired
// objects' work starts from.
func snapshot(tx Tx, ws string, want plan.Objects, now time.Time) (plan.Snapshot, error) {
	snap := plan.Snapshot{
		Accounts:  map[string]plan.AccountFacts{},
		Sources:   map[string]plan.SourceFacts{},
		Campaigns: map[string]plan.CampaignFacts{},
	}
	cur := &snap.Current
	accounts, err := tx.Accounts(ws)
	if err != nil {
		return snap, err
	}
	accountLabel := map[string]string{}
	for _, a := range accounts {
		if a.Address != "" {
			accountLabel[a.ID] = plan.Label(a.Address)
			cur.Accounts = append(cur.Accounts, a)
		}
	}
	filters, err := tx.Filters(ws)
	if err != nil {
		return snap, err
	}
	filterLabel := map[string]string{}
	for _, f := range filters {
		if f.Address != "" {
			filterLabel[f.ID] = plan.Label(f.Address)
			cur.Filters = append(cur.Filters, f)
		}
	}
	sources, err := tx.Sources(ws)
	if err != nil {
		return snap, err
	}
	sourceLabel := map[string]string{}
	for _, s := range sources {
		if s.Address != "" {
			sourceLabel[s.ID] = plan.Label(s.Address)
			cur.Sources = append(cur.Sources, plan.Source{Source: s, Filter: filterLabel[s.FilterID]})
		}
	}
	campaigns, err := tx.Campaigns(ws)
	if err != nil {
		return snap, err
	}
	for _, c := range campaigns {
		if c.Address != "" {
			cur.Campaigns = append(cur.Campaigns, plan.Campaign{Campaign: c, Sources: labels(c.SourceIDs, sourceLabel), Accounts: labels(c.AccountIDs, accountLabel)})
		}
	}
	webhooks, err := tx.Webhooks(ws)
	if err != nil {
		return snap, err
	}
	for _, w := range webhooks {
		if w.Address != "" {
			cur.Webhooks = append(cur.Webhooks, effectiveWebhook(w))
		}
	}
	tweets, err := tx.ScheduledTweets(ws)
	if err != nil {
		return snap, err
	}
	for _, t := range tweets {
		if t.Address != "" {
			cur.Tweets = append(cur.Tweets, plan.Tweet{ScheduledTweet: t, Account: accountLabel[t.AccountID]})
		}
	}
	return snap, facts(tx, ws, want, &snap, now)
}

// facts reads, for each desired object, what its work estimate starts
// from.
func facts(tx Tx, ws string, want plan.Objects, snap *plan.Snapshot, now time.Time) error {
	for _, a := range want.Accounts {
		f, err := accountFacts(tx, ws, a, now)
		if err != nil {
			return err
		}
		snap.Accounts[plan.Label(a.Address)] = f
	}
	for _, s := range want.Sources {
		cur, err := tx.SourceByAddress(ws, s.Address)
		if store.IsNotFound(err) {
			continue
		}
		if err != nil {
			return err
		}
		f := plan.SourceFacts{Scraped: map[string]bool{}}
		if f.Kept, err = tx.SourceLeadCount(ws, cur.ID); err != nil {
			return err
		}
		jobs, err := tx.Jobs(ws, store.JobQuery{SourceID: cur.ID, Kind: store.JobScrape})
		if err != nil {
			return err
		}
		for _, j := range jobs {
			if j.State.Final() {
				f.Scraped[j.Relation+"/"+store.NormalizeHandle(j.Handle)] = true
			}
		}
		snap.Sources[plan.Label(s.Address)] = f
	}
	for _, c := range want.Campaigns {
		cur, err := tx.CampaignByAddress(ws, c.Address)
		if store.IsNotFound(err) {
			continue
		}
		if err != nil {
			return err
		}
		tallies, err := tx.CampaignTallies(ws, cur.ID)
		if err != nil {
			return err
		}
		var f plan.CampaignFacts
		for _, t := range tallies {
			switch {
			case t.Kind != store.JobDM:
			case t.State == store.JobDone:
				f.Sent += t.N
			case t.State == store.JobSkipped:
				f.Skipped += t.N
			case t.State.Final():
				f.Failed += t.N
			}
		}
		snap.Campaigns[plan.Label(c.Address)] = f
	}
	return nil
}

// accountFacts is what a desired account's sends will depend on once the
// configuration is applied: its record as applying would leave it, and the
// state the store holds for the X account.
func accountFacts(tx Tx, ws string, want store.Account, now time.Time) (plan.AccountFacts, error) {
	rec := want
	rec.WarmupStartedAt = now // a warmup declared now starts now
	cur, err := existingAccount(tx, ws, want)
	if err != nil || cur.ID == "" {
		return plan.AccountFacts{Cap: rec.DailyCap(nil, now)}, err
	}
	rec.ID, rec.CreatedAt = cur.ID, cur.CreatedAt
	if cur.Warmup != nil && !cur.WarmupStartedAt.IsZero() {
		rec.WarmupStartedAt = cur.WarmupStartedAt
	}
	st, err := tx.AccountState(ws, cur.ID)
	if err != nil {
		return plan.AccountFacts{}, err
	}
	f := plan.AccountFacts{Cap: rec.DailyCap(st.Ramp, now)}
	if f.SentToday, err = tx.SentOn(ws, cur.ID, schedule.DayOf(now, f.Cap.Loc).Key()); err != nil {
		return f, err
	}
	for _, h := range st.Holds {
		if h.InForce(now) {
			f.Holds = append(f.Holds, h)
		}
	}
	return f, nil
}

// existingAccount is the record a desired account applies to: the one at
// its address, else the workspace's record of its handle (which applying
// takes over); the zero Account if there is none.
func existingAccount(tx Tx, ws string, want store.Account) (store.Account, error) {
	cur, err := tx.AccountByAddress(ws, want.Address)
	if err == nil || !store.IsNotFound(err) {
		return cur, err
	}
	cur, err = tx.AccountByHandle(want.Handle)
	switch {
	case store.IsNotFound(err) || err == nil && (cur.Workspace != ws || cur.Address != ""):
		return store.Account{}, nil
	case err != nil:
		return store.Account{}, err
	}
	return cur, nil
}

func labels(ids []string, byID map[string]string) []string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = byID[id]
	}
	return out
}
