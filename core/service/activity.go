package service

import (
	"context"
	"errors"
	"time"

	"github.com/outreachhq/outreach/core/schedule"
	"github.com/outreachhq/outreach/core/store"
)

// Activity is what each account did on each of the last few days: the
// DMs it sent and the leads who first replied to it, the series the
// dashboard's overview charts.
type Activity struct {
	// Days are the days covered, oldest first, as midnight UTC of their
	// date. An account's day is the day its daily cap counts (in the time
	// zone of its active hours, else UTC), so a day here is each
	// account's own day of that date.
	Days     []time.Time
	Accounts []AccountActivity
}

// AccountActivity is one account's series, a figure per day of Activity.
type AccountActivity struct {
	AccountID, Handle string
	Sent, Replies     []int
}

// Activity returns the workspace's activity over the last days days,
// today included. Replies count conversations of a campaign (not those a
// lead began) by the day of the lead's first reply.
func (s *Service) Activity(ctx context.Context, ws string, days int) (Activity, error) {
	days = max(days, 1)
	now := s.clock.Now()
	today := schedule.DayOf(now, time.UTC)
	out := Activity{Days: make([]time.Time, days)}
	for i := range days {
		out.Days[i] = dayStart(today - schedule.Day(days-1-i))
	}
	err := s.view(ctx, func(tx Tx) error {
		out.Accounts = nil
		accounts, err := tx.Accounts(ws)
		if err != nil {
			return err
		}
		// index of each account's day in Days: an account's today may be
		// UTC's yesterday or tomorrow.
		first := map[string]schedule.Day{}
		byID := map[string]int{}
		for _, a := range accounts {
			last := schedule.DayOf(now, a.CapLocation())
			aa := AccountActivity{AccountID: a.ID, Handle: a.Handle, Sent: make([]int, days), Replies: make([]int, days)}
			for i := range days {
				if aa.Sent[i], err = tx.SentOn(ws, a.ID, (last - schedule.Day(days-1-i)).Key()); err != nil {
					return err
				}
			}
			first[a.ID] = last - schedule.Day(days-1)
			byID[a.ID] = len(out.Accounts)
			out.Accounts = append(out.Accounts, aa)
		}
		// Newest first: a first reply is never after the conversation's
		// last message, so the walk ends at the first conversation last
		// touched before the window (a day early, for the accounts' zones).
		since := out.Days[0].AddDate(0, 0, -1)
		err = tx.EachConversationWithLead(ws, store.ConversationQuery{}, func(c *store.ConversationWithLead) error {
			if c.LastAt.Before(since) {
				return errWalkDone
			}
			i, ok := byID[c.AccountID]
			if !ok || !c.Replied || c.Inbound || c.RepliedAt.IsZero() {
				return nil
			}
			d := int(schedule.DayOf(c.RepliedAt, accounts[i].CapLocation()) - first[c.AccountID])
			if d >= 0 && d < days {
				out.Accounts[i].Replies[d]++
			}
			return nil
		})
		if errors.Is(err, errWalkDone) {
			return nil
		}
		return err
	})
	return out, err
}

// errWalkDone ends a walk of conversations that has what it needs.
var errWalkDone = errors.New("the walk has what it needs")

// dayStart is midnight UTC of d's date.
func dayStart(d schedule.Day) time.Time {
	t, _ := time.Parse(time.DateOnly, d.Key())
	return t
}
