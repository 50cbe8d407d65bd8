package api

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/outreachhq/outreach/core/service"
	"github.com/outreachhq/outreach/core/store"
)

// conversationsService is what the operations of /conversations and /dm/send call.
type conversationsService interface {
	// EachConversation calls fn with each conversation of a page, newest
	// first, only those with the lead of handle when it is not "", and
	// returns the next page's cursor (nil on the last).
	EachConversation(ctx context.Context, workspace string, q store.ConversationQuery, handle string, withMessages bool, fn func(service.ConversationInfo) error) (*store.ConversationCursor, error)
	// ListConversationsWith returns a page of conversations, newest first,
	// only those with the lead of handle when it is not "".
	ListConversationsWith(ctx context.Context, workspace string, q store.ConversationQuery, handle string, withMessages bool) (service.ConversationPage, error)
	// Conversation returns one conversation with its messages.
	Conversation(ctx context.Context, workspace, id string) (service.ConversationInfo, error)
	// SendDM queues a person's message in a conversation.
	SendDM(ctx context.Context, workspace, conversationID, accountID, text string) (store.Job, error)
	// WaitMessage waits for a queued message to end.
	WaitMessage(ctx context.Context, workspace, jobID string, timeout time.Duration) (service.SentMessage, error)
}

// conversationReceiver is the lead of a conversation in a listing.
type conversationReceiver struct {
	ScreenName     string `json:"screen_name" doc:"The lead's X handle, without the @." example:"prospect"`
	Name           string `json:"name" doc:"The lead's display name." example:"John Doe"`
	Bio            string `json:"bio" doc:"The lead's bio." example:"Founder @ Startup"`
	Website        string `json:"website" doc:"The lead's website; empty for none." example:"https://example.com"`
	Location       string `json:"location" doc:"The lead's location as written on X." example:"San Francisco"`
	FollowersCount int64  `json:"followers_count" doc:"How many followers the lead has." example:"5000"`
}

// conversationLastMessage is the newest message of a conversation in a listing.
type conversationLastMessage struct {
	Text   string `json:"text" doc:"What it says." example:"Thanks for reaching out!"`
	Time   int64  `json:"time" doc:"When it was sent, in milliseconds since the Unix epoch." example:"1709234567000"`
	IsSent bool   `json:"is_sent" doc:"Whether the account sent it (false: the lead did)." example:"false"`
}

// conversationMessage is one DM of a conversation.
type conversationMessage struct {
	Text   string `json:"text" doc:"What it says." example:"Hey! Saw your work on..."`
	Time   int64  `json:"time" doc:"When it was sent, in milliseconds since the Unix epoch." example:"1709200000000"`
	Sender string `json:"sender" doc:"The X user id of its sender." example:"123456789"`
	IsSent bool   `json:"isSent" doc:"Whether the account sent it (false: the lead did)." example:"true"`
}

// conversationItem is a conversation in a listing.
type conversationItem struct {
	ConversationID string                  `json:"conversation_id" doc:"X's id of the conversation: the two user ids, smaller first." example:"123456789-987654321"`
	AccountHandle  string                  `json:"account_handle" doc:"Handle of the account the conversation is with." example:"yourhandle"`
	Receiver       conversationReceiver    `json:"receiver" doc:"The lead."`
	LastMessage    conversationLastMessage `json:"last_message" doc:"The newest message."`
	IsUnread       bool                    `json:"is_unread" doc:"Whether the lead wrote something nobody has read yet." example:"true"`
	Messages       *[]conversationMessage  `json:"messages,omitempty" doc:"Every message, oldest first. Only with include_messages=true."`
}

// cursorPage is the pagination block of a cursor listing.
type cursorPage struct {
	Limit   int  `json:"limit" doc:"The limit applied." example:"10"`
	Count   int  `json:"count" doc:"How many items this page holds." example:"10"`
	HasMore bool `json:"has_more" doc:"Whether there is a next page: then pass next_cursor as cursor." example:"true"`
}

