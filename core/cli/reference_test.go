package cli

import (
	"encoding/json"
	"fmt"
	"os"
	"regexp"
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
}
