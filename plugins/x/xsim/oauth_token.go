package xsim

import (
	"bytes"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// TokenPath is X's OAuth 2.0 token endpoint. It takes a form-encoded body
// (shared/x-api-v2/oauth2_token.*.request.txt):
//
//	grant_type=authorization_code&code=C&redirect_uri=URL&code_verifier=V&client_id=ID
//	grant_type=refresh_token&refresh_token=R&client_id=ID
//
// A confidential client authenticates with HTTP Basic client_id:secret
// instead of client_id in the body. It answers 200
// {"token_type":"bearer","expires_in":7200,"access_token":...,"scope":"...",
// "refresh_token":...} (the refresh token only with offline.access), and
// otherwise 400 {"error":"invalid_request"|"invalid_grant"|
// "unsupported_grant_type"|"invalid_scope","error_description":...}, or 401
// invalid_client for a client that fails to authenticate. A code is good
// once, for 30 seconds, and only for the client and redirect_uri it was
// issued to and the code_verifier of its challenge. A refresh token is
// good once: refreshing rotates it, and the old one is refused from then
// on.
const TokenPath = "/2/oauth2/token"

// RevokePath is X's OAuth 2.0 revocation endpoint (RFC 7009), form-encoded
// token and client_id (or HTTP Basic):
//
//	POST /2/oauth2/revoke token=T&client_id=ID -> 200 {"revoked":true}
//
// Revoking an access token ends that token; revoking a refresh token ends
// every token of its grant. An unknown token is answered 200 too, as RFC
// 7009 asks.
const RevokePath = "/2/oauth2/revoke"

// maxForm bounds a token or revocation request body; a real one is a few
// hundred bytes.
const maxForm = 16 << 10

// tokenResponse is the token endpoint's answer, with the fields of the
// only recorded one (oauth2_token.refresh.response.THIRD_PARTY.json).
type tokenResponse struct {
	TokenType    string `json:"token_type"`
	ExpiresIn    int64  `json:"expires_in"`
	AccessToken  string `json:"access_token"`
	Scope        string `json:"scope"`
	RefreshToken string `json:"refresh_token,omitempty"`
}

// oauthError is an OAuth 2.0 error answer (RFC 6749 section 5.2).
type oauthError struct {
	status      int
	Code        string `json:"error"`
	Description string `json:"error_description"`
}

func (e *oauthError) Error() string { return e.Code + ": " + e.Description }

func badRequest(code, format string, args ...any) *oauthError {
	return &oauthError{http.StatusBadRequest, code, fmt.Sprintf(format, args...)}
}

func badClient(format string, args ...any) *oauthError {
	return &oauthError{http.StatusUnauthorized, "invalid_client", fmt.Sprintf(format, args...)}
}

// parseForm reads the body of a token or revocation request:
// application/x-www-form-urlencoded, at most maxForm bytes, each parameter
// at most once (RFC 6749 section 3.2). Errors name what is wrong.
func parseForm(contentType string, body []byte) (url.Values, *oauthError) {
	mt, _, err := mime.ParseMediaType(contentType)
	if err != nil || mt != "application/x-www-form-urlencoded" {
		return nil, badRequest("invalid_request", "The Content-Type %q is not accepted: send the parameters form-encoded, as application/x-www-form-urlencoded.", contentType)
	}
	if len(body) > maxForm {
		return nil, badRequest("invalid_request", "The request body is larger than %d bytes.", maxForm)
	}
	form, err := url.ParseQuery(string(body))
	if err != nil {
		return nil, badRequest("invalid_request", "The request body is not form-encoded: %v.", err)
	}
	for _, k := range sortedKeys(form) {
		if len(form[k]) > 1 {
			return nil, badRequest("invalid_request", "The %s parameter is given more than once.", k)
		}
	}
	return form, nil
}

// readForm reads and parses r's body with parseForm.
func readForm(r *http.Request) (url.Values, *oauthError) {
	body, err := io.ReadAll(io.LimitReader(r.Body, maxForm+1))
	if err != nil {
		return nil, badRequest("invalid_request", "Could not read the request body: %v.", err)
	}
	return parseForm(r.Header.Get("Content-Type"), body)
}

// authClientLocked finds the client of a token or revocation request:
// HTTP Basic client_id:secret for a confidential client, client_id in the
// body for a public one.
func (s *Sim) authClientLocked(r *http.Request, form url.Values) (OAuthClient, *oauthError) {
	bodyID := form.Get("client_id")
	id, secret, basic := r.BasicAuth()
	if !basic && r.Header.Get("Authorization") != "" {
		return OAuthClient{}, badClient("The Authorization header is not HTTP Basic client_id:client_secret.")
	}
	switch {
	case basic && bodyID != "" && bodyID != id:
		return OAuthClient{}, badRequest("invalid_request", "The client_id in the body is not the one in the Authorization header.")
	case !basic:
		id = bodyID
	}
	if id == "" {
		return OAuthClient{}, badRequest("invalid_request", "The client_id parameter is missing: a public client sends it in the body, a confidential one in HTTP Basic.")
	}
	c, ok := s.oauth.client(id)
	if !ok {
		return OAuthClient{}, badClient("The client_id %q is not an app registered with this simulated X.", id)
	}
	if s.oauth.clients == nil {
		return c, nil // any client, any secret
	}
	switch {
	case c.Secret != "" && !basic:
		return OAuthClient{}, badClient("Client %q is confidential: authenticate with HTTP Basic client_id:client_secret.", id)
	case c.Secret != "" && subtle.ConstantTimeCompare([]byte(secret), []byte(c.Secret)) != 1:
		return OAuthClient{}, badClient("The client secret of %q is wrong.", id)
	case c.Secret == "" && secret != "":
		return OAuthClient{}, badClient("Client %q is public: it has no secret; send client_id in the body.", id)
	}
	return c, nil
}

func (s *Sim) handleToken(w http.ResponseWriter, r *http.Request) {
	form, oerr := readForm(r)
	if oerr != nil {
		writeOAuth(w, nil, oerr)
		return
	}
	s.mu.Lock()
	now := s.clock.Now()
	grantType := form.Get("grant_type")
	res, oerr := s.tokenLocked(r, form, grantType, now)
	if oerr != nil {
		switch grantType {
		case "authorization_code":
			s.oauth.stats.ExchangesRefused++
		case "refresh_token":
			s.oauth.stats.RefreshesRefused++
		}
	}
	s.mu.Unlock()
	writeOAuth(w, res, oerr)
}

func (s *Sim) tokenLocked(r *http.Request, form url.Values, grantType string, now time.Time) (*tokenResponse, *oauthError) {
	if grantType == "" {
		return nil, badRequest("invalid_request", "The grant_type parameter is missing: give authorization_code or refresh_token.")
	}
	if grantType != "authorization_code" && grantType != "refresh_token" {
		return nil, badRequest("unsupported_grant_type", "The grant_type %q is not supported: give authorization_code or refresh_token.", grantType)
	}
	c, oerr := s.authClientLocked(r, form)
	if oerr != nil {
		return nil, oerr
	}
	if grantType == "authorization_code" {
		return s.exchangeLocked(form, c, now)
	}
	return s.refreshLocked(form, c, now)
}

// exchangeLocked serves grant_type=authorization_code.
func (s *Sim) exchangeLocked(form url.Values, c OAuthClient, now time.Time) (*tokenResponse, *oauthError) {
	for _, p := range []string{"code", "redirect_uri", "code_verifier"} {
		if form.Get(p) == "" {
			return nil, badRequest("invalid_request", "The %s parameter is missing.", p)
		}
	}
	ac := s.oauth.codes[form.Get("code")]
	switch {
	case ac == nil:
		return nil, badRequest("invalid_grant", "The authorization code is not one this server issued, or it has expired.")
	case ac.used:
		// RFC 6749 section 4.1.2: a code used twice may have been stolen,
		// so what it gave is revoked.
		s.oauth.revokeGrantLocked(ac.grant)
		return nil, badRequest("invalid_grant", "The authorization code was already used; the tokens it gave are revoked.")
	case !now.Before(ac.expires):
		return nil, badRequest("invalid_grant", "The authorization code has expired: codes live %v.", codeTTL)
	case ac.grant.clientID != c.ID:
		return nil, badRequest("invalid_grant", "The authorization code was issued to another client.")
	case ac.redirect != form.Get("redirect_uri"):
		return nil, badRequest("invalid_grant", "The redirect_uri is not the one the authorization request named.")
	case !pkceMatches(form.Get("code_verifier"), ac.challenge):
		return nil, badRequest("invalid_grant", "The code_verifier does not match the code_challenge (S256).")
	}
	ac.used = true
	s.oauth.stats.CodesExchanged++
	res := s.oauth.issueLocked(ac.grant, now)
	return &res, nil
}

// pkceMatches reports whether verifier hashes to the S256 challenge.
func pkceMatches(verifier, challenge string) bool {
	sum := sha256.Sum256([]byte(verifier))
	return subtle.ConstantTimeCompare([]byte(base64.RawURLEncoding.EncodeToString(sum[:])), []byte(challenge)) == 1
}

// refreshLocked serves grant_type=refresh_token, rotating the token.
func (s *Sim) refreshLocked(form url.Values, c OAuthClient, now time.Time) (*tokenResponse, *oauthError) {
	raw := form.Get("refresh_token")
	if raw == "" {
		return nil, badRequest("invalid_request", "The refresh_token parameter is missing.")
	}
	rt := s.oauth.refresh[raw]
	switch {
	case rt == nil:
		return nil, badRequest("invalid_grant", "The refresh token is not one this server issued.")
	case rt.dead:
		return nil, badRequest("invalid_grant", "The refresh token was already used or revoked.")
	case rt.grant.clientID != c.ID:
		return nil, badRequest("invalid_grant", "The refresh token was issued to another client.")
	}
	g := rt.grant
	if sc := form.Get("scope"); sc != "" {
		// A narrower scope is allowed (RFC 6749 section 6), never a wider.
		narrow := strings.Fields(sc)
		for _, x := range narrow {
			if !g.has(x) {
				return nil, badRequest("invalid_scope", "The scope %q was not granted; a refresh can only narrow the scopes.", x)
			}
		}
		slices.Sort(narrow)
		g = &grant{user: g.user, handle: g.handle, clientID: g.clientID, scopes: slices.Compact(narrow)}
	}
	rt.dead = true
	s.oauth.stats.Refreshes++
	key := strings.ToLower(g.handle)
	hs := s.oauth.stats.Handles[key]
	hs.Refreshes++
	s.oauth.stats.Handles[key] = hs
	res := s.oauth.issueLocked(g, now)
	return &res, nil
}

// revokeResponse is the revocation endpoint's answer.
type revokeResponse struct {
	Revoked bool `json:"revoked"`
}

func (s *Sim) handleRevoke(w http.ResponseWriter, r *http.Request) {
	form, oerr := readForm(r)
	if oerr != nil {
		writeOAuth(w, nil, oerr)
		return
	}
	s.mu.Lock()
	res, oerr := s.revokeLocked(r, form)
	s.mu.Unlock()
	writeOAuth(w, res, oerr)
}

func (s *Sim) revokeLocked(r *http.Request, form url.Values) (*revokeResponse, *oauthError) {
	c, oerr := s.authClientLocked(r, form)
	if oerr != nil {
		return nil, oerr
	}
	tok := form.Get("token")
	if tok == "" {
		return nil, badRequest("invalid_request", "The token parameter is missing.")
	}
	if at := s.oauth.access[tok]; at != nil {
		if at.grant.clientID != c.ID {
			return nil, badRequest("invalid_request", "The token was issued to another client.")
		}
		if !at.revoked {
			at.revoked = true
			s.oauth.stats.Revocations++
		}
		return &revokeResponse{Revoked: true}, nil
	}
	if rt := s.oauth.refresh[tok]; rt != nil {
		if rt.grant.clientID != c.ID {
			return nil, badRequest("invalid_request", "The token was issued to another client.")
		}
		if !rt.dead {
			s.oauth.stats.Revocations++
		}
		// RFC 7009 section 2.1: revoking a refresh token ends the
		// access tokens of its grant too.
		s.oauth.revokeGrantLocked(rt.grant)
		return &revokeResponse{Revoked: true}, nil
	}
	return &revokeResponse{Revoked: true}, nil
}

// writeOAuth writes an OAuth endpoint's answer: body, or oerr. Token
// answers are never cached (RFC 6749 section 5.1).
func writeOAuth(w http.ResponseWriter, body any, oerr *oauthError) {
	status := http.StatusOK
	v := body
	if oerr != nil {
		status, v = oerr.status, oerr
		if status == http.StatusUnauthorized {
			w.Header().Set("WWW-Authenticate", `Basic realm="xsim"`)
		}
	}
	data, err := json.Marshal(v)
	if err != nil {
		// The bodies are plain structs; failing here is a bug.
		status, data = http.StatusInternalServerError, []byte(`{"error":"server_error"}`)
	}
	data = append(data, '\n')
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Content-Length", strconv.Itoa(len(data)))
	h.Set("Cache-Control", "no-store")
	h.Set("Pragma", "no-cache")
	w.WriteHeader(status)
	_, _ = io.Copy(w, bytes.NewReader(data))
}
