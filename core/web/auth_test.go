package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/outreachhq/outreach/core/service"
)

func TestSignInAndOut(t *testing.T) {
	l := newLive(t)
	anon := l.browser(t)
	if status, _ := anon.get("/"); status != http.StatusSeeOther {
		t.Fatalf("the overview without a session: %d, want a redirect to sign in", status)
	}
	b := l.signIn(t, l.KeyA)
	status, body := b.get("/")
	if status != http.StatusOK || !strings.Contains(body, workspaceA) {
		t.Fatalf("the overview after signing in: %d\n%s", status, body)
	}
	if status, _ := b.post("/signout", nil); status != http.StatusSeeOther {
		t.Fatalf("sign out: %d", status)
	}
	if status, _ := b.get("/"); status != http.StatusSeeOther {
		t.Fatalf("the overview after signing out: %d, want a redirect to sign in", status)
	}
}

func TestSignInRefusals(t *testing.T) {
	l := newLive(t)
	b := l.browser(t)
	_, page := b.get("/signin")
	token := csrfIn(page)
	// A wrong key.
	if status, body := b.post("/signin", url.Values{"api_key": {"sk_live_nope"}, "csrf": {token}}); status != http.StatusUnauthorized || !strings.Contains(body, "not valid") {
		t.Fatalf("a wrong key: %d\n%s", status, body)
	}
	// A form without its token.
	_, page = b.get("/signin")
	if status, _ := b.post("/signin", url.Values{"api_key": {l.KeyA}, "csrf": {"forged"}}); status != http.StatusForbidden {
		t.Fatalf("a sign-in form without its token: %d, want 403", status)
	}
	_ = page
}

func TestSignInIsRateLimited(t *testing.T) {
	l := newLive(t)
	b := l.browser(t)
	var last int
	for range signinBurst + 1 {
		_, page := b.get("/signin")
		last, _ = b.post("/signin", url.Values{"api_key": {"sk_live_guess"}, "csrf": {csrfIn(page)}})
	}
	if last != http.StatusTooManyRequests {
		t.Fatalf("attempt %d: %d, want 429", signinBurst+1, last)
	}
	// The right key is refused too until the limiter refills.
	_, page := b.get("/signin")
	if status, _ := b.post("/signin", url.Values{"api_key": {l.KeyA}, "csrf": {csrfIn(page)}}); status != http.StatusTooManyRequests {
		t.Fatalf("the right key while limited: %d, want 429", status)
	}
	l.Clock.Advance(signinEvery)
	_, page = b.get("/signin")
	if status, _ := b.post("/signin", url.Values{"api_key": {l.KeyA}, "csrf": {csrfIn(page)}}); status != http.StatusSeeOther {
		t.Fatalf("the right key after %s: %d, want 303", signinEvery, status)
	}
}

func TestFormWithoutCSRFTokenIsRefused(t *testing.T) {
	l := newLive(t)
	b := l.signIn(t, l.KeyA)
	if status, _ := b.post("/signout", url.Values{"csrf": {"forged"}}); status != http.StatusForbidden {
		t.Fatalf("sign out with a forged token: %d, want 403", status)
	}
	// Still signed in.
	if status, _ := b.get("/"); status != http.StatusOK {
		t.Fatalf("after a refused form: %d, want the session to hold", status)
	}
}

func TestSessionEnds(t *testing.T) {
	l := newLive(t)
	b := l.signIn(t, l.KeyA)
	l.Clock.Advance(service.SessionIdle)
	if status, _ := b.get("/"); status != http.StatusSeeOther {
		t.Fatalf("after %s idle: %d, want the session over", service.SessionIdle, status)
	}
	// Revoking the key ends the session it opened.
	b = l.signIn(t, l.KeyA)
	keys, err := l.Svc.ListAPIKeys(context.Background(), workspaceA)
	if err != nil || len(keys) != 1 {
		t.Fatal(keys, err)
	}
	if _, err := l.Svc.RevokeAPIKey(context.Background(), workspaceA, keys[0].ID); err != nil {
		t.Fatal(err)
	}
	if status, _ := b.get("/"); status != http.StatusSeeOther {
		t.Fatalf("after the key was revoked: %d, want the session over", status)
	}
}

// TestSessionOutlivesItsDashboard: a session is the service's record, so
// a second dashboard on the same service (a restarted `serve`, or another
// of a cluster) knows it, with the same CSRF token; signing out on one
// ends it on both.
func TestSessionOutlivesItsDashboard(t *testing.T) {
	l := newLive(t)
	b := l.signIn(t, l.KeyA)
	second := New(Options{Service: l.Svc, Now: l.Clock.Now})
	other := *b
	other.base = serveLoopback(t, second)
	// The jar keys cookies by host, and both servers are on 127.0.0.1.
	status, body := other.get("/")
	if status != http.StatusOK || !strings.Contains(body, workspaceA) {
		t.Fatalf("the overview on a second dashboard: %d\n%s", status, body)
	}
	if got := csrfIn(body); got != b.csrf {
		t.Errorf("the second dashboard's CSRF token %q, want the first's %q", got, b.csrf)
	}
	if status, _ := other.post("/signout", nil); status != http.StatusSeeOther {
		t.Fatalf("sign out on the second dashboard: %d", status)
	}
	if status, _ := b.get("/"); status != http.StatusSeeOther {
		t.Fatalf("the first dashboard after signing out on the second: %d, want a redirect to sign in", status)
	}
}

func TestSecurityHeaders(t *testing.T) {
	l := newLive(t)
	resp, err := http.Get(l.URL + "/signin")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	csp := resp.Header.Get("Content-Security-Policy")
	for _, want := range []string{"script-src 'self'", "style-src 'self'", "frame-ancestors 'none'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("CSP %q lacks %q", csp, want)
		}
	}
	if strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") {
		t.Errorf("CSP %q allows inline code", csp)
	}
	for _, c := range resp.Cookies() {
		if !c.HttpOnly || c.SameSite != http.SameSiteStrictMode {
			t.Errorf("cookie %s: HttpOnly %v, SameSite %v", c.Name, c.HttpOnly, c.SameSite)
		}
	}
}

func TestCookiesAreSecureUnderTLS(t *testing.T) {
	l := newLive(t)
	req, err := http.NewRequest(http.MethodGet, l.URL+"/signin", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("X-Forwarded-Proto", "https")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if cs := resp.Cookies(); len(cs) == 0 || !cs[0].Secure {
		t.Fatalf("cookies behind a TLS proxy: %+v, want Secure", cs)
	}
}

func TestUnknownPage(t *testing.T) {
	l := newLive(t)
	status, body := l.signIn(t, l.KeyA).get("/nowhere")
	if status != http.StatusNotFound || !strings.Contains(body, "There is no page at /nowhere") {
		t.Fatalf("/nowhere: %d\n%s", status, body)
	}
}

func TestOversizedFormIsRefused(t *testing.T) {
	l := newLive(t)
	b := l.signIn(t, l.KeyA)
	status, _ := b.post("/board/move", url.Values{"conversation_id": {strings.Repeat("x", maxFormBytes)}, "tag": {"interested"}})
	if status != http.StatusForbidden && status != http.StatusRequestEntityTooLarge && status != http.StatusBadRequest {
		t.Fatalf("a form over %d bytes: %d, want a refusal", maxFormBytes, status)
	}
}
