package x

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/outreachhq/outreach/plugins/x/proxytest"
	"github.com/outreachhq/outreach/sdk"
)

// arrivals records, for each request the simulated X served, the token it
// carried and the address it came from.
type arrivals struct {
	mu   sync.Mutex
	from map[string][]string // token -> remote addresses
}

func (a *arrivals) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		a.mu.Lock()
		if a.from == nil {
			a.from = map[string][]string{}
		}
		tok := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
		a.from[tok] = append(a.from[tok], r.RemoteAddr)
		a.mu.Unlock()
		next.ServeHTTP(w, r)
	})
}

func (a *arrivals) reset() {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.from = nil
}

func (a *arrivals) of(token string) []string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return slices.Clone(a.from[token])
}

// TestEachAccountThroughItsOwnProxy: one account goes through an HTTP
// proxy, another through a SOCKS5 proxy; each proxy carries only its own
// account's requests, and X sees each account come from its proxy.
func TestEachAccountThroughItsOwnProxy(t *testing.T) {
	clk := &fakeClock{now: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)}
	seen := &arrivals{}
	c, ann, sim := connectThrough(t, clk, seen.wrap)
	ctx := context.Background()
	tok, err := sim.Login("other_team")
	if err != nil {
		t.Fatal(err)
	}
	bob := sdk.Session{AccountID: "bob", Handle: "other_team", Credentials: map[string]string{sdk.CredentialAccessToken: tok}}
	ann.AccountID = "ann"

	httpProxy := proxytest.NewHTTP(t, "ann", "pa ss:w@rd")
	socksProxy := proxytest.NewSOCKS5(t, "bob", "hunter2")
	ann.Proxy, bob.Proxy = httpProxy.URL(), socksProxy.URL()
	seen.reset() // what the set-up sent went direct

	for i := 0; i < 3; i++ {
		for _, s := range []sdk.Session{ann, bob} {
			if _, err := c.CheckSession(ctx, s); err != nil {
				t.Fatalf("CheckSession(%s) through %s: %v", s.Handle, redactedProxy(s.Proxy), err)
			}
		}
	}
	if _, err := c.LookupUsers(ctx, ann, []string{"paulg"}); err != nil {
		t.Fatal(err)
	}

	check := func(p *proxytest.Proxy, s sdk.Session, other sdk.Session) {
		t.Helper()
		recs := p.Records()
		if len(recs) == 0 {
			t.Fatalf("proxy for %s carried nothing", s.Handle)
		}
		var outbound []string
		for _, r := range recs {
			outbound = append(outbound, r.From)
		}
		for _, addr := range seen.of(s.Credentials[sdk.CredentialAccessToken]) {
			if !slices.Contains(outbound, addr) {
				t.Errorf("X saw %s's request from %s, not through its proxy (%v)", s.Handle, addr, outbound)
			}
		}
		for _, addr := range seen.of(other.Credentials[sdk.CredentialAccessToken]) {
			if slices.Contains(outbound, addr) {
				t.Errorf("%s's request went through %s's proxy", other.Handle, s.Handle)
			}
		}
	}
	check(httpProxy, ann, bob)
	check(socksProxy, bob, ann)

	// The HTTP proxy forwarded plain HTTP: it saw every one of ann's
	// requests, on kept-alive connections, and none of bob's.
	lines := httpProxy.Records()
	if n := len(seen.of(ann.Credentials[sdk.CredentialAccessToken])); len(lines) != n {
		t.Errorf("the HTTP proxy forwarded %d requests; ann made %d", len(lines), n)
	}
	if !slices.ContainsFunc(lines, func(r proxytest.Record) bool { return strings.Contains(r.RequestLine, "/2/users/by/username/paulg") }) {
		t.Errorf("the HTTP proxy's request lines lack ann's lookup: %+v", lines)
	}
	// bob's three calls went over one kept-alive tunnel.
	if n := len(socksProxy.Records()); n != 1 {
		t.Errorf("the SOCKS5 proxy opened %d tunnels for 3 calls; want 1 (keep-alive)", n)
	}
}

// TestProxyChangeTakesANewTransport: when an account's proxy changes, its
// next request goes through the new one.
func TestProxyChangeTakesANewTransport(t *testing.T) {
	clk := &fakeClock{now: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)}
	c, s, _ := connect(t, clk)
	s.AccountID = "ann"
	first, second := proxytest.NewSOCKS5(t, "u", "p"), proxytest.NewHTTP(t, "u", "p")
	s.Proxy = first.URL()
	if _, err := c.CheckSession(context.Background(), s); err != nil {
		t.Fatal(err)
	}
	s.Proxy = second.URL()
	if _, err := c.CheckSession(context.Background(), s); err != nil {
		t.Fatal(err)
	}
	if len(first.Records()) != 1 || len(second.Records()) != 1 {
		t.Errorf("first proxy carried %d, second %d; want one call each", len(first.Records()), len(second.Records()))
	}
	s.Proxy = ""
	if _, err := c.CheckSession(context.Background(), s); err != nil {
		t.Fatalf("without a proxy: %v", err)
	}
	if len(first.Records())+len(second.Records()) != 2 {
		t.Error("a call without a proxy went through one")
	}
}

