package x

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/outreachhq/outreach/sdk"
)

// tokenEndpoint is a loopback stand-in for X's POST /2/oauth2/token that
// records each request and answers what the test sets.
type tokenEndpoint struct {
	mu     sync.Mutex
	got    []*http.Request
	forms  []url.Values
	status int
	body   string
}

func (e *tokenEndpoint) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	e.mu.Lock()
	e.got = append(e.got, r)
	e.forms = append(e.forms, r.PostForm)
	status, body := e.status, e.body
	e.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write([]byte(body))
}

// oauthConnector returns a connector whose base URL is a token endpoint
// answering X's recorded refresh response.
func oauthConnector(t *testing.T, extra map[string]string) (*Connector, *tokenEndpoint, string) {
	t.Helper()
	body, err := os.ReadFile("testdata/oauth2_token.refresh.response.THIRD_PARTY.json")
	if err != nil {
		t.Fatal(err)
	}
	ep := &tokenEndpoint{status: http.StatusOK, body: string(body)}
	mux := http.NewServeMux()
	mux.Handle("POST /2/oauth2/token", ep)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	cfg := map[string]string{"base_url": srv.URL, "client_id": "rG9n6402A3dbUJKzXTNX4oWHJ", "retry_backoff": "0s"}
	for k, v := range extra {
		cfg[k] = v
	}
	raw, _ := json.Marshal(cfg)
	c := New()
	if err := c.Configure(context.Background(), raw); err != nil {
		t.Fatal(err)
	}
	return c, ep, srv.URL
}

func TestAuthorizeURLCarriesXsParameters(t *testing.T) {
	c, _, base := oauthConnector(t, nil)
	u, err := c.AuthorizeURL(context.Background(), sdk.AuthorizeRequest{State: "st4te", CodeChallenge: "ch4llenge", LoginHint: "@acme_sales"})
	if err != nil {
		t.Fatal(err)
	}
	parsed, err := url.Parse(u)
	if err != nil {
		t.Fatal(err)
	}
	if got := parsed.Scheme + "://" + parsed.Host + parsed.Path; got != base+"/i/oauth2/authorize" {
		t.Errorf("authorize endpoint %s; want %s/i/oauth2/authorize", got, base)
	}
	want := url.Values{
		"response_type":         {"code"},
		"client_id":             {"rG9n6402A3dbUJKzXTNX4oWHJ"},
		"redirect_uri":          {DefaultRedirectURL},
		"scope":                 {"tweet.read users.read follows.read follows.write like.write tweet.write dm.read dm.write offline.access"},
		"state":                 {"st4te"},
		"code_challenge":        {"ch4llenge"},
		"code_challenge_method": {"S256"},
		"screen_name":           {"acme_sales"},
	}
	if got := parsed.Query(); got.Encode() != want.Encode() {
		t.Errorf("authorize parameters\n got %s\nwant %s", got.Encode(), want.Encode())
	}
	u, _ = c.AuthorizeURL(context.Background(), sdk.AuthorizeRequest{State: "s", CodeChallenge: "c", RedirectURL: "https://serve.example/oauth/x/callback"})
	parsed, _ = url.Parse(u)
	if parsed.Query().Get("redirect_uri") != "https://serve.example/oauth/x/callback" || parsed.Query().Has("screen_name") {
		t.Errorf("with a redirect override and no hint: %s", u)
	}
	if _, err := New().AuthorizeURL(context.Background(), sdk.AuthorizeRequest{State: "s", CodeChallenge: "c"}); sdk.KindOf(err) != sdk.Permanent || !strings.Contains(err.Error(), "client_id") {
		t.Errorf("without a client_id: %v; want a Permanent error naming client_id", err)
	}
}

