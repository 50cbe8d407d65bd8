package api

import (
	"strings"
	"testing"
)

func TestRequestID(t *testing.T) {
	tests := []struct {
		name     string
		path     string
		incoming string
		echoed   bool
	}{
		{"generated on success", "/api/v1/accounts", "", false},
		{"generated on the OpenAPI document", "/openapi.yaml", "", false},
		{"well-formed id echoed", "/api/v1/accounts", "req_m1abc123def456", true},
		{"echoed on the OpenAPI document", "/openapi.json", "req_0123456789abcdef", true},
		{"echoed on an error", "/api/v1/nope", "req_abcdefgh", true},
		{"foreign format replaced", "/api/v1/accounts", "3f2b8c1e-9a7d-4e2f-b1c3-5d6e7f8a9b0c", false},
		{"upper case replaced", "/api/v1/accounts", "req_ABCDEFGH1234", false},
		{"too short replaced", "/api/v1/accounts", "req_abc", false},
		{"too long replaced", "/api/v1/accounts", "req_" + strings.Repeat("a", 65), false},
		{"log injection replaced", "/api/v1/accounts", "req_abcdefgh\" level=ERROR", false},
	}
	s := newTestServer(t, nil, 1000)
	seen := map[string]bool{}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			headers := []string{"X-API-Key", goodKey}
			if tt.incoming != "" {
				headers = append(headers, "X-Request-ID", tt.incoming)
			}
			got := s.do(t, "GET", tt.path, "", headers...).Header().Get("X-Request-ID")
			if tt.echoed {
				if got != tt.incoming {
					t.Errorf("X-Request-ID = %q, want the incoming %q", got, tt.incoming)
				}
				return
			}
			if !requestIDPattern.MatchString(got) {
				t.Errorf("X-Request-ID = %q, want req_ and 16 lower-case alphanumerics", got)
			}
			if seen[got] {
				t.Errorf("X-Request-ID %q given twice", got)
			}
			seen[got] = true
		})
	}
}