// TestProxyRefusals: wrong credentials pause the account with an error
// that names the proxy but never its password; an unknown scheme is
// refused before any request.
func TestProxyRefusals(t *testing.T) {
	clk := &fakeClock{now: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)}
	c, s, _ := connect(t, clk)
	ctx := context.Background()
	const password = "n0t-th1s-0ne"
	for _, p := range []*proxytest.Proxy{proxytest.NewHTTP(t, "ann", "right"), proxytest.NewSOCKS5(t, "ann", "right")} {
		s.AccountID = "ann"
		s.Proxy = p.URLWithPassword(password)
		for name, call := range map[string]func() error{
			"read":  func() error { _, err := c.CheckSession(ctx, s); return err },
			"write": func() error { _, err := c.SendDM(ctx, s, "1", "hi"); return err },
		} {
			err := call()
			if sdk.KindOf(err) != sdk.AccountBlocked || !strings.Contains(err.Error(), "refused its credentials") || !strings.Contains(err.Error(), p.Addr()) {
				t.Errorf("%s through %s with a wrong password: %v; want AccountBlocked naming the proxy", name, redactedProxy(s.Proxy), err)
			}
			if err != nil && strings.Contains(err.Error(), password) {
				t.Errorf("the error shows the proxy's password: %v", err)
			}
		}
	}
	for _, bad := range []string{"ftp://ann:" + password + "@127.0.0.1:21", "socks4://ann:" + password + "@127.0.0.1:1080", "http://ann:" + password + "@"} {
		s.Proxy = bad
		_, err := c.CheckSession(ctx, s)
		if sdk.KindOf(err) != sdk.Permanent || !strings.Contains(err.Error(), "proxy") || strings.Contains(err.Error(), password) {
			t.Errorf("proxy %q: %v; want a Permanent error naming the proxy without its password", redactedProxy(bad), err)
		}
	}
}

// TestTokenCallsGoThroughTheProxy: signing in and refreshing go out
// through the account's proxy like its other requests.
func TestTokenCallsGoThroughTheProxy(t *testing.T) {
	c, ep, base := oauthConnector(t, nil)
	p := proxytest.NewSOCKS5(t, "ann", "pw")
	ctx := context.Background()
	if _, err := c.ExchangeCode(ctx, sdk.ExchangeRequest{Code: "c", CodeVerifier: "v", Proxy: p.URL()}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.RefreshToken(ctx, sdk.RefreshRequest{RefreshToken: "r", Proxy: p.URL()}); err != nil {
		t.Fatal(err)
	}
	recs := p.Records()
	if len(recs) == 0 || !strings.HasSuffix(base, recs[0].Target) {
		t.Errorf("the proxy carried %+v; want the token endpoint %s", recs, base)
	}
	for _, r := range ep.got {
		if !slices.ContainsFunc(recs, func(rec proxytest.Record) bool { return rec.From == r.RemoteAddr }) {
			t.Errorf("a token request came from %s, not through the proxy", r.RemoteAddr)
		}
	}
}

// TestDialsStayOnLoopback: under the package's TestMain the connector
// refuses to dial an address off the machine, before any packet leaves.
func TestDialsStayOnLoopback(t *testing.T) {
	c := New()
	raw, _ := json.Marshal(map[string]string{"base_url": "http://192.0.2.1", "retry_backoff": "0s", "client_id": "id"})
	if err := c.Configure(context.Background(), raw); err != nil {
		t.Fatal(err)
	}
	s := sdk.Session{Credentials: map[string]string{sdk.CredentialAccessToken: "t"}}
	if _, err := c.CheckSession(context.Background(), s); err == nil || !strings.Contains(err.Error(), "allows only loopback") {
		t.Errorf("CheckSession at 192.0.2.1: %v; want the loopback guard's refusal", err)
	}
	if _, err := c.RefreshToken(context.Background(), sdk.RefreshRequest{RefreshToken: "r"}); err == nil || !strings.Contains(err.Error(), "allows only loopback") {
		t.Errorf("RefreshToken at 192.0.2.1: %v; want the loopback guard's refusal", err)
	}
	// Through a proxy off the machine too.
	s.Proxy = "socks5://u:p@192.0.2.1:1080"
	if _, err := c.CheckSession(context.Background(), s); err == nil || !strings.Contains(err.Error(), "allows only loopback") {
		t.Errorf("CheckSession through a proxy at 192.0.2.1: %v; want the loopback guard's refusal", err)
	}
	// And a test's own client on http.DefaultTransport.
	if resp, err := http.Get("http://192.0.2.1/"); err == nil || !strings.Contains(err.Error(), "allows only loopback") {
		if resp != nil {
			resp.Body.Close()
		}
		t.Errorf("http.Get(192.0.2.1): %v; want the loopback guard's refusal", err)
	}
}

// redactedProxy is a proxy URL fit for a test's failure message.
func redactedProxy(p string) string {
	if i := strings.LastIndex(p, "@"); i >= 0 {
		if j := strings.Index(p, "://"); j >= 0 {
			return p[:j+3] + "…" + p[i:]
		}
	}
	return p
}
