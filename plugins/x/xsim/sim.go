package xsim

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"
)

// Clock gives the simulator its notion of now. Tests pass a fake clock;
// time.Now otherwise.
type Clock interface{ Now() time.Time }

type realClock struct{}

func (realClock) Now() time.Time { return time.Now() }

// Options configures a Sim. The zero value is a usable default.
type Options struct {
	Clock Clock // nil: real time
	Seed  int64 // population seed; 0 means the default seed 1. Same seed => same world.
	// ReplyDelayMin/Max bound how long after a DM a prospect replies (sim
	// time). Zero means the defaults, 2s and 8s; a Max below Min is raised to
	// Min.
	ReplyDelayMin, ReplyDelayMax time.Duration
	// Faults are the failures the Sim starts with; see SetFaults to change
	// them later. They must pass Faults.Validate: New panics otherwise, as
	// on any other programming error (check user input with Validate first).
	Faults Faults
	// Sleep waits d or until ctx is done, for Faults.Latency; nil means a
	// real timer. Pass one that waits on the injected clock to make latency
	// follow it.
	Sleep func(ctx context.Context, d time.Duration) error
	// OAuthClients are the OAuth 2.0 apps the simulated X knows. None means
	// any client id is accepted, with any redirect URL; once some are given,
	// only those, with their secret and redirect URLs. Each must pass
	// OAuthClient.Validate and ids must differ: New panics otherwise.
	OAuthClients []OAuthClient
	// TokenTTL is how long an OAuth 2.0 access token lives on the Sim's
	// clock; zero means X's two hours. The tokens of Login never expire.
	TokenTTL time.Duration
}

const (
	defaultReplyDelayMin = 2 * time.Second
	defaultReplyDelayMax = 8 * time.Second
)

// Sim is a simulated X. It is safe for concurrent use.
type Sim struct {
	clock   Clock
	sleep   func(context.Context, time.Duration) error
	pop     population
	seed    uint64
	handler http.Handler
	// defaultReplyMin/Max are Options.ReplyDelayMin/Max with defaults, what
	// faults without a reply delay fall back to.
	defaultReplyMin, defaultReplyMax time.Duration

	// mu guards the world's mutable state. One lock is enough: every request
	// is a few map operations, and it keeps materialised replies, ids and
	// rate windows consistent with one another.
	mu         sync.Mutex
	owners     map[uint64]*account
	ownerNames map[string]uint64 // lower-cased handle -> id
	tokens     map[string]uint64 // bearer token -> id
	known      knownIndex
	convs      map[string]*conversation
	userConvs  map[uint64][]*conversation
	pending    []*pendingReply // ordered by due time, then scheduling order
	pendingSeq uint64
	ids        idGen
	limits     rateLimiter
	follows    map[[2]uint64]bool // (follower, target) -> pending request
	// followed lists, per user, whom they followed through the API (follows
	// accepted, not requests), in the order they did.
	followed map[uint64][]uint64
	likes    map[likeKey]bool
	posts    map[uint64][]tweet // author -> posts, oldest first

	// The faults in force, and what they resolve to.
	faults             Faults
	replyMin, replyMax time.Duration
	storm              *storm
	accountFaults      map[string]AccountFaults  // lower-cased handle -> faults
	prospectScripts    map[string]ProspectScript // lower-cased handle -> script
	profiles           map[string]Profile        // lower-cased handle -> what it shows
	chaos              *rng                      // draws which requests fail; seeded
	dmsSent            map[uint64]int            // account -> DMs sent, for AutomatedAfter

	replies []replyRecord // prospects' replies, in the order they became visible

	oauth oauthState // OAuth 2.0 clients, codes, tokens and what they did

	// srvMu guards the listener, apart from mu so that Close never waits on a
	// request in flight while holding the world.
	srvMu sync.Mutex
	srv   *http.Server
	ln    net.Listener
	done  chan struct{}
}

// account is an account holder made by Login.
type account struct {
	id     uint64
	handle string
	token  string
}

type likeKey struct{ user, tweet uint64 }

// New returns a Sim. It has no side effects and starts no goroutines; call
// Handler to embed it, or Start to serve it on loopback.
func New(opts Options) *Sim {
	seed := opts.Seed
	if seed == 0 {
		seed = 1
	}
	s := &Sim{
		clock:      opts.Clock,
		sleep:      opts.Sleep,
		seed:       uint64(seed),
		pop:        population{seed: uint64(seed)},
		chaos:      newRNG(hashOf(uint64(seed), saltFaults)),
		dmsSent:    map[uint64]int{},
		owners:     map[uint64]*account{},
		ownerNames: map[string]uint64{},
		tokens:     map[string]uint64{},
		known:      knownIndex{byID: map[uint64]string{}},
		convs:      map[string]*conversation{},
		userConvs:  map[uint64][]*conversation{},
		limits:     rateLimiter{profile: &rehearsalLimits, windows: map[rateKey]*window{}},
		follows:    map[[2]uint64]bool{},
		followed:   map[uint64][]uint64{},
		likes:      map[likeKey]bool{},
		posts:      map[uint64][]tweet{},
	}
	if s.clock == nil {
		s.clock = realClock{}
	}
	if s.sleep == nil {
		s.sleep = sleepTimer
	}
	s.defaultReplyMin, s.defaultReplyMax = opts.ReplyDelayMin, opts.ReplyDelayMax
	if s.defaultReplyMin <= 0 {
		s.defaultReplyMin = defaultReplyDelayMin
	}
	if s.defaultReplyMax <= 0 {
		s.defaultReplyMax = defaultReplyDelayMax
	}
	if s.defaultReplyMax < s.defaultReplyMin {
		s.defaultReplyMax = s.defaultReplyMin
	}
	if err := opts.Faults.Validate(); err != nil {
		panic("xsim: New: " + err.Error())
	}
	s.setFaultsLocked(opts.Faults, s.clock.Now(), true)
	oauth, err := newOAuthState(opts.OAuthClients, opts.TokenTTL)
	if err != nil {
		panic("xsim: New: " + err.Error())
	}
	s.oauth = oauth
	s.handler = s.routes()
	return s
}

