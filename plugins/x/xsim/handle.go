package xsim

import (
	"strings"
)

// Generated users have handles built from a first and a last name, the way
// people pick them: "sarahchen", "sarah_chen", "sarahchen42", "sarah_chen7",
// "sarah1987", "sarah_42", "schen88". A handle of that shape is described by
// handleParts, which pack into 36 bits and so fit in an id (see ids.go).
//
// Several parts can spell the same handle ("jameslee" is James Lee, but also
// Lee James if both are first names). parseHandle picks the smallest packing as
// the canonical one; only canonical parts have an id, so a username has exactly
// one id.
type handleParts struct {
	form   uint8  // one of the form* constants
	first  uint8  // index in firstNames
	last   uint8  // index in lastNames; 0 for forms without a last name
	dlen   uint8  // number of trailing digits, 0..4
	digits uint16 // value of the trailing digits, < 10^dlen
}

const (
	formFirstLast            = iota // sarahchen
	formFirstUnderLast              // sarah_chen
	formFirstLastDigits             // sarahchen42
	formFirstUnderLastDigits        // sarah_chen42
	formFirstDigits                 // sarah1987
	formFirstUnderDigits            // sarah_42
	formInitialLastDigits           // schen88
	numForms
)

// packBits is the width of handleParts.pack: form 3, first 8, last 8, dlen 3,
// digits 14.
const packBits = 36

func (p handleParts) pack() uint64 {
	return uint64(p.form)<<33 | uint64(p.first)<<25 | uint64(p.last)<<17 | uint64(p.dlen)<<14 | uint64(p.digits)
}

func unpack(v uint64) handleParts {
	return handleParts{
		form:   uint8(v >> 33 & 7),
		first:  uint8(v >> 25),
		last:   uint8(v >> 17),
		dlen:   uint8(v >> 14 & 7),
		digits: uint16(v & (1<<14 - 1)),
	}
}

func (p handleParts) hasLast() bool {
	switch p.form {
	case formFirstLast, formFirstUnderLast, formFirstLastDigits, formFirstUnderLastDigits, formInitialLastDigits:
		return true
	}
	return false
}

func (p handleParts) hasDigits() bool {
	return p.form >= formFirstLastDigits
}

var pow10 = [...]uint16{1, 10, 100, 1000, 10000}

// render spells the parts as a lower-case username. It reports false when the
// parts are out of range or the username would not be a valid X username.
func (p handleParts) render() (string, bool) {
	if p.form >= numForms || int(p.first) >= len(firstNames) {
		return "", false
	}
	if p.hasLast() {
		if int(p.last) >= len(lastNames) {
			return "", false
		}
	} else if p.last != 0 {
		return "", false
	}
	if p.hasDigits() {
		if p.dlen < 1 || p.dlen > 4 || p.digits >= pow10[p.dlen] {
			return "", false
		}
	} else if p.dlen != 0 || p.digits != 0 {
		return "", false
	}
	first := lowerFirst[p.first]
	var b strings.Builder
	switch p.form {
	case formFirstLast, formFirstLastDigits:
		b.WriteString(first)
		b.WriteString(lowerLast[p.last])
	case formFirstUnderLast, formFirstUnderLastDigits:
		b.WriteString(first)
		b.WriteByte('_')
		b.WriteString(lowerLast[p.last])
	case formFirstDigits:
		b.WriteString(first)
	case formFirstUnderDigits:
		b.WriteString(first)
		b.WriteByte('_')
	case formInitialLastDigits:
		b.WriteByte(first[0])
		b.WriteString(lowerLast[p.last])
	}
	if p.hasDigits() {
		d := int(p.digits)
		var buf [4]byte
		for i := int(p.dlen) - 1; i >= 0; i-- {
			buf[i] = byte('0' + d%10)
			d /= 10
		}
		b.Write(buf[:p.dlen])
	}
	s := b.String()
	if len(s) > 15 || isGhost(s) {
		return "", false
	}
	return s, true
}

