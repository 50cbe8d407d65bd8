package api

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
)

// operations lists every operation the server registered, by id.
func operations(s *Server) []operationRef { return documentedOperations(s.api.OpenAPI()) }

// fill puts value in place of every {param} of an OpenAPI path.
func fill(path, value string) string {
	var b strings.Builder
	for {
		open := strings.IndexByte(path, '{')
		if open < 0 {
			b.WriteString(path)
			return b.String()
		}
		end := strings.IndexByte(path[open:], '}')
		b.WriteString(path[:open])
		b.WriteString(url.PathEscape(value))
		path = path[open+end+1:]
	}
}

// queryEscape percent-encodes the bytes of s that cannot stand in a URL's
// query as they are, and keeps the rest (& = % and the like) as sent, so
// that the server sees the query a client could really send.
func queryEscape(s string) string {
	const keep = "-._~!$&'()*+,;=:@/?%"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte(keep, c) >= 0 {
			b.WriteByte(c)
			continue
		}
		fmt.Fprintf(&b, "%%%02X", c)
	}
	return b.String()
}

// FuzzEveryOperation sends generated input to every operation: the body of
// those that take one, the query string of the others, and a generated
// path parameter. No input may get a 5xx, and every error is the hosted
// API's error body.
func FuzzEveryOperation(f *testing.F) {
	l := newLive(f)
	ops := operations(l.Server)
	if len(ops) == 0 {
		f.Fatal("no operations")
	}
	seeds := []string{
		``, `{}`, `null`, `[]`, `{"a":1}`, `{"handle": 1}`, `{"id": "x", "workspace_id": "ws-b"}`,
		`{"limit": 1000}`, `limit=1000&offset=-1`, `cursor=forged`, `id=../../etc`,
		`{"name": "` + strings.Repeat("x", 300) + `"}`, "\x00\xff", `{"tag": null}`,
		`{"conversation_id": "", "message": ""}`, `{"scheduled_at": "yesterday"}`,
	}
	for i := range ops {
		for _, s := range seeds {
			f.Add(uint8(i), "x", s)
		}
	}
	f.Fuzz(func(t *testing.T, which uint8, param, input string) {
		op := ops[int(which)%len(ops)]
		target := l.URL + fill(op.Path, param)
		var body *strings.Reader
		if op.Op.RequestBody != nil {
			body = strings.NewReader(input)
		} else {
			body = strings.NewReader("")
			target += "?" + queryEscape(input)
		}
		req, err := http.NewRequest(op.Method, target, body)
		if err != nil {
			return // not a request a client could send
		}
		req.Header.Set("X-API-Key", l.KeyA)
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatalf("%s %s: %v", op.Method, target, err)
		}
		defer resp.Body.Close()
		var e struct {
			Error   string `json:"error"`
			Message string `json:"message"`
		}
		decodeErr := json.NewDecoder(resp.Body).Decode(&e)
		if op.Op.Responses[strconv.Itoa(resp.StatusCode)] == nil {
			t.Errorf("%s with %q: status %d, which its OpenAPI entry does not document", op.ID, input, resp.StatusCode)
		}
		switch {
		case resp.StatusCode >= 500:
			t.Fatalf("%s (%s %s) with %q: status %d %+v", op.ID, op.Method, target, input, resp.StatusCode, e)
		case resp.StatusCode >= 400 && (decodeErr != nil || e.Error == "" || e.Message == ""):
			t.Fatalf("%s with %q: status %d without the error body (%v)", op.ID, input, resp.StatusCode, decodeErr)
		}
	})
}

// TestBodyOverLimit: every operation that takes a body refuses one over
// 1 MiB with 413 and the hosted API's error body, JSON or not.
func TestBodyOverLimit(t *testing.T) {
	l := newLive(t)
	big := `{"name": "` + strings.Repeat("x", 1<<20) + `"}`
	n := 0
	for _, op := range operations(l.Server) {
		if op.Op.RequestBody == nil {
			continue
		}
		n++
		status, body := l.do(t, l.KeyA, op.Method, fill(op.Path, "x")+"?name=x", big)
		if status != http.StatusRequestEntityTooLarge {
			t.Errorf("%s with a body over 1 MiB: %d %.200s, want 413", op.ID, status, body)
			continue
		}
		var e struct{ Error, Message string }
		if err := json.Unmarshal(body, &e); err != nil || e.Error != "Request Entity Too Large" || e.Message == "" {
			t.Errorf("%s: 413 body %.200s", op.ID, body)
		}
	}
	if n < 10 {
		t.Errorf("only %d operations take a body", n)
	}
}
