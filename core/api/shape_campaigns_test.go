package api

import (
	"encoding/json"
	"fmt"
	"slices"
	"testing"
)

// wantShape fails t unless got has exactly the keys of the reference's
// example ref at every level, with the same JSON types. In arrays, every
// element of got is compared with the example's first; a null in the
// example matches anything (the reference shows null for optional
// objects).
func wantShape(t *testing.T, ref string, got []byte) {
	t.Helper()
	var r, g any
	if err := json.Unmarshal([]byte(ref), &r); err != nil {
		t.Fatalf("reference: %v", err)
	}
	if err := json.Unmarshal(got, &g); err != nil {
		t.Fatalf("body: %v\n%s", err, got)
	}
	for _, d := range shapeDiffs("$", r, g) {
		t.Error(d)
	}
}

func shapeDiffs(path string, ref, got any) []string {
	if ref == nil {
		return nil
	}
	if jsonType(ref) != jsonType(got) {
		return []string{fmt.Sprintf("%s is a JSON %s, the reference has a %s", path, jsonType(got), jsonType(ref))}
	}
	var out []string
	switch r := ref.(type) {
	case map[string]any:
		g := got.(map[string]any)
		if !slices.Equal(keys(r), keys(g)) {
			out = append(out, fmt.Sprintf("%s keys = %v, the reference has %v", path, keys(g), keys(r)))
		}
		for k, v := range r {
			if gv, ok := g[k]; ok {
				out = append(out, shapeDiffs(path+"."+k, v, gv)...)
			}
		}
	case []any:
		g := got.([]any)
		if len(r) == 0 {
			return nil
		}
		for i, gv := range g {
			out = append(out, shapeDiffs(fmt.Sprintf("%s[%d]", path, i), r[0], gv)...)
		}
	}
	return out
}