// nextCursor is the cursor of the next page; "" is written as null: the
// last page has next_cursor null.
type nextCursor string

// MarshalJSON writes "" as null.
func (c nextCursor) MarshalJSON() ([]byte, error) {
	if c == "" {
		return []byte("null"), nil
	}
	return json.Marshal(string(c))
}

// Schema describes the cursor: a string, or null on the last page.
func (nextCursor) Schema(huma.Registry) *huma.Schema {
	return &huma.Schema{
		Type:        huma.TypeString,
		Nullable:    true,
		Description: "Pass it as cursor to get the next page; null on the last page. It is opaque: a position in the listing, so pages stay stable while conversations come in.",
		Examples:    []any{"eyJ0IjoxNzA5MjM0NTY3MDAwLCJpIjoiYWJjMTIzIn0"},
	}
}

// conversationLead is the lead of one conversation, complete.
type conversationLead struct {
	UserID           string `json:"user_id" doc:"The lead's X user id." example:"987654321"`
	ScreenName       string `json:"screen_name" doc:"The lead's X handle, without the @." example:"prospect"`
	Name             string `json:"name" doc:"The lead's display name." example:"John Doe"`
	ProfileImageURL  string `json:"profile_image_url" doc:"The lead's profile picture; empty if unknown." example:"https://pbs.twimg.com/profile_images/1/photo.jpg"`
	ProfileBannerURL string `json:"profile_banner_url" doc:"The lead's profile banner; empty if unknown (outreach does not keep banners)." example:"https://pbs.twimg.com/profile_banners/1/1"`
	Bio              string `json:"bio" doc:"The lead's bio." example:"Founder @ Startup | Building cool things"`
	Location         string `json:"location" doc:"The lead's location as written on X." example:"San Francisco, CA"`
	Website          string `json:"website" doc:"The lead's website; empty for none." example:"https://example.com"`
	FollowersCount   int64  `json:"followers_count" doc:"How many followers the lead has." example:"5000"`
	FollowingCount   int64  `json:"following_count" doc:"How many accounts the lead follows." example:"1200"`
	Verified         bool   `json:"verified" doc:"Whether X shows the lead as verified." example:"false"`
}

// crmCard is what a person recorded about a conversation.
type crmCard struct {
	Notes        string  `json:"notes" doc:"Notes; empty for none." example:"Interested in enterprise plan"`
	DealValue    float64 `json:"deal_value" doc:"Deal value; 0 when none was set." example:"5000"`
	DealCurrency string  `json:"deal_currency" doc:"ISO 4217 code of the deal's currency; USD when none was set." example:"USD"`
}

// conversationStats sums up one conversation.
type conversationStats struct {
	MessageCount      int    `json:"message_count" doc:"How many messages it has." example:"8"`
	IsUnread          bool   `json:"is_unread" doc:"Whether the lead wrote something nobody has read yet." example:"false"`
	LastMessageTime   int64  `json:"last_message_time" doc:"When the newest message was sent, in milliseconds since the Unix epoch." example:"1709234567000"`
	LastMessageText   string `json:"last_message_text" doc:"What the newest message says." example:"Sounds great, let's schedule a call!"`
	LastMessageIsSent bool   `json:"last_message_is_sent" doc:"Whether the account sent the newest message." example:"false"`
}

// conversationDetail is one conversation with its messages and its lead.
type conversationDetail struct {
	ID             string                `json:"id" doc:"The conversation's key: X's id of the conversation, as conversation_id." example:"123456789-987654321"`
	ConversationID string                `json:"conversation_id" doc:"X's id of the conversation: the two user ids, smaller first." example:"123456789-987654321"`
	AccountHandle  string                `json:"account_handle" doc:"Handle of the account the conversation is with." example:"yourhandle"`
	Lead           conversationLead      `json:"lead" doc:"The lead, complete."`
	CRM            crmCard               `json:"crm" doc:"Its CRM card."`
	Stats          conversationStats     `json:"stats" doc:"Its figures."`
	Messages       []conversationMessage `json:"messages" nullable:"false" doc:"Every message, oldest first."`
	CreatedAt      string                `json:"created_at" format:"date-time" doc:"When the conversation began, RFC 3339 in UTC with milliseconds." example:"2024-02-28T10:00:00.000Z"`
	UpdatedAt      string                `json:"updated_at" format:"date-time" doc:"When it last changed, RFC 3339 in UTC with milliseconds." example:"2024-02-28T12:30:00.000Z"`
}

