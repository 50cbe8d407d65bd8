package bunt

import (
	"fmt"

	"github.com/outreachhq/outreach/core/store"
)

// A conversation is stored under (workspace, "conv", id) and listed
// through indexes whose key order is the listing's, newest first: LastAt
// descending (newestFirst), then ID descending (descending). Their values
// hold the conversation with its lead (a store.ConversationWithLead, in
// the layout of listed.go), so that a page is one walk along an index,
// with no read per conversation; (workspace, "cvl", lead, id) lists a
// lead's conversations, whose listings a change of the lead rewrites.
//
//	w/ws/cvt/last/id             every conversation
//	w/ws/cva/account/last/id     an account's
//	w/ws/cvg/tag/last/id         those with a CRM tag
//	w/ws/cvl/lead/id             a lead's
//
// A cursor is a position in that order, so a page continues strictly
// after it whatever was added since. Other filters are checked while
// walking the chosen index.

func conversationKey(ws, id string) string { return wsKey(ws, "conv", id) }

func leadConversationsPrefix(ws, leadID string) string { return wsPrefix(ws, "cvl", leadID) }

// conversationIndexes are the index entries of c, whose listings hold
// listed: c with its lead, encoded.
func conversationIndexes(c store.Conversation, listed string) map[string]string {
	order := []string{newestFirst(c.LastAt), descending(c.ID)}
	ix := map[string]string{
		wsKey(c.Workspace, append([]string{"cvt"}, order...)...):              listed,
		wsKey(c.Workspace, append([]string{"cva", c.AccountID}, order...)...): listed,
		wsKey(c.Workspace, "cvl", c.LeadID, c.ID):                             "",
	}
	if c.CRM.Tag != "" {
		ix[wsKey(c.Workspace, append([]string{"cvg", c.CRM.Tag}, order...)...)] = listed
	}
	return ix
}

// leadOf returns the lead of c as stored; zero if there is none.
func (t *Tx) leadOf(c store.Conversation) (store.Lead, error) {
	var l store.Lead
	_, err := t.find(leadKey(c.Workspace, c.LeadID), &l)
	return l, err
}

// listed encodes c with its lead l, for its listings.
func listed(c store.Conversation, l store.Lead) (string, error) {
	b, err := encodeListed(store.ConversationWithLead{Conversation: c, Lead: l})
	if err != nil {
		return "", fmt.Errorf("encode conversation %s: %w", c.ID, err)
	}
	return string(b), nil
}

// indexConversation moves c in its indexes from where old had it; with
// old nil, it writes every entry of c.
func (t *Tx) indexConversation(old *store.Conversation, c store.Conversation) error {
	l, err := t.leadOf(c)
	if err != nil {
		return err
	}
	var oldIx map[string]string
	if old != nil {
		// The lead is the same: the lead's own changes rewrite the
		// listings as they happen (relistLead).
		was, err := listed(*old, l)
		if err != nil {
			return err
		}
		oldIx = conversationIndexes(*old, was)
	}
	now, err := listed(c, l)
	if err != nil {
		return err
	}
	return t.moveIndex(oldIx, conversationIndexes(c, now))
}

// relistLead rewrites the listings of the conversations of lead ws/userID
// after a change of the lead.
func (t *Tx) relistLead(ws, userID string) error {
	p := leadConversationsPrefix(ws, userID)
	var ids []string
	if err := t.scanPrefix(p, func(k, _ string) (bool, error) {
		ids = append(ids, unescape(k[len(p):]))
		return true, nil
	}); err != nil {
		return err
	}
	for _, id := range ids {
		c, err := t.Conversation(ws, id)
		if err != nil {
			return err
		}
		if err := t.indexConversation(nil, c); err != nil {
			return err
		}
	}
	return nil
}

// Conversation returns a conversation by id.
func (t *Tx) Conversation(ws, id string) (store.Conversation, error) {
	var c store.Conversation
	err := t.get(conversationKey(ws, id), &c)
	return c, err
}

// CreateConversation stores a conversation, with its first message if
// first is not nil, unless there is one of its id; then it calls existing.
func (t *Tx) CreateConversation(c store.Conversation, first *store.Message, existing func() error) error {
	if err := need("conversation", c.Workspace, c.ID); err != nil {
		return err
	}
	var old store.Conversation
	switch found, err := t.find(conversationKey(c.Workspace, c.ID), &old); {
	case err != nil:
		return err
	case found:
		return existing()
	}
	if first != nil && (first.Workspace != c.Workspace || first.ConversationID != c.ID) {
		return fmt.Errorf("create conversation %s/%s: its first message is of conversation %s/%s", c.Workspace, c.ID, first.Workspace, first.ConversationID)
	}
	if err := t.PutConversation(c); err != nil {
		return err
	}
	if first != nil {
		_, err := t.AddMessage(*first)
		return err
	}
	return nil
}

