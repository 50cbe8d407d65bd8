package xsim

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"
)

// The OAuth tests run over a real loopback listener, as the connector and
// `outreach accounts login` will talk to the simulator.

const (
	testRedirect  = "http://127.0.0.1:8788/callback"
	allTestScopes = "tweet.read users.read follows.read follows.write like.write tweet.write dm.read dm.write offline.access"
)

type oauthHarness struct {
	t     *testing.T
	sim   *Sim
	clock *fakeClock
	base  string
	http  *http.Client // follows no redirect: the test reads each one
}

func newOAuthHarness(t *testing.T, opts Options) *oauthHarness {
	t.Helper()
	clock := newFakeClock()
	opts.Clock = clock
	sim := New(opts)
	if err := sim.Start(""); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sim.Close() })
	return &oauthHarness{t: t, sim: sim, clock: clock, base: sim.URL(), http: &http.Client{
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		Timeout:       10 * time.Second,
	}}
}

// pkce is a code verifier and its S256 challenge.
func pkce(seed string) (verifier, challenge string) {
	verifier = strings.Repeat("v", 43) + seed
	sum := sha256.Sum256([]byte(verifier))
	return verifier, base64.RawURLEncoding.EncodeToString(sum[:])
}

// authorizeParams are a good authorization request, to change one at a time.
func goodAuthorize(clientID, challenge string) url.Values {
	return url.Values{
		"response_type":         {"code"},
		"client_id":             {clientID},
		"redirect_uri":          {testRedirect},
		"scope":                 {allTestScopes},
		"state":                 {"st-123"},
		"code_challenge":        {challenge},
		"code_challenge_method": {"S256"},
		"screen_name":           {"acme_sales"},
	}
}

