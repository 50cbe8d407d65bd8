package cli

import (
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// The hosted API's reference (../shared/api-reference.txt, copied into the
// repository so that CI has it) holds a curl example of each request and,
// after most, an example response. This file reads them, so that a test
// runs the reference's own requests against outreach serve.

const referencePath = "../api/testdata/api-reference.txt"

// refExample is one curl request of the reference, with the example
// response it documents.
type refExample struct {
	// Line is where its curl command starts, 1-based.
	Line    int
	Method  string
	Path    string // under /api/v1, without the query: "/accounts"
	Query   string // the raw query, without "?"
	Headers map[string]string
	Body    string // "" for none
	// Response is the example response: the first JSON object after the
	// request, or, for a request whose example has none of its own (one
	// of two forms of the same call), the next one of the same method and
	// path. "" when the reference shows none.
	Response string
}

func (e refExample) String() string {
	s := fmt.Sprintf("%s /api/v1%s", e.Method, e.Path)
	if e.Query != "" {
		s += "?" + e.Query
	}
	return fmt.Sprintf("%s (reference line %d)", s, e.Line)
}

var (
	refURL    = regexp.MustCompile(`https://app\.scrapely\.co/api/v1(/[a-z0-9/_-]*)(\?[^"\s']*)?`)
	refMethod = regexp.MustCompile(`-X ([A-Z]+)`)
	refHeader = regexp.MustCompile(`-H "([^:"]+): ([^"]*)"`)
)

// readReference parses the reference's curl examples.
func readReference(t testing.TB) []refExample {
	t.Helper()
	b, err := os.ReadFile(referencePath)
	if err != nil {
		t.Fatal(err)
	}
	text := string(b)
	lines := strings.SplitAfter(text, "\n")
	var out []refExample
	offset := 0 // of lines[i] in text
	for i := range lines {
		start := offset
		offset += len(lines[i])
		if !strings.HasPrefix(lines[i], "curl ") {
			continue
		}
		// The command runs up to the line with its URL; -d '...' may span
		// lines in between.
		end, cmd := i, ""
		for ; end < len(lines); end++ {
			cmd += lines[end]
			if refURL.MatchString(lines[end]) {
				break
			}
		}
		if end == len(lines) {
			t.Fatalf("%s:%d: a curl command without the API's URL", referencePath, i+1)
		}
		m := refURL.FindStringSubmatch(lines[end])
		e := refExample{Line: i + 1, Method: "GET", Path: m[1], Query: strings.TrimPrefix(m[2], "?"), Headers: map[string]string{}}
		if mm := refMethod.FindStringSubmatch(cmd); mm != nil {
			e.Method = mm[1]
		}
		for _, h := range refHeader.FindAllStringSubmatch(cmd, -1) {
			e.Headers[h[1]] = h[2]
		}
		if _, body, ok := strings.Cut(cmd, "-d '"); ok {
			body, _, _ = strings.Cut(body, "'")
			e.Body = body
		}
		// The response: the first JSON object after the command, unless
		// another command comes first.
		rest := "\n" + text[start+len(strings.Join(lines[i:end+1], "")):]
		brace, next := strings.Index(rest, "\n{"), strings.Index(rest, "\ncurl ")
		if brace >= 0 && (next < 0 || brace < next) {
			e.Response = jsonObjectAt(t, rest[brace+1:])
		}
		out = append(out, e)
	}
	// A form without a response of its own has the next one's.
	for i := range out {
		for j := i + 1; out[i].Response == "" && j < len(out); j++ {
			if out[j].Method == out[i].Method && out[j].Path == out[i].Path {
				out[i].Response = out[j].Response
			}
		}
	}
	return out
}

// jsonObjectAt returns the JSON object s starts with, up to its closing
// brace (the reference runs text on after it).
func jsonObjectAt(t testing.TB, s string) string {
	t.Helper()
	depth, inString, escaped := 0, false, false
	for i, c := range s {
		switch {
		case escaped:
			escaped = false
		case inString && c == '\\':
			escaped = true
		case c == '"':
			inString = !inString
		case inString:
		case c == '{' || c == '[':
			depth++
		case c == '}' || c == ']':
			depth--
			if depth == 0 {
				obj := s[:i+1]
				if !json.Valid([]byte(obj)) {
					t.Fatalf("an example response of the reference is not JSON:\n%s", obj)
				}
				return obj
			}
		}
	}
	t.Fatalf("an unterminated JSON object in the reference:\n%.200s", s)
	return ""
}

// shapeDiff compares the shape of got with the reference's example want:
// the same keys, recursively, and the same JSON types. A null in the
// example stands for "null or a value" (the reference shows nulls where a
// value may come); elements of a list are each compared with the
// example's first; under a path in dynamic (a map keyed by data, such as
// the CRM board's columns) every value is compared with the example's
// first value.
func shapeDiff(path string, want, got any, dynamic map[string]bool) []string {
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
			var first any
			for _, k := range sortedKeys(w) {
				first = w[k]
				break
			}
			var diffs []string
			for _, k := range sortedKeys(g) {
				diffs = append(diffs, shapeDiff(path+"."+k, first, g[k], dynamic)...)
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
			diffs = append(diffs, shapeDiff(join(path, k), w[k], gv, dynamic)...)
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
		if len(g) == 0 {
			return []string{fmt.Sprintf("%s: an empty list, so its items' shape cannot be checked; the scenario must fill it", where)}
		}
		var diffs []string
		for i, gv := range g {
			diffs = append(diffs, shapeDiff(fmt.Sprintf("%s[%d]", path, i), w[0], gv, dynamic)...)
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

// TestReadReference checks the reader on the reference itself: every
// documented request is found, with its method, its body and an example
// response.
func TestReadReference(t *testing.T) {
	examples := readReference(t)
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
	// The shape check itself: a missing field, an extra one, a wrong type.
	var want0, got0 any
	_ = json.Unmarshal([]byte(`{"a": 1, "b": [{"c": "x", "d": null}], "m": {"k1": {"n": 1}}}`), &want0)
	_ = json.Unmarshal([]byte(`{"a": "1", "b": [{"c": "y", "d": 3, "e": true}], "m": {"k2": {"n": 2}, "k3": {}}, "f": 0}`), &got0)
	diffs := shapeDiff("", want0, got0, map[string]bool{"m": true})
	wantDiffs := []string{
		"a: a string, want a number",
		`b[0]: field "e", which the reference does not have`,
		`m.k3: no field "n"`,
		`the body: field "f", which the reference does not have`,
	}
	if strings.Join(diffs, "\n") != strings.Join(wantDiffs, "\n") {
		t.Errorf("shapeDiff:\n%s\nwant:\n%s", strings.Join(diffs, "\n"), strings.Join(wantDiffs, "\n"))
	}
}
