package sdk

import (
	"context"
	"time"
)

// Authorizer is the optional part of a network plugin that signs accounts
// in with OAuth 2.0 (Authorization Code with PKCE) and refreshes their
// tokens. The host drives the flow and keeps the tokens, sealed: it makes
// the state and the PKCE verifier, listens for the redirect, checks the
// state, and stores what ExchangeCode and RefreshToken return. It hands the
// access token back to the plugin in Session.Credentials under
// CredentialAccessToken.
//
// Like Engagement it is a separate interface so that plugins built before
// it keep compiling. On the host side every Network client also implements
// it: a plugin without it answers a Permanent "not supported" error.
type Authorizer interface {
	// AuthSpec says how the plugin signs accounts in under its current
	// configuration.
	AuthSpec(ctx context.Context) (AuthSpec, error)
	// AuthorizeURL builds the URL a person opens to authorize an account.
	AuthorizeURL(ctx context.Context, req AuthorizeRequest) (string, error)
	// ExchangeCode trades the code the redirect brought back for tokens.
	ExchangeCode(ctx context.Context, req ExchangeRequest) (Token, error)
	// RefreshToken trades a refresh token for new tokens. The network may
	// rotate the refresh token: the old one then no longer works, so the
	// host stores the new one before it uses the access token. A refusal
	// (the grant was revoked or has expired) is SessionExpired.
	RefreshToken(ctx context.Context, req RefreshRequest) (Token, error)
}

// CredentialAccessToken is the Session credential that holds an OAuth 2.0
// user access token the host obtained through the plugin's Authorizer.
const CredentialAccessToken = "access_token"

// Credentials of X's web client that the reference API stores with an
// account: its browser cookies and its X chat PIN. The host hands them only
// to a network plugin that lists CapWebSession in its capabilities.
const (
	CredentialAuthToken = "auth_token"
	CredentialCT0       = "ct0"
	CredentialXChatPIN  = "xchat_pin"
)

// CapWebSession is the capability of a network plugin that acts through a
// web session (the cookies and PIN above) rather than, or as well as, OAuth
// tokens.
const CapWebSession = "web_session"

// AuthSpec is how a plugin signs accounts in.
type AuthSpec struct {
	// RedirectURL is where the network sends the person back, as the app
	// registered it; `outreach accounts login` listens there.
	RedirectURL string
	// Scopes are the scopes the plugin asks for, all of which it needs.
	Scopes []string
	// App names the app (the OAuth client) the tokens are issued to:
	// accounts signed in through one app share its per-app budgets.
	App string
}

// AuthorizeRequest is what the host knows when a person starts to sign an
// account in.
type AuthorizeRequest struct {
	State string
	// CodeChallenge is the S256 challenge of the host's PKCE verifier.
	CodeChallenge string
	// RedirectURL overrides AuthSpec.RedirectURL when set (the server's
	// public callback, say).
	RedirectURL string
	// LoginHint is the handle the person should sign in as.
	LoginHint string
}

// ExchangeRequest trades an authorization code for tokens.
type ExchangeRequest struct {
	Code         string
	CodeVerifier string
	RedirectURL  string
	// Proxy is the account's proxy, as in Session: the exchange goes out
	// through it like the account's other requests.
	Proxy string
}

// RefreshRequest trades a refresh token for new tokens.
type RefreshRequest struct {
	RefreshToken string
	Proxy        string
}

// Token is what a sign-in or a refresh returns.
type Token struct {
	AccessToken string
	// RefreshToken is empty when the network gives none (X gives one only
	// with the offline.access scope).
	RefreshToken string
	// ExpiresIn is how long the access token lives from when the network
	// issued it (a duration, not a time: the host may run on another clock).
	ExpiresIn time.Duration
	Scopes    []string
}

// Pricer is the optional part of a network plugin that says what its
// operations cost, so that the host can estimate a plan's cost and count
// what the accounts spend. On the host side every Network client also
// implements it: a plugin without it answers a Permanent "not supported".
type Pricer interface {
	Prices(ctx context.Context) (PriceTable, error)
}

// PriceTable is a network's prices as of a date.
type PriceTable struct {
	// AsOf is the date the prices were published, YYYY-MM-DD.
	AsOf     string
	Currency string
	Prices   []Price
}

// Price is what one call of an operation (an Op constant) costs:
// PerRequest for the call, plus PerResource for each item it returns or
// creates (a follower read, a DM event read).
type Price struct {
	Operation   string
	PerRequest  float64
	PerResource float64
}

// Cost is what n calls of op returning items items in all cost under the
// table, and whether the table prices op.
func (t PriceTable) Cost(op string, calls, items int) (float64, bool) {
	for _, p := range t.Prices {
		if p.Operation == op {
			return float64(calls)*p.PerRequest + float64(items)*p.PerResource, true
		}
	}
	return 0, false
}

// Budget scopes.
const (
	// ScopeUser: every account has the budget to itself.
	ScopeUser = "user"
	// ScopeApp: every account signed in through the same app shares it.
	ScopeApp = "app"
)