// PutConversation stores a conversation, moving it in its indexes and in
// the reply tallies of its campaign.
func (t *Tx) PutConversation(c store.Conversation) error {
	if err := need("conversation", c.Workspace, c.ID); err != nil {
		return err
	}
	var old store.Conversation
	found, err := t.find(conversationKey(c.Workspace, c.ID), &old)
	if err != nil {
		return err
	}
	var (
		was        *store.Conversation
		oldTallies []string
	)
	if found {
		was, oldTallies = &old, replyTallies(old)
	}
	if err := t.indexConversation(was, c); err != nil {
		return err
	}
	if err := t.moveTallies(oldTallies, replyTallies(c)); err != nil {
		return err
	}
	return t.put(conversationKey(c.Workspace, c.ID), c)
}

// Conversations returns a page of conversations, newest first.
func (t *Tx) Conversations(ws string, q store.ConversationQuery) ([]store.Conversation, error) {
	out := make([]store.Conversation, 0, min(max(q.Limit, 0), 1000))
	err := t.EachConversationWithLead(ws, q, func(c *store.ConversationWithLead) error {
		out = append(out, c.Conversation)
		return nil
	})
	return out, err
}

// EachConversationWithLead calls fn with each conversation of the page
// Conversations returns, with its lead, decoded from the index that serves
// q into one value that every call reuses.
func (t *Tx) EachConversationWithLead(ws string, q store.ConversationQuery, fn func(*store.ConversationWithLead) error) error {
	var p string
	switch {
	case q.AccountID != "":
		p = wsPrefix(ws, "cva", q.AccountID)
	case q.Tag != "":
		p = wsPrefix(ws, "cvg", q.Tag)
	default:
		p = wsPrefix(ws, "cvt")
	}
	from := p
	if q.After != nil {
		from = after(p + key(newestFirst(q.After.LastAt), descending(q.After.ID)))
	}
	var c store.ConversationWithLead
	n := 0
	return t.scan(from, prefixEnd(p), func(k, v string) (bool, error) {
		if err := decodeListed(v, &c); err != nil {
			return false, fmt.Errorf("decode %s: %w", printable(k), err)
		}
		if !conversationMatches(c.Conversation, q) {
			return true, nil
		}
		n++
		if err := fn(&c); err != nil {
			return false, err
		}
		return q.Limit <= 0 || n < q.Limit, nil
	})
}

// conversationMatches reports whether c passes q's filters.
func conversationMatches(c store.Conversation, q store.ConversationQuery) bool {
	return (q.AccountID == "" || c.AccountID == q.AccountID) &&
		(q.Tag == "" || c.CRM.Tag == q.Tag) &&
		(q.LeadID == "" || c.LeadID == q.LeadID) &&
		(q.CampaignID == "" || c.CampaignID == q.CampaignID) &&
		(!q.UnreadOnly || c.Unread)
}

// Messages of a conversation are stored under (workspace, "msg",
// conversation, at, id), in the order they are listed; (workspace,
// "msgid", conversation, id) marks the ids already stored.

func messageKey(m store.Message) string {
	return wsKey(m.Workspace, "msg", m.ConversationID, timeKey(m.At), m.ID)
}

func messageIDKey(ws, conversationID, id string) string {
	return wsKey(ws, "msgid", conversationID, id)
}

// AddMessage stores a message of a conversation; it reports false, and
// writes nothing, if the conversation already has a message of this ID.
func (t *Tx) AddMessage(m store.Message) (bool, error) {
	if err := need("message", m.Workspace, m.ConversationID, m.ID); err != nil {
		return false, err
	}
	idKey := messageIDKey(m.Workspace, m.ConversationID, m.ID)
	switch had, err := t.has(idKey); {
	case err != nil:
		return false, err
	case had:
		return false, nil
	}
	if err := t.set(idKey, ""); err != nil {
		return false, err
	}
	return true, t.put(messageKey(m), m)
}

// Messages lists a conversation's messages by At, then ID.
func (t *Tx) Messages(ws, conversationID string) ([]store.Message, error) {
	return list[store.Message](t, wsPrefix(ws, "msg", conversationID))
}
