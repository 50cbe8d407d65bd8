package postgres

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/outreachhq/outreach/core/store"
)

// A job is a row of jobs: its body, and as columns what its queries and
// indexes use (kind, state, due_at, the ids it names, its variant). The
// indexes (migrations/0001_init.sql) are its listings: by campaign, by
// campaign and lead, by source, by account, by state (each in id order),
// an account's queue and the due order of jobs without an account. A
// trigger moves the job's tallies in the same statement (tallies.go).

// Job returns a job by id.
func (t *Tx) Job(ws, id string) (store.Job, error) {
	j, err := get[store.Job](t, named("job", ws, id), sqlJob, ws, id)
	if err == nil {
		t.noteRead(j)
	}
	return j, err
}

// PutJob stores a job: its indexes and tallies follow in the same
// statement.
func (t *Tx) PutJob(j store.Job) error {
	if err := need("job", j.Workspace, j.ID); err != nil {
		return err
	}
	what := named("job", j.Workspace, j.ID)
	body, err := encode(what, j)
	if err != nil {
		return err
	}
	if err := t.put(fmt.Sprintf("put %s", what), `
		INSERT INTO jobs (ws, id, kind, state, due_at, campaign_id, source_id, account_id, lead_id, variant, body)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
		ON CONFLICT (ws, id) DO UPDATE SET kind = excluded.kind, state = excluded.state, due_at = excluded.due_at,
			campaign_id = excluded.campaign_id, source_id = excluded.source_id, account_id = excluded.account_id,
			lead_id = excluded.lead_id, variant = excluded.variant, body = excluded.body`,
		j.Workspace, j.ID, string(j.Kind), string(j.State), j.DueAt,
		j.CampaignID, j.SourceID, j.AccountID, j.LeadID, j.Variant, body); err != nil {
		return err
	}
	t.notePut(j)
	return nil
}

// noteRead remembers where a job read pending was due: see notePut.
func (t *Tx) noteRead(j store.Job) {
	if j.State != store.JobPending {
		return
	}
	if t.read == nil {
		t.read = map[jobKey]pendingPut{}
	}
	t.read[jobKey{j.Workspace, j.ID}] = pendingPut{accountID: j.AccountID, dueAt: j.DueAt}
}

// notePut remembers whether the job's put left it pending, for the queue.
// A put that leaves a job pending where this transaction read it pending
// (the same account, due no sooner), as taking its lease does, asks
// nothing new of the queue: the work was there before.
func (t *Tx) notePut(j store.Job) {
	k := jobKey{j.Workspace, j.ID}
	if j.State != store.JobPending {
		delete(t.pending, k)
		return
	}
	if r, ok := t.read[k]; ok && r.accountID == j.AccountID && !j.DueAt.Before(r.dueAt) {
		delete(t.pending, k)
		return
	}
	if t.pending == nil {
		t.pending = map[jobKey]pendingPut{}
	}
	t.pending[k] = pendingPut{accountID: j.AccountID, dueAt: j.DueAt}
}

// pendingPut is a pending job an Update put, for the queue.
type pendingPut struct {
	accountID string
	dueAt     time.Time
}

// units lists the queue's units the transaction's puts left work for: each
// account whose queue got a pending job (due at the earliest of them), and
// each pending job without an account. For each job, its last put decides.
func (t *Tx) units() []Unit {
	byAccount := map[[2]string]int{}
	var out []Unit
	for k, p := range t.pending {
		if p.accountID == "" {
			out = append(out, Unit{Workspace: k.ws, JobID: k.id, At: p.dueAt})
			continue
		}
		a := [2]string{k.ws, p.accountID}
		if i, ok := byAccount[a]; ok {
			out[i].At = earliest(out[i].At, p.dueAt)
			continue
		}
		byAccount[a] = len(out)
		out = append(out, Unit{Workspace: k.ws, AccountID: p.accountID, At: p.dueAt})
	}
	slices.SortFunc(out, func(a, b Unit) int {
		return cmp.Or(cmp.Compare(a.Workspace, b.Workspace), cmp.Compare(a.AccountID, b.AccountID), cmp.Compare(a.JobID, b.JobID))
	})
	return out
}

func earliest(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}

// Jobs lists the jobs q selects, in ID order, from after q.AfterID. Every
// field q sets is a condition; the planner walks the index of one of them
// in id order and checks the others.
func (t *Tx) Jobs(ws string, q store.JobQuery) ([]store.Job, error) {
	conds, args := []string{"ws = $1"}, []any{ws}
	where := func(cond, v string) {
		if v != "" {
			args = append(args, v)
			conds = append(conds, fmt.Sprintf(cond, len(args)))
		}
	}
	where("campaign_id = $%d", q.CampaignID)
	where("lead_id = $%d", q.LeadID)
	where("source_id = $%d", q.SourceID)
	where("account_id = $%d", q.AccountID)
	where("state = $%d", string(q.State))
	where("kind = $%d", string(q.Kind))
	where("id > $%d", q.AfterID)
	args = append(args, limitArg(q.Limit))
	sql := fmt.Sprintf(`SELECT body FROM jobs WHERE %s ORDER BY id LIMIT $%d`, strings.Join(conds, " AND "), len(args))
	return list[store.Job](t, "jobs", sql, args...)
}
