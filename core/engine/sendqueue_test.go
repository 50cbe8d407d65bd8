package engine

import (
	"testing"
	"time"

	"github.com/outreachhq/outreach/core/store"
)

// TestWaitingSendsCostNoWrites: jobs waiting for their account (pacing, a
// pause, a closed window) are not rewritten while they wait, so a send
// costs the same store commits whether 5 or 60 leads are queued, and a
// paused account costs none at all.
func TestWaitingSendsCostNoWrites(t *testing.T) {
	tests := []struct {
		name      string
		acct      func(*store.Account)
		window    *store.Window
		wantSends bool
	}{
		{name: "paced", acct: func(a *store.Account) { a.MinGap, a.MaxGap = time.Minute, time.Minute }, wantSends: true},
		{name: "paused", acct: func(a *store.Account) { a.Paused = true }},
		{name: "window closed all day", window: &store.Window{Start: 23 * time.Hour, End: 23*time.Hour + 30*time.Minute, TimeZone: "UTC", Days: []string{"mon", "tue", "wed", "thu", "fri", "sat", "sun"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			perSend := map[int]float64{}
			for _, n := range []int{5, 60} {
				h := newHarness(t)
				h.poll = 1000 * time.Hour // reply polls commit cursors: not measured here
				mods := []func(*store.Account){h.known}
				if tt.acct != nil {
					mods = append(mods, tt.acct)
				}
				a := h.account("sales", mods...)
				src := h.source("s")
				h.leads(src, n)
				h.campaign("c", []store.Source{src}, []store.Account{a}, variants(1, false), func(c *store.Campaign) { c.Window = tt.window })
				e := h.engine()
				before := h.st.Commits()
				h.runFor(e, 3*time.Hour, 7*time.Minute)
				commits, sends := h.st.Commits()-before, len(h.x.sendCalls)
				if !tt.wantSends {
					if sends != 0 || commits != 0 {
						t.Errorf("n=%d: %d sends and %d commits while nothing could be sent; want none", n, sends, commits)
					}
					continue
				}
				if sends == 0 {
					t.Fatalf("n=%d: nothing sent", n)
				}
				perSend[n] = float64(commits) / float64(sends)
			}
			if tt.wantSends && perSend[5] != perSend[60] {
				t.Errorf("commits per send: %v with 5 leads queued, %v with 60; want the same", perSend[5], perSend[60])
			}
		})
	}
}
