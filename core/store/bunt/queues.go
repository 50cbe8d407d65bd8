package bunt

import (
	"time"

	"github.com/outreachhq/outreach/core/store"
)

// QueueHeads returns the first pending job (earliest DueAt, then lowest
// ID) of each campaign and kind in the account's queue, ordered by
// campaign ID, then kind. The queue's keys are ordered by campaign, kind,
// due time and id, so each lane's head is its first key: after reading it,
// the scan jumps past the rest of the lane, reading one key per lane
// however many jobs wait behind it.
func (t *Tx) QueueHeads(ws, accountID string) ([]store.Job, error) {
	return t.QueueHeadsAfter(ws, accountID, "")
}

// QueueHeadsAfter returns the account's queue heads as they will be once
// job jobID leaves the queue: QueueHeads' answer with that job left out
// (its lane's next job heads it).
func (t *Tx) QueueHeadsAfter(ws, accountID, jobID string) ([]store.Job, error) {
	p := queuePrefix(ws, accountID)
	end := prefixEnd(p)
	var ids []string
	for pivot := p; ; {
		k, id, ok, err := t.first(pivot, end)
		if err != nil {
			return nil, err
		}
		if !ok {
			break
		}
		lane := split(k[len(p):])
		if len(lane) != 4 {
			return nil, errBadKey(k)
		}
		if id == jobID && jobID != "" {
			pivot = after(k) // the lane's next job
			continue
		}
		ids = append(ids, id)
		pivot = prefixEnd(wsPrefix(ws, "q", accountID, lane[0], lane[1]))
	}
	return t.jobs(ws, ids)
}

func (t *Tx) jobs(ws string, ids []string) ([]store.Job, error) {
	out := make([]store.Job, 0, len(ids))
	for _, id := range ids {
		j, err := t.Job(ws, id)
		if err != nil {
			return nil, err
		}
		out = append(out, j)
	}
	return out, nil
}

// DueJobs returns up to limit pending jobs without an account, of every
// workspace, due at or before now, by DueAt, then workspace and ID.
func (t *Tx) DueJobs(now time.Time, limit int) ([]store.Job, error) {
	out := []store.Job{}
	err := t.scan(prefix("due"), prefixEnd(prefix("due", timeKey(now))), func(k, v string) (bool, error) {
		ws, id, err := unref(k, v)
		if err != nil {
			return false, err
		}
		j, err := t.Job(ws, id)
		if err != nil {
			return false, err
		}
		out = append(out, j)
		return limit <= 0 || len(out) < limit, nil
	})
	return out, err
}

// NextDueAt is the DueAt of the earliest pending job without an account,
// and false if there is none.
func (t *Tx) NextDueAt() (time.Time, bool, error) {
	k, v, ok, err := t.first(prefix("due"), prefixEnd(prefix("due")))
	if err != nil || !ok {
		return time.Time{}, false, err
	}
	ws, id, err := unref(k, v)
	if err != nil {
		return time.Time{}, false, err
	}
	j, err := t.Job(ws, id)
	if err != nil {
		return time.Time{}, false, err
	}
	return j.DueAt, true, nil
}
