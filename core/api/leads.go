package api

import (
	"context"
	"fmt"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/outreachhq/outreach/core/service"
	"github.com/outreachhq/outreach/core/store"
)

// leadsService is what the operations of lead lists from CSV and the do-not-contact list call.
type leadsService interface {
	// CreateLeadList creates a lead source from listed handles.
	CreateLeadList(ctx context.Context, ws, name string, listed []store.Listed) (service.SourceInfo, error)
	// DoNotContacts returns a page of the do-not-contact list and its size.
	DoNotContacts(ctx context.Context, ws string, limit, offset int) ([]service.DoNotContactEntry, int, error)
	// AddDoNotContacts and RemoveDoNotContacts change the list.
	AddDoNotContacts(ctx context.Context, ws string, refs service.DoNotContactRefs) ([]service.DoNotContactEntry, error)
	RemoveDoNotContacts(ctx context.Context, ws string, refs service.DoNotContactRefs) (int, error)
	// ImportDoNotContacts adds a parsed CSV's rows; DoNotContactCSV exports
	// the list.
	ImportDoNotContacts(ctx context.Context, ws string, rows []service.DoNotContactRow) (int, error)
	DoNotContactCSV(ctx context.Context, ws string) ([]byte, error)
}

const contentTypeCSV = "text/csv"

type importLeadListInput struct {
	Name    string `query:"name" required:"true" minLength:"1" maxLength:"200" doc:"Name for the lead list." example:"Conference attendees"`
	RawBody []byte `contentType:"text/csv" doc:"CSV: a header row with a handle column and optionally a name column, then one lead per row."`
}

type importLeadListOutput struct {
	Body struct {
		Success      bool   `json:"success" doc:"Always true." example:"true"`
		LeadSourceID string `json:"lead_source_id" doc:"Id of the new lead source; use it in lead_source_ids when launching a campaign." example:"uuid-here"`
		Name         string `json:"name" doc:"The list's name." example:"Conference attendees"`
		Handles      int    `json:"handles" doc:"Handles listed (each once)." example:"250"`
		Message      string `json:"message" doc:"What happens next." example:"Looking up 250 handles on X; leads are imported as they are found."`
	}
}

// dncEntry is an entry of the do-not-contact list.
type dncEntry struct {
	UserID string `json:"user_id" doc:"X user id." example:"987654321"`
	Handle string `json:"handle" doc:"The user's handle when the workspace knows them as a lead, else empty." example:"prospect"`
	Reason string `json:"reason" doc:"Why the user is on the list." example:"asked not to be contacted"`
}

func dncEntriesFrom(in []service.DoNotContactEntry) []dncEntry {
	out := make([]dncEntry, 0, len(in))
	for _, e := range in {
		out = append(out, dncEntry{UserID: e.UserID, Handle: e.Handle, Reason: e.Reason})
	}
	return out
}

type listDNCInput struct {
	Limit  int `query:"limit" default:"20" minimum:"1" maximum:"100" doc:"Results per page." example:"20"`
	Offset int `query:"offset" default:"0" minimum:"0" doc:"Pagination offset." example:"0"`
}

type listDNCOutput struct {
	Body struct {
		DoNotContact []dncEntry `json:"do_not_contact" nullable:"false" doc:"The page of entries, by user id."`
		Pagination   offsetPage `json:"pagination" doc:"Where the page lies."`
	}
}

// dncRefs names users by id or handle.
type dncRefs struct {
	UserIDs []string `json:"user_ids,omitempty" maxItems:"1000" doc:"X user ids." example:"[\"987654321\"]"`
	Handles []string `json:"handles,omitempty" maxItems:"1000" doc:"Handles of leads the workspace knows (scraped or listed); a handle it does not know is a 400 naming handles[i]: give the user id instead." example:"[\"prospect\"]"`
}

type addDNCInput struct {
	Body struct {
		UserIDs []string `json:"user_ids,omitempty" maxItems:"1000" doc:"X user ids." example:"[\"987654321\"]"`
		Handles []string `json:"handles,omitempty" maxItems:"1000" doc:"Handles of leads the workspace knows (scraped or listed); a handle it does not know is a 400 naming handles[i]: give the user id instead." example:"[\"prospect\"]"`
		Reason  string   `json:"reason,omitempty" maxLength:"1000" doc:"Why; kept with each entry." example:"asked not to be contacted"`
	}
}

