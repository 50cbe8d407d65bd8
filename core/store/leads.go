package store

import (
	"strconv"
)

// Lead returns a lead by X user id.
func (t *Tx) Lead(ws, userID string) (Lead, error) {
	var l Lead
	err := t.get(leadKey(ws, userID), &l)
	return l, err
}

// AddSourceLead stores a lead kept by a source. It reports false, and
// writes nothing, if the source already has this lead.
func (t *Tx) AddSourceLead(sourceID string, l Lead) (bool, error) {
	member := wsKey(l.Workspace, "srcmember", sourceID, l.UserID)
	if t.exists(member) {
		return false, nil
	}
	n, err := t.SourceLeadCount(l.Workspace, sourceID)
	if err != nil {
		return false, err
	}
	if err := t.put(leadKey(l.Workspace, l.UserID), l); err != nil {
		return false, err
	}
	if err := t.setString(member, strconv.Itoa(n)); err != nil {
		return false, err
	}
	if err := t.setString(sourceLeadKey(l.Workspace, sourceID, n), l.UserID); err != nil {
		return false, err
	}
	return true, t.setString(sourceSeqKey(l.Workspace, sourceID), strconv.Itoa(n+1))
}

// SourceLeadCount is the number of leads a source has kept.
func (t *Tx) SourceLeadCount(ws, sourceID string) (int, error) {
	v, err := t.getString(sourceSeqKey(ws, sourceID))
	if IsNotFound(err) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	return strconv.Atoi(v)
}

// SourceLeads returns the user ids a source kept, from position from on,
// in the order they were kept, at most limit of them.
func (t *Tx) SourceLeads(ws, sourceID string, from, limit int) ([]string, error) {
	var ids []string
	prefix := wsKey(ws, "srclead", sourceID) + "/"
	err := t.tx.AscendRange("", sourceLeadKey(ws, sourceID, from), prefix+"~", func(_, v string) bool {
		ids = append(ids, v)
		return len(ids) < limit
	})
	return ids, err
}

// MarkContacted records that a lead has been cold-messaged in the
// workspace, by a campaign.
func (t *Tx) MarkContacted(ws, userID, campaignID string) error {
	return t.setString(contactedKey(ws, userID), campaignID)
}

// ContactedBy returns the campaign that first cold-messaged a lead, or ""
// if none has.
func (t *Tx) ContactedBy(ws, userID string) (string, error) {
	v, err := t.getString(contactedKey(ws, userID))
	if IsNotFound(err) {
		return "", nil
	}
	return v, err
}

// AddDoNotContact puts a user on the workspace's do-not-contact list.
func (t *Tx) AddDoNotContact(ws, userID, reason string) error {
	return t.setString(dncKey(ws, userID), reason)
}

// DoNotContact reports whether a user is on the do-not-contact list.
func (t *Tx) DoNotContact(ws, userID string) bool { return t.exists(dncKey(ws, userID)) }

// Counter returns a workspace counter, zero if never incremented.
func (t *Tx) Counter(ws string, name ...string) (int, error) {
	v, err := t.getString(wsKey(ws, append([]string{"count"}, name...)...))
	if IsNotFound(err) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	return strconv.Atoi(v)
}

// AddCounter adds delta to a workspace counter.
func (t *Tx) AddCounter(ws string, delta int, name ...string) error {
	n, err := t.Counter(ws, name...)
	if err != nil {
		return err
	}
	return t.setString(wsKey(ws, append([]string{"count"}, name...)...), strconv.Itoa(n+delta))
}