// authorize sends an authorization request and returns the status, the
// redirect's query (nil without one) and the body.
func (h *oauthHarness) authorize(q url.Values) (int, url.Values, string) {
	h.t.Helper()
	resp, err := h.http.Get(h.base + AuthorizePath + "?" + q.Encode())
	if err != nil {
		h.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	loc := resp.Header.Get("Location")
	if loc == "" {
		return resp.StatusCode, nil, string(body)
	}
	u, err := url.Parse(loc)
	if err != nil {
		h.t.Fatalf("Location %q: %v", loc, err)
	}
	if got := u.Scheme + "://" + u.Host + u.Path; got != q.Get("redirect_uri") {
		h.t.Fatalf("redirected to %s, want the redirect_uri %s", got, q.Get("redirect_uri"))
	}
	return resp.StatusCode, u.Query(), string(body)
}

// code runs a good authorization request and returns the code.
func (h *oauthHarness) code(q url.Values) string {
	h.t.Helper()
	status, back, body := h.authorize(q)
	if status != http.StatusFound || back.Get("code") == "" || back.Get("state") != q.Get("state") {
		h.t.Fatalf("authorize: status %d, redirect %v, body %s", status, back, body)
	}
	return back.Get("code")
}

// post sends a form to an OAuth endpoint, with HTTP Basic if user is set.
func (h *oauthHarness) post(path string, form url.Values, user, pass string) (int, map[string]any) {
	h.t.Helper()
	req, err := http.NewRequest("POST", h.base+path, strings.NewReader(form.Encode()))
	if err != nil {
		h.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if user != "" {
		req.SetBasicAuth(user, pass)
	}
	return h.send(req)
}

func (h *oauthHarness) send(req *http.Request) (int, map[string]any) {
	h.t.Helper()
	resp, err := h.http.Do(req)
	if err != nil {
		h.t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		h.t.Fatalf("%s %s: status %d, body is not JSON: %s", req.Method, req.URL.Path, resp.StatusCode, data)
	}
	return resp.StatusCode, m
}

func exchangeForm(code, verifier, clientID string) url.Values {
	f := url.Values{"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {testRedirect}, "code_verifier": {verifier}}
	if clientID != "" {
		f.Set("client_id", clientID)
	}
	return f
}

// signIn runs the whole flow for a public client and returns the tokens.
func (h *oauthHarness) signIn(handle, scopes string) (access, refresh string) {
	h.t.Helper()
	verifier, challenge := pkce(handle)
	q := goodAuthorize("app1", challenge)
	q.Set("screen_name", handle)
	q.Set("scope", scopes)
	status, body := h.post(TokenPath, exchangeForm(h.code(q), verifier, "app1"), "", "")
	if status != http.StatusOK {
		h.t.Fatalf("exchange: status %d, body %v", status, body)
	}
	refresh, _ = body["refresh_token"].(string)
	return body["access_token"].(string), refresh
}

// api calls X's API with a bearer token.
func (h *oauthHarness) api(method, path, token string, body string) (int, map[string]any) {
	h.t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, h.base+path, rd)
	if err != nil {
		h.t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	return h.send(req)
}

func (h *oauthHarness) refresh(rt, clientID string) (int, map[string]any) {
	h.t.Helper()
	return h.post(TokenPath, url.Values{"grant_type": {"refresh_token"}, "refresh_token": {rt}, "client_id": {clientID}}, "", "")
}

func TestOAuthSignIn(t *testing.T) {
	h := newOAuthHarness(t, Options{})
	verifier, challenge := pkce("x")
	q := goodAuthorize("app1", challenge)
	code := h.code(q)
	status, body := h.post(TokenPath, exchangeForm(code, verifier, "app1"), "", "")
	if status != http.StatusOK {
		t.Fatalf("exchange: status %d, body %v", status, body)
	}
	// The fields of the one recorded answer, with X's two hours.
	assertShape(t, body, "oauth2_token.refresh.response.THIRD_PARTY.json")
	if body["token_type"] != "bearer" || body["expires_in"] != float64(7200) {
		t.Errorf("token answer %v", body)
	}
	if got := strings.Fields(body["scope"].(string)); !slices.Equal(got, sortedFields(allTestScopes)) {
		t.Errorf("scope %v, want the scopes asked for", got)
	}
	// The token is the user named by screen_name, the same user Login makes.
	status, me := h.api("GET", "/2/users/me", body["access_token"].(string), "")
	u, _ := h.sim.UserByUsername("acme_sales")
	if data, _ := me["data"].(map[string]any); status != 200 || data["id"] != u.ID || data["username"] != "acme_sales" {
		t.Errorf("/2/users/me with the OAuth token: %d %v, want @acme_sales %s", status, me, u.ID)
	}

	// Without offline.access there is no refresh token.
	q = goodAuthorize("app1", challenge)
	q.Set("scope", "tweet.read users.read")
	_, body = h.post(TokenPath, exchangeForm(h.code(q), verifier, "app1"), "", "")
	if _, ok := body["refresh_token"]; ok || body["access_token"] == nil {
		t.Errorf("without offline.access: %v, want an access token and no refresh token", body)
	}
	if st := h.sim.OAuthStats(); st.CodesIssued != 2 || st.CodesExchanged != 2 {
		t.Errorf("stats %+v, want 2 codes issued and exchanged", st)
	}
}

func sortedFields(s string) []string {
	f := strings.Fields(s)
	slices.Sort(f)
	return f
}

// TestAuthorizeRefusals: a request the simulator cannot trust the client
// or redirect of gets a page; any other fault goes back to the client with
// an error and the state.
func TestAuthorizeRefusals(t *testing.T) {
	h := newOAuthHarness(t, Options{})
	_, challenge := pkce("x")
	for _, tc := range []struct {
		name      string
		set       map[string]string // "" deletes
		wantError string            // "" means a 400 page, no redirect
	}{
		{"no client_id", map[string]string{"client_id": ""}, ""},
		{"no redirect_uri", map[string]string{"redirect_uri": ""}, ""},
		{"relative redirect_uri", map[string]string{"redirect_uri": "/callback"}, ""},
		{"redirect_uri with a fragment", map[string]string{"redirect_uri": testRedirect + "#x"}, ""},
		{"implicit grant", map[string]string{"response_type": "token"}, "unsupported_response_type"},
		{"plain PKCE", map[string]string{"code_challenge_method": "plain"}, "invalid_request"},
		{"no PKCE method", map[string]string{"code_challenge_method": ""}, "invalid_request"},
		{"no PKCE challenge", map[string]string{"code_challenge": ""}, "invalid_request"},
		{"challenge not a hash", map[string]string{"code_challenge": "challenge"}, "invalid_request"},
		{"no state", map[string]string{"state": ""}, "invalid_request"},
		{"unknown scope", map[string]string{"scope": "tweet.read dm.everything"}, "invalid_scope"},
		{"no scope", map[string]string{"scope": ""}, "invalid_scope"},
		{"user who does not exist", map[string]string{"screen_name": "ghost_rider"}, "access_denied"},
		{"not a username", map[string]string{"screen_name": "dash-ed"}, "access_denied"},
		{"no screen_name", map[string]string{"screen_name": ""}, "access_denied"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			q := goodAuthorize("app1", challenge)
			for k, v := range tc.set {
				if v == "" {
					q.Del(k)
				} else {
					q.Set(k, v)
				}
			}
			status, back, body := h.authorize(q)
			if tc.wantError == "" {
				if status != http.StatusBadRequest || back != nil || !strings.Contains(body, "<p>") {
					t.Fatalf("status %d, redirect %v; want a 400 page and no redirect", status, back)
				}
				return
			}
			if status != http.StatusFound || back.Get("error") != tc.wantError || back.Get("code") != "" || back.Get("error_description") == "" {
				t.Fatalf("status %d, redirect %v; want a redirect with error=%s", status, back, tc.wantError)
			}
			if back.Get("state") != q.Get("state") {
				t.Errorf("state %q, want %q back", back.Get("state"), q.Get("state"))
			}
		})
	}
	if st := h.sim.OAuthStats(); st.CodesIssued != 0 {
		t.Errorf("%d codes issued for refused requests", st.CodesIssued)
	}
}

// TestTokenExchangeRefusals: each way an authorization code is misused is
// refused with invalid_grant (or invalid_request for a malformed request),
// and refused exchanges are counted.
func TestTokenExchangeRefusals(t *testing.T) {
	h := newOAuthHarness(t, Options{})
	verifier, challenge := pkce("x")
	refused := 0
	for _, tc := range []struct {
		name   string
		change func(f url.Values)
		before func()
		want   string
	}{
		{"PKCE mismatch", func(f url.Values) { f.Set("code_verifier", verifier+"x") }, nil, "invalid_grant"},
		{"other redirect_uri", func(f url.Values) { f.Set("redirect_uri", "http://127.0.0.1:9999/callback") }, nil, "invalid_grant"},
		{"other client", func(f url.Values) { f.Set("client_id", "app2") }, nil, "invalid_grant"},
		{"unknown code", func(f url.Values) { f.Set("code", "xsim-code-nope") }, nil, "invalid_grant"},
		{"code past 30 seconds", func(url.Values) {}, func() { h.clock.Advance(30 * time.Second) }, "invalid_grant"},
		{"no code_verifier", func(f url.Values) { f.Del("code_verifier") }, nil, "invalid_request"},
		{"no client_id", func(f url.Values) { f.Del("client_id") }, nil, "invalid_request"},
		{"no grant_type", func(f url.Values) { f.Del("grant_type") }, nil, "invalid_request"},
		{"password grant", func(f url.Values) { f.Set("grant_type", "password") }, nil, "unsupported_grant_type"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := exchangeForm(h.code(goodAuthorize("app1", challenge)), verifier, "app1")
			tc.change(f)
			if tc.before != nil {
				tc.before()
			}
			status, body := h.post(TokenPath, f, "", "")
			if status != http.StatusBadRequest || body["error"] != tc.want || body["error_description"] == "" {
				t.Fatalf("status %d, body %v; want 400 %s", status, body, tc.want)
			}
			if _, ok := body["access_token"]; ok {
				t.Error("an access token came with the error")
			}
			if f.Get("grant_type") == "authorization_code" {
				refused++
			}
		})
	}
	if st := h.sim.OAuthStats(); st.ExchangesRefused != refused || st.CodesExchanged != 0 {
		t.Errorf("stats %+v, want %d exchanges refused and none done", st, refused)
	}
}

// TestCodeIsGoodOnce: the second use of a code is refused, and revokes the
// tokens the first gave (RFC 6749 section 4.1.2).
func TestCodeIsGoodOnce(t *testing.T) {
	h := newOAuthHarness(t, Options{})
	verifier, challenge := pkce("x")
	f := exchangeForm(h.code(goodAuthorize("app1", challenge)), verifier, "app1")
	status, first := h.post(TokenPath, f, "", "")
	if status != http.StatusOK {
		t.Fatalf("first exchange: %d %v", status, first)
	}
	status, again := h.post(TokenPath, f, "", "")
	if status != http.StatusBadRequest || again["error"] != "invalid_grant" {
		t.Fatalf("second exchange: %d %v, want 400 invalid_grant", status, again)
	}
	if status, _ := h.api("GET", "/2/users/me", first["access_token"].(string), ""); status != http.StatusUnauthorized {
		t.Errorf("the first exchange's access token answers %d after the code's reuse, want 401", status)
	}
	if status, body := h.refresh(first["refresh_token"].(string), "app1"); status != http.StatusBadRequest {
		t.Errorf("the first exchange's refresh token: %d %v, want refused", status, body)
	}
}

// TestCodeExpiresOnTheSimClock: a code is good for 30 seconds of the Sim's
// clock, not of the wall clock.
func TestCodeExpiresOnTheSimClock(t *testing.T) {
	h := newOAuthHarness(t, Options{})
	verifier, challenge := pkce("x")
	f := exchangeForm(h.code(goodAuthorize("app1", challenge)), verifier, "app1")
	h.clock.Advance(29 * time.Second)
	if status, body := h.post(TokenPath, f, "", ""); status != http.StatusOK {
		t.Fatalf("at 29s: %d %v, want the code still good", status, body)
	}
}

func TestRefreshRotates(t *testing.T) {
	h := newOAuthHarness(t, Options{})
	at1, rt1 := h.signIn("acme_sales", allTestScopes)
	h.clock.Advance(time.Hour)
	status, body := h.refresh(rt1, "app1")
	if status != http.StatusOK {
		t.Fatalf("refresh: %d %v", status, body)
	}
	at2, rt2 := body["access_token"].(string), body["refresh_token"].(string)
	if at2 == at1 || rt2 == rt1 || rt2 == "" || body["expires_in"] != float64(7200) {
		t.Fatalf("refresh gave %v; want a new access token and a new refresh token", body)
	}
	// The old refresh token stopped working when the new one was issued.
	status, body = h.refresh(rt1, "app1")
	if status != http.StatusBadRequest || body["error"] != "invalid_grant" {
		t.Errorf("old refresh token: %d %v, want 400 invalid_grant", status, body)
	}
	// A refresh token is the client's own.
	if status, body := h.refresh(rt2, "app2"); status != http.StatusBadRequest || body["error"] != "invalid_grant" {
		t.Errorf("refresh by another client: %d %v", status, body)
	}
	// Both access tokens are good until they expire; the new one lives two
	// hours from the refresh.
	for _, at := range []string{at1, at2} {
		if status, _ := h.api("GET", "/2/users/me", at, ""); status != http.StatusOK {
			t.Errorf("access token: %d", status)
		}
	}
	h.clock.Advance(time.Hour)
	if status, _ := h.api("GET", "/2/users/me", at1, ""); status != http.StatusUnauthorized {
		t.Errorf("first access token after 2h: %d, want 401", status)
	}
	if status, _ := h.api("GET", "/2/users/me", at2, ""); status != http.StatusOK {
		t.Errorf("refreshed access token after 1h of its 2h: %d", status)
	}
	// The new refresh token rotates in turn.
	if status, body := h.refresh(rt2, "app1"); status != http.StatusOK {
		t.Errorf("second refresh: %d %v", status, body)
	}
	st := h.sim.OAuthStats()
	if st.Refreshes != 2 || st.RefreshesRefused != 2 || st.Handles["acme_sales"].Refreshes != 2 {
		t.Errorf("stats %+v, want 2 refreshes and 2 refused", st)
	}
}

// TestRefreshNarrowsScopes: a refresh may ask for fewer scopes, never more.
func TestRefreshNarrowsScopes(t *testing.T) {
	h := newOAuthHarness(t, Options{})
	_, rt := h.signIn("acme_sales", "tweet.read users.read offline.access")
	f := url.Values{"grant_type": {"refresh_token"}, "refresh_token": {rt}, "client_id": {"app1"}, "scope": {"tweet.read dm.write"}}
	if status, body := h.post(TokenPath, f, "", ""); status != http.StatusBadRequest || body["error"] != "invalid_scope" {
		t.Fatalf("widening refresh: %d %v", status, body)
	}
	f.Set("scope", "users.read offline.access tweet.read")
	if status, body := h.post(TokenPath, f, "", ""); status != http.StatusOK || body["scope"] != "offline.access tweet.read users.read" {
		t.Fatalf("same-scope refresh: %d %v", status, body)
	}
}

// TestRevocation: a revoked access token gets X's 401 everywhere; a revoked
// refresh token is refused, and so are the access tokens of its grant.
func TestRevocation(t *testing.T) {
	h := newOAuthHarness(t, Options{})
	want := example(t, "error.401.postman.json")

	at, _ := h.signIn("acme_sales", allTestScopes)
	status, body := h.post(RevokePath, url.Values{"token": {at}, "client_id": {"app1"}}, "", "")
	if status != http.StatusOK || body["revoked"] != true {
		t.Fatalf("revoke: %d %v", status, body)
	}
	if status, body := h.api("GET", "/2/users/me", at, ""); status != http.StatusUnauthorized || !jsonEqual(body, want) {
		t.Errorf("revoked access token: %d %v, want X's 401", status, body)
	}

	at, rt := h.signIn("acme_sales", allTestScopes)
	if status, _ := h.post(RevokePath, url.Values{"token": {rt}, "client_id": {"app2"}}, "", ""); status != http.StatusBadRequest {
		t.Errorf("revocation by another client: %d, want 400", status)
	}
	if status, _ := h.post(RevokePath, url.Values{"token": {rt}, "client_id": {"app1"}}, "", ""); status != http.StatusOK {
		t.Fatalf("revoke refresh token: %d", status)
	}
	if status, body := h.refresh(rt, "app1"); status != http.StatusBadRequest || body["error"] != "invalid_grant" {
		t.Errorf("revoked refresh token: %d %v", status, body)
	}
	if status, _ := h.api("GET", "/2/users/me", at, ""); status != http.StatusUnauthorized {
		t.Errorf("access token of a revoked grant: %d, want 401", status)
	}
	// An unknown token is answered 200, as RFC 7009 asks.
	if status, body := h.post(RevokePath, url.Values{"token": {"nope"}, "client_id": {"app1"}}, "", ""); status != http.StatusOK {
		t.Errorf("unknown token: %d %v", status, body)
	}
	if status, body := h.post(RevokePath, url.Values{"client_id": {"app1"}}, "", ""); status != http.StatusBadRequest || body["error"] != "invalid_request" {
		t.Errorf("no token: %d %v", status, body)
	}
	if st := h.sim.OAuthStats(); st.Revocations != 2 || st.RevokedToken401s != 2 {
		t.Errorf("stats %+v, want 2 revocations and 2 401s for revoked tokens", st)
	}
}

// TestForceRefreshRefusal: a test in another process ends an account's
// refresh tokens through OAuthRevokePath; the access token it holds works
// until it expires, and the next refresh is refused.
func TestForceRefreshRefusal(t *testing.T) {
	h := newOAuthHarness(t, Options{})
	at, rt := h.signIn("acme_sales", allTestScopes)
	req, _ := http.NewRequest("POST", h.base+OAuthRevokePath, strings.NewReader(`{"handle":"ACME_sales"}`))
	req.Header.Set("Content-Type", "application/json")
	if status, body := h.send(req); status != http.StatusOK || body["revoked"] != float64(1) {
		t.Fatalf("%s: %d %v", OAuthRevokePath, status, body)
	}
	if status, _ := h.api("GET", "/2/users/me", at, ""); status != http.StatusOK {
		t.Errorf("access token after its refresh token was revoked: %d, want it good until expiry", status)
	}
	if status, body := h.refresh(rt, "app1"); status != http.StatusBadRequest || body["error"] != "invalid_grant" {
		t.Errorf("refresh: %d %v, want 400 invalid_grant", status, body)
	}
	req, _ = http.NewRequest("POST", h.base+OAuthRevokePath, strings.NewReader(`{"handle":"dash-ed"}`))
	if status, _ := h.send(req); status != http.StatusBadRequest {
		t.Errorf("bad handle: %d, want 400", status)
	}
}

// TestTokenExpiry: an access token lives Options.TokenTTL on the Sim's
// clock; past it every endpoint answers X's 401, and the 401s are counted.
func TestTokenExpiry(t *testing.T) {
	h := newOAuthHarness(t, Options{TokenTTL: 10 * time.Minute})
	verifier, challenge := pkce("x")
	_, body := h.post(TokenPath, exchangeForm(h.code(goodAuthorize("app1", challenge)), verifier, "app1"), "", "")
	if body["expires_in"] != float64(600) {
		t.Fatalf("expires_in %v, want 600", body["expires_in"])
	}
	at := body["access_token"].(string)
	target := findUser(t, h.sim, "exp", func(u User) bool { return u.AcceptsDMs })
	calls := []struct{ method, path, body string }{
		{"GET", "/2/users/me", ""},
		{"GET", "/2/dm_events", ""},
		{"POST", "/2/dm_conversations/with/" + target.ID + "/messages", `{"text":"hi"}`},
		{"GET", "/2/users/by/username/sarahchen", ""},
		{"GET", "/2/no/such/route", ""},
	}
	h.clock.Advance(10*time.Minute - time.Second)
	if status, _ := h.api("GET", "/2/users/me", at, ""); status != http.StatusOK {
		t.Fatalf("a second before expiry: %d", status)
	}
	h.clock.Advance(time.Second)
	want := example(t, "error.401.postman.json")
	for _, c := range calls {
		if status, got := h.api(c.method, c.path, at, c.body); status != http.StatusUnauthorized || !jsonEqual(got, want) {
			t.Errorf("%s %s with an expired token: %d %v, want X's 401", c.method, c.path, status, got)
		}
	}
	if st := h.sim.OAuthStats(); st.ExpiredToken401s != len(calls) {
		t.Errorf("expired-token 401s %d, want %d", st.ExpiredToken401s, len(calls))
	}
	// The sandbox login's tokens never expire.
	tok, _ := h.sim.Login("acme_sales")
	if status, _ := h.api("GET", "/2/users/me", tok, ""); status != http.StatusOK {
		t.Errorf("login token after the OAuth token expired: %d", status)
	}
}

// TestMissingScope: an endpoint refuses an OAuth token without its scopes
// with a 403 problem naming them; the sandbox login's tokens have every
// scope.
func TestMissingScope(t *testing.T) {
	h := newOAuthHarness(t, Options{})
	read, _ := h.signIn("acme_sales", "tweet.read users.read")
	all, _ := h.signIn("acme_sales", allTestScopes)
	login, _ := h.sim.Login("acme_sales")
	me, _ := h.sim.UserByUsername("acme_sales")
	target := findUser(t, h.sim, "scope", func(u User) bool { return u.AcceptsDMs })
	tweet := func(text string) string {
		status, body := h.api("POST", "/2/tweets", login, `{"text":"for likes: `+text+`"}`)
		if status != http.StatusCreated {
			t.Fatalf("post: %d %v", status, body)
		}
		return body["data"].(map[string]any)["id"].(string)
	}
	for _, tc := range []struct {
		name, method, path, body string
		missing                  []string // for the read-only token
	}{
		{"user lookup", "GET", "/2/users/by/username/sarahchen", "", nil},
		{"me", "GET", "/2/users/me", "", nil},
		{"user timeline", "GET", "/2/users/" + me.ID + "/tweets", "", nil},
		{"followers", "GET", "/2/users/" + target.ID + "/followers", "", []string{"follows.read"}},
		{"following", "GET", "/2/users/" + target.ID + "/following", "", []string{"follows.read"}},
		{"follow", "POST", "/2/users/" + me.ID + "/following", `{"target_user_id":"` + target.ID + `"}`, []string{"follows.write"}},
		{"like", "POST", "/2/users/" + me.ID + "/likes", `{"tweet_id":"` + tweet("a") + `"}`, []string{"like.write"}},
		{"post", "POST", "/2/tweets", `{"text":"scoped"}`, []string{"tweet.write"}},
		{"DM send", "POST", "/2/dm_conversations/with/" + target.ID + "/messages", `{"text":"hi"}`, []string{"dm.read", "dm.write"}},
		{"DM events", "GET", "/2/dm_events", "", []string{"dm.read"}},
		{"DM conversation", "GET", "/2/dm_conversations/with/" + target.ID + "/dm_events", "", []string{"dm.read"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, body := h.api(tc.method, tc.path, read, tc.body)
			if tc.missing == nil {
				if status >= 300 {
					t.Fatalf("with tweet.read users.read: %d %v", status, body)
				}
			} else {
				if status != http.StatusForbidden || body["type"] != "https://api.x.com/2/problems/unsupported-authentication" ||
					body["status"] != float64(403) || body["title"] == nil {
					t.Fatalf("with tweet.read users.read: %d %v, want 403 unsupported-authentication", status, body)
				}
				detail, _ := body["detail"].(string)
				for _, sc := range tc.missing {
					if !strings.Contains(detail, sc) {
						t.Errorf("detail %q does not name the missing scope %s", detail, sc)
					}
				}
			}
			for name, tok := range map[string]string{"every scope": all, "sandbox login": login} {
				if tc.method == "POST" && strings.HasSuffix(tc.path, "/likes") {
					// A like is once per tweet: like another.
					tc.body = `{"tweet_id":"` + tweet(name) + `"}`
				}
				if status, body := h.api(tc.method, tc.path, tok, tc.body); status >= 300 {
					t.Errorf("with %s: %d %v", name, status, body)
				}
			}
		})
	}
	if st := h.sim.OAuthStats(); st.Scope403s != 8 {
		t.Errorf("scope 403s %d, want 8", st.Scope403s)
	}
}

// TestRegisteredClients: once the Sim registers clients, only those sign
// in, each with its redirect URLs and, if confidential, its secret.
func TestRegisteredClients(t *testing.T) {
	h := newOAuthHarness(t, Options{OAuthClients: []OAuthClient{
		{ID: "conf", Secret: "s3cret", RedirectURIs: []string{testRedirect}},
		{ID: "pub", RedirectURIs: []string{"http://127.0.0.1:8789/cb", testRedirect}},
	}})
	verifier, challenge := pkce("x")

	for _, tc := range []struct {
		name string
		q    url.Values
	}{
		{"unknown client", goodAuthorize("other", challenge)},
		{"unregistered redirect", func() url.Values {
			q := goodAuthorize("conf", challenge)
			q.Set("redirect_uri", "http://127.0.0.1:8789/cb")
			return q
		}()},
	} {
		if status, back, _ := h.authorize(tc.q); status != http.StatusBadRequest || back != nil {
			t.Errorf("%s: status %d, redirect %v; want a 400 page", tc.name, status, back)
		}
	}

	for _, tc := range []struct {
		name, client, user, pass string
		inBody                   bool
		wantStatus               int
		wantError                string
	}{
		{"confidential without Basic", "conf", "", "", true, 401, "invalid_client"},
		{"confidential, wrong secret", "conf", "conf", "nope", false, 401, "invalid_client"},
		{"confidential", "conf", "conf", "s3cret", false, 200, ""},
		{"confidential, id in body too", "conf", "conf", "s3cret", true, 200, ""},
		{"public with a secret", "pub", "pub", "s3cret", false, 401, "invalid_client"},
		{"public", "pub", "", "", true, 200, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := exchangeForm(h.code(goodAuthorize(tc.client, challenge)), verifier, "")
			if tc.inBody {
				f.Set("client_id", tc.client)
			}
			status, body := h.post(TokenPath, f, tc.user, tc.pass)
			if status != tc.wantStatus || (tc.wantError != "" && body["error"] != tc.wantError) {
				t.Fatalf("status %d, body %v; want %d %s", status, body, tc.wantStatus, tc.wantError)
			}
			if tc.wantStatus == 200 && body["access_token"] == nil {
				t.Fatalf("no access token: %v", body)
			}
		})
	}
	// Refresh and revocation authenticate the client the same way.
	f := exchangeForm(h.code(goodAuthorize("conf", challenge)), verifier, "")
	_, body := h.post(TokenPath, f, "conf", "s3cret")
	rt := body["refresh_token"].(string)
	if status, body := h.refresh(rt, "conf"); status != http.StatusUnauthorized {
		t.Errorf("refresh without the secret: %d %v", status, body)
	}
	if status, body := h.post(TokenPath, url.Values{"grant_type": {"refresh_token"}, "refresh_token": {rt}}, "conf", "s3cret"); status != http.StatusOK {
		t.Errorf("refresh with the secret: %d %v", status, body)
	}
	if status, _ := h.post(RevokePath, url.Values{"token": {rt}}, "conf", "nope"); status != http.StatusUnauthorized {
		t.Errorf("revoke with a wrong secret: %d", status)
	}
}

