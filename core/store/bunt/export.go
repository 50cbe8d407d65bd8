package bunt

import (
	"strconv"

	"github.com/outreachhq/outreach/core/store"
)

// What copying a whole store reads (and PutEvent, which it writes): lists
// of records that no other method lists, each a scan of one prefix.

// PutLead stores the workspace's record of a user.
func (t *Tx) PutLead(l store.Lead) error {
	if err := need("lead", l.Workspace, l.UserID); err != nil {
		return err
	}
	return t.putLead(l.Workspace, l)
}

// LeadsAfter returns up to limit of a workspace's leads whose user id sorts
// after after, in user id order.
func (t *Tx) LeadsAfter(ws, after string, limit int) ([]store.Lead, error) {
	p := wsPrefix(ws, "lead")
	from := p
	if after != "" {
		from = leadKey(ws, after) + "\x01"
	}
	out := []store.Lead{}
	err := t.scan(from, prefixEnd(p), func(k, v string) (bool, error) {
		var l store.Lead
		if err := decode(k, v, &l); err != nil {
			return false, err
		}
		out = append(out, l)
		return limit <= 0 || len(out) < limit, nil
	})
	return out, err
}

// lastOf reads the last component of every key under p, with its value.
func (t *Tx) lastOf(p string, fn func(last, v string) error) error {
	return t.scanPrefix(p, func(k, v string) (bool, error) {
		parts := split(k[len(p):])
		return true, fn(parts[len(parts)-1], v)
	})
}

// Contacts lists a workspace's contacted marks, by user id.
func (t *Tx) Contacts(ws string) ([]store.Contact, error) {
	out := []store.Contact{}
	err := t.lastOf(wsPrefix(ws, "contacted"), func(user, campaign string) error {
		out = append(out, store.Contact{UserID: user, CampaignID: campaign})
		return nil
	})
	return out, err
}

// DoNotContacts lists a workspace's do-not-contact list, by user id.
func (t *Tx) DoNotContacts(ws string) ([]store.DoNotContact, error) {
	out := []store.DoNotContact{}
	err := t.lastOf(wsPrefix(ws, "dnc"), func(user, reason string) error {
		out = append(out, store.DoNotContact{UserID: user, Reason: reason})
		return nil
	})
	return out, err
}

// SentDays lists an account's non-zero SentOn counts, by day.
func (t *Tx) SentDays(ws, accountID string) ([]store.DayCount, error) {
	out := []store.DayCount{}
	err := t.lastOf(wsPrefix(ws, "sent", accountID), func(day, v string) error {
		n, err := strconv.Atoi(v)
		if err == nil && n != 0 {
			out = append(out, store.DayCount{Day: day, N: n})
		}
		return err
	})
	return out, err
}

// Intents lists a workspace's intents, by job id.
func (t *Tx) Intents(ws string) ([]store.Intent, error) {
	return list[store.Intent](t, wsPrefix(ws, "intent"))
}

// EventCursors returns every consumer's cursor.
func (t *Tx) EventCursors() (map[string]int64, error) {
	out := map[string]int64{}
	err := t.lastOf(prefix("cursor"), func(consumer, v string) error {
		n, err := strconv.ParseInt(v, 10, 64)
		out[consumer] = n
		return err
	})
	return out, err
}

// PutEvent stores an event with the Seq it carries, and moves the outbox's
// counter past it.
func (t *Tx) PutEvent(e store.Event) error {
	if err := need("event", e.Workspace); err != nil {
		return err
	}
	last, err := t.count(key(seqCounterKey))
	if err != nil {
		return err
	}
	if e.Seq > int64(last) {
		if err := t.set(key(seqCounterKey), strconv.FormatInt(e.Seq, 10)); err != nil {
			return err
		}
	}
	return t.put(eventKey(e.Workspace, e.Seq), e)
}
