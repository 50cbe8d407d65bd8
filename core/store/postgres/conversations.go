package postgres

import (
	"fmt"
	"strings"

	"github.com/outreachhq/outreach/core/store"
)

// A conversation is a row of conversations; what its listings filter on
// are columns. Pages come newest first, by last_at, then id, both
// descending: each is read backwards along an index that ends in (last_at,
// id), the workspace's, the account's or the tag's, and starts strictly
// before the cursor, a row comparison the index seeks to. So a page deep
// in the listing costs what the first does, and a page stays stable under
// inserts: a cursor is a position in the order, not an offset. Filters the
// chosen index does not cover are checked on the rows it walks.
//
// A trigger keeps the reply tallies in step with Replied (tallies.go).

// Conversation returns a conversation by id.
func (t *Tx) Conversation(ws, id string) (store.Conversation, error) {
	return get[store.Conversation](t, named("conversation", ws, id), sqlConversation, ws, id)
}

// PutConversation stores a conversation; its listings and the reply
// tallies of its campaign follow in the same statement.
func (t *Tx) PutConversation(c store.Conversation) error {
	what, args, err := conversationRow(c)
	if err != nil {
		return err
	}
	return t.put("put "+what, sqlInsertConversation+`
		ON CONFLICT (ws, id) DO UPDATE SET account_id = excluded.account_id, lead_id = excluded.lead_id,
			campaign_id = excluded.campaign_id, variant = excluded.variant, replied = excluded.replied,
			unread = excluded.unread, tag = excluded.tag, last_at = excluded.last_at, body = excluded.body`, args...)
}

const sqlInsertConversation = `
		INSERT INTO conversations (ws, id, account_id, lead_id, campaign_id, variant, replied, unread, tag, last_at, body)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`

// conversationRow is what names a conversation in errors, and its row's
// values (sqlInsertConversation's).
func conversationRow(c store.Conversation) (string, []any, error) {
	if err := need("conversation", c.Workspace, c.ID); err != nil {
		return "", nil, err
	}
	what := named("conversation", c.Workspace, c.ID)
	body, err := encode(what, c)
	return what, []any{c.Workspace, c.ID, c.AccountID, c.LeadID, c.CampaignID, c.Variant, c.Replied, c.Unread, c.CRM.Tag, c.LastAt, body}, err
}

// CreateConversation stores a conversation, with its first message if
// first is not nil, unless there is one of its id; then it calls existing,
// with the insert's answer, before the transaction's next statement goes
// (putThen): the insert goes to the server with that statement, in one
// round trip. The insert's check of the key takes no predicate lock, where
// reading a conversation that is not there locks the index page it would
// be on, and fails the transactions that create its neighbours (a first
// DM's conversation among other accounts' first DMs).
func (t *Tx) CreateConversation(c store.Conversation, first *store.Message, existing func() error) error {
	what, args, err := conversationRow(c)
	if err != nil {
		return err
	}
	insert := sqlInsertConversation + `
		ON CONFLICT (ws, id) DO NOTHING`
	if first != nil {
		// The message goes in with a conversation created, in the same
		// statement: one inserted row is both. (A message there already
		// answers none, as a conversation there does: existing then finds
		// the conversation just created, and its message.)
		if first.Workspace != c.Workspace || first.ConversationID != c.ID {
			return fmt.Errorf("create %s: its first message is of conversation %s/%s", what, first.Workspace, first.ConversationID)
		}
		_, mbody, err := encodeMessage(*first)
		if err != nil {
			return fmt.Errorf("create %s: %w", what, err)
		}
		insert = `
		WITH created AS (` + insert + ` RETURNING ws, id)
		INSERT INTO messages (ws, conversation_id, id, at, body)
		SELECT ws, id, $12, $13, $14 FROM created
		ON CONFLICT DO NOTHING`
		args = append(args, first.ID, first.At, mbody)
	}
	return t.putThen("create "+what, insert, args, unlessInserted(existing))
}

// Conversations returns a page of conversations, newest first.
func (t *Tx) Conversations(ws string, q store.ConversationQuery) ([]store.Conversation, error) {
	where, args := conversationsWhere(ws, q)
	sql := fmt.Sprintf(`SELECT c.body FROM conversations c WHERE %s ORDER BY c.last_at DESC, c.id DESC LIMIT $%d`,
		where, len(args))
	return list[store.Conversation](t, "conversations", sql, args...)
}

