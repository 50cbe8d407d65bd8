package engine

import (
	"strings"
	"testing"
	"time"

	"github.com/outreachhq/outreach/core/store"
)

var weekdays = []string{"mon", "tue", "wed", "thu", "fri"}

// TestActiveHours: an account sends only inside its active hours, read in
// its own time zone, across a DST change and for a window that runs past
// midnight; a night cut short by the clocks going forward holds one send
// fewer.
func TestActiveHours(t *testing.T) {
	type sends map[string]int // per local day, by the day the window opened
	tests := []struct {
		name  string
		start time.Time
		hours store.Window
		leads int
		// open reports whether a local time is inside the window.
		open func(time.Time) bool
		// want is the sends per window, keyed by the local date it opened.
		want sends
		// firsts are the local times of each window's first send.
		firsts []string
	}{
		{
			name:  "9 to 5 in New York on weekdays, across the spring-forward weekend",
			start: time.Date(2026, 3, 5, 12, 0, 0, 0, time.UTC), // Thursday 07:00 EST
			hours: store.Window{Start: 9 * time.Hour, End: 17 * time.Hour, TimeZone: "America/New_York", Days: weekdays},
			leads: 20,
			open: func(l time.Time) bool {
				return l.Weekday() >= time.Monday && l.Weekday() <= time.Friday && l.Hour() >= 9 && l.Hour() < 17
			},
			want:   sends{"2026-03-05": 8, "2026-03-06": 8, "2026-03-09": 4},
			firsts: []string{"Thu 09:00 EST", "Fri 09:00 EST", "Mon 09:00 EDT"},
		},
		{
			name:  "22:00 to 06:00 in New York, over the night the clocks go forward",
			start: time.Date(2026, 3, 7, 12, 0, 0, 0, time.UTC), // Saturday 07:00 EST
			hours: store.Window{Start: 22 * time.Hour, End: 6 * time.Hour, TimeZone: "America/New_York", Days: []string{"sat", "sun", "mon"}},
			leads: 20,
			open:  func(l time.Time) bool { return l.Hour() >= 22 || l.Hour() < 6 },
			// Saturday's night is seven hours long: 02:00 to 03:00 does not
			// happen.
			want:   sends{"2026-03-07": 7, "2026-03-08": 8, "2026-03-09": 5},
			firsts: []string{"Sat 22:00 EST", "Sun 22:00 EDT", "Mon 22:00 EDT"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t)
			h.clk.Advance(tt.start.Sub(h.clk.Now()))
			acct := h.account("sales", func(a *store.Account) {
				a.MinGap, a.MaxGap, a.ActiveHours = time.Hour, time.Hour, &tt.hours
			})
			src := h.source("s")
			h.leads(src, tt.leads)
			h.campaign("c", []store.Source{src}, []store.Account{acct}, variants(1, false))
			h.poll = time.Hour // nobody replies: reading replies hourly is enough
			h.runUntilIdle(h.engine())

			loc, err := time.LoadLocation(tt.hours.TimeZone)
			if err != nil {
				t.Fatal(err)
			}
			got := sends{}
			var firsts []string
			for _, c := range h.sendsBy("sales") {
				l := c.At.In(loc)
				if !tt.open(l) {
					t.Errorf("sent at %s, outside the active hours", l.Format(time.DateTime+" MST Mon"))
				}
				opened := l
				if l.Hour() < 6 && tt.hours.End < tt.hours.Start {
					opened = l.AddDate(0, 0, -1)
				}
				day := opened.Format(time.DateOnly)
				if got[day] == 0 {
					firsts = append(firsts, l.Format("Mon 15:04 MST"))
				}
				got[day]++
			}
			if len(got) != len(tt.want) {
				t.Errorf("sends per window %v, want %v", got, tt.want)
			}
			for day, n := range tt.want {
				if got[day] != n {
					t.Errorf("sends per window %v, want %v", got, tt.want)
					break
				}
			}
			if strings.Join(firsts, ", ") != strings.Join(tt.firsts, ", ") {
				t.Errorf("each window's first send at %s; want %s", strings.Join(firsts, ", "), strings.Join(tt.firsts, ", "))
			}
		})
	}
}

