package api

import (
	"context"
	"encoding/csv"
	"net/http"
	"strconv"
	"strings"

	"github.com/danielgtaylor/huma/v2"

	"github.com/outreachhq/outreach/core/service"
	"github.com/outreachhq/outreach/core/store"
)

// conversationsCSVHeader is the header row of the conversations export.
var conversationsCSVHeader = []string{
	"conversation_id", "account_handle", "lead_user_id", "lead_screen_name", "lead_name", "lead_bio",
	"lead_location", "lead_website", "lead_followers_count", "tag", "notes", "deal_value", "deal_currency",
	"message_count", "is_unread", "last_message_text", "last_message_is_sent", "last_message_at",
	"created_at", "updated_at",
}

// exportPage is how many conversations the export reads at a time.
const exportPage = 100

type exportConversationsInput struct {
	AccountID string `query:"account_id" maxLength:"200" doc:"Only the conversations of this account." example:"550e8400-e29b-41d4-a716-446655440000"`
}

// registerConversationsExport registers GET /conversations.csv.
func registerConversationsExport(api huma.API, svc Service) {
	huma.Register(api, huma.Operation{
		OperationID: "export-conversations",
		Method:      http.MethodGet,
		Path:        "/conversations.csv",
		Summary:     "Export conversations as CSV",
		Description: "Every conversation of the workspace (or of account_id), newest message first, with its lead and its CRM fields, " +
			"as CSV with a header row: " + strings.Join(conversationsCSVHeader, ", ") + ". " +
			"Times are RFC 3339 in UTC. A cell that a spreadsheet would read as a formula (it starts with =, +, -, @, a tab or a carriage return) " +
			"is written with a leading apostrophe.",
		Tags: []string{"Conversations"},
		Responses: map[string]*huma.Response{
			"200": {
				Description: "The conversations as CSV.",
				Content: map[string]*huma.MediaType{"text/csv": {
					Schema:  &huma.Schema{Type: huma.TypeString},
					Example: strings.Join(conversationsCSVHeader, ",") + "\n123456789-987654321,yourhandle,987654321,prospect,John Doe,Founder @ Startup,San Francisco,https://example.com,5000,interested_reply,Interested in enterprise plan,5000,USD,8,false,\"Sounds great, let's schedule a call!\",false,2024-03-01T19:22:47.000Z,2024-02-28T10:00:00.000Z,2024-02-28T12:30:00.000Z\n",
				}},
			},
		},
	}, func(ctx context.Context, in *exportConversationsInput) (*huma.StreamResponse, error) {
		ws := workspaceFrom(ctx)
		q := store.ConversationQuery{AccountID: in.AccountID, Limit: exportPage}
		// The first page is read before the response starts, so that an
		// error there is still an error status.
		page, err := svc.ListConversationsWith(ctx, ws, q, "", false)
		if err != nil {
			return nil, serviceError(ctx, err)
		}
		return &huma.StreamResponse{Body: func(hctx huma.Context) {
			hctx.SetHeader("Content-Type", "text/csv; charset=utf-8")
			hctx.SetHeader("Content-Disposition", `attachment; filename="conversations.csv"`)
			w := csv.NewWriter(hctx.BodyWriter())
			_ = w.Write(conversationsCSVHeader)
			for {
				for _, info := range page.Conversations {
					_ = w.Write(conversationCSVRow(info))
				}
				if page.Next == nil {
					break
				}
				q.After = page.Next
				if page, err = svc.ListConversationsWith(ctx, ws, q, "", false); err != nil {
					// The status is sent; a truncated file and the log are
					// all that can tell of it.
					internalError(ctx, err)
					break
				}
			}
			w.Flush()
		}}, nil
	})
}

// conversationCSVRow is one conversation's row, in conversationsCSVHeader's
// order.
func conversationCSVRow(info service.ConversationInfo) []string {
	l, card := info.Lead, crmCardFrom(info.CRM)
	deal := ""
	if info.CRM.DealValue != nil {
		deal = strconv.FormatFloat(card.DealValue, 'f', -1, 64)
	}
	row := []string{
		info.ID, conversationHandle(info), info.LeadID, l.Username, l.Name, l.Bio,
		l.Location, l.Website, strconv.FormatInt(l.Followers, 10), info.CRM.Tag, card.Notes, deal, card.DealCurrency,
		strconv.Itoa(info.MessageCount), strconv.FormatBool(info.Unread), info.LastText, strconv.FormatBool(info.LastSent),
		wireTimeMillis(info.LastAt), wireTimeMillis(info.CreatedAt), wireTimeMillis(info.UpdatedAt),
	}
	for i, cell := range row {
		row[i] = service.CSVCell(cell)
	}
	return row
}
