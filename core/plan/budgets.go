package plan

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/outreachhq/outreach/core/schedule"
	"github.com/outreachhq/outreach/core/store"
)

// The work estimate within a network's budgets: how many pages a scrape
// reads and how many windows of the scrape budget they need, how many
// days a campaign's DMs need at what its accounts may send a day (their
// caps lowered to X's per-user budget and to their share of the app's),
// which budget sets the finish date, and what it all costs.

// sourceNetwork is the network a source scrapes through: that of the
// first declared account (every first-party source scrapes X), else none.
func sourceNetwork(desired Objects, nets map[string]Network) Network {
	for _, a := range desired.Accounts {
		return nets[a.Network]
	}
	return Network{}
}

// scrapeWork counts the users and pages of a source's lists still to
// scrape, the windows of the scrape budget they need, and their cost.
func scrapeWork(sw *SourceWork, s Source, facts SourceFacts, net Network) {
	unknown := 0
	for _, t := range s.Targets {
		for _, rel := range t.Relations() {
			k := rel + "/" + store.NormalizeHandle(t.Handle)
			if facts.Scraped[k] {
				continue
			}
			n, ok := facts.ListSizes[k]
			if !ok {
				unknown++
				continue
			}
			sw.Users += n
			sw.Requests += pages(n, net.pageSize())
		}
	}
	if unknown > 0 {
		// Reading stops once the lead budget is kept: at least that many
		// users are read, in at least a page per list.
		sw.UsersAtLeast = true
		extra := max(sw.MaxLeads-sw.Kept, 0)
		sw.Users += extra
		sw.Requests += max(pages(extra, net.pageSize()), unknown)
	}
	for _, scope := range []string{ScopeUser, ScopeApp} {
		for _, b := range net.budgets(OpScrape, scope) {
			if n := schedule.Windows(sw.Requests, b.Requests); n > sw.Windows || n == sw.Windows && b.Window > sw.Window {
				sw.Windows, sw.Window = n, b.Window
			}
		}
	}
	if amount, ok := net.Prices.cost(OpScrape, sw.Requests, sw.Users); ok && sw.Requests > 0 {
		sw.Cost = &Cost{Amount: amount, Currency: net.Prices.Currency, AsOf: net.Prices.AsOf, Simulated: net.Simulated}
	}
}

// pages is how many pages of size hold n users.
func pages(n, size int) int { return (n + size - 1) / size }

// budgetWork adds to a campaign's work the windows its DMs need, the
// budget that sets its finish date, and its cost.
func (e *estimator) budgetWork(cw *CampaignWork) {
	if cw.ToSend <= 0 {
		return
	}
	sends := cw.ToSend * (1 + cw.Followups)
	perDay := 0
	var (
		net  Network
		last *simAccount // the account that finishes last sets the date
	)
	names := make([]string, 0, len(cw.PerAccount))
	for n := range cw.PerAccount {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		sa, ok := e.accounts[n]
		if !ok || cw.PerAccount[n] == 0 {
			continue
		}
		net = sa.net
		capToday := sa.cap.On(sa.today)
		if capToday == 0 && sa.cap.Ramp == nil {
			perDay = -1 // no daily bound on this account
		} else if perDay >= 0 {
			perDay += capToday
		}
		if last == nil || sa.done.After(last.done) {
			last = sa
		}
	}
	if perDay > 0 {
		cw.Windows = schedule.Windows(sends, perDay)
	}
	switch {
	case last == nil:
	case last.boundBy() == ScopeApp:
		cw.LimitedBy = ScopeApp
		cw.Limit = fmt.Sprintf("the app's budget of %s DMs per 24h, shared by %d accounts (%s each), sets the finish date, not the accounts' caps",
			count(last.appDaily), last.appAccounts, count(last.appShare))
	case last.boundBy() == ScopeUser:
		cw.LimitedBy = ScopeUser
		who := "X's"
		if last.net.Simulated {
			who = "the simulated X's"
		}
		cw.Limit = fmt.Sprintf("%s per-user DM budget (%s) sets the finish date, not the accounts' caps", who, budgetText(last.net.budgets(OpSendDM, ScopeUser)))
	}
	if amount, ok := net.Prices.cost(OpSendDM, sends, 0); ok {
		cw.Cost = &Cost{Amount: amount, Currency: net.Prices.Currency, AsOf: net.Prices.AsOf, Simulated: net.Simulated}
	}
}

// spend totals the work's cost and its busiest day's, and warns when
// that passes the workspace's daily limit.
func (w *Work) spend(e *estimator, limit float64) {
	w.MaxDailySpend = limit
	first := 0.0
	for _, s := range w.Sources {
		w.Cost = w.Cost.add(s.Cost)
		if s.Cost != nil {
			first += s.Cost.Amount
		}
	}
	for _, c := range w.Campaigns {
		w.Cost = w.Cost.add(c.Cost)
	}
	if w.Cost == nil {
		return
	}
	// A send's price, from the campaigns that price theirs.
	perSend := 0.0
	for _, c := range w.Campaigns {
		if c.Cost != nil && c.ToSend > 0 {
			perSend = max(perSend, c.Cost.Amount/float64(c.ToSend*(1+c.Followups)))
		}
	}
	days := make([]schedule.Day, 0, len(e.sendsByDay))
	for d := range e.sendsByDay {
		days = append(days, d)
	}
	slices.Sort(days)
	busiest := 0.0
	for i, d := range days {
		c := float64(e.sendsByDay[d]) * perSend
		if i == 0 {
			c += first
		}
		busiest = max(busiest, c)
	}
	if len(days) == 0 {
		busiest = first
	}
	w.CostPerDay = busiest
	if limit > 0 && busiest > limit {
		w.SpendWarning = fmt.Sprintf("the declared work would cost about %s on its busiest day, more than max_daily_api_spend of %s: "+
			"each day the engine holds the work once %s is spent, and it finishes later than estimated",
			money(busiest, w.Cost.Currency), money(limit, w.Cost.Currency), money(limit, w.Cost.Currency))
	}
}

// count prints a count with thousands separators: 1,440.
func count(n int) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0 && s[i-1] != '-'; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// budgetText lists budgets: "15 per 15m, 1,440 per 24h".
func budgetText(bs []Budget) string {
	parts := make([]string, len(bs))
	for i, b := range bs {
		parts[i] = fmt.Sprintf("%s per %s", count(b.Requests), span(b.Window))
	}
	return strings.Join(parts, ", ")
}
