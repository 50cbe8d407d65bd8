package bunt

import (
	"github.com/outreachhq/outreach/core/store"
)

// A job is stored under (workspace, "job", id) and indexed, in the same
// transaction, under keys whose value is its id (or, for keys that span
// workspaces, a ref):
//
//	w/ws/jc/campaign/id                      every job of a campaign, in id order
//	w/ws/jcl/campaign/lead/id                a campaign's jobs for one lead
//	w/ws/js/source/id                        a source's jobs
//	w/ws/ja/account/id                       the jobs that name an account
//	w/ws/jst/state/id                        the jobs in a state
//	w/ws/q/account/campaign/kind/due/id      pending jobs with an account: its queue
//	due/due/ws/id                            pending jobs without one, every workspace
//	leased/job/ws/id                         jobs whose lease has an owner
//
// The account index (ja) is kept besides the queue because a query by
// account may ask for any state, and the queue holds pending jobs only,
// in due order rather than id order.

func jobKey(ws, id string) string { return wsKey(ws, "job", id) }

func queuePrefix(ws, accountID string) string { return wsPrefix(ws, "q", accountID) }

func queueKey(j store.Job) string {
	return wsKey(j.Workspace, "q", j.AccountID, j.CampaignID, string(j.Kind), timeKey(j.DueAt), j.ID)
}

func dueKey(j store.Job) string { return key("due", timeKey(j.DueAt), j.Workspace, j.ID) }

func leasedJobKey(ws, id string) string { return key("leased", "job", ws, id) }

func leasedStateKey(ws, accountID string) string { return key("leased", "state", ws, accountID) }

// jobIndexes returns the index keys of a job and their values.
func jobIndexes(j store.Job) map[string]string {
	ws, id := j.Workspace, j.ID
	ix := map[string]string{wsKey(ws, "jst", string(j.State), id): id}
	if j.CampaignID != "" {
		ix[wsKey(ws, "jc", j.CampaignID, id)] = id
		if j.LeadID != "" {
			ix[wsKey(ws, "jcl", j.CampaignID, j.LeadID, id)] = id
		}
	}
	if j.SourceID != "" {
		ix[wsKey(ws, "js", j.SourceID, id)] = id
	}
	if j.AccountID != "" {
		ix[wsKey(ws, "ja", j.AccountID, id)] = id
	}
	if j.State == store.JobPending {
		if j.AccountID != "" {
			ix[queueKey(j)] = id
		} else {
			ix[dueKey(j)] = ref(ws, id)
		}
	}
	if j.Lease.Owner != "" {
		ix[leasedJobKey(ws, id)] = ref(ws, id)
	}
	return ix
}

// Job returns a job by id.
func (t *Tx) Job(ws, id string) (store.Job, error) {
	var j store.Job
	err := t.get(jobKey(ws, id), &j)
	return j, err
}

// PutJob stores a job, moving it in its indexes and its tallies from
// where the stored record had it.
func (t *Tx) PutJob(j store.Job) error {
	if err := need("job", j.Workspace, j.ID); err != nil {
		return err
	}
	var old store.Job
	found, err := t.find(jobKey(j.Workspace, j.ID), &old)
	if err != nil {
		return err
	}
	var oldIx map[string]string
	var oldTallies []string
	if found {
		oldIx, oldTallies = jobIndexes(old), jobTallies(old)
	}
	if err := t.moveIndex(oldIx, jobIndexes(j)); err != nil {
		return err
	}
	if err := t.moveTallies(oldTallies, jobTallies(j)); err != nil {
		return err
	}
	return t.put(jobKey(j.Workspace, j.ID), j)
}

// Jobs lists the jobs q selects, in ID order. It walks the narrowest index
// q names (campaign and lead, campaign, source, account, then state; the
// jobs themselves if it names none) from q.AfterID, and checks the other
// fields on each job.
func (t *Tx) Jobs(ws string, q store.JobQuery) ([]store.Job, error) {
	var p string
	switch {
	case q.CampaignID != "" && q.LeadID != "":
		p = wsPrefix(ws, "jcl", q.CampaignID, q.LeadID)
	case q.CampaignID != "":
		p = wsPrefix(ws, "jc", q.CampaignID)
	case q.SourceID != "":
		p = wsPrefix(ws, "js", q.SourceID)
	case q.AccountID != "":
		p = wsPrefix(ws, "ja", q.AccountID)
	case q.State != "":
		p = wsPrefix(ws, "jst", string(q.State))
	default:
		p = wsPrefix(ws, "job")
	}
	from := p
	if q.AfterID != "" {
		from = after(p + escape(q.AfterID))
	}
	out := []store.Job{}
	err := t.scan(from, prefixEnd(p), func(k, v string) (bool, error) {
		var j store.Job
		var err error
		if p == wsPrefix(ws, "job") {
			err = decode(k, v, &j)
		} else {
			j, err = t.Job(ws, v)
		}
		if err != nil {
			return false, err
		}
		if matches(j, q) {
			out = append(out, j)
		}
		return q.Limit <= 0 || len(out) < q.Limit, nil
	})
	return out, err
}

func matches(j store.Job, q store.JobQuery) bool {
	return (q.CampaignID == "" || j.CampaignID == q.CampaignID) &&
		(q.SourceID == "" || j.SourceID == q.SourceID) &&
		(q.AccountID == "" || j.AccountID == q.AccountID) &&
		(q.LeadID == "" || j.LeadID == q.LeadID) &&
		(q.State == "" || j.State == q.State) &&
		(q.Kind == "" || j.Kind == q.Kind)
}
