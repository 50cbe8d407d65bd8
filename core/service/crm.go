package service

import (
	"context"
	"math"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/outreachhq/outreach/core/store"
)

// BaseTags are the CRM columns every workspace has, in board order.
var BaseTags = []string{
	"unread", "interested_reply", "negative_reply", "neutral_reply",
	"engaged", "calendlyd", "booked", "not_interested", "not_qualified",
}

// CRMUpdate changes a conversation's CRM card; nil fields keep their
// value, and an empty Tag removes the tag.
type CRMUpdate struct {
	ConversationID string
	// AccountHandle names the conversation's account, as the hosted API
	// asks; it must match.
	AccountHandle string
	Notes         *string
	DealValue     *float64
	DealCurrency  *string
	Tag           *string
}

var currencyRE = regexp.MustCompile(`^[A-Z]{3}$`)

// Bounds of a CRM card: the notes' length in characters, and the deal's
// value.
const (
	MaxCRMNotes     = 10000
	MaxCRMDealValue = 1e15
)

// UpdateCRM changes a conversation's CRM card.
func (s *Service) UpdateCRM(ctx context.Context, ws string, u CRMUpdate) (store.Conversation, error) {
	if u.ConversationID == "" {
		return store.Conversation{}, invalid("conversation_id", "give the conversation id")
	}
	if u.DealValue != nil && (*u.DealValue < 0 || *u.DealValue > MaxCRMDealValue || math.IsNaN(*u.DealValue)) {
		return store.Conversation{}, invalid("deal_value", "from 0 to 1e15")
	}
	if u.Notes != nil {
		if n := utf8.RuneCountInString(*u.Notes); n > MaxCRMNotes {
			return store.Conversation{}, invalid("notes", "%d characters; at most %d", n, MaxCRMNotes)
		}
	}
	if u.DealCurrency != nil && !currencyRE.MatchString(*u.DealCurrency) {
		return store.Conversation{}, invalid("deal_currency", "a currency is a three-letter ISO 4217 code, like USD")
	}
	var c store.Conversation
	err := s.update(ctx, func(tx Tx) (bool, error) {
		var err error
		if c, err = conversation(tx, ws, u.ConversationID); err != nil {
			return false, err
		}
		if u.AccountHandle != "" && store.NormalizeHandle(u.AccountHandle) != store.NormalizeHandle(accountHandle(tx, ws, c.AccountID)) {
			return false, invalid("account_handle", "conversation %s is not @%s's", c.ID, store.NormalizeHandle(u.AccountHandle))
		}
		if u.Tag != nil {
			if err := checkTag(tx, ws, *u.Tag); err != nil {
				return false, err
			}
			c.CRM.Tag, c.AutoTag = *u.Tag, false
		}
		if u.Notes != nil {
			c.CRM.Notes = *u.Notes
		}
		if u.DealValue != nil {
			v := *u.DealValue
			c.CRM.DealValue = &v
			if c.CRM.DealCurrency == "" {
				c.CRM.DealCurrency = "USD"
			}
		}
		if u.DealCurrency != nil {
			c.CRM.DealCurrency = *u.DealCurrency
		}
		c.UpdatedAt = s.clock.Now().UTC()
		return false, tx.PutConversation(c)
	})
	return c, err
}

// checkTag accepts "" (no tag), a base tag or a custom tag's key.
func checkTag(tx Tx, ws, tag string) error {
	if tag == "" || slices.Contains(BaseTags, tag) {
		return nil
	}
	custom, err := tx.CustomTags(ws)
	if err != nil {
		return err
	}
	if slices.ContainsFunc(custom, func(t store.CustomTag) bool { return t.Key() == tag }) {
		return nil
	}
	return invalid("tag", "%q is neither a base tag (%s) nor a custom tag's key", tag, strings.Join(BaseTags, ", "))
}

// CRMColumn is one column of the CRM board.
type CRMColumn struct {
	Tag           string
	Conversations []ConversationInfo
}

