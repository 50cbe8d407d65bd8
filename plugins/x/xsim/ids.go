package xsim

import (
	"hash/fnv"
	"math"
	"strconv"
	"time"
)

// Ids of users come in two disjoint ranges, both 19 decimal digits like modern
// X ids:
//
//   - generated ids, [genBase, genBase+2^58): users whose username has the shape
//     of a generated handle (first name, last name, digits; see handle.go). The
//     id encodes the handle, so any such id decodes back to its username without
//     any state: followers scraped before a restart still resolve afterwards.
//   - hashed ids, [hashBase, MaxInt64]: every other username, by FNV-64a of its
//     lower-cased form. These cannot be decoded, so the Sim remembers the ones it
//     has seen (see knownIndex).
const (
	genBase  uint64 = 1_000_000_000_000_000_000
	genBits         = 58
	hashBase uint64 = 2_000_000_000_000_000_000
	// checkBits of a generated id are a hash of the handle, so that a random
	// number in the generated range almost never decodes to a user.
	checkBits = genBits - packBits
)

// hashedID maps a lower-cased username that is not a generated handle to its id.
func hashedID(lower string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(lower))
	return hashBase + h.Sum64()%(uint64(math.MaxInt64)-hashBase+1)
}

// generatedID encodes canonical handle parts as an id.
func generatedID(p handleParts) uint64 {
	packed := p.pack()
	check := hashOf(packed, saltCheck) & (1<<checkBits - 1)
	return genBase + feistel(packed<<checkBits|check)
}

// decodeGeneratedID is the inverse of generatedID. It reports false for any id
// that is not the id of a canonical generated handle.
func decodeGeneratedID(id uint64) (handleParts, bool) {
	if id < genBase || id-genBase >= 1<<genBits {
		return handleParts{}, false
	}
	x := unfeistel(id - genBase)
	packed, check := x>>checkBits, x&(1<<checkBits-1)
	if hashOf(packed, saltCheck)&(1<<checkBits-1) != check {
		return handleParts{}, false
	}
	p := unpack(packed)
	s, ok := p.render()
	if !ok {
		return handleParts{}, false
	}
	// Only the canonical parse of a handle has an id; any other spelling of the
	// same parts would give a second id for one username.
	if c, ok := parseHandle(s); !ok || c != p {
		return handleParts{}, false
	}
	return p, true
}

// feistel is a keyed bijection on genBits-bit numbers. It scatters generated
// ids so that neighbouring handles do not get neighbouring ids.
func feistel(x uint64) uint64 {
	const half = genBits / 2
	const mask = 1<<half - 1
	l, r := x>>half, x&mask
	for round := uint64(0); round < 4; round++ {
		l, r = r, l^(hashOf(r, round, saltFeistel)&mask)
	}
	return l<<half | r
}

func unfeistel(x uint64) uint64 {
	const half = genBits / 2
	const mask = 1<<half - 1
	l, r := x>>half, x&mask
	for round := uint64(4); round > 0; round-- {
		l, r = r^(hashOf(l, round-1, saltFeistel)&mask), l
	}
	return l<<half | r
}

// parseID parses a decimal X id (1 to 19 digits, as the X OpenAPI pattern
// ^[0-9]{1,19}$ says). Leading '+' or '-' and spaces are rejected.
func parseID(s string) (uint64, bool) {
	if len(s) == 0 || len(s) > 19 {
		return 0, false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
	}
	v, err := strconv.ParseUint(s, 10, 64)
	return v, err == nil
}

func idString(id uint64) string { return strconv.FormatUint(id, 10) }

// twepoch is X's snowflake epoch (2010-11-04T01:42:54.657Z) in Unix milliseconds.
const twepoch = 1288834974657

// minSnowflake keeps every event id at 19 digits even when a test clock is set
// before mid-2018, so that ids compare the same as strings and as numbers.
const minSnowflake uint64 = 1_000_000_000_000_000_000

// snowflakeAt is the first snowflake id of the millisecond t.
func snowflakeAt(t time.Time) uint64 {
	ms := t.UnixMilli() - twepoch
	if ms <= 0 {
		return minSnowflake
	}
	id := uint64(ms) << 22
	if id < minSnowflake {
		return minSnowflake
	}
	return id
}

// idGen hands out snowflake-like ids that strictly increase, whatever the
// clock does: readers poll "newer than the last id I saw", so an id must never
// be smaller than one already handed out.
type idGen struct{ last uint64 }

func (g *idGen) next(t time.Time) uint64 {
	id := snowflakeAt(t)
	if id <= g.last {
		id = g.last + 1
	}
	g.last = id
	return id
}

// Salts keep the hash streams of different purposes independent.
const (
	saltCheck uint64 = iota + 0x5a17_0000
	saltFeistel
	saltProfile
	saltEdges
	saltReply
	saltDMs
	saltFaults
	saltTweets
	saltToken
	saltCasing
	saltScript
)

// mix64 is the splitmix64 finaliser: a fast bijection on uint64 with good
// avalanche, which is all the determinism here needs.
func mix64(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// hashOf combines values into one well-mixed hash; the order matters.
func hashOf(parts ...uint64) uint64 {
	h := uint64(0x6a09e667f3bcc908)
	for _, p := range parts {
		h = mix64(h ^ p)
	}
	return h
}

// rng is a splitmix64 stream: deterministic, tiny, and independent of
// math/rand's algorithm choices across Go versions.
type rng struct{ s uint64 }

func newRNG(seed uint64) *rng { return &rng{s: seed} }

func (r *rng) next() uint64 {
	r.s += 0x9e3779b97f4a7c15
	return mix64(r.s)
}

// intn returns a number in [0, n); n must be positive.
func (r *rng) intn(n int) int { return int(r.next() % uint64(n)) }

// float returns a number in [0, 1).
func (r *rng) float() float64 { return float64(r.next()>>11) / float64(1<<53) }

// between returns a number in [lo, hi].
func (r *rng) between(lo, hi int) int { return lo + r.intn(hi-lo+1) }

// percent reports true with probability p/100.
func (r *rng) percent(p int) bool { return r.intn(100) < p }

// logUniform returns a number in [lo, hi] spread evenly on a log scale, the
// way follower counts are spread.
func (r *rng) logUniform(lo, hi int) int {
	f := float64(r.next()>>11) / float64(1<<53)
	v := math.Exp(math.Log(float64(lo)) + f*(math.Log(float64(hi))-math.Log(float64(lo))))
	n := int(v)
	if n < lo {
		n = lo
	}
	if n > hi {
		n = hi
	}
	return n
}

func pick[T any](r *rng, list []T) T { return list[r.intn(len(list))] }