// conversationsBody is the body of list-conversations: the listing's
// fields, or conversation alone when conversation_id is given.
type conversationsBody struct {
	Conversations *[]conversationItem `json:"conversations,omitempty" doc:"The page of conversations, newest message first. Absent when conversation_id is given."`
	Pagination    *cursorPage         `json:"pagination,omitempty" doc:"Where the page stands. Absent when conversation_id is given."`
	NextCursor    *nextCursor         `json:"next_cursor,omitempty" nullable:"true" doc:"Pass it as cursor to get the next page; null on the last page. Absent when conversation_id is given."`
	Conversation  *conversationDetail `json:"conversation,omitempty" doc:"The conversation conversation_id names, with every message. Only when conversation_id is given."`
}

type listConversationsInput struct {
	ConversationID  string `query:"conversation_id" maxLength:"200" doc:"Get this conversation alone, with every message and its complete lead." example:"123456789-987654321"`
	AccountID       string `query:"account_id" maxLength:"200" doc:"Only the conversations of this account." example:"550e8400-e29b-41d4-a716-446655440000"`
	Handle          string `query:"handle" maxLength:"100" doc:"Only the conversations with the lead of this handle (with or without @)." example:"prospect"`
	Limit           int    `query:"limit" default:"20" minimum:"1" maximum:"100" doc:"Conversations per page." example:"10"`
	Cursor          string `query:"cursor" maxLength:"1000" doc:"next_cursor of the previous page." example:"eyJ0IjoxNzA5MjM0NTY3MDAwLCJpIjoiYWJjMTIzIn0"`
	IncludeMessages bool   `query:"include_messages" doc:"Add every conversation's messages, oldest first, as messages." example:"false"`
}

type listConversationsOutput struct {
	Body conversationsBody
}

type sendDMInput struct {
	Body struct {
		ConversationID string `json:"conversation_id" minLength:"1" maxLength:"200" doc:"The conversation to answer in." example:"123456789-987654321"`
		Message        string `json:"message" minLength:"1" maxLength:"10000" doc:"What to send (at most 10,000 characters)." example:"Hey! Just following up."`
		AccountID      string `json:"account_id" minLength:"1" maxLength:"200" doc:"The account to send from: the conversation's own." example:"550e8400-e29b-41d4-a716-446655440000"`
	}
}

type sendDMOutput struct {
	Body struct {
		Success        bool   `json:"success" doc:"Always true: a message that did not go out is an error." example:"true"`
		MessageID      string `json:"message_id" doc:"X's id of the message sent." example:"1234567890123456789"`
		ConversationID string `json:"conversation_id" doc:"The conversation it went to." example:"123456789-987654321"`
		AccountHandle  string `json:"account_handle" doc:"Handle of the account it went from." example:"yourhandle"`
	}
}

// sendDMTimeout is how long send-dm waits for the engine to send.
const sendDMTimeout = 30 * time.Second

