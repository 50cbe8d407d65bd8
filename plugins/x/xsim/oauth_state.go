package xsim

import (
	"crypto/rand"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"
)

// OAuthClient is an OAuth 2.0 app registered with the simulated X, as a
// developer registers one in X's developer console.
type OAuthClient struct {
	// ID is the app's client id.
	ID string
	// Secret is the client secret of a confidential client, which then
	// authenticates to the token and revoke endpoints with HTTP Basic; ""
	// makes it a public client, which sends client_id in the body.
	Secret string
	// RedirectURIs are the callback URLs the app may name, compared
	// exactly, as X does.
	RedirectURIs []string
}

// Validate checks c, naming the field at fault with the names of the
// sandbox's HCL block (oauth_client "ID" { secret, redirect_uris }).
func (c OAuthClient) Validate() error {
	if c.ID == "" || strings.ContainsAny(c.ID, " \t\r\n:") {
		return fmt.Errorf("oauth_client %q: give a client id without spaces or colons", c.ID)
	}
	if len(c.RedirectURIs) == 0 {
		return fmt.Errorf("oauth_client %q: redirect_uris: give at least one callback URL, like \"http://127.0.0.1:8788/callback\"", c.ID)
	}
	for i, raw := range c.RedirectURIs {
		if err := checkRedirectURI(raw); err != nil {
			return fmt.Errorf("oauth_client %q: redirect_uris[%d] %q: %w", c.ID, i, raw, err)
		}
	}
	return nil
}

// checkRedirectURI accepts an absolute http(s) URL with no fragment
// (RFC 6749 section 3.1.2).
func checkRedirectURI(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.Fragment != "" || u.User != nil {
		return fmt.Errorf("want an absolute http or https URL with no fragment")
	}
	return nil
}

// DefaultTokenTTL is how long X's OAuth 2.0 access tokens live: two hours.
const DefaultTokenTTL = 2 * time.Hour

// codeTTL is how long an authorization code lives: X's 30 seconds.
const codeTTL = 30 * time.Second

// Scopes X grants OAuth 2.0 tokens (docs.x.com, fundamentals/authentication/
// oauth-2-0/authorization-code). A request for another is invalid_scope.
var knownScopes = []string{
	"block.read", "block.write", "bookmark.read", "bookmark.write", "dm.read", "dm.write",
	"follows.read", "follows.write", "like.read", "like.write", "list.read", "list.write",
	"media.write", "mute.read", "mute.write", "offline.access", "space.read", "tweet.moderate.write",
	"tweet.read", "tweet.write", "users.email", "users.read",
}

// scopeOffline is the scope that brings a refresh token.
const scopeOffline = "offline.access"

// oauthState is the simulated X's OAuth 2.0 server: its clients, the codes
// and tokens it issued, and what happened. The Sim's mutex guards it.
type oauthState struct {
	clients map[string]OAuthClient // nil: any client id
	ttl     time.Duration
	codes   map[string]*authCode
	access  map[string]*accessToken
	refresh map[string]*refreshToken
	stats   OAuthStats
}

// grant is one consent: a user, to a client, for scopes. The tokens of a
// grant are found by it, so a code used twice revokes what it gave.
type grant struct {
	user     uint64
	handle   string
	clientID string
	scopes   []string // sorted
}

func (g *grant) has(scope string) bool {
	_, ok := slices.BinarySearch(g.scopes, scope)
	return ok
}

type authCode struct {
	grant     *grant
	redirect  string
	challenge string
	expires   time.Time
	used      bool
}

type accessToken struct {
	grant   *grant
	expires time.Time
	revoked bool
	used    bool // counted in the handle's generations
}

type refreshToken struct {
	grant *grant
	// dead is set when it was rotated or revoked; a dead refresh token
	// is kept, so that its reuse is told apart from a token never issued.
	dead bool
}

func newOAuthState(clients []OAuthClient, ttl time.Duration) (oauthState, error) {
	st := oauthState{
		ttl:     ttl,
		codes:   map[string]*authCode{},
		access:  map[string]*accessToken{},
		refresh: map[string]*refreshToken{},
		stats:   OAuthStats{Handles: map[string]OAuthHandleStats{}},
	}
	if ttl < 0 {
		return st, fmt.Errorf("token_ttl %v: give a duration of more than 0, or 0 for X's two hours", ttl)
	}
	if st.ttl == 0 {
		st.ttl = DefaultTokenTTL
	}
	if len(clients) > 0 {
		st.clients = map[string]OAuthClient{}
	}
	for _, c := range clients {
		if err := c.Validate(); err != nil {
			return st, err
		}
		if _, dup := st.clients[c.ID]; dup {
			return st, fmt.Errorf("oauth_client %q: registered twice; give each client one block", c.ID)
		}
		c.RedirectURIs = slices.Clone(c.RedirectURIs)
		st.clients[c.ID] = c
	}
	return st, nil
}

// client returns the registered client of id; with none registered, any id
// is a public client that may name any redirect URL.
func (o *oauthState) client(id string) (OAuthClient, bool) {
	if id == "" {
		return OAuthClient{}, false
	}
	if o.clients == nil {
		return OAuthClient{ID: id}, true
	}
	c, ok := o.clients[id]
	return c, ok
}

