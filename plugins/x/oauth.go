package x

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/outreachhq/outreach/sdk"
)

// AuthSpec implements sdk.Authorizer.
func (c *Connector) AuthSpec(context.Context) (sdk.AuthSpec, error) {
	cfg := c.config()
	return sdk.AuthSpec{RedirectURL: cfg.RedirectURL, Scopes: append([]string(nil), cfg.Scopes...), App: cfg.App}, nil
}

// AuthorizeURL implements sdk.Authorizer: X's authorize URL with PKCE
// (S256). screen_name carries the login hint; X ignores parameters it does
// not know, and the simulator signs in as that user.
func (c *Connector) AuthorizeURL(_ context.Context, req sdk.AuthorizeRequest) (string, error) {
	cfg := c.config()
	if cfg.ClientID == "" {
		return "", fieldError("client_id", "not set: give the X app's OAuth 2.0 client id in the plugin \"x\" config to sign accounts in")
	}
	switch {
	case req.State == "":
		return "", sdk.Errorf(sdk.Permanent, "x: authorize: state is empty")
	case req.CodeChallenge == "":
		return "", sdk.Errorf(sdk.Permanent, "x: authorize: code_challenge is empty")
	}
	redirect := cfg.RedirectURL
	if req.RedirectURL != "" {
		redirect = req.RedirectURL
	}
	q := url.Values{
		"response_type":         {"code"},
		"client_id":             {cfg.ClientID},
		"redirect_uri":          {redirect},
		"scope":                 {strings.Join(cfg.Scopes, " ")},
		"state":                 {req.State},
		"code_challenge":        {req.CodeChallenge},
		"code_challenge_method": {"S256"},
	}
	if hint := strings.TrimPrefix(req.LoginHint, "@"); hint != "" {
		q.Set("screen_name", hint)
	}
	sep := "?"
	if strings.Contains(cfg.AuthorizeURL, "?") {
		sep = "&"
	}
	return cfg.AuthorizeURL + sep + q.Encode(), nil
}

// ExchangeCode implements sdk.Authorizer. X's refusal (a used, expired or
// foreign code, a wrong verifier) is Permanent with X's description: the
// person must start over.
func (c *Connector) ExchangeCode(ctx context.Context, req sdk.ExchangeRequest) (sdk.Token, error) {
	switch {
	case req.Code == "":
		return sdk.Token{}, sdk.Errorf(sdk.Permanent, "x: exchange: code is empty")
	case req.CodeVerifier == "":
		return sdk.Token{}, sdk.Errorf(sdk.Permanent, "x: exchange: code_verifier is empty")
	}
	redirect := req.RedirectURL
	if redirect == "" {
		redirect = c.config().RedirectURL
	}
	form := url.Values{
		"grant_type":    {"authorization_code"},
		"code":          {req.Code},
		"redirect_uri":  {redirect},
		"code_verifier": {req.CodeVerifier},
	}
	return c.token(ctx, "exchange the authorization code", form, req.Proxy, sdk.Permanent)
}

// RefreshToken implements sdk.Authorizer. X rotates the refresh token: the
// one returned replaces the one given. A refusal (invalid_grant: revoked,
// expired or already used) is SessionExpired.
func (c *Connector) RefreshToken(ctx context.Context, req sdk.RefreshRequest) (sdk.Token, error) {
	if req.RefreshToken == "" {
		return sdk.Token{}, sdk.Errorf(sdk.SessionExpired, "x: refresh: the account has no refresh token: sign it in again (with the offline.access scope)")
	}
	form := url.Values{"grant_type": {"refresh_token"}, "refresh_token": {req.RefreshToken}}
	return c.token(ctx, "refresh the token", form, req.Proxy, sdk.SessionExpired)
}

