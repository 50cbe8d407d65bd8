package api

import (
	"context"
	"crypto/rand"
	"log/slog"
	"net/http"
	"strings"

	"github.com/danielgtaylor/huma/v2"
)

const (
	headerRequestID = "X-Request-ID"
	requestIDPrefix = "req_"
	// requestIDLength is the number of random characters after the prefix:
	// about 82 bits, so ids do not collide in any log.
	requestIDLength   = 16
	requestIDAlphabet = "0123456789abcdefghijklmnopqrstuvwxyz"
	// maxRequestIDLength bounds an echoed id, which ends up in our logs.
	maxRequestIDLength = 64
)

// requestState is what every request carries in its context from the
// outermost handler on, so that code with nothing but a context (huma's
// error hook, serviceError) can log against the request id.
type requestState struct {
	id  string
	log *slog.Logger
}

type ctxKey int

const (
	stateKey ctxKey = iota
	workspaceKey
)

func stateFrom(ctx context.Context) requestState {
	if s, ok := ctx.Value(stateKey).(requestState); ok {
		return s
	}
	return requestState{log: slog.Default()}
}

// withRequestID gives every response an X-Request-ID, the one support asks
// for. A client that sends an id of our own form (say, retrying a request it
// logged) gets it back, so both sides log the same id; anything else is
// replaced, since it would be written to our logs.
func withRequestID(log *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := r.Header.Get(headerRequestID)
		if !validRequestID(id) {
			id = newRequestID()
		}
		w.Header().Set(headerRequestID, id)
		ctx := context.WithValue(r.Context(), stateKey, requestState{id: id, log: log})
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// newRequestID returns "req_" and random lower-case alphanumerics, the form
// of the hosted API's ids (req_m1abc123def456).
func newRequestID() string {
	b := make([]byte, 0, len(requestIDPrefix)+requestIDLength)
	b = append(b, requestIDPrefix...)
	buf := make([]byte, 2*requestIDLength)
	for len(b) < cap(b) {
		_, _ = rand.Read(buf) // never fails: crypto/rand panics instead
		for _, c := range buf {
			// Rejection sampling keeps every symbol equally likely:
			// 252 is the largest multiple of 36 below 256.
			if c < 252 && len(b) < cap(b) {
				b = append(b, requestIDAlphabet[int(c)%len(requestIDAlphabet)])
			}
		}
	}
	return string(b)
}

// validRequestID reports whether id has the form newRequestID produces,
// with a length between 8 and maxRequestIDLength characters after "req_".
func validRequestID(id string) bool {
	rest, ok := strings.CutPrefix(id, requestIDPrefix)
	if !ok || len(rest) < 8 || len(rest) > maxRequestIDLength {
		return false
	}
	for i := 0; i < len(rest); i++ {
		c := rest[i]
		if (c < '0' || c > '9') && (c < 'a' || c > 'z') {
			return false
		}
	}
	return true
}

// requestIDHeader documents X-Request-ID on a response in the OpenAPI
// document.
func requestIDHeader() *huma.Param {
	return &huma.Param{
		Description: "Id of this request (req_ and lower-case letters and digits). Quote it when reporting a problem. A well-formed X-Request-ID sent by the client is echoed.",
		Schema:      &huma.Schema{Type: "string", Examples: []any{"req_m1abc123def456"}},
	}
}
