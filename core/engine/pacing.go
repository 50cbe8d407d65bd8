package engine

import (
	"time"

	"github.com/outreachhq/outreach/core/store"
)

// dayKey is the UTC day a send counts against an account's daily cap.
func dayKey(t time.Time) string { return t.UTC().Format("2006-01-02") }

// sendSlot returns when the account may send next: now if pacing and its
// daily cap allow, else a later time.
func (e *Engine) sendSlot(tx *store.Tx, a store.Account, now time.Time) (time.Time, error) {
	if a.DailyDMLimit > 0 {
		n, err := tx.Counter(a.Workspace, "sent_day", a.ID, dayKey(now))
		if err != nil {
			return time.Time{}, err
		}
		if n >= a.DailyDMLimit {
			y, m, d := now.UTC().Date()
			return time.Date(y, m, d+1, 0, 0, 0, 0, time.UTC), nil
		}
	}
	// The pause after the last send is kept in the store too, so it holds
	// across a restart.
	next, err := tx.NextSend(a.Workspace, a.ID)
	if err != nil {
		return time.Time{}, err
	}
	if mem := e.nextSend[a.ID]; mem.After(next) {
		next = mem
	}
	if now.Before(next) {
		return next, nil
	}
	return now, nil
}

// paced records a send by the account and draws its next gap.
func (e *Engine) paced(a store.Account, now time.Time) {
	gap := a.MinGap
	if a.MaxGap > a.MinGap {
		gap += time.Duration(e.opts.Rand.Int64N(int64(a.MaxGap - a.MinGap)))
	}
	e.nextSend[a.ID] = now.Add(gap)
}
