package api

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"slices"

	"github.com/danielgtaylor/huma/v2"

	"github.com/outreachhq/outreach/core/service"
	"github.com/outreachhq/outreach/core/store"
)

// crmService is what the operations of /crm call.
type crmService interface {
	// CRMBoard returns the board's columns, each with up to limit
	// conversations, and the workspace's custom tags.
	CRMBoard(ctx context.Context, workspace, tag string, limit int, withMessages bool) ([]service.CRMColumn, []store.CustomTag, error)
	// UpdateCRM changes a conversation's CRM card.
	UpdateCRM(ctx context.Context, workspace string, u service.CRMUpdate) (store.Conversation, error)
	// CustomTags returns the workspace's custom tags.
	CustomTags(ctx context.Context, workspace string) ([]store.CustomTag, error)
	// CreateCustomTag adds a custom tag.
	CreateCustomTag(ctx context.Context, workspace, name, color string) (store.CustomTag, error)
	// DeleteCustomTag removes a custom tag, and it from its conversations.
	DeleteCustomTag(ctx context.Context, workspace, id string) error
}

// crmReceiver is the lead of a conversation on the CRM board.
type crmReceiver struct {
	ScreenName     string `json:"screen_name" doc:"The lead's X handle, without the @." example:"lead_handle"`
	Name           string `json:"name" doc:"The lead's display name." example:"Interested Lead"`
	Bio            string `json:"bio" doc:"The lead's bio." example:"CEO at..."`
	FollowersCount int64  `json:"followers_count" doc:"How many followers the lead has." example:"10000"`
}

// crmLastMessage is the newest message of a conversation on the board.
type crmLastMessage struct {
	Text string `json:"text" doc:"What it says." example:"Yes, I'd love to learn more!"`
	Time string `json:"time" format:"date-time" doc:"When it was sent, RFC 3339 in UTC (a string here, as the hosted API has it; /conversations gives milliseconds)." example:"2024-01-15T14:30:00Z"`
}

// crmConversation is a conversation on the CRM board.
type crmConversation struct {
	ID             string                 `json:"id" doc:"The conversation's key: X's id of the conversation, as conversation_id." example:"123456-789012"`
	ConversationID string                 `json:"conversation_id" doc:"X's id of the conversation." example:"123456-789012"`
	AccountHandle  string                 `json:"account_handle" doc:"Handle of the account the conversation is with." example:"myhandle"`
	Tag            string                 `json:"tag" doc:"The column it is in: its CRM tag, or unread." example:"interested_reply"`
	Receiver       crmReceiver            `json:"receiver" doc:"The lead."`
	CRM            crmCard                `json:"crm" doc:"Its CRM card."`
	LastMessage    crmLastMessage         `json:"last_message" doc:"The newest message."`
	Messages       *[]conversationMessage `json:"messages,omitempty" doc:"Every message, oldest first. Only with include_messages=true."`
}

// crmColumn is one column of the board.
type crmColumn struct {
	Conversations []crmConversation `json:"conversations" nullable:"false" doc:"The column's conversations, newest message first, up to limit."`
	Count         int               `json:"count" doc:"How many conversations the column lists here." example:"1"`
}

// customTag is a tag a workspace added to its board.
type customTag struct {
	ID    string `json:"id" format:"uuid" doc:"Tag id: delete it by this id." example:"5b2c7c4e-8d1f-4f0a-9a61-2d3e4f5a6b7c"`
	Name  string `json:"name" doc:"What the column is called." example:"Hot Lead"`
	Color string `json:"color" doc:"Its colour, #rrggbb." example:"#ff0000"`
	Key   string `json:"key" doc:"How conversations name it: pass it as tag to PATCH /crm/update and GET /crm/conversations." example:"custom_5b2c7c4e-8d1f-4f0a-9a61-2d3e4f5a6b7c"`
}

func customTagFrom(t store.CustomTag) customTag {
	return customTag{ID: t.ID, Name: t.Name, Color: t.Color, Key: t.Key()}
}

func customTagsFrom(ts []store.CustomTag) []customTag {
	out := make([]customTag, 0, len(ts))
	for _, t := range ts {
		out = append(out, customTagFrom(t))
	}
	return out
}

type listCRMInput struct {
	Tag             string `query:"tag" maxLength:"200" doc:"Only this column: a base tag or a custom tag's key." example:"interested_reply"`
	Limit           int    `query:"limit" default:"20" minimum:"1" maximum:"100" doc:"Conversations per column." example:"20"`
	IncludeMessages bool   `query:"include_messages" doc:"Add every conversation's messages, oldest first, as messages." example:"false"`
}

type listCRMOutput struct {
	Body struct {
		Columns    map[string]crmColumn `json:"columns" doc:"The columns by tag: every base tag, then every custom tag's key (or only tag)."`
		CustomTags []customTag          `json:"custom_tags" nullable:"false" doc:"The workspace's custom tags."`
		BaseTags   []string             `json:"base_tags" nullable:"false" doc:"The tags every workspace has, in board order." example:"[\"unread\",\"interested_reply\",\"negative_reply\",\"neutral_reply\",\"engaged\",\"calendlyd\",\"booked\",\"not_interested\",\"not_qualified\"]"`
	}
}

