package bunt

import (
	"time"

	"github.com/outreachhq/outreach/core/store"
)

// An intent is stored under (workspace, "intent", job id) and indexed
// across workspaces by the expiry of its lease, (intexp, expiry, ws, job
// id), so that recovery reads the expired ones first and no others.

func intentKey(ws, jobID string) string { return wsKey(ws, "intent", jobID) }

func expiryKey(in store.Intent) string {
	return key("intexp", timeKey(in.Lease.Expires), in.Workspace, in.JobID)
}

// Intent returns a job's intent.
func (t *Tx) Intent(ws, jobID string) (store.Intent, error) {
	var in store.Intent
	err := t.get(intentKey(ws, jobID), &in)
	return in, err
}

// PutIntent stores an intent, moving it in the expiry index.
// CreateIntent stores an intent unless its job has one; then it calls
// existing.
func (t *Tx) CreateIntent(in store.Intent, existing func() error) error {
	if err := need("intent", in.Workspace, in.JobID); err != nil {
		return err
	}
	switch had, err := t.has(intentKey(in.Workspace, in.JobID)); {
	case err != nil:
		return err
	case had:
		return existing()
	}
	return t.PutIntent(in)
}

func (t *Tx) PutIntent(in store.Intent) error {
	if err := need("intent", in.Workspace, in.JobID); err != nil {
		return err
	}
	old, err := t.Intent(in.Workspace, in.JobID)
	var oldIx map[string]string
	switch {
	case err == nil:
		oldIx = map[string]string{expiryKey(old): ref(old.Workspace, old.JobID)}
	case !store.IsNotFound(err):
		return err
	}
	if err := t.moveIndex(oldIx, map[string]string{expiryKey(in): ref(in.Workspace, in.JobID)}); err != nil {
		return err
	}
	return t.put(intentKey(in.Workspace, in.JobID), in)
}

// DeleteIntent removes a job's intent.
func (t *Tx) DeleteIntent(ws, jobID string) error {
	old, err := t.Intent(ws, jobID)
	switch {
	case store.IsNotFound(err):
		return nil
	case err != nil:
		return err
	}
	if err := t.del(expiryKey(old)); err != nil {
		return err
	}
	return t.del(intentKey(ws, jobID))
}

// ExpiredIntents returns up to limit intents of every workspace whose
// lease has expired at now, earliest expiry first.
func (t *Tx) ExpiredIntents(now time.Time, limit int) ([]store.Intent, error) {
	out := []store.Intent{}
	err := t.scan(prefix("intexp"), prefixEnd(prefix("intexp", timeKey(now))), func(k, v string) (bool, error) {
		ws, id, err := unref(k, v)
		if err != nil {
			return false, err
		}
		in, err := t.Intent(ws, id)
		if err != nil {
			return false, err
		}
		out = append(out, in)
		return limit <= 0 || len(out) < limit, nil
	})
	return out, err
}
