package bunt

import (
	"fmt"
	"strings"
	"time"
)

// Keys are tuples of components joined by a NUL byte. Each component is
// escaped (NUL as 0x01 0x01, 0x01 as 0x01 0x02) so that no component holds
// the separator and, the separator being the smallest byte, the key order
// of two tuples is the order of their components, first to last, whatever
// the components hold: workspace "a" sorts before "a-b" and before "a/b",
// which a printable separator such as "/" would get wrong. Listings lean on
// that order (due jobs by time, then workspace and id; queue lanes by
// campaign, then kind).
//
// A workspace's records and indexes live under ("w", workspace); the few
// keys that span workspaces have a first component of their own. Written
// with "/" for the separator:
//
//	w/ws/<kind>/id                   accounts, filters, sources, campaigns, webhooks, tweets, tags
//	w/ws/addr/<kind>/address         id of the object configuration manages at address
//	w/ws/state/account               AccountState
//	w/ws/sent/account/day            DMs sent on a day
//	w/ws/lead/user                   Lead
//	w/ws/srcm|srcl|srcn/source/...   a source's leads: membership, order, count (leads.go)
//	w/ws/contacted/user, dnc/user    first campaign to cold-message a user; do-not-contact
//	w/ws/job/id and its indexes      jobs.go
//	w/ws/ct|at|rt/..., pending       tallies (tallies.go)
//	w/ws/intent/job                  Intent
//	w/ws/eng/campaign/lead/step      Engagement; et/... its tallies, engd/account/step/day daily counts (engagements.go)
//	w/ws/conv/id, cvt|cva|cvg|cvl/...  conversations and their listings (conversations.go)
//	w/ws/msg/conv/at/id, msgid/...   messages in order; the ids stored
//	w/ws/ev/seq                      the outbox (outbox.go)
//	w/ws/dlv/id, dlw/webhook/...     deliveries, newest first
//	w/ws/apikey/id                   APIKey
//	workspace/name                   registered workspaces
//	accounts/ws/id                   every account, for AllAccounts
//	handle/handle                    ref of the account of a normalized handle
//	due/at/ws/id                     pending jobs without an account, due order
//	leased/job|state/ws/id           jobs and account states with a lease owner
//	intexp/expires/ws/job            intents by lease expiry
//	keyhash/hash                     ref of the API key of a hash
//	session/tokenhash                Session, a dashboard's (sessions.go; never copied)
//	seq, cursor/consumer             the outbox's last Seq; consumers' cursors
//	setting/name                     install-wide settings
//	meta/format                      the layout the file is in (format.go)
//	~commit                          the commit mark, after every key (commit.go)
//
// A ref is a (workspace, id) pair encoded as a key.
const sep = "\x00"

// key joins components into a key.
func key(parts ...string) string {
	var b strings.Builder
	n := len(parts)
	for _, p := range parts {
		n += len(p)
	}
	b.Grow(n) // one allocation, unless a component needs escaping
	for i, p := range parts {
		if i > 0 {
			b.WriteString(sep)
		}
		writeEscaped(&b, p)
	}
	return b.String()
}

// prefix is the start of every key whose first components are parts.
func prefix(parts ...string) string { return key(parts...) + sep }

// prefixEnd is the first key after every key that starts with p (a
// prefix, ending in the separator).
func prefixEnd(p string) string { return p[:len(p)-1] + "\x01" }

// after is the lower bound of the keys that sort after k, in an index
// where k's last component is the last of every key (no key extends k by
// another component).
func after(k string) string { return k + "\x01" }

func writeEscaped(b *strings.Builder, s string) {
	if !strings.ContainsAny(s, "\x00\x01") {
		b.WriteString(s)
		return
	}
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case 0:
			b.WriteString("\x01\x01")
		case 1:
			b.WriteString("\x01\x02")
		default:
			b.WriteByte(c)
		}
	}
}

func escape(s string) string {
	var b strings.Builder
	writeEscaped(&b, s)
	return b.String()
}

func unescape(s string) string {
	if !strings.Contains(s, "\x01") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == 1 && i+1 < len(s) {
			i++
			b.WriteByte(s[i] - 1)
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// split returns the components of a key (or of the part of one after a
// prefix).
func split(k string) []string {
	parts := strings.Split(k, sep)
	for i, p := range parts {
		parts[i] = unescape(p)
	}
	return parts
}

// printable renders a key for an error message.
func printable(k string) string { return strings.Join(split(k), "/") }

// timeKey orders instants: fixed width, so key order is time order. It is
// the seconds since 1970 with the sign bit flipped (so that every time.Time
// has one, the zero time and times before 1970 included, where UnixNano is
// undefined), then the nanoseconds.
func timeKey(t time.Time) string {
	return fmt.Sprintf("%016x%09d", uint64(t.Unix())^(1<<63), t.Nanosecond())
}

// newestFirst orders instants latest first.
func newestFirst(t time.Time) string {
	return fmt.Sprintf("%016x%09d", ^(uint64(t.Unix()) ^ (1 << 63)), 999_999_999-t.Nanosecond())
}

// descending orders strings in reverse: each byte of the escaped string
// complemented (so none is 0xff), then 0xff, so that "ab" comes before "a".
func descending(s string) string {
	e := []byte(escape(s))
	for i, c := range e {
		e[i] = ^c
	}
	return string(append(e, 0xff))
}

// seqKey orders non-negative integers (outbox sequence numbers, positions).
// A negative one sorts before them all, which makes it a lower bound.
func seqKey(n int64) string { return fmt.Sprintf("%020d", n) }

// wsKey is a key of workspace ws.
func wsKey(ws string, parts ...string) string {
	all := make([]string, 0, 8)
	return key(append(append(all, "w", ws), parts...)...)
}

// wsPrefix is the start of a workspace's keys of one kind.
func wsPrefix(ws string, parts ...string) string { return wsKey(ws, parts...) + sep }

// ref names a record of a workspace in the value of a key that spans
// workspaces.
func ref(ws, id string) string { return key(ws, id) }

// unref reads a ref stored under key k.
func unref(k, v string) (ws, id string, err error) {
	p := split(v)
	if len(p) != 2 {
		return "", "", fmt.Errorf("decode %s: %q names no record", printable(k), v)
	}
	return p[0], p[1], nil
}

func errBadKey(k string) error { return fmt.Errorf("malformed key %s", printable(k)) }
