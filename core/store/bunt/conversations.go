package bunt

import (
	"fmt"
	"github.com/outreachhq/outreach/core/store"
)

// A conversation is stored under (workspace, "conv", id) and listed
// through indexes whose key order is the listing's, newest first: LastAt
// descending (newestFirst), then ID descending (descending). The values
// name the id.
//
//	w/ws/cvt/last/id             every conversation
//	w/ws/cva/account/last/id     an account's
//	w/ws/cvg/tag/last/id         those with a CRM tag
//
// A cursor is a position in that order, so a page continues strictly
// after it whatever was added since. Other filters are checked while
// walking the chosen index.

func conversationKey(ws, id string) string { return wsKey(ws, "conv", id) }

func conversationIndexes(c store.Conversation) map[string]string {
	order := []string{newestFirst(c.LastAt), descending(c.ID)}
	ix := map[string]string{
		wsKey(c.Workspace, append([]string{"cvt"}, order...)...):              c.ID,
		wsKey(c.Workspace, append([]string{"cva", c.AccountID}, order...)...): c.ID,
	}
	if c.CRM.Tag != "" {
		ix[wsKey(c.Workspace, append([]string{"cvg", c.CRM.Tag}, order...)...)] = c.ID
	}
	return ix
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
	var oldIx map[string]string
	var oldTallies []string
	if found {
		oldIx, oldTallies = conversationIndexes(old), replyTallies(old)
	}
	if err := t.moveIndex(oldIx, conversationIndexes(c)); err != nil {
		return err
	}
	if err := t.moveTallies(oldTallies, replyTallies(c)); err != nil {
		return err
	}
	return t.put(conversationKey(c.Workspace, c.ID), c)
}

// Conversations returns a page of conversations, newest first.
func (t *Tx) Conversations(ws string, q store.ConversationQuery) ([]store.Conversation, error) {
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
	out := []store.Conversation{}
	err := t.scan(from, prefixEnd(p), func(_, id string) (bool, error) {
		c, err := t.Conversation(ws, id)
		if err != nil {
			return false, err
		}
		if (q.AccountID == "" || c.AccountID == q.AccountID) &&
			(q.Tag == "" || c.CRM.Tag == q.Tag) &&
			(q.LeadID == "" || c.LeadID == q.LeadID) &&
			(q.CampaignID == "" || c.CampaignID == q.CampaignID) &&
			(!q.UnreadOnly || c.Unread) {
			out = append(out, c)
		}
		return q.Limit <= 0 || len(out) < q.Limit, nil
	})
	return out, err
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
