package api

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/danielgtaylor/huma/v2"

	"github.com/outreachhq/outreach/core/service"
)

func TestServiceErrors(t *testing.T) {
	tests := []struct {
		name    string
		err     error
		status  int
		title   string
		message string
	}{
		{"validation error names the field", fmt.Errorf("list accounts: %w", &service.ValidationError{Field: "workspace", Reason: "is archived"}),
			400, "Bad Request", "workspace: is archived"},
		{"not found", fmt.Errorf("workspace %q: %w", "acme", service.ErrNotFound), 404, "Not Found", `workspace "acme": not found`},
		{"unauthorized", fmt.Errorf("check key: %w", service.ErrUnauthorized), 401, "Unauthorized", "Invalid API key"},
		{"anything else", errors.New("buntdb: database closed"), 500, "Internal Server Error", msgInternal},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newTestServer(t, &fakeService{listAccounts: func(context.Context, string) ([]service.AccountInfo, error) {
				return nil, tt.err
			}}, 0)
			rec := s.do(t, "GET", "/api/v1/accounts", "", "X-API-Key", goodKey)
			wantError(t, rec, tt.status, tt.title, tt.message)
			wantCommonHeaders(t, rec.Header(), defaultRateLimit)
		})
	}
}

// probeInput has the kinds of input later resources validate.
type probeInput struct {
	Limit int `query:"limit" minimum:"1" maximum:"100"`
	Body  struct {
		Handle  string   `json:"handle" minLength:"1"`
		Cookies []cookie `json:"cookies,omitempty"`
	}
}

// registerProbe adds a POST /api/v1/probe operation, registered the way
// resource files register theirs, to see what huma's validation answers.
func registerProbe(s *testServer) {
	huma.Register(s.v1, huma.Operation{OperationID: "probe", Method: http.MethodPost, Path: "/probe"},
		func(context.Context, *probeInput) (*struct{}, error) { return nil, nil })
}

func TestValidationErrors(t *testing.T) {
	tests := []struct {
		name    string
		query   string
		body    string
		message string
	}{
		{"query parameter too large", "?limit=500", `{"handle":"x"}`, "limit: expected number <= 100"},
		{"query parameter not a number", "?limit=ten", `{"handle":"x"}`, "limit: invalid integer"},
		{"body field too short", "", `{"handle":""}`, "handle: expected length >= 1"},
		{"body field missing", "", `{}`, "request body: expected required property handle to be present"},
		{"nested field of the wrong type", "", `{"handle":"x","cookies":[{"name":"auth_token","value":"SECRETVALUE","domain":7}]}`,
			"cookies[0].domain: expected string"},
		{"malformed JSON", "", `{"handle":`, "request body: unexpected end of JSON input"},
	}
	s := newTestServer(t, nil, 1000)
	registerProbe(s)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := s.do(t, "POST", "/api/v1/probe"+tt.query, tt.body, "X-API-Key", goodKey)
			wantError(t, rec, 400, "Bad Request", tt.message)
			wantCommonHeaders(t, rec.Header(), 1000)
			// Bodies carry cookies and proxy passwords: never echo values.
			if strings.Contains(rec.Body.String(), "SECRETVALUE") {
				t.Errorf("error echoes a value from the request: %s", rec.Body)
			}
		})
	}
}
