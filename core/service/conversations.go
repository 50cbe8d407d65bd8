package service

import (
	"context"
	"strings"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/outreachhq/outreach/core/store"
)

// ConversationInfo is a conversation with its account and lead.
type ConversationInfo struct {
	store.Conversation
	Account store.Account
	Lead    store.Lead
	// Messages are its messages, oldest first, when asked for.
	Messages []store.Message
}

// ConversationPage is one page of a listing and where the next starts.
type ConversationPage struct {
	Conversations []ConversationInfo
	// Next continues the listing; nil when this page is the last.
	Next *store.ConversationCursor
}

// ListConversations returns a page of conversations, newest first (see
// store.ConversationQuery), with their messages if withMessages.
func (s *Service) ListConversations(ctx context.Context, ws string, q store.ConversationQuery, withMessages bool) (ConversationPage, error) {
	if q.Limit <= 0 || q.Limit > 100 {
		q.Limit = 100
	}
	want := q.Limit
	q.Limit++ // one more tells whether there is a next page
	var out ConversationPage
	err := s.view(ctx, func(tx Tx) error {
		convs, err := tx.Conversations(ws, q)
		if err != nil {
			return err
		}
		if len(convs) > want {
			convs = convs[:want]
			out.Next = store.CursorOf(convs[want-1])
		}
		for _, c := range convs {
			info, err := conversationInfo(tx, c, withMessages)
			if err != nil {
				return err
			}
			out.Conversations = append(out.Conversations, info)
		}
		return nil
	})
	return out, err
}

// Conversation returns one conversation with its messages.
func (s *Service) Conversation(ctx context.Context, ws, id string) (ConversationInfo, error) {
	var info ConversationInfo
	err := s.view(ctx, func(tx Tx) error {
		c, err := conversation(tx, ws, id)
		if err != nil {
			return err
		}
		info, err = conversationInfo(tx, c, true)
		return err
	})
	return info, err
}

func conversation(tx Tx, ws, id string) (store.Conversation, error) {
	c, err := tx.Conversation(ws, id)
	if store.IsNotFound(err) {
		return c, notFound("conversation %s", id)
	}
	return c, err
}

func conversationInfo(tx Tx, c store.Conversation, withMessages bool) (ConversationInfo, error) {
	info := ConversationInfo{Conversation: c}
	var err error
	// The account may have been removed since; its history stays.
	if info.Account, err = tx.Account(c.Workspace, c.AccountID); err != nil && !store.IsNotFound(err) {
		return info, err
	}
	if info.Lead, err = tx.Lead(c.Workspace, c.LeadID); err != nil && !store.IsNotFound(err) {
		return info, err
	}
	if withMessages {
		if info.Messages, err = tx.Messages(c.Workspace, c.ID); err != nil {
			return info, err
		}
	}
	return info, nil
}

// MaxMessageLength is the longest DM X takes, in characters.
const MaxMessageLength = 10000

// SendDM queues a message a person wrote in an existing conversation, from
// the conversation's account, and wakes the engine, which sends it under
// the account's lease with an intent record like any other send: not
// paced, but counted against the account's caps. It returns the job; the
// message id is on it once it is done.
func (s *Service) SendDM(ctx context.Context, ws, conversationID, accountID, text string) (store.Job, error) {
	switch n := utf8.RuneCountInString(text); {
	case strings.TrimSpace(text) == "":
		return store.Job{}, invalid("message", "the message is empty")
	case n > MaxMessageLength:
		return store.Job{}, invalid("message", "%d characters; X takes at most %d", n, MaxMessageLength)
	}
	var j store.Job
	err := s.update(ctx, func(tx Tx) (bool, error) {
		c, err := conversation(tx, ws, conversationID)
		if err != nil {
			return false, err
		}
		a, err := resolveAccount(tx, ws, AccountRef{ID: accountID})
		if err != nil {
			return false, err
		}
		if a.ID != c.AccountID {
			return false, invalid("account_id", "conversation %s is @%s's; send from that account", c.ID, accountHandle(tx, ws, c.AccountID))
		}
		now := s.clock.Now().UTC()
		j = store.Job{
			ID: "msg-" + uuid.NewString(), Workspace: ws, Kind: store.JobMessage, State: store.JobPending, DueAt: now,
			AccountID: a.ID, LeadID: c.LeadID, ConversationID: c.ID, CampaignID: c.CampaignID, Variant: c.Variant,
			Text: text, CreatedAt: now, UpdatedAt: now,
		}
		return true, tx.PutJob(j)
	})
	return j, err
}

// Job returns a job of the workspace, to follow a queued message.
func (s *Service) Job(ctx context.Context, ws, id string) (store.Job, error) {
	var j store.Job
	err := s.view(ctx, func(tx Tx) (err error) {
		j, err = tx.Job(ws, id)
		if store.IsNotFound(err) {
			return notFound("job %s", id)
		}
		return err
	})
	return j, err
}

// accountHandle is an account's handle, or its id once it is removed.
func accountHandle(tx Tx, ws, id string) string {
	if a, err := tx.Account(ws, id); err == nil {
		return a.Handle
	}
	return id
}

// MarkRead marks a conversation read.
func (s *Service) MarkRead(ctx context.Context, ws, id string) error {
	return s.update(ctx, func(tx Tx) (bool, error) {
		c, err := conversation(tx, ws, id)
		if err != nil || !c.Unread {
			return false, err
		}
		c.Unread, c.UpdatedAt = false, s.clock.Now().UTC()
		return false, tx.PutConversation(c)
	})
}
