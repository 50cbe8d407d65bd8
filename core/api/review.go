package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/outreachhq/outreach/core/service"
	"github.com/outreachhq/outreach/core/store"
)

// reviewService is what the operations of the needs_review queue call.
type reviewService interface {
	// NeedsReview returns up to limit sends parked for review, by job id
	// after afterID.
	NeedsReview(ctx context.Context, workspace, afterID string, limit int) ([]service.ReviewItem, error)
	// ResolveReview settles a send parked for review.
	ResolveReview(ctx context.Context, workspace, jobID string, r service.Resolution) (store.Job, error)
}

// reviewItem is a send in doubt: X's answer to it was lost, so nobody
// knows whether the DM went out until a person looks.
type reviewItem struct {
	JobID          string `json:"job_id" doc:"The send's job id: resolve it by this id." example:"dm-7f3a1b2c-987654321"`
	Kind           string `json:"kind" enum:"dm,followup,message" doc:"What the send was: a campaign's first DM, a follow-up, or a person's message." example:"dm"`
	AccountID      string `json:"account_id" doc:"The account it was sent from." example:"550e8400-e29b-41d4-a716-446655440000"`
	AccountHandle  string `json:"account_handle" doc:"That account's handle; its id once the account is removed." example:"myhandle"`
	LeadUserID     string `json:"lead_user_id" doc:"The X user id of the lead it was for." example:"987654321"`
	LeadScreenName string `json:"lead_screen_name" doc:"The lead's handle; empty if the lead is unknown." example:"prospect"`
	CampaignID     string `json:"campaign_id" doc:"The campaign it belongs to; empty for a person's message." example:"7f3a1b2c-4d5e-6f7a-8b9c-0d1e2f3a4b5c"`
	Step           int    `json:"step" doc:"0 for a first DM, n for the n-th follow-up." example:"0"`
	Text           string `json:"text" doc:"What the send says: a person's message or an AI answer as written, or a campaign's message filled from the lead (as the campaign and the lead read now)." example:"Hey Jane, quick question about your launch"`
	Reason         string `json:"reason" doc:"Why it was parked." example:"the send's outcome is unknown: X did not answer before the connection dropped"`
	CreatedAt      string `json:"created_at" format:"date-time" doc:"When the send was queued, RFC 3339 in UTC." example:"2024-02-28T10:00:00Z"`
	UpdatedAt      string `json:"updated_at" format:"date-time" doc:"When it was parked, RFC 3339 in UTC." example:"2024-02-28T10:05:00Z"`
}

type listReviewInput struct {
	AfterID string `query:"after_id" maxLength:"300" doc:"next_after_id of the previous page: the listing goes on after this job id." example:"dm-7f3a1b2c-987654321"`
	Limit   int    `query:"limit" default:"20" minimum:"1" maximum:"100" doc:"Sends per page." example:"20"`
}

type listReviewOutput struct {
	Body struct {
		NeedsReview []reviewItem `json:"needs_review" nullable:"false" doc:"Sends in doubt, by job id."`
		NextAfterID *string      `json:"next_after_id" nullable:"true" doc:"Pass it as after_id for the next page; null when this page is shorter than limit (the page after a full one may be empty)." example:"dm-7f3a1b2c-987654321"`
	}
}

type resolveReviewInput struct {
	JobID string `path:"job_id" maxLength:"300" doc:"The send's job id." example:"dm-7f3a1b2c-987654321"`
	Body  struct {
		Resolution string `json:"resolution" enum:"sent,not_sent,skip" doc:"What a person found: sent (the DM is on X: it is recorded as sent and its follow-ups are queued), not_sent (it is not: it is sent again), or skip (leave the lead alone)." example:"sent"`
	}
}

type resolveReviewOutput struct {
	Body struct {
		Success bool   `json:"success" doc:"Always true." example:"true"`
		JobID   string `json:"job_id" doc:"The send's job id." example:"dm-7f3a1b2c-987654321"`
		State   string `json:"state" enum:"done,pending,skipped" doc:"Its state now: done (recorded as sent), pending (to be sent again) or skipped." example:"done"`
	}
}

// registerReview registers the operations of the needs_review queue.
func registerReview(api huma.API, svc Service) {
	huma.Register(api, huma.Operation{
		OperationID: "list-needs-review",
		Method:      http.MethodGet,
		Path:        "/review",
		Summary:     "List sends that need review",
		Description: "Lists the sends in doubt: X's answer to them was lost, so the engine does not know whether the DM went out, " +
			"and it never sends a DM twice on a guess. A person checks the conversation on X and resolves each one. " +
			"Pages go by job id: pass next_after_id as after_id.",
		Tags: []string{"Review"},
	}, func(ctx context.Context, in *listReviewInput) (*listReviewOutput, error) {
		items, err := svc.NeedsReview(ctx, workspaceFrom(ctx), in.AfterID, in.Limit)
		if err != nil {
			return nil, serviceError(ctx, err)
		}
		out := &listReviewOutput{}
		out.Body.NeedsReview = make([]reviewItem, 0, len(items))
		for _, it := range items {
			out.Body.NeedsReview = append(out.Body.NeedsReview, reviewItemFrom(it))
		}
		if len(items) == in.Limit {
			last := items[len(items)-1].Job.ID
			out.Body.NextAfterID = &last
		}
		return out, nil
	})

	huma.Register(api, huma.Operation{
		OperationID: "resolve-needs-review",
		Method:      http.MethodPost,
		Path:        "/review/{job_id}/resolve",
		Summary:     "Resolve a send that needs review",
		Description: "Settles a send in doubt as a person found it on X. A job that is not waiting for review is a 400 naming its state.",
		Tags:        []string{"Review"},
		Responses:   errorResponses(http.StatusConflict),
	}, func(ctx context.Context, in *resolveReviewInput) (*resolveReviewOutput, error) {
		j, err := svc.ResolveReview(ctx, workspaceFrom(ctx), in.JobID, service.Resolution(in.Body.Resolution))
		if err != nil {
			return nil, serviceError(ctx, err)
		}
		out := &resolveReviewOutput{}
		out.Body.Success = true
		out.Body.JobID = j.ID
		out.Body.State = string(j.State)
		return out, nil
	})
}

func reviewItemFrom(it service.ReviewItem) reviewItem {
	j := it.Job
	handle := it.Account.Handle
	if handle == "" {
		handle = j.AccountID
	}
	return reviewItem{
		JobID: j.ID, Kind: string(j.Kind), AccountID: j.AccountID, AccountHandle: handle,
		LeadUserID: j.LeadID, LeadScreenName: it.Lead.Username, CampaignID: j.CampaignID, Step: j.Step,
		Text: it.Text, Reason: j.LastError, CreatedAt: wireTime(j.CreatedAt), UpdatedAt: wireTime(j.UpdatedAt),
	}
}
