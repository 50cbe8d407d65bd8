package web

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"net/http"
	"strings"
	"time"

	"github.com/outreachhq/outreach/core/service"
)

// A session is a signed-in browser, as a request sees it. The record is
// the service's (service.OpenSession): found by the hash of the random
// token the cookie holds, it survives a restart and is shared by every
// `serve` of a cluster, and it ends when the API key it was opened with is
// revoked.
type session struct {
	workspace string
	// csrf is the token every form and htmx request of the session must
	// carry (csrfField, csrfHeader): derived from the cookie's token
	// (csrfFor), so nothing stores it, every server agrees on it, and no
	// one without the cookie can compute it.
	csrf string
}

const (
	sessionCookie = "outreach_session"
	// signinCookie holds the sign-in form's CSRF token (double submit),
	// before there is a session to keep one.
	signinCookie = "outreach_signin"
	csrfField    = "csrf"
	csrfHeader   = "X-CSRF-Token"
	// sessionTTL is the session cookie's life: the session's longest.
	sessionTTL = service.SessionTTL
)

// csrfFor is the CSRF token of the session whose cookie holds token:
// base64url(HMAC-SHA256(key=token, msg="csrf")).
func csrfFor(token string) string {
	m := hmac.New(sha256.New, []byte(token))
	m.Write([]byte("csrf"))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
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
