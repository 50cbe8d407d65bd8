package plan

import (
	"container/heap"
	"errors"
	"fmt"
	"time"

	"github.com/outreachhq/outreach/core/schedule"
	"github.com/outreachhq/outreach/core/store"
)

// The estimate replays, for each account, the sends its campaigns give it
// the way the engine paces them: one at a time, the mean gap apart, only
// inside the account's active hours and the campaign's window, at most the
// day's cap (lowered by warmup) per day of the account's time zone, and
// each follow-up its delay after the message before it, assuming no lead
// replies. Scraping is taken to be done before the first send: it is fast
// next to DM pacing. The windows, the days, the cap and the mean gap come
// from core/schedule and store.Account.DailyCap, the very functions the
// engine sends by, so the estimate cannot disagree with it on any of them.

// maxSimulatedSends bounds the replay of one account; 25,000 leads with
// five follow-ups each fit.
const maxSimulatedSends = 200_000

type estimator struct {
	now time.Time
	// sandbox: accounts run on the simulated X (see store.Account.PacingOn).
	sandbox   bool
	networks  map[string]Network
	accounts  map[string]*simAccount
	order     []string
	campaigns map[int]*simCampaign
	// sendsByDay counts the sends of all accounts by UTC day, for the
	// busiest day's cost.
	sendsByDay map[schedule.Day]int
}

type simAccount struct {
	a     store.Account
	name  string
	held  string // why a hold stops it, if one does
	hours *schedule.Window
	// cap is the account's daily cap as the engine will apply it, and
	// today the day the estimate starts on, in the cap's time zone.
	cap       schedule.DailyCap
	today     schedule.Day
	sentToday int
	items     []*sendItem
	firstDMs  int
	followups int
	done      time.Time
	stalled   string
	// net is the account's network; spacing the least gap its per-user
	// send budget allows; userDaily the sends a day it allows (0: none).
	net       Network
	spacing   time.Duration
	userDaily int
	// appDaily is the app's sends a day, appAccounts the active accounts
	// that share it, appShare this account's share (0: no app budget).
	appDaily, appAccounts, appShare int
	// appFull, userFull and capFull note what filled a day while sends
	// were left: the app's share, X's per-user budget, the account's own
	// cap; paced that X's per-user budget spaced its sends.
	appFull, userFull, capFull, paced bool
}

// boundBy says which network budget sets the account's finish date:
// ScopeApp or ScopeUser; "" when its own cap does, or nothing does.
func (sa *simAccount) boundBy() string {
	switch {
	case sa.appFull:
		return ScopeApp
	case sa.capFull:
		return ""
	case sa.userFull || sa.paced:
		return ScopeUser
	}
	return ""
}

type simCampaign struct {
	window          *schedule.Window
	firstDone, done time.Time
	stalled         string
}

type sendItem struct {
	due      time.Time
	campaign int
	first    bool
	// afters are the delays of the follow-ups still to come.
	afters []time.Duration
	seq    int
}

func newEstimator(now time.Time, sandbox bool, networks map[string]Network) *estimator {
	return &estimator{now: now.UTC(), sandbox: sandbox, networks: networks, accounts: map[string]*simAccount{},
		campaigns: map[int]*simCampaign{}, sendsByDay: map[schedule.Day]int{}}
}

func (e *estimator) addAccount(a store.Account, facts AccountFacts) {
	name := Label(a.Address)
	cap := facts.Cap
	if cap.Loc == nil {
		cap = a.DailyCap(nil, e.now)
	}
	net := e.networks[a.Network]
	userDaily := net.daily(OpSendDM, ScopeUser)
	sa := &simAccount{a: a, name: name, hours: a.ActiveHours.Calendar(), cap: cap.Within(userDaily), today: schedule.DayOf(e.now, cap.Loc), sentToday: facts.SentToday,
		net: net, spacing: net.spacing(OpSendDM), userDaily: userDaily}
	for _, h := range facts.Holds {
		if h.Scope == store.HoldAll && h.Until.IsZero() {
			sa.held = fmt.Sprintf("account %q is held (%s)", name, h.Reason)
		}
	}
	if _, dup := e.accounts[name]; !dup {
		e.order = append(e.order, name)
	}
	e.accounts[name] = sa
}

func (e *estimator) addCampaign(ci int, c Campaign, perAccount map[string]int) {
	e.campaigns[ci] = &simCampaign{window: c.Window.Calendar()}
	due := e.now
	if next := nextRuns(c.Schedule, e.now); len(next) > 0 {
		due = next[0]
	}
	for name, n := range perAccount {
		sa, ok := e.accounts[name]
		if !ok {
			continue
		}
		for i := range n {
			v := c.Variants[i%len(c.Variants)]
			it := &sendItem{due: due, campaign: ci, first: true}
			if !sa.a.FollowupsPaused && c.Policy.Refusal(store.ActionFollowup) == nil {
				for _, f := range v.Followups {
					it.afters = append(it.afters, f.After)
				}
			}
			sa.firstDMs++
			sa.followups += len(it.afters)
			sa.items = append(sa.items, it)
		}
	}
}

func (e *estimator) run() {
	e.shareApps()
	for _, name := range e.order {
		e.simulate(e.accounts[name])
	}
}

// shareApps lowers the cap of every account that will send to its share
// of its app's daily send budget, as the engine does
// (schedule.AppShare): the app's budget divided by the accounts that use
// it and have work.
func (e *estimator) shareApps() {
	groups := map[string][]*simAccount{}
	for _, name := range e.order {
		sa := e.accounts[name]
		if len(sa.items) == 0 || sa.a.Paused || sa.held != "" {
			continue
		}
		k := sa.a.Network + "\x00" + sa.net.App
		groups[k] = append(groups[k], sa)
	}
	for _, group := range groups {
		daily := group[0].net.daily(OpSendDM, ScopeApp)
		if daily == 0 {
			continue
		}
		share := schedule.AppShare(daily, len(group))
		for _, sa := range group {
			sa.appDaily, sa.appAccounts, sa.appShare = daily, len(group), share
			sa.cap = sa.cap.Within(share)
		}
	}
}

