package api

import (
	"context"
	"sync"
	"testing"

	"github.com/outreachhq/outreach/core/service"
)

func TestAuthentication(t *testing.T) {
	tests := []struct {
		name    string
		headers []string
		status  int
		message string // for errors
	}{
		{"no key", nil, 401, "Missing API key"},
		{"empty X-API-Key", []string{"X-API-Key", ""}, 401, "Missing API key"},
		{"not a bearer token", []string{"Authorization", "Basic dXNlcjpwYXNz"}, 401, "Missing API key"},
		{"empty bearer token", []string{"Authorization", "Bearer "}, 401, "Missing API key"},
		{"unknown X-API-Key", []string{"X-API-Key", "sk_live_wrong"}, 401, "Invalid API key"},
		{"unknown bearer token", []string{"Authorization", "Bearer sk_live_wrong"}, 401, "Invalid API key"},
		{"X-API-Key", []string{"X-API-Key", goodKey}, 200, ""},
		{"bearer token", []string{"Authorization", "Bearer " + goodKey}, 200, ""},
		{"bearer scheme in lower case", []string{"Authorization", "bearer " + goodKey}, 200, ""},
		{"X-API-Key wins over Authorization", []string{"X-API-Key", goodKey, "Authorization", "Bearer sk_live_wrong"}, 200, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var mu sync.Mutex
			var gotWorkspace string
			s := newTestServer(t, &fakeService{listAccounts: func(_ context.Context, ws string) ([]service.AccountInfo, error) {
				mu.Lock()
				defer mu.Unlock()
				gotWorkspace = ws
				return nil, nil
			}}, 0)
			rec := s.do(t, "GET", "/api/v1/accounts", "", tt.headers...)
			wantCommonHeaders(t, rec.Header(), defaultRateLimit)
			if tt.status != 200 {
				wantError(t, rec, tt.status, "Unauthorized", tt.message)
				return
			}
			if rec.Code != 200 {
				t.Fatalf("status = %d; body %s", rec.Code, rec.Body)
			}
			mu.Lock()
			defer mu.Unlock()
			if gotWorkspace != testWorkspace {
				t.Errorf("ListAccounts got workspace %q, want %q from Authenticate", gotWorkspace, testWorkspace)
			}
		})
	}
}
