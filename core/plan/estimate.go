package plan

import (
	"container/heap"
	"fmt"
	"time"

	"github.com/outreachhq/outreach/core/config"
	"github.com/outreachhq/outreach/core/store"
)

// The estimate replays, for each account, the sends its campaigns give it
// the way the engine paces them: one at a time, the mean gap apart, only
// inside the account's active hours and the campaign's window, at most the
// day's cap (lowered by warmup) per UTC day, and each follow-up its delay
// after the message before it, assuming no lead replies. Scraping is taken
// to be done before the first send: it is fast next to DM pacing.

// maxSimulatedSends bounds the replay of one account; 25,000 leads with
// five follow-ups each fit.
const maxSimulatedSends = 200_000

type estimator struct {
	now       time.Time
	accounts  map[string]*simAccount
	order     []string
	campaigns map[int]*simCampaign
}

type simAccount struct {
	a *config.Account
	// warmupDay0 is the UTC day number the warmup ramp counts from.
	warmupDay0 int64
	sentToday  int
	items      []*sendItem
	firstDMs   int
	followups  int
	done       time.Time
	stalled    string
}

type simCampaign struct {
	window          *config.Window
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

func newEstimator(now time.Time) *estimator {
	return &estimator{now: now.UTC(), accounts: map[string]*simAccount{}, campaigns: map[int]*simCampaign{}}
}

func dayNumber(t time.Time) int64 {
	return t.Unix() / 86400 // times here are after 1970: no negative rounding
}

func (e *estimator) addAccount(tx *store.Tx, ws string, a *config.Account) error {
	sa := &simAccount{a: a, warmupDay0: dayNumber(e.now)}
	if cur, err := tx.AccountByName(ws, a.Name); err == nil {
		if !cur.WarmupStartedAt.IsZero() {
			sa.warmupDay0 = dayNumber(cur.WarmupStartedAt)
		}
		// The engine counts sends per account and UTC day under this
		// counter (core/engine/pacing.go).
		n, err := tx.Counter(ws, "sent_day", cur.ID, e.now.Format("2006-01-02"))
		if err != nil {
			return err
		}
		sa.sentToday = n
	} else if !store.IsNotFound(err) {
		return err
	}
	if _, dup := e.accounts[a.Name]; !dup {
		e.order = append(e.order, a.Name)
	}
	e.accounts[a.Name] = sa
	return nil
}

func (e *estimator) addCampaign(ci int, c *config.Campaign, variants []store.Variant, perAccount map[string]int) {
	e.campaigns[ci] = &simCampaign{window: c.Window}
	due := e.now
	if c.Schedule != "" {
		if sched, err := config.ParseSchedule(c.Schedule); err == nil {
			due = sched.Next(e.now).UTC()
		}
	}
	for name, n := range perAccount {
		sa, ok := e.accounts[name]
		if !ok {
			continue
		}
		for i := range n {
			v := variants[i%len(variants)]
			it := &sendItem{due: due, campaign: ci, first: true}
			if !sa.a.FollowupsPaused {
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
	for _, name := range e.order {
		e.simulate(e.accounts[name])
	}
}

// capOn is an account's DM cap on a UTC day.
func (e *estimator) capOn(sa *simAccount, day int64) int {
	if sa.a.Warmup == nil {
		return sa.a.DailyDMLimit
	}
	n := day - sa.warmupDay0
	if sa.a.WarmupPaused {
		n = dayNumber(e.now) - sa.warmupDay0 // the ramp holds where it is
	}
	return sa.a.Warmup.Cap(int(max(n, 0)), sa.a.DailyDMLimit)
}

func (e *estimator) simulate(sa *simAccount) {
	if len(sa.items) == 0 {
		return
	}
	if sa.a.Paused {
		sa.stalled = "paused"
		e.stall(sa, fmt.Sprintf("account %q is paused", sa.a.Name))
		return
	}
	q := &sendQueue{}
	for i, it := range sa.items {
		it.seq = i
		*q = append(*q, it)
	}
	heap.Init(q)
	seq := len(sa.items)
	gap := sa.a.Pacing.MeanGap()
	counts := map[int64]int{dayNumber(e.now): sa.sentToday}
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
		counts[dayNumber(t)]++
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

// slot finds the first time from t the account may send for the campaign:
// inside both windows, on a day whose cap is not reached.
func (e *estimator) slot(sa *simAccount, camp *simCampaign, counts map[int64]int, t time.Time) (time.Time, string) {
	for range 1000 {
		t = nextSlot(t, sa.a.ActiveHours, camp.window)
		if t.IsZero() {
			return t, fmt.Sprintf("the active hours of account %q never meet the campaign's window", sa.a.Name)
		}
		day := dayNumber(t)
		if counts[day] < e.capOn(sa, day) {
			return t, ""
		}
		t = time.Unix((day+1)*86400, 0).UTC()
	}
	return time.Time{}, fmt.Sprintf("account %q has no free slot in the next 1000 days", sa.a.Name)
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
			CapToday: e.capOn(sa, dayNumber(e.now)), Stalled: sa.stalled}
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