// TestCampaignWindowAndActiveHours: a campaign sends only when its window
// and the account's active hours are both open, each in its own zone.
func TestCampaignWindowAndActiveHours(t *testing.T) {
	h := newHarness(t) // Monday 2 March 09:00 UTC
	acct := h.account("sales", func(a *store.Account) {
		a.MinGap, a.MaxGap = 30*time.Minute, 30*time.Minute
		// 08:00 to 16:00 UTC in March.
		a.ActiveHours = &store.Window{Start: 9 * time.Hour, End: 17 * time.Hour, TimeZone: "Europe/Berlin", Days: weekdays}
	})
	src := h.source("s")
	h.leads(src, 10)
	h.campaign("c", []store.Source{src}, []store.Account{acct}, variants(1, true), func(c *store.Campaign) {
		c.Window = &store.Window{Start: 14 * time.Hour, End: 20 * time.Hour, TimeZone: "UTC", Days: []string{"mon", "wed", "fri"}}
	})
	h.poll = time.Hour // nobody replies: reading replies hourly is enough
	h.runUntilIdle(h.engine())
	var got []string
	for _, c := range h.sendsBy("sales") {
		got = append(got, c.At.UTC().Format("Mon 15:04")+" "+c.Text[:2])
	}
	// Both are open 14:00 to 16:00 UTC on Monday, Wednesday and Friday:
	// four sends each; follow-ups are due a day after their first DM, and
	// wait for the next open slot like the first DMs.
	want := []string{
		"Mon 14:00 V0", "Mon 14:30 V0", "Mon 15:00 V0", "Mon 15:30 V0",
		"Wed 14:00 V0", "Wed 14:30 V0", "Wed 15:00 V0", "Wed 15:30 V0",
		"Fri 14:00 V0", "Fri 14:30 V0", "Fri 15:00 F0", "Fri 15:30 F0",
		"Mon 14:00 F0", "Mon 14:30 F0", "Mon 15:00 F0", "Mon 15:30 F0",
	}
	if len(got) < len(want) || strings.Join(got[:len(want)], ", ") != strings.Join(want, ", ") {
		t.Errorf("sends:\n%s\nwant them to begin:\n%s", strings.Join(got, ", "), strings.Join(want, ", "))
	}
	if len(got) != 20 {
		t.Errorf("%d DMs sent; want 10 first DMs and 10 follow-ups", len(got))
	}
}

// TestWindowsThatNeverMeet: when the account's hours and the campaign's
// window are never open together, the DM job fails at once with a message
// that says so, instead of waiting for ever.
func TestWindowsThatNeverMeet(t *testing.T) {
	h := newHarness(t)
	acct := h.account("sales", func(a *store.Account) {
		a.ActiveHours = &store.Window{Start: 9 * time.Hour, End: 12 * time.Hour, TimeZone: "UTC", Days: weekdays}
	})
	src := h.source("s")
	h.leads(src, 2)
	c := h.campaign("c", []store.Source{src}, []store.Account{acct}, variants(1, false), func(c *store.Campaign) {
		c.Window = &store.Window{Start: 13 * time.Hour, End: 17 * time.Hour, TimeZone: "UTC", Days: weekdays}
	})
	h.poll = time.Hour // nobody replies: reading replies hourly is enough
	h.runUntilIdle(h.engine())
	if n := len(h.x.sendCalls); n != 0 {
		t.Errorf("%d DMs sent", n)
	}
	jobs := h.campaignJobs(c, store.JobDM)
	if len(jobs) != 2 {
		t.Fatalf("%d DM jobs, want 2", len(jobs))
	}
	for _, j := range jobs {
		if j.State != store.JobFailed || j.Attempts != 0 || !strings.Contains(j.LastError, "never open at the same time") ||
			!strings.Contains(j.LastError, "@sales") || !strings.Contains(j.LastError, `"c"`) {
			t.Errorf("job %s: %s after %d attempts, %q; want failed at once, saying the windows never meet", j.ID, j.State, j.Attempts, j.LastError)
		}
	}
	if n := len(h.eventsOf(Failed)); n != 2 {
		t.Errorf("%d Failed events, want 2", n)
	}
	if !h.clk.Now().Equal(t0) {
		t.Errorf("the engine waited until %s before failing the jobs", h.clk.Now())
	}
}
