package xsim

import (
	"fmt"
	"html"
	"net/http"
	"net/url"
	"slices"
	"strings"
)

// AuthorizePath is where X's OAuth 2.0 authorization page is (X serves it
// at https://x.com/i/oauth2/authorize). The simulated one asks nobody: it
// consents at once, as the user named by the extra screen_name parameter
// (X ignores parameters it does not know), and redirects with code and
// state.
//
//	GET /i/oauth2/authorize?response_type=code&client_id=ID&redirect_uri=URL
//	    &scope=tweet.read%20users.read%20dm.write&state=S&code_challenge=C
//	    &code_challenge_method=S256&screen_name=acme_sales
//	-> 302 Location: URL?code=...&state=S
//
// An unknown client_id, or a redirect_uri that is not an absolute http(s)
// URL registered for it, gets a 400 page and no redirect, as OAuth 2.0 asks
// (RFC 6749 section 4.1.2.1). Any other fault redirects with error
// (invalid_request, unsupported_response_type, invalid_scope or
// access_denied, the latter for a screen_name that is not a user of the
// simulated population), error_description and the state. PKCE is
// required, with S256 only.
const AuthorizePath = "/i/oauth2/authorize"

// authorizeParams are the parameters a request may give once (RFC 6749
// section 3.1).
var authorizeParams = []string{
	"response_type", "client_id", "redirect_uri", "scope", "state",
	"code_challenge", "code_challenge_method", "screen_name",
}

func (s *Sim) handleAuthorize(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	s.mu.Lock()
	defer s.mu.Unlock()
	clientID, redirect := q.Get("client_id"), q.Get("redirect_uri")
	switch {
	case len(q["client_id"]) > 1 || len(q["redirect_uri"]) > 1:
		authorizePage(w, "client_id and redirect_uri must each be given once.")
		return
	case clientID == "":
		authorizePage(w, "The client_id parameter is missing: give the app's OAuth 2.0 client id.")
		return
	case redirect == "":
		authorizePage(w, "The redirect_uri parameter is missing: give the app's callback URL.")
		return
	}
	c, ok := s.oauth.client(clientID)
	if !ok {
		authorizePage(w, fmt.Sprintf("The client_id %q is not an app registered with this simulated X.", clientID))
		return
	}
	if !s.oauth.redirectAllowed(c, redirect) {
		authorizePage(w, fmt.Sprintf("The redirect_uri %q is not a callback URL registered for client %q.", redirect, clientID))
		return
	}

	state := q.Get("state")
	errCode, code, desc := s.consentLocked(q, c)
	back, _ := url.Parse(redirect) // checked by redirectAllowed
	params := back.Query()
	if code != "" {
		params.Set("code", code)
	} else {
		params.Set("error", errCode)
		params.Set("error_description", desc)
	}
	if state != "" {
		params.Set("state", state)
	}
	back.RawQuery = params.Encode()
	w.Header().Set("Cache-Control", "no-store")
	http.Redirect(w, r, back.String(), http.StatusFound)
}

// consentLocked checks an authorization request of a trusted client and
// redirect URL and, if it is good, issues a code. Otherwise it returns the
// OAuth error code and a description naming the parameter.
func (s *Sim) consentLocked(q url.Values, c OAuthClient) (errCode, code, desc string) {
	for _, p := range authorizeParams {
		if len(q[p]) > 1 {
			return "invalid_request", "", fmt.Sprintf("The %s parameter is given more than once.", p)
		}
	}
	if rt := q.Get("response_type"); rt != "code" {
		return "unsupported_response_type", "", fmt.Sprintf("The response_type %q is not supported: give \"code\".", rt)
	}
	if q.Get("state") == "" {
		return "invalid_request", "", "The state parameter is missing: give a random string to check on the redirect."
	}
	challenge, method := q.Get("code_challenge"), q.Get("code_challenge_method")
	switch {
	case challenge == "":
		return "invalid_request", "", "The code_challenge parameter is missing: PKCE is required."
	case method != "S256":
		return "invalid_request", "", fmt.Sprintf("The code_challenge_method %q is refused: give \"S256\".", method)
	case !validChallenge(challenge):
		return "invalid_request", "", "The code_challenge is not the unpadded base64url SHA-256 of a code verifier (43 characters)."
	}
	scopes := strings.Fields(q.Get("scope"))
	if len(scopes) == 0 {
		return "invalid_scope", "", "The scope parameter is missing: give the scopes the app needs, separated by spaces."
	}
	for _, sc := range scopes {
		if !slices.Contains(knownScopes, sc) {
			return "invalid_scope", "", fmt.Sprintf("The scope %q is not one X grants.", sc)
		}
	}
	name := q.Get("screen_name")
	if name == "" {
		return "access_denied", "", "The screen_name parameter is missing: the simulated X consents as the user it names."
	}
	if _, ok := s.userByUsernameLocked(name); !ok {
		return "access_denied", "", fmt.Sprintf("The screen_name %q is not a user of the simulated X.", name)
	}
	a := s.ownerLocked(name)
	slices.Sort(scopes)
	g := &grant{user: a.id, handle: a.handle, clientID: c.ID, scopes: slices.Compact(scopes)}
	now := s.clock.Now()
	s.oauth.pruneCodesLocked(now)
	code = newSecret("xsim-code-")
	s.oauth.codes[code] = &authCode{grant: g, redirect: q.Get("redirect_uri"), challenge: challenge, expires: now.Add(codeTTL)}
	s.oauth.stats.CodesIssued++
	return "", code, ""
}

// validChallenge reports whether c can be an S256 challenge: 43 characters
// of the unpadded base64url alphabet.
func validChallenge(c string) bool {
	if len(c) != 43 {
		return false
	}
	for i := 0; i < len(c); i++ {
		b := c[i]
		if !(b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' || b == '-' || b == '_') {
			return false
		}
	}
	return true
}

// authorizePage answers an authorization request that cannot be sent back
// to its client: a 400 page for the person at the browser.
func authorizePage(w http.ResponseWriter, reason string) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusBadRequest)
	fmt.Fprintf(w, "<!doctype html>\n<title>Something went wrong</title>\n<h1>Something went wrong</h1>\n<p>%s</p>\n", html.EscapeString(reason))
}