type addDNCOutput struct {
	Body struct {
		Success bool       `json:"success" doc:"Always true." example:"true"`
		Added   int        `json:"added" doc:"Entries added or updated." example:"1"`
		Entries []dncEntry `json:"entries" nullable:"false" doc:"The entries as they are now."`
	}
}

type removeDNCInput struct {
	Body dncRefs
}

type removeDNCOutput struct {
	Body struct {
		Success bool `json:"success" doc:"Always true." example:"true"`
		Removed int  `json:"removed" doc:"Entries removed; users who were not on the list count in none." example:"1"`
	}
}

type importDNCInput struct {
	RawBody []byte `contentType:"text/csv" doc:"CSV: a header row with user_id and/or handle columns and an optional reason column, then one user per row (by id, or by a known lead's handle)."`
}

type importDNCOutput struct {
	Body struct {
		Success bool `json:"success" doc:"Always true." example:"true"`
		Added   int  `json:"added" doc:"Entries added or updated." example:"120"`
	}
}

type exportDNCOutput struct {
	ContentType        string `header:"Content-Type" doc:"text/csv; charset=utf-8"`
	ContentDisposition string `header:"Content-Disposition" doc:"attachment; filename=do-not-contact.csv"`
	Body               []byte
}

// registerLeads registers the operations of lead lists from CSV and the do-not-contact list.
func registerLeads(api huma.API, svc Service) {
	huma.Register(api, huma.Operation{
		OperationID: "import-lead-list",
		Method:      http.MethodPost,
		Path:        "/lead-lists",
		Summary:     "Import a lead list from CSV",
		Description: "Creates a lead source from a CSV of handles (Content-Type: text/csv): a header row with a handle column " +
			"and optionally a name column, then one lead per row. It needs no scraping: the handles are looked up on X " +
			"and kept as leads (a handle X does not know is skipped), with the list's name for {{firstName}} when given. " +
			"Its id works as a lead_source_id in POST /campaigns, and its progress shows in GET /scraping-sources?id=. " +
			"A bad row is a 400 naming its line. Beyond the hosted API.",
		Tags:         []string{"Lead lists"},
		MaxBodyBytes: maxBodyBytes, // huma sets no limit for a raw body
	}, func(ctx context.Context, in *importLeadListInput) (*importLeadListOutput, error) {
		listed, err := service.ParseLeadList(in.RawBody)
		if err != nil {
			return nil, serviceError(ctx, err)
		}
		info, err := svc.CreateLeadList(ctx, workspaceFrom(ctx), in.Name, listed)
		if err != nil {
			return nil, serviceError(ctx, err)
		}
		out := &importLeadListOutput{}
		b := &out.Body
		b.Success, b.LeadSourceID, b.Name, b.Handles = true, info.ID, info.Name, len(info.Listed)
		b.Message = fmt.Sprintf("Looking up %d handles on X; leads are imported as they are found.", len(info.Listed))
		return out, nil
	})

	huma.Register(api, huma.Operation{
		OperationID: "list-do-not-contact",
		Method:      http.MethodGet,
		Path:        "/do-not-contact",
		Summary:     "List the do-not-contact list",
		Description: "Lists the workspace's do-not-contact list, by user id. Users on it get no first DM, follow-up or engagement " +
			"from any campaign. Leads who opt out in a reply are added by the engine. Beyond the hosted API.",
		Tags: []string{"Do not contact"},
	}, func(ctx context.Context, in *listDNCInput) (*listDNCOutput, error) {
		entries, total, err := svc.DoNotContacts(ctx, workspaceFrom(ctx), in.Limit, in.Offset)
		if err != nil {
			return nil, serviceError(ctx, err)
		}
		out := &listDNCOutput{}
		out.Body.DoNotContact = dncEntriesFrom(entries)
		out.Body.Pagination = offsetPage{Limit: in.Limit, Offset: in.Offset, Count: len(entries), Total: total}
		return out, nil
	})

	huma.Register(api, huma.Operation{
		OperationID: "add-do-not-contact",
		Method:      http.MethodPost,
		Path:        "/do-not-contact",
		Summary:     "Add users to the do-not-contact list",
		Description: "Puts users on the do-not-contact list, by user id or by the handle of a lead the workspace knows. " +
			"Their queued DMs are skipped when due. Beyond the hosted API.",
		Tags: []string{"Do not contact"},
	}, func(ctx context.Context, in *addDNCInput) (*addDNCOutput, error) {
		entries, err := svc.AddDoNotContacts(ctx, workspaceFrom(ctx), service.DoNotContactRefs{
			UserIDs: in.Body.UserIDs, Handles: in.Body.Handles, Reason: in.Body.Reason,
		})
		if err != nil {
			return nil, serviceError(ctx, err)
		}
		out := &addDNCOutput{}
		out.Body.Success, out.Body.Added, out.Body.Entries = true, len(entries), dncEntriesFrom(entries)
		return out, nil
	})

	huma.Register(api, huma.Operation{
		OperationID: "remove-do-not-contact",
		Method:      http.MethodDelete,
		Path:        "/do-not-contact",
		Summary:     "Remove users from the do-not-contact list",
		Description: "Takes users off the do-not-contact list, by user id or by the handle of a lead the workspace knows. " +
			"Campaigns that already skipped them do not queue them again. Beyond the hosted API.",
		Tags: []string{"Do not contact"},
	}, func(ctx context.Context, in *removeDNCInput) (*removeDNCOutput, error) {
		n, err := svc.RemoveDoNotContacts(ctx, workspaceFrom(ctx), service.DoNotContactRefs{UserIDs: in.Body.UserIDs, Handles: in.Body.Handles})
		if err != nil {
			return nil, serviceError(ctx, err)
		}
		out := &removeDNCOutput{}
		out.Body.Success, out.Body.Removed = true, n
		return out, nil
	})

	huma.Register(api, huma.Operation{
		OperationID: "import-do-not-contact",
		Method:      http.MethodPost,
		Path:        "/do-not-contact.csv",
		Summary:     "Import the do-not-contact list from CSV",
		Description: "Adds every row of a CSV (Content-Type: text/csv) to the do-not-contact list, all or nothing: " +
			"a header row with user_id and/or handle columns and an optional reason column, as export-do-not-contact writes. " +
			"A bad row, or a handle no lead of the workspace has, is a 400 naming its line. Beyond the hosted API.",
		Tags:         []string{"Do not contact"},
		MaxBodyBytes: maxBodyBytes, // huma sets no limit for a raw body
	}, func(ctx context.Context, in *importDNCInput) (*importDNCOutput, error) {
		rows, err := service.ParseDoNotContactCSV(in.RawBody)
		if err != nil {
			return nil, serviceError(ctx, err)
		}
		n, err := svc.ImportDoNotContacts(ctx, workspaceFrom(ctx), rows)
		if err != nil {
			return nil, serviceError(ctx, err)
		}
		out := &importDNCOutput{}
		out.Body.Success, out.Body.Added = true, n
		return out, nil
	})

	huma.Register(api, huma.Operation{
		OperationID: "export-do-not-contact",
		Method:      http.MethodGet,
		Path:        "/do-not-contact.csv",
		Summary:     "Export the do-not-contact list as CSV",
		Description: "The whole do-not-contact list as CSV, with the header user_id,handle,reason, which import-do-not-contact reads back. Beyond the hosted API.",
		Tags:        []string{"Do not contact"},
		Responses: map[string]*huma.Response{
			"200": {
				Description: "The list as CSV.",
				Content: map[string]*huma.MediaType{contentTypeCSV: {
					Schema:  &huma.Schema{Type: huma.TypeString},
					Example: "user_id,handle,reason\n987654321,prospect,asked not to be contacted\n",
				}},
			},
		},
	}, func(ctx context.Context, _ *struct{}) (*exportDNCOutput, error) {
		data, err := svc.DoNotContactCSV(ctx, workspaceFrom(ctx))
		if err != nil {
			return nil, serviceError(ctx, err)
		}
		return &exportDNCOutput{
			ContentType: contentTypeCSV + "; charset=utf-8", ContentDisposition: `attachment; filename="do-not-contact.csv"`, Body: data,
		}, nil
	})
}