func (e *estimator) simulate(sa *simAccount) {
	if len(sa.items) == 0 {
		return
	}
	switch {
	case sa.a.Paused:
		sa.stalled = "paused"
		e.stall(sa, fmt.Sprintf("account %q is paused", sa.name))
		return
	case sa.held != "":
		sa.stalled = sa.held
		e.stall(sa, sa.held)
		return
	}
	q := &sendQueue{}
	for i, it := range sa.items {
		it.seq = i
		*q = append(*q, it)
	}
	heap.Init(q)
	seq := len(sa.items)
	gap := sa.a.PacingOn(e.sandbox).Mean()
	if sa.spacing > gap {
		// X's per-user budget paces the account more slowly than its own
		// pacing does.
		gap = sa.spacing
		sa.paced = true
	}
	counts := map[schedule.Day]int{sa.today: sa.sentToday}
	nextFree := e.now
	for sends := 0; q.Len() > 0; sends++ {
		if sends == maxSimulatedSends {
			sa.stalled = "too much work to estimate"
			e.stall(sa, sa.stalled)
			return
		}
		it := heap.Pop(q).(*sendItem)
		camp := e.campaigns[it.campaign]
		t, why := e.slot(sa, camp, counts, later(it.due, nextFree))
		if why != "" {
			camp.stalled = why
			sa.stalled = why
			continue
		}
		day := schedule.DayOf(t, sa.cap.Loc)
		counts[day]++
		e.sendsByDay[schedule.DayOf(t, time.UTC)]++
		if (q.Len() > 0 || len(it.afters) > 0) && sa.cap.Full(day, counts[day]) {
			sa.noteFull(day)
		}
		nextFree = t.Add(gap)
		sa.done = later(sa.done, t)
		camp.done = later(camp.done, t)
		if it.first {
			camp.firstDone = later(camp.firstDone, t)
		}
		if len(it.afters) > 0 {
			heap.Push(q, &sendItem{due: t.Add(it.afters[0]), campaign: it.campaign, afters: it.afters[1:], seq: seq})
			seq++
		}
	}
}

// noteFull notes what filled day d while the account had sends left: the
// app's share when it is below what the account's per-user budget
// allows, else the per-user budget, or the account's own cap.
func (sa *simAccount) noteFull(d schedule.Day) {
	switch {
	case !sa.cap.BudgetBinds(d):
		sa.capFull = true
	case sa.appShare > 0 && sa.cap.Budget == sa.appShare && (sa.userDaily == 0 || sa.appShare < sa.userDaily):
		sa.appFull = true
	default:
		sa.userFull = true
	}
}

// slot finds the first time from t the account may send for the campaign:
// inside both windows, on a day whose cap is not reached.
func (e *estimator) slot(sa *simAccount, camp *simCampaign, counts map[schedule.Day]int, t time.Time) (time.Time, string) {
	full := func(d schedule.Day) (bool, error) { return sa.cap.Full(d, counts[d]), nil }
	t, err := schedule.Slot(t, sa.cap.Loc, full, sa.hours, camp.window)
	switch {
	case errors.Is(err, schedule.ErrNeverOpen):
		return t, fmt.Sprintf("the active hours of account %q never meet the campaign's window", sa.name)
	case err != nil:
		return t, fmt.Sprintf("account %q has no free slot in the next 1000 days", sa.name)
	}
	return t, ""
}

// stall marks every campaign the account sends for as stalled.
func (e *estimator) stall(sa *simAccount, why string) {
	for _, it := range sa.items {
		e.campaigns[it.campaign].stalled = why
	}
}

func (e *estimator) campaignResult(ci int) (firstDone, done *time.Time, stalled string) {
	c, ok := e.campaigns[ci]
	if !ok {
		return nil, nil, ""
	}
	if c.stalled != "" {
		return nil, nil, c.stalled
	}
	if !c.firstDone.IsZero() {
		t := c.firstDone
		firstDone = &t
	}
	if !c.done.IsZero() {
		t := c.done
		done = &t
	}
	return firstDone, done, ""
}

func (e *estimator) accountResults() []AccountWork {
	var out []AccountWork
	for _, name := range e.order {
		sa := e.accounts[name]
		if sa.firstDMs == 0 {
			continue
		}
		aw := AccountWork{Name: name, FirstDMs: sa.firstDMs, Followups: sa.followups,
			CapToday: sa.cap.On(sa.today), Stalled: sa.stalled}
		if sa.stalled == "" && !sa.done.IsZero() {
			t := sa.done
			aw.Done = &t
		}
		out = append(out, aw)
	}
	return out
}

func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// sendQueue orders sends by due time, then by when they were queued.
type sendQueue []*sendItem

func (q sendQueue) Len() int { return len(q) }
func (q sendQueue) Less(i, j int) bool {
	if !q[i].due.Equal(q[j].due) {
		return q[i].due.Before(q[j].due)
	}
	return q[i].seq < q[j].seq
}
func (q sendQueue) Swap(i, j int) { q[i], q[j] = q[j], q[i] }
func (q *sendQueue) Push(x any)   { *q = append(*q, x.(*sendItem)) }
func (q *sendQueue) Pop() any {
	old := *q
	it := old[len(old)-1]
	*q = old[:len(old)-1]
	return it
}
