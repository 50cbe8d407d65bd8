package apitest

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestReadReference checks the reader on the reference itself: every
// documented request is found, with its method, its body and an example
// response.
func TestReadReference(t *testing.T) {
	examples := Reference(t)
	var got []string
	for _, e := range examples {
		got = append(got, e.Method+" "+e.Path)
		if e.Response == "" {
			t.Errorf("%s: no example response found", e)
		}
		if (e.Method == "POST" || e.Method == "PATCH" || e.Method == "DELETE") != (e.Body != "") {
			t.Errorf("%s: body %q", e, e.Body)
		}
		if e.Body != "" && !json.Valid([]byte(e.Body)) {
			t.Errorf("%s: the body is not JSON: %s", e, e.Body)
		}
	}
	want := []string{
		"GET /accounts", "GET /accounts", "GET /accounts", "GET /accounts",
		"POST /accounts", "DELETE /accounts", "DELETE /accounts",
		"POST /scraping-sources", "GET /scraping-sources",
		"POST /campaigns", "GET /campaigns", "GET /campaigns/analytics",
		"GET /conversations", "GET /conversations", "POST /dm/send",
		"GET /crm/conversations", "PATCH /crm/update",
		"POST /scheduled-tweets", "GET /scheduled-tweets", "DELETE /scheduled-tweets",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("requests found:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