// CRMBoard returns the board's columns (every base tag, then each custom
// tag's key, or only tag when set), each with up to limit conversations,
// newest first, and the workspace's custom tags.
func (s *Service) CRMBoard(ctx context.Context, ws, tag string, limit int, withMessages bool) ([]CRMColumn, []store.CustomTag, error) {
	if limit <= 0 || limit > 100 {
		limit = 20
	}
	var (
		cols   []CRMColumn
		custom []store.CustomTag
	)
	err := s.view(ctx, func(tx Tx) error {
		var err error
		if custom, err = tx.CustomTags(ws); err != nil {
			return err
		}
		tags := slices.Clone(BaseTags)
		for _, t := range custom {
			tags = append(tags, t.Key())
		}
		if tag != "" {
			if err := checkTag(tx, ws, tag); err != nil {
				return err
			}
			tags = []string{tag}
		}
		infos := newInfoReader(tx)
		for _, t := range tags {
			q := store.ConversationQuery{Tag: t, Limit: limit}
			if t == "unread" {
				q = store.ConversationQuery{UnreadOnly: true, Limit: limit}
			}
			col := CRMColumn{Tag: t}
			var err error
			if col.Conversations, err = infos.page(ws, q, withMessages); err != nil {
				return err
			}
			cols = append(cols, col)
		}
		return nil
	})
	return cols, custom, err
}

var colorRE = regexp.MustCompile(`^#[0-9a-fA-F]{6}$`)

// CreateCustomTag adds a CRM tag to the workspace's board.
func (s *Service) CreateCustomTag(ctx context.Context, ws, name, color string) (store.CustomTag, error) {
	name = strings.TrimSpace(name)
	if name == "" {
		return store.CustomTag{}, invalid("name", "give the tag a name")
	}
	if color == "" {
		color = "#888888"
	}
	if !colorRE.MatchString(color) {
		return store.CustomTag{}, invalid("color", "a color is written #rrggbb")
	}
	t := store.CustomTag{ID: uuid.NewString(), Workspace: ws, Name: name, Color: color}
	err := s.update(ctx, func(tx Tx) (bool, error) {
		existing, err := tx.CustomTags(ws)
		if err != nil {
			return false, err
		}
		if slices.ContainsFunc(existing, func(e store.CustomTag) bool { return strings.EqualFold(e.Name, name) }) {
			return false, invalid("name", "the workspace already has a tag %q", name)
		}
		t.CreatedAt = s.clock.Now().UTC()
		return false, tx.PutCustomTag(t)
	})
	return t, err
}

// DeleteCustomTag removes a custom tag; conversations tagged with it lose
// the tag.
func (s *Service) DeleteCustomTag(ctx context.Context, ws, id string) error {
	return s.update(ctx, func(tx Tx) (bool, error) {
		tags, err := tx.CustomTags(ws)
		if err != nil {
			return false, err
		}
		i := slices.IndexFunc(tags, func(t store.CustomTag) bool { return t.ID == id })
		if i < 0 {
			return false, notFound("tag %s", id)
		}
		now := s.clock.Now().UTC()
		for cur := (*store.ConversationCursor)(nil); ; {
			convs, err := tx.Conversations(ws, store.ConversationQuery{Tag: tags[i].Key(), After: cur, Limit: 500})
			if err != nil {
				return false, err
			}
			for _, c := range convs {
				c.CRM.Tag, c.UpdatedAt = "", now
				if err := tx.PutConversation(c); err != nil {
					return false, err
				}
			}
			if len(convs) < 500 {
				break
			}
			cur = store.CursorOf(convs[len(convs)-1])
		}
		return false, tx.DeleteCustomTag(ws, id)
	})
}

// CustomTags returns the workspace's custom CRM tags.
func (s *Service) CustomTags(ctx context.Context, ws string) ([]store.CustomTag, error) {
	var tags []store.CustomTag
	err := s.view(ctx, func(tx Tx) (err error) {
		tags, err = tx.CustomTags(ws)
		return err
	})
	return tags, err
}