// redirectAllowed reports whether c may name raw as its redirect URL.
func (o *oauthState) redirectAllowed(c OAuthClient, raw string) bool {
	if checkRedirectURI(raw) != nil {
		return false
	}
	return o.clients == nil || slices.Contains(c.RedirectURIs, raw)
}

// newSecret is a fresh, unguessable code or token. Tokens are secrets, so
// they come from crypto/rand rather than the seeded source: a restarted Sim
// with the same seed must not hand out the tokens of the last run.
func newSecret(prefix string) string {
	return prefix + rand.Text()
}

// issueLocked gives g a new access token, and a refresh token if it has
// offline.access, at now.
func (o *oauthState) issueLocked(g *grant, now time.Time) tokenResponse {
	at := newSecret("xsim-at-")
	o.access[at] = &accessToken{grant: g, expires: now.Add(o.ttl)}
	res := tokenResponse{
		TokenType:   "bearer",
		ExpiresIn:   int64((o.ttl + time.Second - 1) / time.Second),
		AccessToken: at,
		Scope:       strings.Join(g.scopes, " "),
	}
	if g.has(scopeOffline) {
		rt := newSecret("xsim-rt-")
		o.refresh[rt] = &refreshToken{grant: g}
		res.RefreshToken = rt
	}
	return res
}

// revokeGrantLocked revokes every token of g.
func (o *oauthState) revokeGrantLocked(g *grant) {
	for _, t := range o.access {
		if t.grant == g {
			t.revoked = true
		}
	}
	for _, t := range o.refresh {
		if t.grant == g {
			t.dead = true
		}
	}
}

// pruneCodesLocked forgets codes past their life, so a long-running
// sandbox does not keep every code it ever issued.
func (o *oauthState) pruneCodesLocked(now time.Time) {
	for c, ac := range o.codes {
		if !now.Before(ac.expires.Add(codeTTL)) {
			delete(o.codes, c)
		}
	}
}

// OAuthStats is what the simulated X's OAuth 2.0 server has done since the
// Sim started, for tests to check (Sim.OAuthStats, GET OAuthPath).
type OAuthStats struct {
	CodesIssued      int `json:"codes_issued"`      // authorization codes issued
	CodesExchanged   int `json:"codes_exchanged"`   // codes exchanged for tokens
	ExchangesRefused int `json:"exchanges_refused"` // authorization_code grants refused
	Refreshes        int `json:"refreshes"`         // refresh_token grants that succeeded
	RefreshesRefused int `json:"refreshes_refused"` // refresh_token grants refused
	Revocations      int `json:"revocations"`       // tokens revoked that were live
	// ExpiredToken401s counts API requests answered 401 because their
	// OAuth access token had expired; RevokedToken401s, because it had
	// been revoked.
	ExpiredToken401s int `json:"expired_token_401s"`
	RevokedToken401s int `json:"revoked_token_401s"`
	// Scope403s counts API requests refused for a missing scope.
	Scope403s int `json:"scope_403s"`
	// Handles are per account holder (lower-cased handle), for those that
	// signed in with OAuth.
	Handles map[string]OAuthHandleStats `json:"handles"`
}

// OAuthHandleStats is what one account holder did with OAuth tokens.
type OAuthHandleStats struct {
	// Requests is how many API requests came with its OAuth access tokens
	// (those answered 401 for an expired or revoked token not included).
	Requests int `json:"requests"`
	// AccessTokens is how many distinct access tokens those requests
	// used: 1 for a client that never refreshed, 3 for one that used the
	// first token and two refreshed ones.
	AccessTokens int `json:"access_tokens"`
	// Refreshes is how many refresh_token grants of its succeeded.
	Refreshes int `json:"refreshes"`
}

// OAuthStats returns a copy of what the OAuth 2.0 server has done.
func (s *Sim) OAuthStats() OAuthStats {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := s.oauth.stats
	out.Handles = make(map[string]OAuthHandleStats, len(s.oauth.stats.Handles))
	for h, hs := range s.oauth.stats.Handles {
		out.Handles[h] = hs
	}
	return out
}

// RevokeRefreshTokens revokes every live refresh token of handle
// (case-insensitive) and reports how many, so that a test can make the next
// refresh fail as X refuses one. The access tokens already issued keep
// working until they expire.
func (s *Sim) RevokeRefreshTokens(handle string) int {
	lower := strings.ToLower(handle)
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, t := range s.oauth.refresh {
		if !t.dead && strings.ToLower(t.grant.handle) == lower {
			t.dead = true
			n++
		}
	}
	s.oauth.stats.Revocations += n
	return n
}

// countRequestLocked counts one API request of an OAuth access token.
func (o *oauthState) countRequestLocked(t *accessToken) {
	key := strings.ToLower(t.grant.handle)
	hs := o.stats.Handles[key]
	hs.Requests++
	if !t.used {
		t.used = true
		hs.AccessTokens++
	}
	o.stats.Handles[key] = hs
}
