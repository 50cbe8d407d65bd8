package api

import (
	"bytes"
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/outreachhq/outreach/core/plan"
)

// planService is what the operations of POST /plan call.
type planService interface {
	// PlanConfiguration plans an HCL configuration for the workspace and
	// applies nothing; bad HCL is a *service.ValidationError naming file,
	// line and column.
	PlanConfiguration(ctx context.Context, workspace string, src []byte) (*plan.Plan, error)
}

// planExample is a configuration to plan, from the quick start.
const planExample = `account "sales" {
  handle         = "acme_sales"
  daily_dm_limit = 50
}
`

type planInput struct {
	RawBody []byte `contentType:"text/plain" doc:"The configuration, in HCL, as one file."`
}

type planOutput struct {
	ContentType string `header:"Content-Type" doc:"application/json."`
	Body        []byte
}

// registerPlan registers the operations of POST /plan.
func registerPlan(api huma.API, svc Service) {
	huma.Register(api, huma.Operation{
		OperationID: "plan-configuration",
		Method:      http.MethodPost,
		Path:        "/plan",
		Summary:     "Plan a configuration",
		Description: "Plans an HCL configuration (the body, as text/plain or application/hcl) against the key's workspace, " +
			"as `outreach plan -json` does, and applies nothing: the objects apply would create, update or delete, " +
			"with the attributes that change, and the work it implies. Sensitive values are left out. " +
			"The configuration's settings.workspace, if any, must be the key's workspace. " +
			"It is read without the server's environment or files: env() finds nothing and file() is an error; " +
			"plugin blocks are not started (`outreach validate` checks them). " +
			"A configuration with errors is a 400 whose message gives each error's file, line and column (request.hcl:3:5).",
		Tags: []string{"Plan"},
		RequestBody: &huma.RequestBody{
			Description: "The configuration, in HCL, as one file.",
			Required:    true,
			Content: map[string]*huma.MediaType{
				"application/hcl": {Schema: &huma.Schema{Type: huma.TypeString, Examples: []any{planExample}}},
			},
		},
		Responses: map[string]*huma.Response{
			"200": {
				Description: "The plan, as `outreach plan -json` prints it.",
				Content:     map[string]*huma.MediaType{"application/json": {Schema: planSchema()}},
			},
		},
		MaxBodyBytes: maxBodyBytes, // huma sets no limit for a raw body
	}, func(ctx context.Context, in *planInput) (*planOutput, error) {
		p, err := svc.PlanConfiguration(ctx, workspaceFrom(ctx), in.RawBody)
		if err != nil {
			return nil, serviceError(ctx, err)
		}
		var buf bytes.Buffer
		if err := p.WriteJSON(&buf); err != nil {
			return nil, internalError(ctx, err)
		}
		return &planOutput{ContentType: "application/json", Body: buf.Bytes()}, nil
	})
}

// planSchema describes plan.WriteJSON's output, which is written by hand
// there (its types are not exported), so it is described by hand here.
func planSchema() *huma.Schema {
	str := func(doc string, example any) *huma.Schema {
		return &huma.Schema{Type: huma.TypeString, Description: doc, Examples: []any{example}}
	}
	attr := &huma.Schema{
		Type:        huma.TypeObject,
		Description: "An attribute and its value.",
		Required:    []string{"name"},
		Properties: map[string]*huma.Schema{
			"name":      str("The attribute.", "daily_dm_limit"),
			"value":     {Description: "Its value, as JSON; absent when sensitive.", Examples: []any{50}},
			"sensitive": {Type: huma.TypeBoolean, Description: "Present and true when the value is sensitive and left out.", Examples: []any{true}},
		},
	}
	attrs := func(doc string) *huma.Schema {
		return &huma.Schema{Type: huma.TypeArray, Description: doc, Items: attr}
	}
	change := &huma.Schema{
		Type:        huma.TypeObject,
		Description: "One object apply would change.",
		Required:    []string{"action", "address", "kind", "name"},
		Properties: map[string]*huma.Schema{
			"action":  {Type: huma.TypeString, Enum: []any{string(plan.Create), string(plan.Update), string(plan.Delete)}, Description: "What apply would do to it.", Examples: []any{"create"}},
			"address": str("Its address in the configuration.", "account.sales"),
			"kind":    str("Its kind.", "account"),
			"name":    str("Its name.", "sales"),
			"before":  attrs("Its attributes now; absent for a create."),
			"after":   attrs("Its attributes after apply; absent for a delete."),
			"changed": {Type: huma.TypeArray, Description: "The attributes an update changes.", Items: &huma.Schema{Type: huma.TypeString, Examples: []any{"daily_dm_limit"}}},
		},
	}
	return &huma.Schema{
		Type:        huma.TypeObject,
		Description: "A plan: what apply would change, and the work it implies.",
		Required:    []string{"format_version", "workspace", "sandbox", "changes", "work", "plugins"},
		Properties: map[string]*huma.Schema{
			"format_version": {Type: huma.TypeInteger, Description: "Version of this format.", Examples: []any{plan.FileFormatVersion}},
			"workspace":      str("The workspace planned: the key's.", "default"),
			"sandbox":        {Type: huma.TypeBoolean, Description: "Whether the configuration runs on the simulated X.", Examples: []any{true}},
			"destroy":        {Type: huma.TypeBoolean, Description: "Present and true for a plan that destroys everything (never here).", Examples: []any{false}},
			"changes":        {Type: huma.TypeArray, Description: "The objects apply would create, update or delete.", Items: change},
			"work": {Type: huma.TypeObject, AdditionalProperties: true, Description: "The work the configuration implies: " +
				"sources (lists to scrape), campaigns (DMs per account, when each should finish), accounts, tweets and holds."},
			"plugins": {Type: huma.TypeArray, Description: "The plugins the configuration declares, with the versions they report; empty here, since none is started.",
				Items: &huma.Schema{Type: huma.TypeObject, AdditionalProperties: true}},
		},
	}
}