// Login makes handle an account holder on the simulated X (creating the user
// if new) and returns a bearer token that authenticates as that user. Same
// handle => same user id every time, and, for the same seed, the same token,
// so a sandbox that restarts can log in again and find its ids unchanged.
// An account holder has a plain profile, accepts every DM and never replies on
// its own.
func (s *Sim) Login(handle string) (token string, err error) {
	if !validUsername(handle) {
		return "", fmt.Errorf("xsim: login %q: a username is 1 to 15 letters, digits or underscores", handle)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.ownerLocked(handle).token, nil
}

// ownerLocked returns the account holder of a valid handle, making it (with
// its Login token) if new: Login and an OAuth consent make the same one.
func (s *Sim) ownerLocked(handle string) *account {
	lower := strings.ToLower(handle)
	if id, ok := s.ownerNames[lower]; ok {
		return s.owners[id]
	}
	id := idForUsername(lower)
	sum := sha256.Sum256(binary.BigEndian.AppendUint64([]byte("xsim token\x00"+lower+"\x00"), s.seed))
	a := &account{id: id, handle: handle, token: "xsim-" + base64.RawURLEncoding.EncodeToString(sum[:])}
	s.owners[id] = a
	s.ownerNames[lower] = id
	s.tokens[a.token] = id
	return a
}

// UserByUsername returns the simulated user for a username
// (case-insensitive), false if it does not exist.
func (s *Sim) UserByUsername(username string) (User, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.userByUsernameLocked(username)
}

// idForUsername is the id of a lower-cased username: encoded if it has the
// shape of a generated handle, hashed otherwise.
func idForUsername(lower string) uint64 {
	if !isGhost(lower) {
		if parts, ok := parseHandle(lower); ok {
			return generatedID(parts)
		}
	}
	return hashedID(lower)
}

func (s *Sim) isOwner(id uint64) bool { return s.owners[id] != nil }

func (s *Sim) ownerUser(a *account) User {
	return s.pop.ownerProfile(a.id, a.handle, len(s.posts[a.id]))
}

func (s *Sim) userByUsernameLocked(name string) (User, bool) {
	if !validUsername(name) {
		return User{}, false
	}
	lower := strings.ToLower(name)
	if id, ok := s.ownerNames[lower]; ok {
		return s.ownerUser(s.owners[id]), true
	}
	if isGhost(lower) {
		return User{}, false
	}
	if parts, ok := parseHandle(lower); ok {
		return s.prospectLocked(generatedID(parts), displayHandle(parts, lower), &parts), true
	}
	id := hashedID(lower)
	if prev, ok := s.known.byID[id]; ok {
		name = prev // the capitalisation it was first seen with
	} else {
		s.known.add(id, name)
	}
	return s.prospectLocked(id, name, nil), true
}

func (s *Sim) userByIDLocked(id uint64) (User, bool) {
	if a := s.owners[id]; a != nil {
		return s.ownerUser(a), true
	}
	if parts, ok := decodeGeneratedID(id); ok {
		lower, _ := parts.render()
		return s.prospectLocked(id, displayHandle(parts, lower), &parts), true
	}
	if name, ok := s.known.byID[id]; ok {
		return s.prospectLocked(id, name, nil), true
	}
	return User{}, false
}

// prospectLocked is the profile of a population user, with what the
// faults give it instead (see Profile), who accepts DMs if the faults
// script it (see ProspectScript).
func (s *Sim) prospectLocked(id uint64, username string, parts *handleParts) User {
	u := s.pop.profile(id, username, parts)
	lower := strings.ToLower(username)
	if p, ok := s.profiles[lower]; ok {
		p.apply(&u)
	}
	if _, scripted := s.prospectScripts[lower]; scripted {
		u.AcceptsDMs = true
	}
	return u
}

// knownIndex remembers the hashed-id users the Sim has been asked about by
// username, so that they resolve by id afterwards. It is bounded: past
// knownCap entries the oldest are forgotten, and must be looked up by name
// again (generated users never need it; their ids decode).
type knownIndex struct {
	byID  map[uint64]string
	order []uint64 // ring of ids, oldest at next once full
	next  int
}

const knownCap = 100_000

func (k *knownIndex) add(id uint64, username string) {
	if _, ok := k.byID[id]; ok {
		return
	}
	if len(k.order) < knownCap {
		k.order = append(k.order, id)
	} else {
		delete(k.byID, k.order[k.next])
		k.order[k.next] = id
		k.next = (k.next + 1) % knownCap
	}
	k.byID[id] = username
}