// nullableTag is the tag of a CRM update: absent keeps the tag, null (or
// "") removes it, a string sets it.
type nullableTag struct {
	Set   bool
	Value string
}

// UnmarshalJSON reads null as a removal; it is only called when the field
// is present.
func (t *nullableTag) UnmarshalJSON(b []byte) error {
	t.Set = true
	if bytes.Equal(bytes.TrimSpace(b), []byte("null")) {
		t.Value = ""
		return nil
	}
	return json.Unmarshal(b, &t.Value)
}

// Schema describes the tag: a string, or null to remove it.
func (nullableTag) Schema(huma.Registry) *huma.Schema {
	return &huma.Schema{Type: huma.TypeString, Nullable: true}
}

type updateCRMInput struct {
	Body struct {
		ConversationID string      `json:"conversation_id" minLength:"1" maxLength:"200" doc:"The conversation." example:"123456-789012"`
		AccountHandle  string      `json:"account_handle" minLength:"1" maxLength:"100" doc:"Handle of the conversation's account (with or without @); it must match." example:"myhandle"`
		Notes          *string     `json:"notes,omitempty" maxLength:"10000" doc:"Notes; replaces the old ones. Absent keeps them." example:"Interested in enterprise plan. Follow up Monday."`
		DealValue      *float64    `json:"deal_value,omitempty" minimum:"0" maximum:"1e15" doc:"Deal value. Absent keeps it." example:"10000"`
		DealCurrency   *string     `json:"deal_currency,omitempty" pattern:"^[A-Z]{3}$" doc:"ISO 4217 code of the deal's currency; USD when none was ever set." example:"USD"`
		Tag            nullableTag `json:"tag,omitempty" maxLength:"200" doc:"Tag to set: a base tag or a custom tag's key. null removes the tag; absent keeps it." example:"interested_reply"`
	}
}

// crmUpdated is a conversation's CRM fields after an update.
type crmUpdated struct {
	ConversationID string  `json:"conversation_id" doc:"The conversation." example:"123456-789012"`
	AccountHandle  string  `json:"account_handle" doc:"Handle of its account." example:"myhandle"`
	Notes          string  `json:"notes" doc:"Its notes; empty for none." example:"Interested in enterprise plan. Follow up Monday."`
	DealValue      float64 `json:"deal_value" doc:"Its deal value; 0 when none was set." example:"10000"`
	DealCurrency   string  `json:"deal_currency" doc:"ISO 4217 code of the deal's currency." example:"USD"`
	Tag            *string `json:"tag" nullable:"true" doc:"Its tag; null when it has none." example:"interested_reply"`
}

type updateCRMOutput struct {
	Body struct {
		Success bool       `json:"success" doc:"Always true." example:"true"`
		Updated crmUpdated `json:"updated" doc:"The conversation's CRM fields as they are now."`
	}
}

type listCRMTagsOutput struct {
	Body struct {
		CustomTags []customTag `json:"custom_tags" nullable:"false" doc:"The workspace's custom tags."`
	}
}

type createCRMTagInput struct {
	Body struct {
		Name  string `json:"name" minLength:"1" maxLength:"200" doc:"What the column is called; unique in the workspace, whatever the case." example:"Hot Lead"`
		Color string `json:"color,omitempty" pattern:"^#[0-9a-fA-F]{6}$" doc:"Its colour, #rrggbb; #888888 when absent." example:"#ff0000"`
	}
}

type createCRMTagOutput struct {
	Body struct {
		Success   bool      `json:"success" doc:"Always true." example:"true"`
		CustomTag customTag `json:"custom_tag" doc:"The tag."`
	}
}

type deleteCRMTagInput struct {
	TagID string `path:"tag_id" maxLength:"200" doc:"The tag's id." example:"5b2c7c4e-8d1f-4f0a-9a61-2d3e4f5a6b7c"`
}

type deleteCRMTagOutput struct {
	Body struct {
		Success bool   `json:"success" doc:"Always true." example:"true"`
		TagID   string `json:"tag_id" doc:"The tag removed." example:"5b2c7c4e-8d1f-4f0a-9a61-2d3e4f5a6b7c"`
	}
}

