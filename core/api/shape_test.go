package api

import (
	"encoding/json"
	"testing"

	"github.com/outreachhq/outreach/core/api/apitest"
)

// wantShape fails t unless got has exactly the keys of the reference's
// example ref, recursively, with the same JSON types (apitest.ShapeDiff).
func wantShape(t testing.TB, ref string, got []byte) {
	t.Helper()
	var r, g any
	if err := json.Unmarshal([]byte(ref), &r); err != nil {
		t.Fatalf("reference: %v", err)
	}
	if err := json.Unmarshal(got, &g); err != nil {
		t.Fatalf("body: %v\n%s", err, got)
	}
	for _, d := range (apitest.Shape{Dynamic: map[string]bool{"columns": true}}).Diff(r, g) {
		t.Error(d)
	}
}
