package engine

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/outreachhq/outreach/core/store"
	"github.com/outreachhq/outreach/core/store/storetest"
)

// perDay counts an account's sends per day in loc, oldest day first.
func (h *harness) perDay(handle string, loc *time.Location) []string {
	var days []string
	count := map[string]int{}
	for _, c := range h.sendsBy(handle) {
		d := c.At.In(loc).Format(time.DateOnly)
		if count[d] == 0 {
			days = append(days, d)
		}
		count[d]++
	}
	out := make([]string, len(days))
	for i, d := range days {
		out[i] = fmt.Sprintf("%s:%d", d, count[d])
	}
	return out
}

// TestWarmupRamp: warmup caps the day's DMs at start + n*increase on day
// n of the ramp, up to the daily limit, follow-ups included.
func TestWarmupRamp(t *testing.T) {
	h := newHarness(t)
	acct := h.account("sales", func(a *store.Account) {
		a.DailyDMLimit, a.MinGap, a.MaxGap = 20, time.Minute, time.Minute
		a.Warmup, a.WarmupStartedAt = &store.Warmup{Start: 5, Increase: 5}, t0
	})
	src := h.source("s")
	h.leads(src, 40)
	h.campaign("c", []store.Source{src}, []store.Account{acct}, variants(1, true))
	h.poll = time.Hour // nobody replies: reading replies hourly is enough
	h.runUntilIdle(h.engine())
	// 40 first DMs and 40 follow-ups a day after each: 5, 10, 15, 20, 20, 10.
	want := "2026-03-02:5 2026-03-03:10 2026-03-04:15 2026-03-05:20 2026-03-06:20 2026-03-07:10"
	if got := strings.Join(h.perDay("sales", time.UTC), " "); got != want {
		t.Errorf("DMs per day %s\nwant %s", got, want)
	}
}

// TestDailyCapInAccountZone: an account with active hours counts its
// daily cap in their time zone, so its day starts at its own midnight.
func TestDailyCapInAccountZone(t *testing.T) {
	h := newHarness(t) // 09:00 UTC, 04:00 in New York
	ny, _ := time.LoadLocation("America/New_York")
	acct := h.account("sales", func(a *store.Account) {
		a.DailyDMLimit, a.MinGap, a.MaxGap = 3, time.Minute, time.Minute
		a.ActiveHours = &store.Window{End: 24 * time.Hour, TimeZone: "America/New_York", Days: []string{"mon", "tue", "wed", "thu", "fri", "sat", "sun"}}
	})
	src := h.source("s")
	h.leads(src, 7)
	h.campaign("c", []store.Source{src}, []store.Account{acct}, variants(1, false))
	h.poll = time.Hour // nobody replies: reading replies hourly is enough
	h.runUntilIdle(h.engine())
	if got, want := strings.Join(h.perDay("sales", ny), " "), "2026-03-02:3 2026-03-03:3 2026-03-04:1"; got != want {
		t.Errorf("DMs per New York day %s, want %s", got, want)
	}
	if sends := h.sendsBy("sales"); len(sends) > 3 && !sends[3].At.Equal(time.Date(2026, 3, 3, 5, 0, 0, 0, time.UTC)) {
		t.Errorf("the second day's first DM at %s; want midnight in New York (05:00 UTC)", sends[3].At.UTC())
	}
	if n := h.sentOn(acct.ID, "2026-03-02"); n != 3 {
		t.Errorf("sent_day counter of 2 March (New York) = %d, want 3", n)
	}
}

// TestWarmupPaused: warmup_paused holds the ramp where it is, day after
// day and across a restart; unpaused, it goes on from there.
func TestWarmupPaused(t *testing.T) {
	h := newHarness(t)
	acct := h.account("sales", func(a *store.Account) {
		a.DailyDMLimit, a.MinGap, a.MaxGap = 50, time.Minute, time.Minute
		// Day 2 of the ramp today: 6 DMs.
		a.Warmup, a.WarmupStartedAt, a.WarmupPaused = &store.Warmup{Start: 2, Increase: 2}, t0.AddDate(0, 0, -2), true
	})
	src := h.source("s")
	h.leads(src, 50)
	h.campaign("c", []store.Source{src}, []store.Account{acct}, variants(1, false))
	e := h.engine()
	untilMidnight := func(days int) time.Duration {
		y, m, d := h.clk.Now().UTC().Date()
		return time.Date(y, m, d+days, 0, 0, 0, 0, time.UTC).Sub(h.clk.Now())
	}
	h.runFor(e, untilMidnight(2), 30*time.Minute) // Monday and Tuesday
	e = h.restart()
	h.runFor(e, untilMidnight(1), 30*time.Minute) // Wednesday
	h.update(func(tx storetest.Tx) error {
		a, err := tx.Account(ws, acct.ID)
		if err != nil {
			return err
		}
		a.WarmupPaused = false
		return tx.PutAccount(a)
	})
	h.runFor(e, untilMidnight(3)-time.Second, 30*time.Minute) // Thursday to Saturday
	// Held at 6 while paused; on Thursday it goes on from 6.
	want := "2026-03-02:6 2026-03-03:6 2026-03-04:6 2026-03-05:6 2026-03-06:8 2026-03-07:10"
	if got := strings.Join(h.perDay("sales", time.UTC), " "); got != want {
		t.Errorf("DMs per day %s\nwant %s", got, want)
	}
}
