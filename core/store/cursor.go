package store

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"
	"time"
	"unicode"
)

// A conversation cursor travels to clients (the API's next_cursor, the
// dashboard's "Older" link) as a token: base64url (unpadded) of {"t": unix
// nanoseconds, "i": id}. It is not signed: it can only position a listing
// of the caller's own workspace, so a forged one shows nothing the caller
// could not list anyway. Every field is checked on the way back, so a
// malformed one is refused, never passed to a store.
type cursorToken struct {
	T int64  `json:"t"`
	I string `json:"i"`
}

// Token is c as a client carries it.
func (c ConversationCursor) Token() string {
	b, _ := json.Marshal(cursorToken{T: c.LastAt.UnixNano(), I: c.ID}) // cannot fail
	return base64.RawURLEncoding.EncodeToString(b)
}

// Bounds of a cursor's time: a conversation's last message is after 2006
// (X's first year) and before 2200.
var (
	cursorMin = time.Date(2006, 1, 1, 0, 0, 0, 0, time.UTC).UnixNano()
	cursorMax = time.Date(2200, 1, 1, 0, 0, 0, 0, time.UTC).UnixNano()
)

const maxCursorID = 200

// ErrBadCursor is ParseCursor's answer to a token it did not make.
var ErrBadCursor = errors.New("not a cursor token")

// ParseCursor reads a cursor token (padding tolerated), or answers
// ErrBadCursor.
func ParseCursor(s string) (*ConversationCursor, error) {
	raw, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(s, "="))
	if err != nil {
		return nil, ErrBadCursor
	}
	dec := json.NewDecoder(strings.NewReader(string(raw)))
	dec.DisallowUnknownFields()
	var c cursorToken
	if err := dec.Decode(&c); err != nil || dec.More() {
		return nil, ErrBadCursor
	}
	if c.T < cursorMin || c.T > cursorMax || c.I == "" || len(c.I) > maxCursorID ||
		strings.IndexFunc(c.I, func(r rune) bool { return r > unicode.MaxASCII || !unicode.IsPrint(r) || r == ' ' }) >= 0 {
		return nil, ErrBadCursor
	}
	return &ConversationCursor{LastAt: time.Unix(0, c.T).UTC(), ID: c.I}, nil
}
