package api

import (
	"net/http"
	"testing"
)

// TestAdminGate: the operator tools answer only the operator's credential;
// a workspace's API key, or a wrong password, gets a 401 that asks for it.
func TestAdminGate(t *testing.T) {
	tools := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("river ui " + r.URL.Path)) })
	s := &testServer{Server: New(Options{Service: &fakeService{}, Admin: tools, AdminToken: "op-secret"})}
	tests := []struct {
		name    string
		headers []string
		want    int
	}{
		{"no credential", nil, http.StatusUnauthorized},
		{"an API key", []string{"X-API-Key", goodKey}, http.StatusUnauthorized},
		{"an API key as bearer", []string{"Authorization", "Bearer " + goodKey}, http.StatusUnauthorized},
		{"wrong password", []string{"Authorization", basic("operator", "guess")}, http.StatusUnauthorized},
		{"wrong user", []string{"Authorization", basic("admin", "op-secret")}, http.StatusUnauthorized},
		{"the operator", []string{"Authorization", basic("operator", "op-secret")}, http.StatusOK},
	}
	for _, tt := range tests {
		rec := s.do(t, http.MethodGet, AdminPath+"/jobs", "", tt.headers...)
		if rec.Code != tt.want {
			t.Errorf("%s: status %d, want %d", tt.name, rec.Code, tt.want)
		}
		if rec.Code == http.StatusUnauthorized && rec.Header().Get("WWW-Authenticate") == "" {
			t.Errorf("%s: a 401 without WWW-Authenticate", tt.name)
		}
		if rec.Code == http.StatusOK && rec.Body.String() != "river ui "+AdminPath+"/jobs" {
			t.Errorf("%s: body %q", tt.name, rec.Body)
		}
	}

	// Without an operator token there are no operator tools at all.
	bare := &testServer{Server: New(Options{Service: &fakeService{}, Admin: tools})}
	if rec := bare.do(t, http.MethodGet, AdminPath+"/jobs", "", "Authorization", basic("operator", "")); rec.Code != http.StatusNotFound {
		t.Errorf("without a token: status %d, want 404", rec.Code)
	}
}

func basic(user, pass string) string {
	r, _ := http.NewRequest(http.MethodGet, "/", nil)
	r.SetBasicAuth(user, pass)
	return r.Header.Get("Authorization")
}
