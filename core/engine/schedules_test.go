package engine

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/outreachhq/outreach/core/store"
	"github.com/outreachhq/outreach/core/store/storetest"
)

// runUntil runs the engine as serve does (it never ends for want of
// work) until the virtual clock reaches end.
func (h *harness) runUntil(e *Engine, end time.Time) {
	h.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	wait := e.Start(ctx, nil)
	h.clk.Go(func() {
		_ = h.clk.Wait(ctx, end, nil)
		cancel()
	})
	if err := wait(); err != nil && ctx.Err() == nil {
		h.t.Fatalf("Run: %v", err)
	}
	if h.clk.Now().Before(end) {
		h.t.Fatalf("the engine stopped at %s, before %s", h.clk.Now(), end)
	}
}

func (h *harness) sourceRecord(id string) store.Source {
	h.t.Helper()
	var s store.Source
	h.view(func(tx storetest.Tx) (err error) {
		s, err = tx.Source(ws, id)
		return err
	})
	return s
}

func (h *harness) campaignRecord(id string) store.Campaign {
	h.t.Helper()
	var c store.Campaign
	h.view(func(tx storetest.Tx) (err error) {
		c, err = tx.Campaign(ws, id)
		return err
	})
	return c
}

// follow makes n new users follow target on X and returns their ids.
func (h *harness) follow(target string, prefix string, n int) []string {
	var ids []string
	for _, u := range h.users(prefix, n) {
		h.x.follower[h.x.byName[target]] = append(h.x.follower[h.x.byName[target]], u.ID)
		ids = append(ids, u.ID)
	}
	return ids
}

// scheduledSetup is an account, @target with 5 followers, a source over
// its followers and a campaign over the source, each changed by its mod.
func scheduledSetup(h *harness, srcMod func(*store.Source), campMod func(*store.Campaign)) (store.Source, store.Campaign) {
	h.t.Helper()
	acct := h.account("sales", func(a *store.Account) { a.MinGap, a.MaxGap = time.Second, time.Second })
	h.x.addUser("target", "Target", 0)
	h.follow("target", "f", 5)
	src := h.source("fans", func(s *store.Source) {
		s.Targets = []store.Target{{Handle: "target", Followers: true}}
		if srcMod != nil {
			srcMod(s)
		}
	})
	h.scrapeJob(src, "target")
	c := h.campaign("c", []store.Source{src}, []store.Account{acct}, variants(1, false), func(c *store.Campaign) {
		if campMod != nil {
			campMod(c)
		}
	})
	return src, c
}

// dmTimes are the times of the DMs sent to each lead.
func (h *harness) dmTimes() map[string][]time.Time {
	out := map[string][]time.Time{}
	for _, c := range h.x.sendCalls {
		out[c.To] = append(out[c.To], c.At)
	}
	return out
}

// TestSourceScheduleRescrapes: a source with a daily schedule scrapes its
// targets again at the scheduled time, keeps only the followers it did not
// have, and its campaign messages them, each once.
func TestSourceScheduleRescrapes(t *testing.T) {
	h := newHarness(t)
	src, _ := scheduledSetup(h, func(s *store.Source) { s.Schedule = "0 9 * * *" }, nil)
	e := h.engine()
	h.runUntil(e, t0.Add(time.Hour))
	if got := len(h.sourceLeads(src)); got != 5 {
		t.Fatalf("after the first scrape the source has %d leads; want 5", got)
	}
	newcomers := h.follow("target", "n", 3)
	rerun := time.Date(2026, 3, 3, 9, 0, 0, 0, time.UTC)
	h.runUntil(e, rerun.Add(time.Hour))

	if got := len(h.sourceLeads(src)); got != 8 {
		t.Errorf("after the scheduled scrape the source has %d leads; want 8", got)
	}
	sent := h.dmTimes()
	if len(sent) != 8 {
		t.Errorf("%d leads got a DM; want 8", len(sent))
	}
	for lead, times := range sent {
		if len(times) != 1 {
			t.Errorf("lead %s got %d DMs; want 1", lead, len(times))
		}
	}
	for _, id := range newcomers {
		if at := sent[id]; len(at) == 0 || at[0].Before(rerun) {
			t.Errorf("newcomer %s got DMs at %v; want one after the scheduled scrape at %s", id, at, rerun)
		}
	}
	if got := h.sourceRecord(src.ID).ScheduleRanAt; !got.Equal(rerun) {
		t.Errorf("the schedule last ran at %s; want %s", got, rerun)
	}
}

