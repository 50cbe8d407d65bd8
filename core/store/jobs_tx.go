package store

import (
	"fmt"
	"strings"
	"time"
)

// Job returns a job by id.
func (t *Tx) Job(ws, id string) (Job, error) {
	var j Job
	err := t.get(jobKey(ws, id), &j)
	return j, err
}

// JobExists reports whether a job with this id exists, in any state.
func (t *Tx) JobExists(ws, id string) bool { return t.exists(jobKey(ws, id)) }

// PutJob creates or replaces a job, keeping the indexes in step: a pending
// DM or follow-up is indexed in its account's send queue, any other pending
// job in the due index, a final job in neither.
func (t *Tx) PutJob(j Job) error {
	var old Job
	err := t.get(jobKey(j.Workspace, j.ID), &old)
	switch {
	case err == nil:
		if old.State == JobPending {
			if err := t.del(indexKey(old)); err != nil {
				return err
			}
			if old.Kind.Sends() {
				// A store written before send queues existed indexed every
				// job by due time: moving a job moves it to its queue.
				if err := t.del(dueKey(old.DueAt, old.Workspace, old.ID)); err != nil {
					return err
				}
			}
		}
	case !IsNotFound(err):
		return err
	}
	if j.State == JobPending {
		if err := t.setString(indexKey(j), ""); err != nil {
			return err
		}
	}
	return t.put(jobKey(j.Workspace, j.ID), j)
}

// indexKey is where a pending job is indexed.
func indexKey(j Job) string {
	if j.Kind.Sends() {
		return sendqKey(j)
	}
	return dueKey(j.DueAt, j.Workspace, j.ID)
}

// DueJobs returns up to limit pending jobs of the due index (every kind but
// DMs and follow-ups, which wait in send queues: see SendLanes) due at or
// before now, earliest first.
func (t *Tx) DueJobs(now time.Time, limit int) ([]Job, error) {
	var refs [][2]string
	// "~" sorts after every workspace name, so jobs due exactly now count.
	end := fmt.Sprintf("due/%020d/~", now.UnixNano())
	err := t.tx.AscendRange("", "due/", end, func(k, _ string) bool {
		parts := strings.SplitN(strings.TrimPrefix(k, "due/"), "/", 3)
		if len(parts) == 3 {
			refs = append(refs, [2]string{parts[1], parts[2]})
		}
		return len(refs) < limit
	})
	if err != nil {
		return nil, err
	}
	jobs := make([]Job, 0, len(refs))
	for _, r := range refs {
		j, err := t.Job(r[0], r[1])
		if err != nil {
			return nil, err
		}
		jobs = append(jobs, j)
	}
	return jobs, nil
}

// NextDue returns when the earliest job of the due index is due, and false
// if it holds none.
func (t *Tx) NextDue() (time.Time, bool, error) {
	var (
		at    time.Time
		found bool
	)
	err := t.tx.AscendGreaterOrEqual("", "due/", func(k, _ string) bool {
		if !strings.HasPrefix(k, "due/") {
			return false
		}
		ws, id, ok := splitDue(k)
		if !ok {
			return true
		}
		j, err := t.Job(ws, id)
		if err == nil {
			at, found = j.DueAt, true
		}
		return false
	})
	return at, found, err
}

func splitDue(k string) (ws, id string, ok bool) {
	parts := strings.SplitN(strings.TrimPrefix(k, "due/"), "/", 3)
	if len(parts) != 3 {
		return "", "", false
	}
	return parts[1], parts[2], true
}

// Jobs lists a workspace's jobs whose id starts with prefix.
func (t *Tx) Jobs(ws, idPrefix string) ([]Job, error) {
	return scanJSON[Job](t, jobKey(ws, idPrefix))
}

// PutIntent records an effect about to happen.
func (t *Tx) PutIntent(in Intent) error { return t.put(intentKey(in.Workspace, in.JobID), in) }

// DeleteIntent removes the intent of a job whose outcome is recorded.
func (t *Tx) DeleteIntent(ws, jobID string) error { return t.del(intentKey(ws, jobID)) }

// Intents lists every intent without an outcome, in every workspace.
func (t *Tx) Intents() ([]Intent, error) {
	var out []Intent
	err := t.scan("ws/", func(k, v string) bool {
		if strings.Contains(k, "/intent/") {
			var in Intent
			if t.get(k, &in) == nil {
				out = append(out, in)
			}
		}
		return true
	})
	return out, err
}

// HasPending reports whether the workspace has a pending job.
func (t *Tx) HasPending(ws string) (bool, error) {
	found := false
	err := t.scan("sendq/"+ws+"/", func(string, string) bool {
		found = true
		return false
	})
	if err != nil || found {
		return found, err
	}
	err = t.scan("due/", func(k, _ string) bool {
		if w, _, ok := splitDue(k); ok && w == ws {
			found = true
			return false
		}
		return true
	})
	return found, err
}