// TestTokenRequestFormat: the token endpoint takes a form, each parameter
// once.
func TestTokenRequestFormat(t *testing.T) {
	h := newOAuthHarness(t, Options{})
	for _, tc := range []struct{ name, contentType, body string }{
		{"JSON", "application/json", `{"grant_type":"refresh_token"}`},
		{"no content type", "", "grant_type=refresh_token&refresh_token=x&client_id=a"},
		{"repeated parameter", "application/x-www-form-urlencoded", "grant_type=refresh_token&refresh_token=x&refresh_token=y&client_id=a"},
		{"bad escape", "application/x-www-form-urlencoded", "grant_type=refresh_token&refresh_token=%zz"},
		{"too large", "application/x-www-form-urlencoded", "refresh_token=" + strings.Repeat("a", maxForm)},
	} {
		req, _ := http.NewRequest("POST", h.base+TokenPath, strings.NewReader(tc.body))
		if tc.contentType != "" {
			req.Header.Set("Content-Type", tc.contentType)
		}
		if status, body := h.send(req); status != http.StatusBadRequest || body["error"] != "invalid_request" {
			t.Errorf("%s: %d %v, want 400 invalid_request", tc.name, status, body)
		}
	}
	// A charset parameter is fine.
	req, _ := http.NewRequest("POST", h.base+TokenPath, strings.NewReader("grant_type=refresh_token&refresh_token=x&client_id=a"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
	if status, body := h.send(req); status != http.StatusBadRequest || body["error"] != "invalid_grant" {
		t.Errorf("with charset: %d %v, want the grant looked at (invalid_grant)", status, body)
	}
}

// TestOAuthStatsEndpoint: per handle, the API requests made with OAuth
// tokens and how many distinct tokens they used, over HTTP.
func TestOAuthStatsEndpoint(t *testing.T) {
	h := newOAuthHarness(t, Options{})
	at1, rt := h.signIn("acme_sales", allTestScopes)
	for range 2 {
		h.api("GET", "/2/users/me", at1, "")
	}
	_, body := h.refresh(rt, "app1")
	at2 := body["access_token"].(string)
	for range 3 {
		h.api("GET", "/2/dm_events", at2, "")
	}
	login, _ := h.sim.Login("acme_sales")
	h.api("GET", "/2/users/me", login, "") // not an OAuth request

	resp, err := h.http.Get(h.base + OAuthPath)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var st OAuthStats
	if err := json.NewDecoder(resp.Body).Decode(&st); err != nil {
		t.Fatal(err)
	}
	want := OAuthHandleStats{Requests: 5, AccessTokens: 2, Refreshes: 1}
	if st.Handles["acme_sales"] != want || st.CodesIssued != 1 || st.CodesExchanged != 1 || st.Refreshes != 1 {
		t.Errorf("GET %s: %+v, want acme_sales %+v", OAuthPath, st, want)
	}
}

// TestOAuthUsersShareRateLimits: an OAuth token and the sandbox login of
// one account spend one per-user budget under the active profile.
func TestOAuthUsersShareRateLimits(t *testing.T) {
	h := newOAuthHarness(t, Options{Faults: Faults{Limits: LimitsX}})
	at, _ := h.signIn("acme_sales", allTestScopes)
	login, _ := h.sim.Login("acme_sales")
	for i := range 75 { // X's users/me: 75 per 15 minutes per user
		if status, _ := h.api("GET", "/2/users/me", login, ""); status != http.StatusOK {
			t.Fatalf("request %d: %d", i+1, status)
		}
	}
	if status, _ := h.api("GET", "/2/users/me", at, ""); status != http.StatusTooManyRequests {
		t.Errorf("76th request, with the OAuth token: %d, want 429", status)
	}
}

// TestScopesFollowTheSpec: the scopes each endpoint checks are the
// OAuth2UserToken security of its operation in X's spec, plus dm.read on
// DM sends (X's DM guide).
func TestScopesFollowTheSpec(t *testing.T) {
	var spec struct {
		Paths map[string]map[string]struct {
			Security []map[string][]string `json:"security"`
		} `json:"paths"`
	}
	data := example(t, "openapi_v2.166.excerpt.json")
	raw, _ := json.Marshal(data)
	if err := json.Unmarshal(raw, &spec); err != nil {
		t.Fatal(err)
	}
	ops := map[string]endpoint{
		"get /2/users/by/username/{username}":                     epUserByUsername,
		"get /2/users/{id}":                                       epUserByID,
		"get /2/users/me":                                         epUserMe,
		"get /2/users/{id}/followers":                             epFollowers,
		"get /2/users/{id}/following":                             epFollowing,
		"post /2/users/{id}/following":                            epFollow,
		"post /2/dm_conversations/with/{participant_id}/messages": epDMSend,
		"post /2/dm_conversations/{dm_conversation_id}/messages":  epDMSend,
		"get /2/dm_events":                                        epDMEvents,
		"get /2/dm_conversations/with/{participant_id}/dm_events": epDMConversationEvents,
		"get /2/dm_conversations/{id}/dm_events":                  epDMConversationEvents,
		"post /2/users/{id}/likes":                                epLike,
		"get /2/users/{id}/tweets":                                epUserTweets,
		"post /2/tweets":                                          epTweetCreate,
	}
	covered := map[endpoint]bool{}
	for op, ep := range ops {
		method, path, _ := strings.Cut(op, " ")
		var want []string
		for _, sec := range spec.Paths[path][method].Security {
			want = append(want, sec["OAuth2UserToken"]...)
		}
		if want == nil {
			t.Errorf("%s: no OAuth2UserToken scopes in the spec", op)
			continue
		}
		if ep == epDMSend {
			want = append(want, "dm.read")
		}
		slices.Sort(want)
		if !slices.Equal(endpointScopes[ep], want) {
			t.Errorf("%s: checks %v, the spec says %v", op, endpointScopes[ep], want)
		}
		covered[ep] = true
	}
	for ep := range numEndpoints {
		if !covered[ep] {
			t.Errorf("endpoint %d has no operation of the spec", ep)
		}
	}
}

func TestOAuthOptionsValidate(t *testing.T) {
	for _, tc := range []struct {
		c    OAuthClient
		want string
	}{
		{OAuthClient{RedirectURIs: []string{testRedirect}}, "client id"},
		{OAuthClient{ID: "a b", RedirectURIs: []string{testRedirect}}, "client id"},
		{OAuthClient{ID: "a"}, "redirect_uris"},
		{OAuthClient{ID: "a", RedirectURIs: []string{"/cb"}}, "redirect_uris[0]"},
		{OAuthClient{ID: "a", RedirectURIs: []string{testRedirect, "ftp://x/cb"}}, "redirect_uris[1]"},
	} {
		if err := tc.c.Validate(); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: %v, want an error naming %s", tc.c, err, tc.want)
		}
	}
	for name, opts := range map[string]Options{
		"duplicate client": {OAuthClients: []OAuthClient{{ID: "a", RedirectURIs: []string{testRedirect}}, {ID: "a", RedirectURIs: []string{testRedirect}}}},
		"negative TTL":     {TokenTTL: -time.Second},
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s: New did not panic", name)
				}
			}()
			New(opts)
		}()
	}
}

