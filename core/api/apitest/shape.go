// Package apitest holds what tests of the API share: the check that a
// response has the shape of the hosted API's example.
package apitest

import (
	"fmt"
	"sort"
)

// Shape compares the shape of got with the reference's example want:
// the same keys, recursively, and the same JSON types. A null in the
// example stands for "null or a value" (the reference shows nulls where a
// value may come); elements of a list are each compared with the
// example's first; under a path in dynamic (a map keyed by data, such as
// the CRM board's columns) every value is compared with the example's
// first value.
type Shape struct {
	// Dynamic are the paths of maps keyed by data.
	Dynamic map[string]bool
	// NeedItems makes an empty list where the example has items a
	// difference: its items' shape could not be checked.
	NeedItems bool
}

// Diff lists how got's shape differs from want's; none when it does not.
func (s Shape) Diff(want, got any) []string { return s.diff("", want, got) }

func (s Shape) diff(path string, want, got any) []string {
	dynamic := s.Dynamic
	if want == nil {
		return nil
	}
	where := path
	if where == "" {
		where = "the body"
	}
	switch w := want.(type) {
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok {
			return []string{fmt.Sprintf("%s: %s, want an object", where, jsonKind(got))}
		}
		if dynamic[path] {
			// Keyed by data: each value is compared with the example's
			// value of the same key, or with its first value, whose items
			// a value the example does not show need not have.
			var first any
			for _, k := range sortedKeys(w) {
				first = w[k]
				break
			}
			var diffs []string
			for _, k := range sortedKeys(g) {
				ref, sub := w[k], s
				if _, ok := w[k]; !ok {
					ref, sub.NeedItems = first, false
				}
				diffs = append(diffs, sub.diff(path+"."+k, ref, g[k])...)
			}
			return diffs
		}
		var diffs []string
		for _, k := range sortedKeys(w) {
			gv, ok := g[k]
			if !ok {
				diffs = append(diffs, fmt.Sprintf("%s: no field %q", where, k))
				continue
			}
			diffs = append(diffs, s.diff(join(path, k), w[k], gv)...)
		}
		for _, k := range sortedKeys(g) {
			if _, ok := w[k]; !ok {
				diffs = append(diffs, fmt.Sprintf("%s: field %q, which the reference does not have", where, k))
			}
		}
		return diffs
	case []any:
		g, ok := got.([]any)
		if !ok {
			return []string{fmt.Sprintf("%s: %s, want a list", where, jsonKind(got))}
		}
		if len(w) == 0 {
			return nil
		}
		if len(g) == 0 && s.NeedItems {
			return []string{fmt.Sprintf("%s: an empty list, so its items' shape cannot be checked; the scenario must fill it", where)}
		}
		var diffs []string
		for i, gv := range g {
			diffs = append(diffs, s.diff(fmt.Sprintf("%s[%d]", path, i), w[0], gv)...)
		}
		return diffs
	default:
		if jsonKind(want) != jsonKind(got) {
			return []string{fmt.Sprintf("%s: %s, want %s", where, jsonKind(got), jsonKind(want))}
		}
		return nil
	}
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func jsonKind(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case map[string]any:
		return "an object"
	case []any:
		return "a list"
	case string:
		return "a string"
	case float64:
		return "a number"
	case bool:
		return "a boolean"
	}
	return fmt.Sprintf("%T", v)
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