// token POSTs form to X's token endpoint as the app: HTTP Basic for a
// confidential client, client_id in the body for a public one
// (oauth2_token.*.request.txt). refused is the kind of a 400 or 401.
func (c *Connector) token(ctx context.Context, what string, form url.Values, proxy string, refused sdk.ErrorKind) (sdk.Token, error) {
	cfg := c.config()
	if cfg.ClientID == "" {
		return sdk.Token{}, fieldError("client_id", "not set: give the X app's OAuth 2.0 client id in the plugin \"x\" config to sign accounts in")
	}
	if cfg.ClientSecret == "" {
		form.Set("client_id", cfg.ClientID)
	}
	t, err := c.transports.get("oauth "+proxy, proxy)
	if err != nil {
		return sdk.Token{}, err
	}
	client := &http.Client{Transport: t, Timeout: cfg.Timeout}
	hreq, err := http.NewRequestWithContext(ctx, http.MethodPost, cfg.BaseURL+tokenPath, strings.NewReader(form.Encode()))
	if err != nil {
		return sdk.Token{}, sdk.Errorf(sdk.Permanent, "x: %s: %v", what, err)
	}
	hreq.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	hreq.Header.Set("User-Agent", "outreach-x/"+Version)
	if cfg.ClientSecret != "" {
		hreq.SetBasicAuth(cfg.ClientID, cfg.ClientSecret)
	}
	resp, err := client.Do(hreq)
	if err != nil {
		err = proxyFailure(err, proxy)
		if sdk.KindOf(err) != "" {
			return sdk.Token{}, err
		}
		return sdk.Token{}, sdk.Errorf(sdk.Retryable, "x: %s: %v", what, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return sdk.Token{}, sdk.Errorf(sdk.Retryable, "x: %s: %s, then reading the body failed: %v", what, resp.Status, err)
	}
	var body struct {
		AccessToken  string          `json:"access_token"`
		RefreshToken string          `json:"refresh_token"`
		ExpiresIn    json.RawMessage `json:"expires_in"`
		Scope        string          `json:"scope"`
		TokenType    string          `json:"token_type"`
		Error        string          `json:"error"`
		Description  string          `json:"error_description"`
	}
	jsonErr := json.Unmarshal(data, &body)
	if resp.StatusCode != http.StatusOK {
		why := resp.Status
		if body.Error != "" {
			why += ": " + body.Error
		}
		if body.Description != "" {
			why += ": " + body.Description
		}
		msg := fmt.Sprintf("x: %s: X refused: %s", what, why)
		switch {
		case resp.StatusCode == http.StatusProxyAuthRequired:
			return sdk.Token{}, proxyFailure(errProxyAuth, proxy)
		case resp.StatusCode == http.StatusBadRequest || resp.StatusCode == http.StatusUnauthorized:
			return sdk.Token{}, sdk.Errorf(refused, "%s", msg)
		case resp.StatusCode == http.StatusTooManyRequests:
			e := sdk.Errorf(sdk.RateLimited, "%s", msg)
			e.ResetAt = rateLimitReset(resp.Header)
			return sdk.Token{}, e
		case resp.StatusCode >= 500:
			return sdk.Token{}, sdk.Errorf(sdk.Retryable, "%s", msg)
		}
		return sdk.Token{}, sdk.Errorf(sdk.Permanent, "%s", msg)
	}
	if jsonErr != nil || body.AccessToken == "" {
		return sdk.Token{}, sdk.Errorf(sdk.Retryable, "x: %s: X answered %s without an access_token", what, resp.Status)
	}
	if body.TokenType != "" && !strings.EqualFold(body.TokenType, "bearer") {
		return sdk.Token{}, sdk.Errorf(sdk.Permanent, "x: %s: X issued a %q token; the connector sends bearer tokens", what, body.TokenType)
	}
	secs, err := strconv.ParseInt(strings.Trim(string(body.ExpiresIn), `"`), 10, 64)
	if err != nil && len(body.ExpiresIn) > 0 {
		return sdk.Token{}, sdk.Errorf(sdk.Retryable, "x: %s: expires_in %s is not a number of seconds", what, body.ExpiresIn)
	}
	return sdk.Token{
		AccessToken:  body.AccessToken,
		RefreshToken: body.RefreshToken,
		ExpiresIn:    time.Duration(secs) * time.Second,
		Scopes:       strings.Fields(body.Scope),
	}, nil
}
