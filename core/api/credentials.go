package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/outreachhq/outreach/core/service"
)

// credentialsService is what the operations of the credential job (/get-cookies) call.
type credentialsService interface {
	// StartCredentialJob starts a job that obtains an account's
	// credentials.
	StartCredentialJob(ctx context.Context, workspace string, ref service.AccountRef) (service.CredentialJob, error)
	// CredentialJobByID returns a credential job of the workspace.
	CredentialJobByID(ctx context.Context, workspace, id string) (service.CredentialJob, error)
}

// The hosted API names the credential job (queue cookie extraction, check
// its status) but leaves both bodies open; these follow its style.

// startCredentialJobRequest is the body of start-credential-job.
type startCredentialJobRequest struct {
	AccountID string `json:"account_id,omitempty" maxLength:"64" doc:"The account's id. Either account_id or handle is required." example:"550e8400-e29b-41d4-a716-446655440000"`
	Handle    string `json:"handle,omitempty" maxLength:"50" doc:"The account's X handle, with or without @. Either account_id or handle is required." example:"myhandle"`
}

// startCredentialJobResult is the body of start-credential-job.
type startCredentialJobResult struct {
	Success          bool   `json:"success" doc:"False when the job failed at once (message says why); true otherwise." example:"true"`
	JobID            string `json:"job_id" format:"uuid" doc:"The job's id, for GET /api/v1/get-cookies/status." example:"3b2f1c0d-9e8a-4b7c-a6d5-e4f3a2b1c0d9"`
	Status           string `json:"status" enum:"pending,awaiting_authorization,completed,failed" doc:"pending: queued; awaiting_authorization: the account's owner signs in to X at authorization_url; completed: the account has new credentials; failed: see message." example:"awaiting_authorization"`
	AuthorizationURL string `json:"authorization_url,omitempty" format:"uri" doc:"Where the account's owner signs in to X, while the job awaits authorization; absent otherwise." example:"https://x.com/i/oauth2/authorize?response_type=code&client_id=...&state=..."`
	Message          string `json:"message" doc:"What happens next, or why the job failed." example:"Open authorization_url to sign in to X."`
}

type credentialJobQuery struct {
	JobID string `query:"job_id" required:"true" format:"uuid" doc:"The job's id, from POST /api/v1/get-cookies." example:"3b2f1c0d-9e8a-4b7c-a6d5-e4f3a2b1c0d9"`
}

// credentialJob is a credential job as get-credential-job shows it.
type credentialJob struct {
	ID               string `json:"id" format:"uuid" doc:"Job id." example:"3b2f1c0d-9e8a-4b7c-a6d5-e4f3a2b1c0d9"`
	AccountID        string `json:"account_id" format:"uuid" doc:"The account whose credentials it obtains." example:"550e8400-e29b-41d4-a716-446655440000"`
	AccountHandle    string `json:"account_handle" doc:"That account's X handle." example:"myhandle"`
	Status           string `json:"status" enum:"pending,awaiting_authorization,completed,failed" doc:"pending: queued; awaiting_authorization: the account's owner signs in to X at authorization_url; completed: the account has new credentials; failed: see error." example:"completed"`
	AuthorizationURL string `json:"authorization_url" doc:"Where the account's owner signs in to X while the job awaits authorization; empty otherwise." example:""`
	Error            string `json:"error" doc:"Why the job failed; empty unless it did." example:""`
	CreatedAt        string `json:"created_at" format:"date-time" doc:"When it was queued, RFC 3339 in UTC." example:"2024-01-15T10:30:00Z"`
	UpdatedAt        string `json:"updated_at" format:"date-time" doc:"When it last changed, RFC 3339 in UTC." example:"2024-01-15T10:30:05Z"`
}

// credentialJobResult is the body of get-credential-job.
type credentialJobResult struct {
	Job credentialJob `json:"job" doc:"The job."`
}

// registerCredentials registers the operations of the credential job (/get-cookies).
func registerCredentials(api huma.API, svc Service) {
	tags := []string{"Accounts"}
	huma.Register(api, huma.Operation{
		OperationID: "start-credential-job",
		Method:      http.MethodPost,
		Path:        "/get-cookies",
		Summary:     "Start a credential job",
		Description: "Starts a job that obtains an account's credentials from X, named by account_id or handle; follow it with GET /api/v1/get-cookies/status. " +
			"On the simulated X (serve --sandbox) it completes at once. On the real X the account's owner signs in with OAuth 2.0 at authorization_url; " +
			"this version has no OAuth client yet, so such a job fails, saying so: send the account's cookies or tokens instead.",
		Tags:      tags,
		Responses: errorResponses(http.StatusNotFound),
	}, func(ctx context.Context, in *struct{ Body startCredentialJobRequest }) (*struct{ Body startCredentialJobResult }, error) {
		j, err := svc.StartCredentialJob(ctx, workspaceFrom(ctx), service.AccountRef{ID: in.Body.AccountID, Handle: in.Body.Handle})
		if err != nil {
			return nil, serviceError(ctx, err)
		}
		out := startCredentialJobResult{
			Success: j.Status != service.CredentialFailed, JobID: j.ID, Status: string(j.Status), AuthorizationURL: j.AuthorizationURL,
		}
		switch j.Status {
		case service.CredentialCompleted:
			out.Message = "The account's credentials are ready."
		case service.CredentialAwaitingAuthorization:
			out.Message = "Open authorization_url to sign in to X."
		case service.CredentialFailed:
			out.Message = j.Error
		default:
			out.Message = "Credential job queued."
		}
		return &struct{ Body startCredentialJobResult }{out}, nil
	})

	huma.Register(api, huma.Operation{
		OperationID: "get-credential-job",
		Method:      http.MethodGet,
		Path:        "/get-cookies/status",
		Summary:     "Get a credential job",
		Description: "Returns a credential job's status. Another workspace's jobs are not found.",
		Tags:        tags,
		Responses:   errorResponses(http.StatusNotFound),
	}, func(ctx context.Context, in *credentialJobQuery) (*struct{ Body credentialJobResult }, error) {
		j, err := svc.CredentialJobByID(ctx, workspaceFrom(ctx), in.JobID)
		if err != nil {
			return nil, serviceError(ctx, err)
		}
		return &struct{ Body credentialJobResult }{credentialJobResult{Job: credentialJob{
			ID: j.ID, AccountID: j.AccountID, AccountHandle: j.AccountHandle, Status: string(j.Status),
			AuthorizationURL: j.AuthorizationURL, Error: j.Error,
			CreatedAt: wireTime(j.CreatedAt), UpdatedAt: wireTime(j.UpdatedAt),
		}}}, nil
	})
}
