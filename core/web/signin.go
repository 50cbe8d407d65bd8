package web

import (
	"errors"
	"math"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/outreachhq/outreach/core/secrets"
	"github.com/outreachhq/outreach/core/service"
)

func (d *Dashboard) registerSignin() {
	d.mux.HandleFunc("GET /signin", d.signinPage)
	d.mux.HandleFunc("POST /signin", d.signin)
	d.handle("POST /signout", d.signout)
}

type signinView struct {
	Next, Error string
}

// signinPage shows the sign-in form, with a fresh CSRF token in the form
// and in a cookie (double submit: there is no session yet to hold it).
func (d *Dashboard) signinPage(w http.ResponseWriter, r *http.Request) {
	if _, ok := d.session(r); ok {
		http.Redirect(w, r, safeNext(r.URL.Query().Get("next")), http.StatusSeeOther)
		return
	}
	d.showSignin(w, r, http.StatusOK, signinView{Next: safeNext(r.URL.Query().Get("next"))})
}

func (d *Dashboard) showSignin(w http.ResponseWriter, r *http.Request, status int, v signinView) {
	token := secrets.NewToken()
	setCookie(w, r, signinCookie, token, time.Hour)
	d.execute(w, status, "signin", "layout", view{Title: "Sign in", CSRF: token, Data: v})
}

// signin opens a session for a valid API key. Attempts are limited per
// client address; a wrong key and a refused one read the same.
func (d *Dashboard) signin(w http.ResponseWriter, r *http.Request) {
	next := safeNext(r.PostFormValue("next"))
	c, err := r.Cookie(signinCookie)
	if err != nil || !sameOrigin(r) || !sameToken(r.PostFormValue(csrfField), c.Value) {
		d.showSignin(w, r, http.StatusForbidden, signinView{Next: next, Error: "This form has expired: try again."})
		return
	}
	addr := clientAddr(r)
	if wait, ok := d.signins.allow(addr); !ok {
		w.Header().Set("Retry-After", retryAfter(wait))
		d.showSignin(w, r, http.StatusTooManyRequests, signinView{Next: next,
			Error: "Too many attempts: wait " + wait.Round(time.Second).String() + " and try again."})
		return
	}
	key := strings.TrimSpace(r.PostFormValue("api_key"))
	token, _, err := d.svc.OpenSession(r.Context(), key)
	if errors.Is(err, service.ErrUnauthorized) {
		d.showSignin(w, r, http.StatusUnauthorized, signinView{Next: next, Error: "That API key is not valid, or was revoked."})
		return
	}
	if err != nil {
		d.log.Error("dashboard: sign in", "err", err)
		d.showSignin(w, r, http.StatusInternalServerError, signinView{Next: next, Error: "The server could not check the key; it is in the server's log."})
		return
	}
	d.signins.succeeded(addr)
	setCookie(w, r, sessionCookie, token, sessionTTL)
	setCookie(w, r, signinCookie, "", -1)
	http.Redirect(w, r, next, http.StatusSeeOther)
}

func (d *Dashboard) signout(w http.ResponseWriter, r *request) {
	if c, err := r.Cookie(sessionCookie); err == nil {
		if err := d.svc.EndSession(r.Context(), c.Value); err != nil {
			d.fail(w, r, err)
			return
		}
	}
	setCookie(w, r.Request, sessionCookie, "", -1)
	http.Redirect(w, r.Request, "/signin", http.StatusSeeOther)
}

// safeNext is where to go after signing in: a path on this site, else the
// overview.
func safeNext(next string) string { return localPath(next, "/") }

// localPath is p when it is a path on this site, else fallback: a
// redirect to what a form or link says must not leave the dashboard
// ("//evil.example" and "/\\evil.example" are other sites to a browser).
func localPath(p, fallback string) string {
	if !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") || strings.HasPrefix(p, "/\\") {
		return fallback
	}
	return p
}

func clientAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

func retryAfter(d time.Duration) string {
	return strconv.Itoa(max(int(math.Ceil(d.Seconds())), 1))
}

// signinLimiter allows signinBurst attempts per client address, refilled
// at one per signinEvery; a successful sign-in clears the address.
type signinLimiter struct {
	now func() time.Time
	mu  sync.Mutex
	m   map[string]*bucket
}

type bucket struct {
	tokens float64
	at     time.Time
}

const (
	signinBurst = 10
	signinEvery = 6 * time.Second
)

func newSigninLimiter(now func() time.Time) *signinLimiter {
	return &signinLimiter{now: now, m: map[string]*bucket{}}
}

// allow takes one attempt for addr, or says how long until the next.
func (l *signinLimiter) allow(addr string) (time.Duration, bool) {
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.m) > 10000 {
		for k, b := range l.m {
			if now.Sub(b.at) > signinBurst*signinEvery {
				delete(l.m, k)
			}
		}
	}
	b, ok := l.m[addr]
	if !ok {
		b = &bucket{tokens: signinBurst, at: now}
		l.m[addr] = b
	}
	b.tokens = min(signinBurst, b.tokens+float64(now.Sub(b.at))/float64(signinEvery))
	b.at = now
	if b.tokens < 1 {
		return time.Duration((1 - b.tokens) * float64(signinEvery)), false
	}
	b.tokens--
	return 0, true
}

func (l *signinLimiter) succeeded(addr string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.m, addr)
}