// parseHandle finds the canonical parts of a lower-case username, if it has
// the shape of a generated handle.
func parseHandle(s string) (handleParts, bool) {
	if len(s) == 0 || len(s) > 15 {
		return handleParts{}, false
	}
	end := len(s)
	for end > 0 && s[end-1] >= '0' && s[end-1] <= '9' {
		end--
	}
	core, ds := s[:end], s[end:]
	if len(ds) > 4 || core == "" {
		return handleParts{}, false
	}
	var digits uint16
	for i := 0; i < len(ds); i++ {
		digits = digits*10 + uint16(ds[i]-'0')
	}
	dlen := uint8(len(ds))

	best, found := handleParts{}, false
	consider := func(p handleParts) {
		if !found || p.pack() < best.pack() {
			best, found = p, true
		}
	}
	withLast, underLast := uint8(formFirstLast), uint8(formFirstUnderLast)
	if dlen > 0 {
		withLast, underLast = formFirstLastDigits, formFirstUnderLastDigits
	}
	for fi, first := range lowerFirst {
		if !strings.HasPrefix(core, first) {
			continue
		}
		rest := core[len(first):]
		if li, ok := lastIndex[rest]; ok {
			consider(handleParts{form: withLast, first: uint8(fi), last: li, dlen: dlen, digits: digits})
		}
		if strings.HasPrefix(rest, "_") {
			if li, ok := lastIndex[rest[1:]]; ok {
				consider(handleParts{form: underLast, first: uint8(fi), last: li, dlen: dlen, digits: digits})
			}
		}
		if dlen > 0 && rest == "" {
			consider(handleParts{form: formFirstDigits, first: uint8(fi), dlen: dlen, digits: digits})
		}
		if dlen > 0 && rest == "_" {
			consider(handleParts{form: formFirstUnderDigits, first: uint8(fi), dlen: dlen, digits: digits})
		}
	}
	if dlen > 0 && len(core) > 1 && core[0] >= 'a' && core[0] <= 'z' {
		if fi := initialIndex[core[0]-'a']; fi >= 0 {
			if li, ok := lastIndex[core[1:]]; ok {
				consider(handleParts{form: formInitialLastDigits, first: uint8(fi), last: li, dlen: dlen, digits: digits})
			}
		}
	}
	if !found {
		return handleParts{}, false
	}
	// Parts whose rendering exceeds 15 characters cannot occur (s has at most
	// 15), but rendering also rejects ghost handles; keep the two in step.
	if r, ok := best.render(); !ok || r != s {
		return handleParts{}, false
	}
	return best, true
}

// displayHandle gives a canonical handle its canonical capitalisation, which
// X keeps as the user typed it at sign-up: a function of the parts, so every
// lookup agrees.
func displayHandle(p handleParts, lower string) string {
	if hashOf(p.pack(), saltCasing)%100 < 60 {
		return lower
	}
	// Title-case each name: SarahChen42, Sarah_Chen, SChen88.
	b := []byte(lower)
	upper := true
	for i, c := range b {
		if upper && c >= 'a' && c <= 'z' {
			b[i] = c - 'a' + 'A'
		}
		upper = c == '_' || c >= '0' && c <= '9'
	}
	first := lowerFirst[p.first]
	switch p.form {
	case formFirstLast, formFirstLastDigits:
		b[len(first)] = b[len(first)] - 'a' + 'A'
	case formInitialLastDigits:
		b[1] = b[1] - 'a' + 'A'
	}
	return string(b)
}

// validUsername reports whether s is a syntactically valid X username.
func validUsername(s string) bool {
	if len(s) < 1 || len(s) > 15 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_') {
			return false
		}
	}
	return true
}

// isGhost reports whether a lower-case username is one that does not exist,
// so that tests can always ask for a missing user.
func isGhost(lower string) bool { return strings.HasPrefix(lower, "ghost") }

var (
	lowerFirst   []string
	lowerLast    []string
	lastIndex    map[string]uint8
	initialIndex [26]int
)

func init() {
	if len(firstNames) > 256 || len(lastNames) > 256 {
		panic("xsim: name lists must fit in a byte")
	}
	seen := map[string]bool{}
	for _, n := range firstNames {
		l := strings.ToLower(n)
		if seen[l] || !isLowerLetters(l) {
			panic("xsim: bad or duplicate first name " + n)
		}
		seen[l] = true
		lowerFirst = append(lowerFirst, l)
	}
	lastIndex = map[string]uint8{}
	for i, n := range lastNames {
		l := strings.ToLower(n)
		if _, dup := lastIndex[l]; dup || !isLowerLetters(l) {
			panic("xsim: bad or duplicate last name " + n)
		}
		lastIndex[l] = uint8(i)
		lowerLast = append(lowerLast, l)
	}
	for i := range initialIndex {
		initialIndex[i] = -1
	}
	for i, l := range lowerFirst {
		if c := l[0] - 'a'; initialIndex[c] < 0 {
			initialIndex[c] = i
		}
	}
}

func isLowerLetters(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < 'a' || s[i] > 'z' {
			return false
		}
	}
	return true
}