// TestTokenRequestsAsXShowsThem: the exchange and the refresh send the
// form of oauth2_token.*.request.txt, client_id in the body for a public
// client and HTTP Basic for a confidential one, and read X's answer.
func TestTokenRequestsAsXShowsThem(t *testing.T) {
	ctx := context.Background()
	for _, confidential := range []bool{false, true} {
		extra := map[string]string{}
		if confidential {
			extra["client_secret"] = "s3cret"
		}
		c, ep, _ := oauthConnector(t, extra)
		tok, err := c.ExchangeCode(ctx, sdk.ExchangeRequest{Code: "VGNibzFW", CodeVerifier: "challenge", RedirectURL: "https://www.example.com"})
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(tok.AccessToken, "UTBtWXd1") || !strings.HasPrefix(tok.RefreshToken, "TmttM1") || tok.ExpiresIn != 2*time.Hour || !slices.Contains(tok.Scopes, "offline.access") {
			t.Errorf("token = %+v; want X's answer, living 2h", tok)
		}
		if _, err := c.RefreshToken(ctx, sdk.RefreshRequest{RefreshToken: "bWRWa3gz"}); err != nil {
			t.Fatal(err)
		}
		wantForms := []url.Values{
			{"grant_type": {"authorization_code"}, "code": {"VGNibzFW"}, "redirect_uri": {"https://www.example.com"}, "code_verifier": {"challenge"}},
			{"grant_type": {"refresh_token"}, "refresh_token": {"bWRWa3gz"}},
		}
		for i, r := range ep.got {
			want := wantForms[i]
			if !confidential {
				want.Set("client_id", "rG9n6402A3dbUJKzXTNX4oWHJ")
			}
			if ep.forms[i].Encode() != want.Encode() {
				t.Errorf("confidential=%v request %d form %s; want %s", confidential, i, ep.forms[i].Encode(), want.Encode())
			}
			if ct := r.Header.Get("Content-Type"); ct != "application/x-www-form-urlencoded" {
				t.Errorf("Content-Type %q", ct)
			}
			id, secret, basic := r.BasicAuth()
			if basic != confidential || (confidential && (id != "rG9n6402A3dbUJKzXTNX4oWHJ" || secret != "s3cret")) {
				t.Errorf("confidential=%v: Basic auth %v %q:%q", confidential, basic, id, secret)
			}
		}
	}
}

// TestTokenRefusals: X refusing a refresh is an expired session; refusing
// an exchange is Permanent with X's description.
func TestTokenRefusals(t *testing.T) {
	ctx := context.Background()
	c, ep, _ := oauthConnector(t, nil)
	for _, tc := range []struct {
		status int
		body   string
	}{
		{400, `{"error":"invalid_grant","error_description":"Value passed for the token was invalid."}`},
		{401, `{"error":"invalid_client","error_description":"Missing valid authorization header"}`},
	} {
		ep.mu.Lock()
		ep.status, ep.body = tc.status, tc.body
		ep.mu.Unlock()
		_, err := c.RefreshToken(ctx, sdk.RefreshRequest{RefreshToken: "revoked"})
		if sdk.KindOf(err) != sdk.SessionExpired {
			t.Errorf("refresh answered %d: %v; want SessionExpired", tc.status, err)
		}
		_, err = c.ExchangeCode(ctx, sdk.ExchangeRequest{Code: "used", CodeVerifier: "v"})
		var desc map[string]string
		_ = json.Unmarshal([]byte(tc.body), &desc)
		if sdk.KindOf(err) != sdk.Permanent || !strings.Contains(err.Error(), desc["error_description"]) {
			t.Errorf("exchange answered %d: %v; want Permanent with X's description", tc.status, err)
		}
	}
	ep.mu.Lock()
	ep.status, ep.body = 503, `{"title":"Service Unavailable"}`
	ep.mu.Unlock()
	if _, err := c.RefreshToken(ctx, sdk.RefreshRequest{RefreshToken: "r"}); sdk.KindOf(err) != sdk.Retryable {
		t.Errorf("refresh answered 503: %v; want Retryable", err)
	}
	if _, err := c.RefreshToken(ctx, sdk.RefreshRequest{}); sdk.KindOf(err) != sdk.SessionExpired {
		t.Errorf("refresh without a refresh token: %v; want SessionExpired", err)
	}
}
