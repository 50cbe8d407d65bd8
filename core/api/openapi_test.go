package api

import (
	"bytes"
	"encoding/json"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestOpenAPIServedWithoutAuth(t *testing.T) {
	s := newTestServer(t, nil, 0)
	want, err := s.OpenAPIYAML()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		path, contentType string
		contains          []string
	}{
		{"/openapi.yaml", "application/openapi+yaml", []string{"/api/v1/accounts", "operationId: list-accounts", "name: X-API-Key", "scheme: bearer"}},
		{"/openapi.json", "application/openapi+json", []string{`"/api/v1/accounts"`, `"X-API-Key"`, `"bearer"`}},
		{"/openapi-3.0.yaml", "application/openapi+yaml", []string{"/api/v1/accounts", "openapi: 3.0"}},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			rec := s.do(t, "GET", tt.path, "")
			if rec.Code != 200 {
				t.Fatalf("status = %d; body %s", rec.Code, rec.Body)
			}
			if ct := rec.Header().Get("Content-Type"); ct != tt.contentType {
				t.Errorf("Content-Type = %q, want %q", ct, tt.contentType)
			}
			if !requestIDPattern.MatchString(rec.Header().Get("X-Request-ID")) {
				t.Errorf("X-Request-ID = %q", rec.Header().Get("X-Request-ID"))
			}
			for _, c := range tt.contains {
				if !strings.Contains(rec.Body.String(), c) {
					t.Errorf("%s lacks %q", tt.path, c)
				}
			}
			if strings.Contains(rec.Body.String(), "$schema") || strings.Contains(rec.Body.String(), "ErrorModel") {
				t.Errorf("%s still describes huma's $schema field or problem+json errors", tt.path)
			}
			if tt.path == "/openapi.yaml" && !bytes.Equal(rec.Body.Bytes(), want) {
				t.Error("/openapi.yaml differs from OpenAPIYAML()")
			}
		})
	}

	// The snapshot test of schema/openapi.yaml needs the same bytes from
	// every build of the server.
	again, err := newTestServer(t, nil, 0).OpenAPIYAML()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(want, again) {
		t.Error("OpenAPIYAML differs between two servers")
	}
}

// TestEveryOperationDocumented guards later resources too: each /api/v1
// operation must declare the API-key security, the gate's errors, and no
// huma default that the server never sends. The one operation outside
// /api/v1, the health check, needs no key.
func TestEveryOperationDocumented(t *testing.T) {
	s := newTestServer(t, nil, 0)
	registerProbe(s) // one with parameters and a body
	var doc struct {
		Paths map[string]map[string]struct {
			OperationID string                    `json:"operationId"`
			Security    []map[string][]string     `json:"security"`
			Responses   map[string]map[string]any `json:"responses"`
			Parameters  []map[string]any          `json:"parameters"`
			RequestBody map[string]any            `json:"requestBody"`
		} `json:"paths"`
	}
	if err := json.Unmarshal(s.do(t, "GET", "/openapi.json", "").Body.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	kebab := regexp.MustCompile(`^[a-z]+(-[a-z0-9]+)*$`)
	wantSecurity := []map[string][]string{{"apiKey": {}}, {"bearer": {}}}
	count := 0
	for path, ops := range doc.Paths {
		if open, ok := map[string][]string{"/healthz": {"200", "503"}, "/metrics": {"200", "404"}}[path]; ok {
			op := ops["get"]
			var codes []string
			for code := range op.Responses {
				codes = append(codes, code)
			}
			slices.Sort(codes)
			if len(op.Security) != 0 || !slices.Equal(codes, open) {
				t.Errorf("GET %s: security %v and codes %v, want none and %v", path, op.Security, codes, open)
			}
			continue
		}
		if !strings.HasPrefix(path, "/api/v1/") {
			t.Errorf("path %s is outside /api/v1", path)
		}
		for method, op := range ops {
			count++
			name := method + " " + path
			if !kebab.MatchString(op.OperationID) {
				t.Errorf("%s: operationId %q is not kebab-case", name, op.OperationID)
			}
			if diff := cmp.Diff(wantSecurity, op.Security); diff != "" {
				t.Errorf("%s: security (-want +got):\n%s", name, diff)
			}
			var codes []string
			for code := range op.Responses {
				codes = append(codes, code)
			}
			slices.Sort(codes)
			want := []string{"200", "401", "429", "500"}
			if len(op.Parameters) > 0 || op.RequestBody != nil {
				want = []string{"200", "400", "401", "429", "500"}
			}
			if op.OperationID == "probe" {
				want[0] = "204"
			}
			if namesObject(op.Parameters) {
				want = append(want, "404")
			}
			if op.RequestBody != nil {
				want = append(want, "413")
			}
			// An operation may document the errors it alone gives: 404 for
			// an object its body or query names, 409, 502, 504 (what it
			// answers is checked against what it documents by every live
			// test: live.wantDocumented).
			for _, code := range []string{"404", "409", "502", "504"} {
				if op.Responses[code] != nil && !slices.Contains(want, code) {
					want = append(want, code)
				}
			}
			slices.Sort(want)
			if diff := cmp.Diff(want, codes); diff != "" {
				t.Errorf("%s: response codes (-want +got):\n%s", name, diff)
			}
		}
	}
	if count < 2 {
		t.Errorf("found %d operations, want at least list-accounts and probe", count)
	}
}

// namesObject reports whether an operation's parameters include a path
// parameter: the operation answers 404 for an id it does not find.
func namesObject(params []map[string]any) bool {
	for _, p := range params {
		if p["in"] == "path" {
			return true
		}
	}
	return false
}