// registerConversations registers the operations of /conversations and /dm/send.
func registerConversations(api huma.API, svc Service) {
	huma.Register(api, huma.Operation{
		OperationID: "list-conversations",
		Method:      http.MethodGet,
		Path:        "/conversations",
		Summary:     "Fetch conversations",
		Description: "Lists DM conversations with their leads, newest message first, a page at a time: " +
			"pass each page's next_cursor as cursor for the next one (null on the last page). Cursors are positions, " +
			"not offsets: conversations that come in meanwhile neither repeat nor push any out of the listing.\n\n" +
			"With conversation_id, answers that conversation alone as conversation, with every message and its complete lead " +
			"(404 if the workspace has none of that id); the listing's fields are then absent.",
		Tags:      []string{"Conversations"},
		Responses: errorResponses(http.StatusNotFound),
	}, func(ctx context.Context, in *listConversationsInput) (*listConversationsOutput, error) {
		ws := workspaceFrom(ctx)
		out := &listConversationsOutput{}
		if in.ConversationID != "" {
			info, err := svc.Conversation(ctx, ws, in.ConversationID)
			if err != nil {
				return nil, serviceError(ctx, err)
			}
			d := conversationDetailFrom(info)
			out.Body.Conversation = &d
			return out, nil
		}
		q := store.ConversationQuery{AccountID: in.AccountID, Limit: in.Limit}
		if in.Cursor != "" {
			after, err := decodeCursor(in.Cursor)
			if err != nil {
				return nil, newError(http.StatusBadRequest, "cursor: "+err.Error())
			}
			q.After = after
		}
		// Each item is made as the store walks the page, so that the page's
		// conversations are not kept twice.
		items := make([]conversationItem, 0, in.Limit)
		after, err := svc.EachConversation(ctx, ws, q, in.Handle, in.IncludeMessages, func(info service.ConversationInfo) error {
			items = append(items, conversationItemFrom(info, in.IncludeMessages))
			return nil
		})
		if err != nil {
			return nil, serviceError(ctx, err)
		}
		next := nextCursor("")
		if after != nil {
			next = encodeCursor(after)
		}
		out.Body.Conversations = &items
		out.Body.Pagination = &cursorPage{Limit: in.Limit, Count: len(items), HasMore: after != nil}
		out.Body.NextCursor = &next
		return out, nil
	})

	huma.Register(api, huma.Operation{
		OperationID: "send-dm",
		Method:      http.MethodPost,
		Path:        "/dm/send",
		Summary:     "Send a direct message",
		Description: "Sends a message a person wrote in an existing conversation, from the conversation's account, at once: " +
			"the automation's pacing and pauses do not apply, but X's rate limits and the account's daily DM cap do " +
			"(a manual message counts towards the cap), and when one holds the answer is 429 with retry_after. " +
			"The engine sends it as it sends every DM, recording its intent first, and the call answers once X has it, " +
			"with X's message id. If X refuses it the answer is 502 with X's reason. If it has not gone out after 30 seconds " +
			"the answer is 504 naming the job that still holds it: it will go out, so do not send it again.",
		Tags:      []string{"Conversations"},
		Responses: errorResponses(http.StatusNotFound, http.StatusConflict, http.StatusBadGateway, http.StatusGatewayTimeout),
	}, func(ctx context.Context, in *sendDMInput) (*sendDMOutput, error) {
		ws := workspaceFrom(ctx)
		j, err := svc.SendDM(ctx, ws, in.Body.ConversationID, in.Body.AccountID, in.Body.Message)
		if err != nil {
			return nil, serviceError(ctx, err)
		}
		sent, err := svc.WaitMessage(ctx, ws, j.ID, sendDMTimeout)
		switch {
		case errors.Is(err, service.ErrJobWaitTimeout):
			return nil, newError(http.StatusGatewayTimeout, fmt.Sprintf(
				"the message is queued as job %s and has not gone out yet; it will, so do not send it again", j.ID))
		case err != nil:
			return nil, serviceError(ctx, err)
		}
		if err := messageFailure(sent.Job); err != nil {
			return nil, err
		}
		out := &sendDMOutput{}
		out.Body.Success = true
		out.Body.MessageID = sent.Job.EventID
		out.Body.ConversationID = in.Body.ConversationID
		out.Body.AccountHandle = sent.AccountHandle
		return out, nil
	})

	registerConversationsExport(api, svc)
}

