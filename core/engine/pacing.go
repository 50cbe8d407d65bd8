package engine

import (
	"errors"
	"time"

	"github.com/outreachhq/outreach/core/schedule"
	"github.com/outreachhq/outreach/core/store"
)

// never is the ready time of work that waits for something other than
// time: a pause lifted, a campaign resumed. The engine is woken then.
var never time.Time

// sendSlot returns when the account may make its next automated send for
// the campaign, from `from` on: the first time its pacing allows, its
// active hours and the campaign's window are both open, and the day's cap
// (lowered by warmup) is not reached. It returns schedule.ErrNeverOpen if
// the two windows are never open together.
func sendSlot(tx Tx, a store.Account, st store.AccountState, c store.Campaign, from, now time.Time) (time.Time, error) {
	next := later(pauseEnd(a, st, now), from)
	dc := a.DailyCap(st.Ramp, now)
	full := func(d schedule.Day) (bool, error) {
		n, err := tx.SentOn(a.Workspace, a.ID, d.Key())
		return dc.Full(d, n), err
	}
	return schedule.Slot(next, dc.Loc, full, a.ActiveHours.Calendar(), c.Window.Calendar())
}

// pauseEnd is when the account's pause after its last send ends. A pause
// is never set to end further off than the account's longest gap; one that
// does (pauseStale) was set before the clock jumped back, and ends a
// longest gap from now instead of lasting the jump's length too (the
// scheduler stores that, as it does a ramp gone stale). As X sees them, the
// two sends are still at least that far apart.
func pauseEnd(a store.Account, st store.AccountState, now time.Time) time.Time {
	if longest := now.Add(longestGap(a, st)); st.NextSendAt.After(longest) {
		return longest
	}
	return st.NextSendAt
}

// pauseStale reports whether the account's pause ends further off than its
// longest gap: see pauseEnd.
func pauseStale(a store.Account, st store.AccountState, now time.Time) bool {
	return st.NextSendAt.After(now.Add(longestGap(a, st)))
}

// longestGap is the longest pause after one of the account's sends: its
// pacing's longest gap, or the spacing its network's budget set, if longer.
func longestGap(a store.Account, st store.AccountState) time.Duration {
	return max(a.Pacing().Longest(), st.Spacing)
}

// heldUntil returns whether a hold of the scope (or of every send) keeps
// the account from acting at now, and until when (never for one that does
// not lift by itself).
func heldUntil(st store.AccountState, scope store.HoldScope, now time.Time) (bool, time.Time) {
	held, until := false, now
	for _, h := range st.Holds {
		if (h.Scope == store.HoldAll || h.Scope == scope) && h.InForce(now) {
			if h.Until.IsZero() {
				return true, never
			}
			held, until = true, later(until, h.Until)
		}
	}
	return held, until
}

// headReady returns when a job at the head of an account's queue may run,
// as far as time and holds go; never when it waits for something else. A
// job that can never be sent (its campaign removed, windows that never
// meet) is ready now, so that running it settles it.
func headReady(tx Tx, a store.Account, st store.AccountState, j store.Job, now time.Time) (time.Time, error) {
	if j.Lease.Live(now) && j.Lease.Owner != st.Lease.Owner {
		return j.Lease.Expires, nil
	}
	if j.Kind == store.JobTweet {
		return tweetReady(a, st, j, now), nil
	}
	if j.Kind == store.JobMessage {
		return j.DueAt, nil // a person's message is neither paced nor paused
	}
	if a.Paused {
		return never, nil
	}
	scope := store.HoldAll
	if j.Kind == store.JobFollowup {
		if a.FollowupsPaused {
			return never, nil
		}
		scope = store.HoldFollowups
	}
	if held, until := heldUntil(st, scope, now); held {
		return until, nil
	}
	// An AI answer keeps to the account's active hours and caps only: it
	// answers a conversation, whatever its campaign's window.
	var c store.Campaign
	if j.Kind != store.JobAnswer {
		var err error
		c, err = tx.Campaign(j.Workspace, j.CampaignID)
		switch {
		case store.IsNotFound(err):
			return now, nil
		case err != nil:
			return never, err
		case c.Paused:
			return never, nil
		}
	}
	slot, err := sendSlot(tx, a, st, c, later(j.DueAt, now), now)
	if errors.Is(err, schedule.ErrNeverOpen) || errors.Is(err, schedule.ErrNoSlot) {
		return now, nil
	}
	return slot, err
}

// accountReady returns when the account next has work: the earliest of
// its queue heads and its next read of replies; never if none.
func accountReady(tx Tx, a store.Account, st store.AccountState, now time.Time) (time.Time, error) {
	ready := st.NextPollAt
	heads, err := tx.QueueHeads(a.Workspace, a.ID)
	if err != nil {
		return never, err
	}
	for _, h := range heads {
		t, err := headReady(tx, a, st, h, now)
		if err != nil {
			return never, err
		}
		ready = earlier(ready, t)
	}
	return ready, nil
}

// later returns the later time; the zero time sets no bound.
func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// earlier returns the earlier time; the zero time means never.
func earlier(a, b time.Time) time.Time {
	switch {
	case a.IsZero():
		return b
	case b.IsZero() || a.Before(b):
		return a
	}
	return b
}