// EachConversationWithLead calls fn with each conversation of the page
// Conversations would return and its lead, joined in the same statement.
// The page is read whole before fn is called, as fn may read too and a
// connection reads one statement's rows at a time.
func (t *Tx) EachConversationWithLead(ws string, q store.ConversationQuery, fn func(*store.ConversationWithLead) error) error {
	where, args := conversationsWhere(ws, q)
	sql := fmt.Sprintf(`
		SELECT c.body, l.body FROM conversations c
		LEFT JOIN leads l ON l.ws = c.ws AND l.user_id = c.lead_id
		WHERE %s ORDER BY c.last_at DESC, c.id DESC LIMIT $%d`, where, len(args))
	var page []store.ConversationWithLead
	err := t.each(sql, args, func(rows row) error {
		var conv, lead []byte
		if err := rows.Scan(&conv, &lead); err != nil {
			return err
		}
		var c store.ConversationWithLead
		if err := decode("conversation", conv, &c.Conversation); err != nil {
			return err
		}
		if lead != nil {
			if err := decode("lead", lead, &c.Lead); err != nil {
				return err
			}
		}
		page = append(page, c)
		return nil
	})
	if err != nil {
		return fmt.Errorf("list conversations: %w", err)
	}
	for i := range page {
		if err := fn(&page[i]); err != nil {
			return err
		}
	}
	return nil
}

// conversationsWhere is the condition that selects q's conversations of
// ws, as c, and its arguments, the last of them q's limit.
func conversationsWhere(ws string, q store.ConversationQuery) (string, []any) {
	conds, args := []string{"c.ws = $1"}, []any{ws}
	where := func(cond string, v any) {
		args = append(args, v)
		conds = append(conds, fmt.Sprintf(cond, len(args)))
	}
	if q.AccountID != "" {
		where("c.account_id = $%d", q.AccountID)
	}
	if q.Tag != "" {
		// The tag index holds tagged conversations only: the query says so
		// for the planner to use it.
		where("c.tag = $%d AND c.tag <> ''", q.Tag)
	}
	if q.LeadID != "" {
		where("c.lead_id = $%d", q.LeadID)
	}
	if q.CampaignID != "" {
		where("c.campaign_id = $%d", q.CampaignID)
	}
	if q.UnreadOnly {
		conds = append(conds, "c.unread")
	}
	if q.After != nil {
		args = append(args, q.After.LastAt, q.After.ID)
		conds = append(conds, fmt.Sprintf("(c.last_at, c.id) < ($%d, $%d)", len(args)-1, len(args)))
	}
	args = append(args, limitArg(q.Limit))
	return strings.Join(conds, " AND "), args
}

// AddMessage stores a message of a conversation; it reports false, and
// writes nothing, if the conversation already has a message of this ID.
func (t *Tx) AddMessage(m store.Message) (bool, error) {
	what, body, err := encodeMessage(m)
	if err != nil {
		return false, err
	}
	tag, err := t.exec(sqlAddMessage, m.Workspace, m.ConversationID, m.ID, m.At, body)
	if err != nil {
		return false, fmt.Errorf("add %s: %w", what, err)
	}
	return tag.RowsAffected() == 1, nil
}

const sqlAddMessage = `
		INSERT INTO messages (ws, conversation_id, id, at, body) VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT DO NOTHING`

func encodeMessage(m store.Message) (what string, body []byte, err error) {
	if err := need("message", m.Workspace, m.ConversationID, m.ID); err != nil {
		return "", nil, err
	}
	what = fmt.Sprintf("message %s/%s/%s", m.Workspace, m.ConversationID, m.ID)
	body, err = encode(what, m)
	return what, body, err
}

// Messages lists a conversation's messages by At, then ID.
func (t *Tx) Messages(ws, conversationID string) ([]store.Message, error) {
	return list[store.Message](t, "messages", `
		SELECT body FROM messages WHERE ws = $1 AND conversation_id = $2 ORDER BY at, id`, ws, conversationID)
}
