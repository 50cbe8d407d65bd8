package postgres

import (
	"time"

	"github.com/outreachhq/outreach/core/store"
)

// QueueHeads returns the first pending job (earliest DueAt, then lowest
// ID) of each campaign and kind in the account's queue, ordered by
// campaign ID, then kind.
//
// The queue is an index ordered by campaign, kind, due time and id. The
// query skips along it from lane to lane (a recursive "loose index scan":
// each step seeks the first entry past the last lane), then reads each
// lane's first job: a few index probes per lane, however many jobs wait
// behind the heads, where a DISTINCT ON would read them all.
func (t *Tx) QueueHeads(ws, accountID string) ([]store.Job, error) {
	return t.QueueHeadsAfter(ws, accountID, "")
}

// QueueHeadsAfter returns the account's queue heads as they will be once
// job jobID leaves the queue: QueueHeads' answer with that job left out
// (its lane's next job heads it).
func (t *Tx) QueueHeadsAfter(ws, accountID, jobID string) ([]store.Job, error) {
	heads, err := list[store.Job](t, "queue heads", sqlQueueHeads, ws, accountID, jobID)
	for _, j := range heads {
		t.noteRead(j)
	}
	return heads, err
}

// DueJobs returns up to limit pending jobs without an account, of every
// workspace, due at or before now, by DueAt, then workspace and ID.
func (t *Tx) DueJobs(now time.Time, limit int) ([]store.Job, error) {
	return list[store.Job](t, "due jobs", `
		SELECT body FROM jobs WHERE state = 'pending' AND account_id = '' AND due_at <= $1
		ORDER BY due_at, ws, id LIMIT $2`, now, limitArg(limit))
}

// NextDueAt is the DueAt of the earliest pending job without an account,
// and false if there is none. It is read from the job's record: the
// column is exact only to the microsecond.
func (t *Tx) NextDueAt() (time.Time, bool, error) {
	var body []byte
	found, err := t.one(`
		SELECT body FROM jobs WHERE state = 'pending' AND account_id = ''
		ORDER BY due_at, ws, id LIMIT 1`, nil, &body)
	if err != nil || !found {
		return time.Time{}, false, wrap("read the next due job", err)
	}
	var j store.Job
	if err := decode("next due job", body, &j); err != nil {
		return time.Time{}, false, err
	}
	return j.DueAt, true, nil
}