// TestCampaignScheduleTakesInLeads: a campaign with a schedule does not
// message leads as they are scraped; it takes in those found since its
// last run when its schedule runs.
func TestCampaignScheduleTakesInLeads(t *testing.T) {
	h := newHarness(t)
	_, c := scheduledSetup(h, nil, func(c *store.Campaign) { c.Schedule = "30 10 * * *" })
	run := time.Date(2026, 3, 2, 10, 30, 0, 0, time.UTC)
	e := h.engine()
	h.runUntil(e, run.Add(-time.Second))
	if n := len(h.x.sendCalls); n != 0 {
		t.Fatalf("%d DMs went out before the campaign's schedule ran; want none", n)
	}
	if got := len(h.campaignJobs(c, store.JobDM)); got != 0 {
		t.Fatalf("%d first DMs queued before the campaign's schedule ran; want none", got)
	}
	h.runUntil(e, run.Add(time.Hour))
	sent := h.dmTimes()
	if len(sent) != 5 {
		t.Errorf("%d leads got a DM after the schedule ran; want 5", len(sent))
	}
	for lead, times := range sent {
		if len(times) != 1 || times[0].Before(run) {
			t.Errorf("lead %s got DMs at %v; want one, from %s", lead, times, run)
		}
	}
}

// TestScheduleCatchesUpOnce: runs missed while no engine ran (five hourly
// runs) become one run at start; the next comes on the schedule after it.
func TestScheduleCatchesUpOnce(t *testing.T) {
	h := newHarness(t)
	_, c := scheduledSetup(h, nil, func(c *store.Campaign) { c.Schedule = "0 * * * *" })
	h.runUntil(h.engine(), t0.Add(30*time.Minute))
	// Down from 09:30 to 15:10: the runs of 10:00 to 15:00 are missed.
	h.clk.Advance(5*time.Hour + 40*time.Minute)
	restart := h.clk.Now()
	var fills []time.Time
	h.onEvent = func(ev Event) {
		if ev.Kind == Queued && ev.CampaignID == c.ID {
			fills = append(fills, h.clk.Now())
		}
	}
	e := h.restart()
	next, err := e.RunSchedules(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if got := h.campaignRecord(c.ID).ScheduleRanAt; !got.Equal(restart) {
		t.Errorf("the catch-up run was at %s; want at start, %s", got, restart)
	}
	if want := time.Date(2026, 3, 2, 16, 0, 0, 0, time.UTC); !next.Equal(want) {
		t.Errorf("after catching up, the next run is at %s; want %s", next, want)
	}
	if again, err := e.RunSchedules(context.Background()); err != nil || !again.Equal(next) {
		t.Errorf("a second look at the same instant: next %s, %v; want %s and no second run", again, err, next)
	}
	if !slices.Equal(fills, []time.Time{restart}) {
		t.Errorf("the campaign took in leads at %v; want once, at %s", fills, restart)
	}
}

// TestScheduleAcrossDST: a schedule in a time zone runs at the same local
// time each day, across the change to summer time, once a day.
func TestScheduleAcrossDST(t *testing.T) {
	h := newHarness(t)
	_, c := scheduledSetup(h, nil, func(c *store.Campaign) { c.Schedule = "CRON_TZ=America/New_York 0 9 * * *" })
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	var runs []time.Time
	h.poll = 24 * time.Hour // nobody replies: nine days of reads a minute apart would only take time
	e := h.engine()
	// US summer time starts on Sunday 8 March 2026.
	for day := 2; day <= 10; day++ {
		h.runUntil(e, time.Date(2026, 3, day, 23, 0, 0, 0, time.UTC))
		ran := h.campaignRecord(c.ID).ScheduleRanAt
		if len(runs) == 0 || !ran.Equal(runs[len(runs)-1]) {
			runs = append(runs, ran)
		}
	}
	if len(runs) != 9 {
		t.Fatalf("the schedule ran %d times in 9 days: %v; want 9", len(runs), runs)
	}
	for _, r := range runs {
		if l := r.In(ny); l.Hour() != 9 || l.Minute() != 0 {
			t.Errorf("a run at %s (%s in New York); want 09:00 local", r.UTC(), l.Format(time.Kitchen))
		}
	}
}
