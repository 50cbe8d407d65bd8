package plan

import (
	"time"

	"github.com/outreachhq/outreach/core/schedule"
	"github.com/outreachhq/outreach/core/store"
)

// Work is what a configuration will make the engine do, and when it will
// be done given each account's caps, pacing, active hours and warmup.
type Work struct {
	Sources   []SourceWork   `json:"sources"`
	Campaigns []CampaignWork `json:"campaigns"`
	Accounts  []AccountWork  `json:"accounts,omitempty"`
	Tweets    []TweetWork    `json:"tweets,omitempty"`
	// Holds are the holds in force on declared accounts: operational state
	// that applying does not lift.
	Holds []HoldInfo `json:"holds,omitempty"`
	// Cost is what the work costs in all at the network's prices; nil
	// when the network prices none of it.
	Cost *Cost `json:"cost,omitempty"`
	// CostPerDay is the cost of the busiest day's work (every scrape on
	// the first day); MaxDailySpend is settings.max_daily_api_spend (0:
	// none), and SpendWarning says when the first passes the second.
	CostPerDay    float64 `json:"cost_per_day,omitempty"`
	MaxDailySpend float64 `json:"max_daily_api_spend,omitempty"`
	SpendWarning  string  `json:"spend_warning,omitempty"`
}

// HoldInfo is a hold in force on a declared account.
type HoldInfo struct {
	Account string `json:"account"`
	store.Hold
}

// SourceWork is the scraping a source still needs.
type SourceWork struct {
	Name string `json:"name"`
	// Targets counts the lists still to scrape (handle x followers|following).
	Targets int `json:"targets"`
	// Kept is how many leads the source already has; MaxLeads its budget
	// (0: none).
	Kept     int `json:"kept"`
	MaxLeads int `json:"max_leads"`
	// NextRuns are the next three times its schedule scrapes the targets
	// again.
	NextRuns []time.Time `json:"next_runs,omitempty"`
	// Users is how many users the lists still to scrape hold, as far as
	// known (SourceFacts.ListSizes); UsersAtLeast marks a lower bound, from
	// the source's lead budget, when a list's size is not known.
	Users        int  `json:"users"`
	UsersAtLeast bool `json:"users_at_least,omitempty"`
	// Requests is how many pages the scrape reads; Windows how many
	// windows of Window the network's scrape budget needs for them.
	Requests int           `json:"requests"`
	Windows  int           `json:"windows,omitempty"`
	Window   time.Duration `json:"window,omitempty"`
	Cost     *Cost         `json:"cost,omitempty"`
}

// CampaignWork is the messaging a campaign still needs.
type CampaignWork struct {
	Name string `json:"name"`
	// Sent counts first DMs already sent, Skipped those a policy or a
	// person skipped, Failed those that failed for good;
	// MaxLeads is the campaign's limit.
	Sent     int `json:"sent"`
	Skipped  int `json:"skipped"`
	Failed   int `json:"failed"`
	MaxLeads int `json:"max_leads"`
	// ToSend is how many first DMs are still to send, or -1 when nothing
	// bounds it (no max_leads and a source without a lead budget).
	ToSend int `json:"to_send"`
	// PerAccount is how many of those each account sends.
	PerAccount map[string]int `json:"per_account"`
	Followups  int            `json:"followups_per_lead"`
	// FirstDMsDone and Done are when the last first DM and the last
	// follow-up (if every lead stays silent) are expected to go out;
	// nil when there is no estimate (see Stalled).
	FirstDMsDone *time.Time `json:"first_dms_done,omitempty"`
	Done         *time.Time `json:"done,omitempty"`
	// Stalled says why the campaign will not finish as things stand.
	Stalled string `json:"stalled,omitempty"`
	// NextRuns are the next three times its schedule takes in new leads.
	NextRuns []time.Time `json:"next_runs,omitempty"`
	// Policy is the campaign's policy; Refused are the actions it would
	// take that the policy refuses (store.Policy.Refusal), in the order of
	// policyActions. A refused follow-up counts in neither Followups nor
	// the estimate.
	Policy  string         `json:"policy"`
	Refused []store.Action `json:"refused,omitempty"`
	// Windows is how many 24-hour windows its DMs (first DMs and every
	// follow-up) need at what its accounts may send a day, caps and
	// network budgets together.
	Windows int `json:"windows_24h,omitempty"`
	// LimitedBy says what sets the finish date when a network budget
	// does rather than the accounts' caps: "app" (the app's budget, shared
	// by its accounts) or "user" (X's per-user budget); Limit says it in
	// words.
	LimitedBy string `json:"limited_by,omitempty"`
	Limit     string `json:"limit,omitempty"`
	// Cost is what its DMs cost at the network's prices, if every lead
	// gets every follow-up.
	Cost *Cost `json:"cost,omitempty"`
}

// AccountWork is what one account will send, and when it will be done.
type AccountWork struct {
	Name     string `json:"name"`
	FirstDMs int    `json:"first_dms"`
	// Followups is the most follow-ups it will send: one per step for
	// every lead who does not reply.
	Followups int `json:"followups"`
	// CapToday is today's DM cap, lowered by warmup and by the network's
	// budgets (its app's shared among the accounts that use it).
	CapToday int        `json:"cap_today"`
	Done     *time.Time `json:"done,omitempty"`
	Stalled  string     `json:"stalled,omitempty"`
}

