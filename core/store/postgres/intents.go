package postgres

import (
	"fmt"
	"time"

	"github.com/outreachhq/outreach/core/store"
)

// An intent is a row of intents, indexed across workspaces by the expiry
// of its lease (the zero time without one), so that recovery reads the
// expired ones first and no others.

// Intent returns a job's intent.
func (t *Tx) Intent(ws, jobID string) (store.Intent, error) {
	return get[store.Intent](t, named("intent", ws, jobID), sqlIntent, ws, jobID)
}

// PutIntent stores an intent, moving it in the expiry index.
func (t *Tx) PutIntent(in store.Intent) error {
	what, args, err := intentRow(in)
	if err != nil {
		return err
	}
	return t.put("put "+what, `
		INSERT INTO intents (ws, job_id, expires, body) VALUES ($1, $2, $3, $4)
		ON CONFLICT (ws, job_id) DO UPDATE SET expires = excluded.expires, body = excluded.body`, args...)
}

// CreateIntent stores an intent unless its job has one; then it calls
// existing, with the insert's answer, before the transaction's next
// statement goes (putThen). Unlike a read of an intent that is not there,
// the insert's check of the key takes no predicate lock: transactions
// creating the intents of neighbouring jobs do not fail one another.
func (t *Tx) CreateIntent(in store.Intent, existing func() error) error {
	what, args, err := intentRow(in)
	if err != nil {
		return err
	}
	return t.putThen("create "+what, `
		INSERT INTO intents (ws, job_id, expires, body) VALUES ($1, $2, $3, $4)
		ON CONFLICT (ws, job_id) DO NOTHING`, args, unlessInserted(existing))
}

// intentRow is what names an intent in errors, and its row's values.
func intentRow(in store.Intent) (string, []any, error) {
	if err := need("intent", in.Workspace, in.JobID); err != nil {
		return "", nil, err
	}
	what := named("intent", in.Workspace, in.JobID)
	body, err := encode(what, in)
	return what, []any{in.Workspace, in.JobID, in.Lease.Expires, body}, err
}

// DeleteIntent removes a job's intent.
func (t *Tx) DeleteIntent(ws, jobID string) error {
	if err := t.put(fmt.Sprintf("delete %s", named("intent", ws, jobID)), `DELETE FROM intents WHERE ws = $1 AND job_id = $2`, ws, jobID); err != nil {
		return err
	}
	return nil
}

// ExpiredIntents returns up to limit intents of every workspace whose
// lease has expired at now, earliest expiry first (then by workspace and
// job id).
func (t *Tx) ExpiredIntents(now time.Time, limit int) ([]store.Intent, error) {
	return list[store.Intent](t, "expired intents", `
		SELECT body FROM intents WHERE expires <= $1
		ORDER BY expires, ws, job_id LIMIT $2`, now, limitArg(limit))
}
