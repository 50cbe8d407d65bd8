package apitest

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// The hosted API's reference (../shared/api-reference.txt, copied into the
// repository so that CI has it) holds a curl example of each request and,
// after most, an example response. This file reads them, so that a test
// runs the reference's own requests against outreach serve.

// ReferencePath is the reference's copy, from the module's root.
const ReferencePath = "core/api/testdata/api-reference.txt"

// Example is one curl request of the reference, with the example
// response it documents.
type Example struct {
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

func (e Example) String() string {
	s := fmt.Sprintf("%s /api/v1%s", e.Method, e.Path)
	if e.Query != "" {
		s += "?" + e.Query
	}
	return fmt.Sprintf("%s (reference line %d)", s, e.Line)
}

var (
	curlURL    = regexp.MustCompile(`https://app\.scrapely\.co/api/v1(/[a-z0-9/_-]*)(\?[^"\s']*)?`)
	curlMethod = regexp.MustCompile(`-X ([A-Z]+)`)
	curlHeader = regexp.MustCompile(`-H "([^:"]+): ([^"]*)"`)
)

// Reference parses the reference's curl examples.
func Reference(t testing.TB) []Example {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(moduleRoot(t), ReferencePath))
	if err != nil {
		t.Fatal(err)
	}
	text := string(b)
	lines := strings.SplitAfter(text, "\n")
	var out []Example
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
			if curlURL.MatchString(lines[end]) {
				break
			}
		}
		if end == len(lines) {
			t.Fatalf("%s:%d: a curl command without the API's URL", ReferencePath, i+1)
		}
		m := curlURL.FindStringSubmatch(lines[end])
		e := Example{Line: i + 1, Method: "GET", Path: m[1], Query: strings.TrimPrefix(m[2], "?"), Headers: map[string]string{}}
		if mm := curlMethod.FindStringSubmatch(cmd); mm != nil {
			e.Method = mm[1]
		}
		for _, h := range curlHeader.FindAllStringSubmatch(cmd, -1) {
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

// moduleRoot is the directory of go.mod, above the test's working dir.
func moduleRoot(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the working directory")
		}
		dir = parent
	}
}

// ExampleOf returns the reference's first example of method and path
// (with query, when given: "/conversations?conversation_id=...").
func ExampleOf(t testing.TB, method, target string) Example {
	t.Helper()
	path, query, _ := strings.Cut(target, "?")
	for _, e := range Reference(t) {
		if e.Method == method && e.Path == path && (query == "" || e.Query == query) {
			return e
		}
	}
	t.Fatalf("the reference has no example of %s %s", method, target)
	return Example{}
}
