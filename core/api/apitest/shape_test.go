package apitest

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestShape: a missing field, an extra one, a wrong type, a map keyed by
// data, and an empty list where items were wanted.
func TestShape(t *testing.T) {
	var want, got any
	_ = json.Unmarshal([]byte(`{"a": 1, "b": [{"c": "x", "d": null}], "m": {"k1": {"n": 1}}, "l": [1]}`), &want)
	_ = json.Unmarshal([]byte(`{"a": "1", "b": [{"c": "y", "d": 3, "e": true}], "m": {"k2": {"n": 2}, "k3": {}}, "l": [], "f": 0}`), &got)
	diffs := Shape{Dynamic: map[string]bool{"m": true}, NeedItems: true}.Diff(want, got)
	wantDiffs := []string{
		"a: a string, want a number",
		`b[0]: field "e", which the reference does not have`,
		"l: an empty list, so its items' shape cannot be checked; the scenario must fill it",
		`m.k3: no field "n"`,
		`the body: field "f", which the reference does not have`,
	}
	if strings.Join(diffs, "\n") != strings.Join(wantDiffs, "\n") {
		t.Errorf("Diff:\n%s\nwant:\n%s", strings.Join(diffs, "\n"), strings.Join(wantDiffs, "\n"))
	}
	if d := (Shape{Dynamic: map[string]bool{"m": true}}).Diff(want, got); len(d) != len(wantDiffs)-1 {
		t.Errorf("without NeedItems: %q", d)
	}
}
