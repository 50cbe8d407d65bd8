package store

import "time"

// Intent returns a job's intent, and false if the job has none.
func (t *Tx) Intent(ws, jobID string) (Intent, bool, error) {
	var in Intent
	err := t.get(intentKey(ws, jobID), &in)
	if IsNotFound(err) {
		return Intent{}, false, nil
	}
	return in, err == nil, err
}

func nextSendKey(ws, accountID string) string { return wsKey(ws, "nextsend", accountID) }

// NextSend returns the earliest time the account may send again, as the
// engine last recorded it; zero if never recorded.
func (t *Tx) NextSend(ws, accountID string) (time.Time, error) {
	v, err := t.getString(nextSendKey(ws, accountID))
	if IsNotFound(err) {
		return time.Time{}, nil
	}
	if err != nil {
		return time.Time{}, err
	}
	return time.Parse(time.RFC3339Nano, v)
}

// SetNextSend records the earliest time the account may send again, so the
// pause between two DMs holds across a restart.
func (t *Tx) SetNextSend(ws, accountID string, at time.Time) error {
	return t.setString(nextSendKey(ws, accountID), at.UTC().Format(time.RFC3339Nano))
}
