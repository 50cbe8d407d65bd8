package web

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"net/http"
	"strings"
	"sync"
	"time"
)

// A session is a signed-in browser: a record here, found by the hash of
// the random token its cookie holds, so that a copy of this table lets no
// one in. It belongs to one workspace and keeps the hash of the API key it
// was opened with (never the key): every request checks that key again,
// so revoking the key (`outreach keys revoke`) ends the session at once.
type session struct {
	workspace string
	keyHash   string
	// csrf is the token every form and htmx request of the session must
	// carry (csrfField, csrfHeader).
	csrf     string
	created  time.Time
	lastSeen time.Time
}

const (
	sessionCookie = "outreach_session"
	// signinCookie holds the sign-in form's CSRF token (double submit),
	// before there is a session to keep one.
	signinCookie = "outreach_signin"
	csrfField    = "csrf"
	csrfHeader   = "X-CSRF-Token"
	// sessionTTL is a session's longest life; sessionIdle ends one unused
	// for that long.
	sessionTTL  = 12 * time.Hour
	sessionIdle = 2 * time.Hour
)

// sessions is the server-side table of sessions.
type sessions struct {
	now func() time.Time
	mu  sync.Mutex
	m   map[string]*session // by tokenHash
}

func newSessions(now func() time.Time) *sessions {
	return &sessions{now: now, m: map[string]*session{}}
}

// open records a new session and returns its cookie's token.
func (s *sessions) open(workspace, keyHash string) (token string, sess *session) {
	token = randomToken()
	now := s.now()
	sess = &session{workspace: workspace, keyHash: keyHash, csrf: randomToken(), created: now, lastSeen: now}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sweep(now)
	s.m[tokenHash(token)] = sess
	return token, sess
}

// get returns the live session of token, and marks it used.
func (s *sessions) get(token string) (session, bool) {
	if token == "" {
		return session{}, false
	}
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	sess, ok := s.m[tokenHash(token)]
	if !ok {
		return session{}, false
	}
	if s.expired(sess, now) {
		delete(s.m, tokenHash(token))
		return session{}, false
	}
	sess.lastSeen = now
	return *sess, true
}

// revoke ends the session of token, if any.
func (s *sessions) revoke(token string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.m, tokenHash(token))
}

func (s *sessions) expired(sess *session, now time.Time) bool {
	return now.Sub(sess.created) >= sessionTTL || now.Sub(sess.lastSeen) >= sessionIdle
}

// sweep drops expired sessions; the caller holds mu.
func (s *sessions) sweep(now time.Time) {
	for k, sess := range s.m {
		if s.expired(sess, now) {
			delete(s.m, k)
		}
	}
}

func randomToken() string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand does not fail on Linux
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

func tokenHash(token string) string {
	h := sha256.Sum256([]byte(token))
	return hex.EncodeToString(h[:])
}

// sameToken compares two CSRF tokens in constant time; an empty one never
// matches.
func sameToken(a, b string) bool {
	return a != "" && subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1
}

// setCookie sets a cookie only this site's own pages send: HttpOnly,
// SameSite=Strict, and Secure when the request came over TLS, directly or
// through a proxy that says so (X-Forwarded-Proto: believing a false one
// only makes the cookie stricter). A maxAge below zero deletes it.
func setCookie(w http.ResponseWriter, r *http.Request, name, value string, maxAge time.Duration) {
	c := &http.Cookie{
		Name:     name,
		Value:    value,
		Path:     "/",
		HttpOnly: true,
		SameSite: http.SameSiteStrictMode,
		Secure:   r.TLS != nil || strings.EqualFold(r.Header.Get("X-Forwarded-Proto"), "https"),
		MaxAge:   int(maxAge / time.Second),
	}
	if maxAge < 0 {
		c.MaxAge = -1
	}
	http.SetCookie(w, c)
}
