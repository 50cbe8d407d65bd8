package store

import (
	"strings"
)

// Sends reports whether jobs of kind k send a DM from an account, and so
// wait in the account's send queue rather than in the due index.
func (k JobKind) Sends() bool { return k == JobDM || k == JobFollowup }

// Lane is one queue of an account's sends: its pending jobs of one kind for
// one campaign, in due-time order. What may hold a send back (the account's
// pacing and pauses, the campaign's window, a pause of follow-ups only) is
// the same for every job of a lane, so only its first job needs looking at.
type Lane struct {
	Workspace  string
	AccountID  string
	CampaignID string
	Kind       JobKind
}

func (j Job) lane() Lane {
	return Lane{Workspace: j.Workspace, AccountID: j.AccountID, CampaignID: j.CampaignID, Kind: j.Kind}
}

// LaneOf returns the lane a DM or follow-up job waits in.
func LaneOf(j Job) Lane { return j.lane() }

// LaneHead is a lane and its first job: the pending one due earliest (the
// lowest id first among jobs due at the same time).
type LaneHead struct {
	Lane
	Job Job
}

// SendLanes returns every lane that holds a pending job, with its first
// job, ordered by workspace, account, campaign and kind. It reads one key
// per lane, however many jobs wait behind it.
func (t *Tx) SendLanes() ([]LaneHead, error) {
	const prefix = "sendq/"
	var (
		out  []LaneHead
		refs [][2]string // workspace, job id of each lane's first key
	)
	pivot := prefix
	for {
		var key string
		err := t.tx.AscendGreaterOrEqual("", pivot, func(k, _ string) bool {
			key = k
			return false
		})
		if err != nil {
			return nil, err
		}
		if !strings.HasPrefix(key, prefix) {
			break
		}
		parts := strings.Split(strings.TrimPrefix(key, prefix), "/")
		if len(parts) != 6 {
			// Not a key this package writes; step past it.
			pivot = key + "\x00"
			continue
		}
		l := Lane{Workspace: parts[0], AccountID: parts[1], CampaignID: parts[2], Kind: JobKind(parts[3])}
		out = append(out, LaneHead{Lane: l})
		refs = append(refs, [2]string{parts[0], parts[5]})
		// '0' follows '/': the first key after every key of this lane.
		lk := laneKey(l)
		pivot = lk[:len(lk)-1] + "0"
	}
	for i, r := range refs {
		j, err := t.Job(r[0], r[1])
		if err != nil {
			return nil, err
		}
		out[i].Job = j
	}
	return out, nil
}