// TweetWork is a scheduled tweet still to post.
type TweetWork struct {
	Name    string    `json:"name"`
	Account string    `json:"account"`
	At      time.Time `json:"at"`
}

func work(desired Objects, snap Snapshot, opts Options) Work {
	now, sandbox := opts.Now, opts.Sandbox
	var w Work
	budget := map[string]int{} // a source's lead budget; -1 for none
	for _, s := range desired.Sources {
		name := Label(s.Address)
		sw := SourceWork{Name: name, MaxLeads: s.MaxLeads}
		budget[name] = -1
		if s.MaxLeads > 0 {
			budget[name] = s.MaxLeads
		}
		facts := snap.Sources[name]
		sw.Kept = facts.Kept
		for _, t := range s.Targets {
			for _, rel := range t.Relations() {
				if !facts.Scraped[rel+"/"+store.NormalizeHandle(t.Handle)] {
					sw.Targets++
				}
			}
		}
		sw.NextRuns = nextRuns(s.Schedule, now)
		scrapeWork(&sw, s, facts, sourceNetwork(desired, opts.Networks))
		w.Sources = append(w.Sources, sw)
	}

	est := newEstimator(now, sandbox, opts.Networks)
	for _, a := range desired.Accounts {
		est.addAccount(a, snap.Accounts[Label(a.Address)])
	}
	for ci, c := range desired.Campaigns {
		name := Label(c.Address)
		facts := snap.Campaigns[name]
		cw := CampaignWork{Name: name, MaxLeads: c.MaxLeads, PerAccount: map[string]int{}, Sent: facts.Sent, Skipped: facts.Skipped, Failed: facts.Failed, NextRuns: nextRuns(c.Schedule, now)}
		total := c.MaxLeads
		sum := 0
		for _, s := range c.Sources {
			if b := budget[s]; b < 0 {
				sum = -1
				break
			} else if sum >= 0 {
				sum += b
			}
		}
		switch {
		case total == 0:
			total = sum
		case sum >= 0:
			total = min(total, sum)
		}
		cw.ToSend = -1
		if total >= 0 {
			cw.ToSend = max(total-cw.Sent-cw.Skipped-cw.Failed, 0)
		}
		cw.Policy, cw.Refused = c.Policy.String(), refused(c.Campaign)
		if c.Policy.Refusal(store.ActionFollowup) == nil {
			for _, v := range c.Variants {
				cw.Followups = max(cw.Followups, len(v.Followups))
			}
		}
		if len(c.Accounts) == 0 {
			cw.Stalled = "no account to send from: declare an account block"
		}
		if cw.ToSend >= 0 && len(c.Accounts) > 0 {
			// The engine gives lead n to account n mod len(accounts).
			done := cw.Sent + cw.Skipped + cw.Failed
			for i := range cw.ToSend {
				cw.PerAccount[c.Accounts[(done+i)%len(c.Accounts)]]++
			}
			for _, a := range c.Accounts {
				cw.PerAccount[a] += 0 // list every account, even with none
			}
			est.addCampaign(ci, c, cw.PerAccount)
		}
		w.Campaigns = append(w.Campaigns, cw)
	}
	est.run()
	for i := range w.Campaigns {
		cw := &w.Campaigns[i]
		if cw.Stalled != "" {
			continue
		}
		if cw.ToSend < 0 {
			cw.Stalled = "no max_leads and a source without max_leads: the number of DMs is not known"
			continue
		}
		cw.FirstDMsDone, cw.Done, cw.Stalled = est.campaignResult(i)
	}
	for i := range w.Campaigns {
		est.budgetWork(&w.Campaigns[i])
	}
	w.Accounts = est.accountResults()
	w.spend(est, opts.MaxDailySpend)
	for _, a := range desired.Accounts {
		for _, h := range snap.Accounts[Label(a.Address)].Holds {
			w.Holds = append(w.Holds, HoldInfo{Account: Label(a.Address), Hold: h})
		}
	}
	for _, t := range desired.Tweets {
		w.Tweets = append(w.Tweets, TweetWork{Name: Label(t.Address), Account: t.Account, At: t.ScheduledAt})
	}
	return w
}

// refused lists what the campaign would do that its policy refuses. Every
// campaign sends first DMs, so a policy that refuses cold DMs is always
// named; the other actions only if the campaign declares them.
func refused(c store.Campaign) []store.Action {
	declares := map[store.Action]bool{
		store.ActionColdDM: true, store.ActionFollow: c.Follow, store.ActionLike: c.Like, store.ActionComment: c.Comment,
	}
	for _, v := range c.Variants {
		declares[store.ActionFollowup] = declares[store.ActionFollowup] || len(v.Followups) > 0
	}
	var out []store.Action
	for _, a := range policyActions {
		if declares[a] && c.Policy.Refusal(a) != nil {
			out = append(out, a)
		}
	}
	return out
}

// policyActions are the campaign actions a policy may refuse, in the
// order a plan names them.
var policyActions = []store.Action{store.ActionFollow, store.ActionLike, store.ActionComment, store.ActionFollowup, store.ActionColdDM}

// nextRuns are the next three times a cron schedule runs after now, in
// UTC; none without one.
func nextRuns(expr string, now time.Time) []time.Time {
	if expr == "" {
		return nil
	}
	runs, _ := schedule.NextRuns(expr, now, 3) // configuration has checked it
	for i := range runs {
		runs[i] = runs[i].UTC()
	}
	return runs
}
