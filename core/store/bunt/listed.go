package bunt

import (
	"encoding/binary"
	"errors"
	"math"
	"time"
	"unsafe"

	"github.com/outreachhq/outreach/core/store"
)

// The values of the listings of conversations (conversations.go) are a
// store.ConversationWithLead in a binary layout of their own rather than
// JSON: a page decodes a hundred of them, and JSON spent most of a page's
// time matching field names and parsing times. The layout is a version
// byte, then every field of the conversation and of its lead in
// declaration order:
//
//	string        uvarint length, bytes
//	int           varint
//	bool          one byte, 0 or 1
//	time.Time     uvarint length, time.Time.MarshalBinary (zone kept)
//	*float64      one byte for nil or not, then 8 bytes little endian
//
// Decoded strings share the value's bytes, which buntdb never changes.
// TestListedRoundTrip fails when a field is added to either type and not
// here. Fields added since the first version come after the lead's, so a
// value of an older version still decodes, with them zero.

// listedVersion is the layout written; version 2 added the AI setter's
// fields (AutoAnswers, HandedOff, HumanAnswered).
const listedVersion = 2

var errListed = errors.New("malformed listing value")

func encodeListed(c store.ConversationWithLead) ([]byte, error) {
	w := listedWriter{b: make([]byte, 0, 512)}
	w.b = append(w.b, listedVersion)
	w.str(c.ID)
	w.str(c.Workspace)
	w.str(c.AccountID)
	w.str(c.LeadID)
	w.str(c.CampaignID)
	w.int(int64(c.Variant))
	w.bool(c.Inbound)
	w.bool(c.Replied)
	w.time(c.RepliedAt)
	w.bool(c.Unread)
	w.time(c.LastAt)
	w.str(c.LastText)
	w.bool(c.LastSent)
	w.int(int64(c.MessageCount))
	w.str(c.Sentiment)
	w.str(c.CRM.Tag)
	w.str(c.CRM.Notes)
	w.float(c.CRM.DealValue)
	w.str(c.CRM.DealCurrency)
	w.bool(c.AutoTag)
	w.time(c.CreatedAt)
	w.time(c.UpdatedAt)

	l := c.Lead
	w.str(l.UserID)
	w.str(l.Workspace)
	w.str(l.Username)
	w.str(l.Name)
	w.str(l.Bio)
	w.str(l.Location)
	w.str(l.Website)
	w.int(l.Followers)
	w.int(l.Following)
	w.bool(l.Verified)
	w.bool(l.Protected)
	w.str(l.ProfileImageURL)
	w.time(l.FoundAt)

	w.int(int64(c.AutoAnswers))
	w.bool(c.HandedOff)
	w.bool(c.HumanAnswered)
	return w.b, w.err
}

func decodeListed(v string, c *store.ConversationWithLead) error {
	if len(v) == 0 || v[0] < 1 || v[0] > listedVersion {
		return errListed
	}
	r := listedReader{b: unsafe.Slice(unsafe.StringData(v), len(v)), i: 1}
	c.ID = r.str()
	c.Workspace = r.str()
	c.AccountID = r.str()
	c.LeadID = r.str()
	c.CampaignID = r.str()
	c.Variant = int(r.int())
	c.Inbound = r.bool()
	c.Replied = r.bool()
	c.RepliedAt = r.time()
	c.Unread = r.bool()
	c.LastAt = r.time()
	c.LastText = r.str()
	c.LastSent = r.bool()
	c.MessageCount = int(r.int())
	c.Sentiment = r.str()
	c.CRM.Tag = r.str()
	c.CRM.Notes = r.str()
	c.CRM.DealValue = r.float()
	c.CRM.DealCurrency = r.str()
	c.AutoTag = r.bool()
	c.CreatedAt = r.time()
	c.UpdatedAt = r.time()

	l := &c.Lead
	l.UserID = r.str()
	l.Workspace = r.str()
	l.Username = r.str()
	l.Name = r.str()
	l.Bio = r.str()
	l.Location = r.str()
	l.Website = r.str()
	l.Followers = r.int()
	l.Following = r.int()
	l.Verified = r.bool()
	l.Protected = r.bool()
	l.ProfileImageURL = r.str()
	l.FoundAt = r.time()
	if v[0] >= 2 {
		c.AutoAnswers = int(r.int())
		c.HandedOff = r.bool()
		c.HumanAnswered = r.bool()
	} else {
		c.AutoAnswers, c.HandedOff, c.HumanAnswered = 0, false, false
	}
	if r.err == nil && r.i != len(r.b) {
		r.err = errListed
	}
	return r.err
}

type listedWriter struct {
	b   []byte
	err error
}

func (w *listedWriter) str(s string) {
	w.b = binary.AppendUvarint(w.b, uint64(len(s)))
	w.b = append(w.b, s...)
}

func (w *listedWriter) int(n int64) { w.b = binary.AppendVarint(w.b, n) }

func (w *listedWriter) bool(v bool) {
	if v {
		w.b = append(w.b, 1)
	} else {
		w.b = append(w.b, 0)
	}
}

func (w *listedWriter) time(t time.Time) {
	b, err := t.MarshalBinary()
	if err != nil && w.err == nil {
		w.err = err
	}
	w.str(string(b))
}

func (w *listedWriter) float(f *float64) {
	if f == nil {
		w.b = append(w.b, 0)
		return
	}
	w.b = append(w.b, 1)
	w.b = binary.LittleEndian.AppendUint64(w.b, math.Float64bits(*f))
}

// listedReader reads the fields of a listing value in order; the first
// failure sticks, and every read after it returns zero.
type listedReader struct {
	b   []byte
	i   int
	err error
}

func (r *listedReader) fail() { r.err, r.i = errListed, len(r.b) }

func (r *listedReader) uvarint() uint64 {
	n, k := binary.Uvarint(r.b[r.i:])
	if k <= 0 {
		r.fail()
		return 0
	}
	r.i += k
	return n
}

func (r *listedReader) bytes() []byte {
	n := r.uvarint()
	if n > uint64(len(r.b)-r.i) {
		r.fail()
		return nil
	}
	b := r.b[r.i : r.i+int(n)]
	r.i += int(n)
	return b
}

func (r *listedReader) str() string {
	b := r.bytes()
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(&b[0], len(b))
}

func (r *listedReader) int() int64 {
	n, k := binary.Varint(r.b[r.i:])
	if k <= 0 {
		r.fail()
		return 0
	}
	r.i += k
	return n
}

func (r *listedReader) bool() bool {
	if r.i >= len(r.b) || r.b[r.i] > 1 {
		r.fail()
		return false
	}
	r.i++
	return r.b[r.i-1] == 1
}

func (r *listedReader) time() time.Time {
	var t time.Time
	if b := r.bytes(); r.err == nil {
		if err := t.UnmarshalBinary(b); err != nil {
			r.fail()
		}
	}
	return t
}

func (r *listedReader) float() *float64 {
	switch {
	case !r.bool():
		return nil
	case len(r.b)-r.i < 8:
		r.fail()
		return nil
	}
	f := math.Float64frombits(binary.LittleEndian.Uint64(r.b[r.i:]))
	r.i += 8
	return &f
}
