package xsim

import (
	"encoding/base32"
	"encoding/binary"
	"net/url"
	"strconv"
)

// Pagination tokens are opaque to clients, as X's are: base32 without padding
// (X's look like "DFEDBNRFT3MHCZZZ"; its OpenAPI says base32, at least 16
// characters). Inside: kind (1 byte) | scope (8) | cursor (8) | check (2).
//
//   - kind says which list the token pages (followers, following, DM events,
//     tweets), so a token cannot be replayed on another list;
//   - scope binds it to the list's owner (or the reader and conversation);
//   - cursor is an offset for generated lists, and for DM events the id of the
//     last event returned, so new events do not shift later pages;
//   - check is a hash of the rest, so a mangled token is refused with 400
//     instead of paging from a random place.
type cursorKind byte

const (
	cursorFollowers cursorKind = 'F'
	cursorFollowing cursorKind = 'G'
	cursorDMEvents  cursorKind = 'D'
	cursorTweets    cursorKind = 'T'
)

var tokenEncoding = base32.StdEncoding.WithPadding(base32.NoPadding)

const tokenLen = 19

func encodeToken(kind cursorKind, scope, cursor uint64) string {
	var b [tokenLen]byte
	b[0] = byte(kind)
	binary.BigEndian.PutUint64(b[1:], scope)
	binary.BigEndian.PutUint64(b[9:], cursor)
	binary.BigEndian.PutUint16(b[17:], uint16(hashOf(uint64(kind), scope, cursor)))
	return tokenEncoding.EncodeToString(b[:])
}

// decodeToken returns the cursor of a token made by encodeToken for the same
// kind and scope.
func decodeToken(tok string, kind cursorKind, scope uint64) (uint64, bool) {
	if len(tok) != tokenEncoding.EncodedLen(tokenLen) {
		return 0, false
	}
	b, err := tokenEncoding.DecodeString(tok)
	if err != nil || len(b) != tokenLen || b[0] != byte(kind) {
		return 0, false
	}
	if binary.BigEndian.Uint64(b[1:]) != scope {
		return 0, false
	}
	cursor := binary.BigEndian.Uint64(b[9:])
	if binary.BigEndian.Uint16(b[17:]) != uint16(hashOf(uint64(kind), scope, cursor)) {
		return 0, false
	}
	return cursor, true
}

// pageQuery is a validated max_results and pagination_token.
type pageQuery struct {
	max       int
	cursor    uint64
	hasCursor bool
}

// pageSpec is what one list endpoint accepts.
type pageSpec struct {
	def, lo, hi int
	kind        cursorKind
	scope       uint64
}

var (
	followersPageSpec = pageSpec{def: 100, lo: 1, hi: 1000}
	dmEventsPageSpec  = pageSpec{def: 100, lo: 1, hi: 100, kind: cursorDMEvents}
	tweetsPageSpec    = pageSpec{def: 10, lo: 5, hi: 100, kind: cursorTweets}
)

// parsePageQuery validates the paging parameters of a list request. Problems
// name the parameter, as X's invalid-request answers do.
func parsePageQuery(q url.Values, spec pageSpec) (pageQuery, *result) {
	pq := pageQuery{max: spec.def}
	if q.Has("max_results") {
		raw := q.Get("max_results")
		n, err := strconv.Atoi(raw)
		if err != nil || n < spec.lo || n > spec.hi {
			r := invalidParam("max_results", raw,
				"The `max_results` query parameter value [%s] is not between %d and %d", raw, spec.lo, spec.hi)
			return pq, &r
		}
		pq.max = n
	}
	if q.Has("pagination_token") {
		raw := q.Get("pagination_token")
		c, ok := decodeToken(raw, spec.kind, spec.scope)
		if !ok {
			r := invalidParam("pagination_token", raw,
				"The `pagination_token` query parameter value [%s] is not a valid pagination token for this request", raw)
			return pq, &r
		}
		pq.cursor, pq.hasCursor = c, true
	}
	return pq, nil
}