// registerCRM registers the operations of /crm.
func registerCRM(api huma.API, svc Service) {
	huma.Register(api, huma.Operation{
		OperationID: "list-crm-conversations",
		Method:      http.MethodGet,
		Path:        "/crm/conversations",
		Summary:     "Get CRM conversations by tag",
		Description: "The CRM board: conversations by tag, one column per base tag (unread lists the conversations with unread replies) " +
			"and per custom tag, each with up to limit conversations, newest message first. With tag, that column alone.",
		Tags: []string{"CRM"},
	}, func(ctx context.Context, in *listCRMInput) (*listCRMOutput, error) {
		cols, custom, err := svc.CRMBoard(ctx, workspaceFrom(ctx), in.Tag, in.Limit, in.IncludeMessages)
		if err != nil {
			return nil, serviceError(ctx, err)
		}
		out := &listCRMOutput{}
		out.Body.Columns = make(map[string]crmColumn, len(cols))
		for _, col := range cols {
			convs := make([]crmConversation, 0, len(col.Conversations))
			for _, info := range col.Conversations {
				convs = append(convs, crmConversationFrom(col.Tag, info, in.IncludeMessages))
			}
			out.Body.Columns[col.Tag] = crmColumn{Conversations: convs, Count: len(convs)}
		}
		out.Body.CustomTags = customTagsFrom(custom)
		out.Body.BaseTags = slices.Clone(service.BaseTags)
		return out, nil
	})

	huma.Register(api, huma.Operation{
		OperationID: "update-crm",
		Method:      http.MethodPatch,
		Path:        "/crm/update",
		Summary:     "Update CRM data",
		Description: "Updates a conversation's CRM card: notes, deal value and currency, tag. Fields left out keep their value; " +
			"tag null removes the tag. A tag a person sets is never changed by the reply classifier.",
		Tags:      []string{"CRM"},
		Responses: errorResponses(http.StatusNotFound),
	}, func(ctx context.Context, in *updateCRMInput) (*updateCRMOutput, error) {
		b := in.Body
		u := service.CRMUpdate{
			ConversationID: b.ConversationID, AccountHandle: b.AccountHandle,
			Notes: b.Notes, DealValue: b.DealValue, DealCurrency: b.DealCurrency,
		}
		if b.Tag.Set {
			u.Tag = &b.Tag.Value
		}
		c, err := svc.UpdateCRM(ctx, workspaceFrom(ctx), u)
		if err != nil {
			return nil, serviceError(ctx, err)
		}
		card := crmCardFrom(c.CRM)
		out := &updateCRMOutput{}
		out.Body.Success = true
		out.Body.Updated = crmUpdated{
			ConversationID: c.ID, AccountHandle: store.NormalizeHandle(b.AccountHandle),
			Notes: card.Notes, DealValue: card.DealValue, DealCurrency: card.DealCurrency,
		}
		if c.CRM.Tag != "" {
			out.Body.Updated.Tag = &c.CRM.Tag
		}
		return out, nil
	})

	huma.Register(api, huma.Operation{
		OperationID: "list-crm-tags",
		Method:      http.MethodGet,
		Path:        "/crm/tags",
		Summary:     "List custom CRM tags",
		Description: "Lists the workspace's custom CRM tags, the board's columns beyond the base tags.",
		Tags:        []string{"CRM"},
	}, func(ctx context.Context, _ *struct{}) (*listCRMTagsOutput, error) {
		tags, err := svc.CustomTags(ctx, workspaceFrom(ctx))
		if err != nil {
			return nil, serviceError(ctx, err)
		}
		out := &listCRMTagsOutput{}
		out.Body.CustomTags = customTagsFrom(tags)
		return out, nil
	})

	huma.Register(api, huma.Operation{
		OperationID: "create-crm-tag",
		Method:      http.MethodPost,
		Path:        "/crm/tags",
		Summary:     "Create a custom CRM tag",
		Description: "Adds a column to the CRM board. Conversations take it by its key (custom_<id>).",
		Tags:        []string{"CRM"},
	}, func(ctx context.Context, in *createCRMTagInput) (*createCRMTagOutput, error) {
		t, err := svc.CreateCustomTag(ctx, workspaceFrom(ctx), in.Body.Name, in.Body.Color)
		if err != nil {
			return nil, serviceError(ctx, err)
		}
		out := &createCRMTagOutput{}
		out.Body.Success = true
		out.Body.CustomTag = customTagFrom(t)
		return out, nil
	})

	huma.Register(api, huma.Operation{
		OperationID: "delete-crm-tag",
		Method:      http.MethodDelete,
		Path:        "/crm/tags/{tag_id}",
		Summary:     "Delete a custom CRM tag",
		Description: "Removes a custom tag; the conversations that had it have no tag afterwards.",
		Tags:        []string{"CRM"},
	}, func(ctx context.Context, in *deleteCRMTagInput) (*deleteCRMTagOutput, error) {
		if err := svc.DeleteCustomTag(ctx, workspaceFrom(ctx), in.TagID); err != nil {
			return nil, serviceError(ctx, err)
		}
		out := &deleteCRMTagOutput{}
		out.Body.Success = true
		out.Body.TagID = in.TagID
		return out, nil
	})
}

// crmConversationFrom converts a conversation in the column of tag.
func crmConversationFrom(tag string, info service.ConversationInfo, withMessages bool) crmConversation {
	l := info.Lead
	c := crmConversation{
		ID:             info.ID,
		ConversationID: info.ID,
		AccountHandle:  conversationHandle(info),
		Tag:            tag,
		Receiver:       crmReceiver{ScreenName: l.Username, Name: l.Name, Bio: l.Bio, FollowersCount: l.Followers},
		CRM:            crmCardFrom(info.CRM),
		LastMessage:    crmLastMessage{Text: info.LastText, Time: wireTime(info.LastAt)},
	}
	if withMessages {
		msgs := messagesFrom(info.Messages)
		c.Messages = &msgs
	}
	return c
}