// messageFailure is the error send-dm answers for a message job that
// ended without sending, nil for one that was sent.
func messageFailure(j store.Job) error {
	why := j.LastError
	if why == "" {
		why = "no reason given"
	}
	switch j.State {
	case store.JobDone:
		return nil
	case store.JobNeedsReview:
		return newError(http.StatusBadGateway, fmt.Sprintf(
			"X's answer was lost, so nobody knows whether message job %s went out; check the conversation on X and resolve it with POST /api/v1/review/%s/resolve", j.ID, j.ID))
	case store.JobFailed:
		return newError(http.StatusBadGateway, "X did not take the message: "+why)
	default: // skipped or cancelled
		return newError(http.StatusConflict, fmt.Sprintf("the message was %s: %s", j.State, why))
	}
}

// conversationItemFrom converts a conversation to its listing's wire type.
func conversationItemFrom(info service.ConversationInfo, withMessages bool) conversationItem {
	it := conversationItem{
		ConversationID: info.ID,
		AccountHandle:  conversationHandle(info),
		Receiver: conversationReceiver{
			ScreenName: info.Lead.Username, Name: info.Lead.Name, Bio: info.Lead.Bio,
			Website: info.Lead.Website, Location: info.Lead.Location, FollowersCount: info.Lead.Followers,
		},
		LastMessage: conversationLastMessage{Text: info.LastText, Time: epochMillis(info.LastAt), IsSent: info.LastSent},
		IsUnread:    info.Unread,
	}
	if withMessages {
		msgs := messagesFrom(info.Messages)
		it.Messages = &msgs
	}
	return it
}

// conversationDetailFrom converts a conversation to the wire type of one.
func conversationDetailFrom(info service.ConversationInfo) conversationDetail {
	l := info.Lead
	return conversationDetail{
		ID:             info.ID,
		ConversationID: info.ID,
		AccountHandle:  conversationHandle(info),
		Lead: conversationLead{
			UserID: info.LeadID, ScreenName: l.Username, Name: l.Name, ProfileImageURL: l.ProfileImageURL,
			Bio: l.Bio, Location: l.Location, Website: l.Website,
			FollowersCount: l.Followers, FollowingCount: l.Following, Verified: l.Verified,
		},
		CRM: crmCardFrom(info.CRM),
		Stats: conversationStats{
			MessageCount: info.MessageCount, IsUnread: info.Unread,
			LastMessageTime: epochMillis(info.LastAt), LastMessageText: info.LastText, LastMessageIsSent: info.LastSent,
		},
		Messages:  messagesFrom(info.Messages),
		CreatedAt: wireTimeMillis(info.CreatedAt),
		UpdatedAt: wireTimeMillis(info.UpdatedAt),
	}
}

func crmCardFrom(c store.CRM) crmCard {
	card := crmCard{Notes: c.Notes, DealCurrency: c.DealCurrency}
	if c.DealValue != nil {
		card.DealValue = *c.DealValue
	}
	if card.DealCurrency == "" {
		card.DealCurrency = "USD"
	}
	return card
}

func messagesFrom(ms []store.Message) []conversationMessage {
	out := make([]conversationMessage, 0, len(ms))
	for _, m := range ms {
		out = append(out, conversationMessage{Text: m.Text, Time: epochMillis(m.At), Sender: m.SenderID, IsSent: m.Sent})
	}
	return out
}

// conversationHandle is the handle of a conversation's account, or its id
// once the account is removed (the conversation's history stays).
func conversationHandle(info service.ConversationInfo) string {
	if info.AccountHandle != "" {
		return info.AccountHandle
	}
	return info.AccountID
}

// A cursor is the store's token of the last conversation of a page
// (store.ConversationCursor.Token).
func encodeCursor(c *store.ConversationCursor) nextCursor { return nextCursor(c.Token()) }

func decodeCursor(s string) (*store.ConversationCursor, error) {
	c, err := store.ParseCursor(s)
	if err != nil {
		return nil, errors.New("not a cursor this API gave; pass next_cursor of the previous page as it is")
	}
	return c, nil
}
