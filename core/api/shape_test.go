package api

import (
	"encoding/json"
	"testing"
)

// wantShape fails t unless got has exactly the keys of the reference's
// example ref, recursively (objects by key, arrays by their first
// element), with the same JSON types. A null in got stands for any type
// where the reference shows a value or a null.
func wantShape(t testing.TB, ref string, got []byte) {
	t.Helper()
	var r, g any
	if err := json.Unmarshal([]byte(ref), &r); err != nil {
		t.Fatalf("reference: %v", err)
	}
	if err := json.Unmarshal(got, &g); err != nil {
		t.Fatalf("body: %v\n%s", err, got)
	}
	compareShape(t, "$", r, g)
}

func compareShape(t testing.TB, path string, ref, got any) {
	t.Helper()
	if ref == nil || got == nil {
		return // a null: the reference's null fields are ours when unset
	}
	if jsonType(ref) != jsonType(got) {
		t.Errorf("%s is a JSON %s, the reference has a %s", path, jsonType(got), jsonType(ref))
		return
	}
	switch r := ref.(type) {
	case map[string]any:
		g := got.(map[string]any)
		for k, v := range r {
			gv, ok := g[k]
			if !ok {
				t.Errorf("%s.%s is missing", path, k)
				continue
			}
			compareShape(t, path+"."+k, v, gv)
		}
		for k := range g {
			if _, ok := r[k]; !ok {
				t.Errorf("%s.%s is not in the reference", path, k)
			}
		}
	case []any:
		g := got.([]any)
		if len(r) > 0 && len(g) > 0 {
			compareShape(t, path+"[0]", r[0], g[0])
		}
	}
}