// FuzzTokenForm throws arbitrary bodies at the token endpoint's form
// parsing and at the endpoint: parsing never panics and accepts each
// parameter once only; the endpoint answers an OAuth JSON error, never a
// token for a code or refresh token it did not issue.
func FuzzTokenForm(f *testing.F) {
	for _, seed := range []string{
		"grant_type=authorization_code&code=c&redirect_uri=http%3A%2F%2F127.0.0.1%2Fcb&code_verifier=v&client_id=a",
		"grant_type=refresh_token&refresh_token=r&client_id=a",
		"grant_type=refresh_token&grant_type=refresh_token", "", "=", "&&&", "%zz", "a=%00", "scope=+++",
		"grant_type=refresh_token&refresh_token=r&client_id=a&scope=tweet.read",
	} {
		f.Add(seed)
	}
	sim := New(Options{Clock: newFakeClock()})
	f.Fuzz(func(t *testing.T, body string) {
		form, oerr := parseForm("application/x-www-form-urlencoded", []byte(body))
		if oerr == nil {
			for k, v := range form {
				if len(v) != 1 {
					t.Fatalf("accepted %s %d times", k, len(v))
				}
			}
		} else if oerr.status != http.StatusBadRequest || oerr.Code != "invalid_request" {
			t.Fatalf("parse error %+v", oerr)
		}
		req, _ := http.NewRequest("POST", TokenPath, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		rec := httptest.NewRecorder()
		sim.Handler().ServeHTTP(rec, req)
		var out map[string]any
		if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil {
			t.Fatalf("status %d, body not JSON: %q", rec.Code, rec.Body)
		}
		if rec.Code == http.StatusOK || out["access_token"] != nil {
			t.Fatalf("issued a token for %q: %v", body, out)
		}
		if code, _ := out["error"].(string); code == "" || (rec.Code != 400 && rec.Code != 401) {
			t.Fatalf("status %d, body %v", rec.Code, out)
		}
	})
}
