package bunt

import (
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/outreachhq/outreach/core/store"
)

func leadKey(ws, userID string) string { return wsKey(ws, "lead", userID) }

// A source's leads: a member key per lead (for "has it already?"), a key
// per position naming the lead (in the order kept), and a count.
func sourceMemberKey(ws, sourceID, userID string) string {
	return wsKey(ws, "srcm", sourceID, userID)
}

func sourceLeadKey(ws, sourceID string, pos int) string {
	return wsKey(ws, "srcl", sourceID, seqKey(int64(pos)))
}

func sourceCountKey(ws, sourceID string) string { return wsKey(ws, "srcn", sourceID) }

func contactedKey(ws, userID string) string { return wsKey(ws, "contacted", userID) }

func doNotContactKey(ws, userID string) string { return wsKey(ws, "dnc", userID) }

// Lead returns a lead by X user id.
func (t *Tx) Lead(ws, userID string) (store.Lead, error) {
	var l store.Lead
	err := t.get(leadKey(ws, userID), &l)
	return l, err
}

// putLead stores lead l of workspace ws and, if it changed, rewrites the
// listings of its conversations, which show it.
func (t *Tx) putLead(ws string, l store.Lead) error {
	k := leadKey(ws, l.UserID)
	b, err := json.Marshal(l)
	if err != nil {
		return fmt.Errorf("encode %s: %w", printable(k), err)
	}
	switch old, found, err := t.raw(k); {
	case err != nil:
		return err
	case found && old == string(b):
		return nil
	}
	if err := t.set(k, string(b)); err != nil {
		return err
	}
	return t.relistLead(ws, l.UserID)
}

// AddSourceLead stores a lead as kept by a source, at the end of the
// source's order; it reports false, and writes nothing, if the source
// already has it.
func (t *Tx) AddSourceLead(ws, sourceID string, l store.Lead) (bool, error) {
	if err := need("lead", ws, sourceID, l.UserID); err != nil {
		return false, err
	}
	member := sourceMemberKey(ws, sourceID, l.UserID)
	switch had, err := t.has(member); {
	case err != nil:
		return false, err
	case had:
		return false, nil
	}
	n, err := t.SourceLeadCount(ws, sourceID)
	if err != nil {
		return false, err
	}
	if err := t.putLead(ws, l); err != nil {
		return false, err
	}
	if err := t.set(member, strconv.Itoa(n)); err != nil {
		return false, err
	}
	if err := t.set(sourceLeadKey(ws, sourceID, n), l.UserID); err != nil {
		return false, err
	}
	return true, t.add(sourceCountKey(ws, sourceID), 1)
}

// SourceLeadCount is how many leads a source has kept.
func (t *Tx) SourceLeadCount(ws, sourceID string) (int, error) {
	return t.count(sourceCountKey(ws, sourceID))
}

// SourceLeads returns the user ids a source kept, in the order it kept
// them, from position from, at most limit of them (limit <= 0: all).
func (t *Tx) SourceLeads(ws, sourceID string, from, limit int) ([]string, error) {
	ids := []string{}
	p := wsPrefix(ws, "srcl", sourceID)
	err := t.scan(sourceLeadKey(ws, sourceID, max(from, 0)), prefixEnd(p), func(_, v string) (bool, error) {
		ids = append(ids, v)
		return limit <= 0 || len(ids) < limit, nil
	})
	return ids, err
}

// MarkContacted records the campaign that first cold-messaged a lead; a
// lead already marked keeps its first campaign.
func (t *Tx) MarkContacted(ws, userID, campaignID string) error {
	k := contactedKey(ws, userID)
	switch had, err := t.has(k); {
	case err != nil || had:
		return err
	}
	return t.set(k, campaignID)
}

// ContactedBy returns the campaign that first cold-messaged a lead, ""
// if none has.
func (t *Tx) ContactedBy(ws, userID string) (string, error) {
	v, _, err := t.raw(contactedKey(ws, userID))
	return v, err
}

// AddDoNotContact puts a user on the workspace's do-not-contact list.
func (t *Tx) AddDoNotContact(ws, userID, reason string) error {
	if err := need("do-not-contact entry", ws, userID); err != nil {
		return err
	}
	return t.set(doNotContactKey(ws, userID), reason)
}

// RemoveDoNotContact takes a user off the workspace's do-not-contact list;
// removing a user who is not on it is no error.
func (t *Tx) RemoveDoNotContact(ws, userID string) error {
	return t.del(doNotContactKey(ws, userID))
}

// DoNotContact reports whether a user is on the do-not-contact list.
func (t *Tx) DoNotContact(ws, userID string) (bool, error) {
	return t.has(doNotContactKey(ws, userID))
}
