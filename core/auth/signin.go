package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"time"

	"github.com/outreachhq/outreach/core/store"
	"github.com/outreachhq/outreach/sdk"
)

// Pending is a sign-in under way: what the redirect must bring back, and
// what the exchange needs. It holds the PKCE verifier, a secret: keep it
// in memory only.
type Pending struct {
	Network, Handle string
	State           string
	Verifier        string
	RedirectURL     string
	Proxy           string
	Started         time.Time
}

// pendingLife is how long a person has to finish a sign-in.
const pendingLife = 15 * time.Minute

// Begin starts signing handle in on network: it makes the state and the
// PKCE verifier, and returns the URL the person opens. redirectURL
// overrides the plugin's own when set; proxy is the account's.
func (k *Keeper) Begin(ctx context.Context, network, handle, redirectURL, proxy string) (string, Pending, error) {
	plugin, err := k.opts.Authorizer(network)
	if err != nil {
		return "", Pending{}, err
	}
	if redirectURL == "" {
		spec, err := plugin.AuthSpec(ctx)
		if err != nil {
			return "", Pending{}, err
		}
		redirectURL = spec.RedirectURL
	}
	p := Pending{
		Network: network, Handle: store.NormalizeHandle(handle), State: random(24), Verifier: random(48),
		RedirectURL: redirectURL, Proxy: proxy, Started: k.opts.Clock.Now(),
	}
	u, err := plugin.AuthorizeURL(ctx, sdk.AuthorizeRequest{
		State: p.State, CodeChallenge: challenge(p.Verifier), RedirectURL: redirectURL, LoginHint: p.Handle,
	})
	if err != nil {
		return "", Pending{}, err
	}
	return u, p, nil
}

// Callback is what the redirect brought back: its query's code, state, and
// error with its description when the person (or the network) refused.
type Callback struct {
	Code, State, Error, ErrorDescription string
}

// Complete finishes a sign-in from the redirect (Exchange) and stores the
// tokens sealed. It returns the stored authorization.
func (k *Keeper) Complete(ctx context.Context, p Pending, cb Callback, check func(context.Context, sdk.Session) (sdk.User, error)) (store.Authorization, error) {
	tok, u, err := k.Exchange(ctx, p, cb, check)
	if err != nil {
		return store.Authorization{}, err
	}
	plugin, err := k.opts.Authorizer(p.Network)
	if err != nil {
		return store.Authorization{}, err
	}
	spec, err := plugin.AuthSpec(ctx)
	if err != nil {
		return store.Authorization{}, err
	}
	now := k.opts.Clock.Now()
	az := store.Authorization{
		Network: p.Network, Handle: p.Handle, UserID: u.ID, App: spec.App, Scopes: tok.Scopes, SignedInAt: now,
	}
	if err := k.store(ctx, &az, tok, now); err != nil {
		return store.Authorization{}, err
	}
	return az, nil
}

// Exchange finishes a sign-in from the redirect without storing it: it
// checks the state, trades the code for tokens, and checks that they act as
// the handle (with check, the plugin's CheckSession). It needs no store:
// `accounts login` uses it alone when a server holds the data dir, and
// hands the tokens to that server's API.
func (k *Keeper) Exchange(ctx context.Context, p Pending, cb Callback, check func(context.Context, sdk.Session) (sdk.User, error)) (sdk.Token, sdk.User, error) {
	if subtle.ConstantTimeCompare([]byte(cb.State), []byte(p.State)) != 1 {
		return sdk.Token{}, sdk.User{}, fmt.Errorf("the redirect's state does not match this sign-in's: it was not started here, or it was replayed; start again")
	}
	if k.opts.Clock.Now().Sub(p.Started) > pendingLife {
		return sdk.Token{}, sdk.User{}, fmt.Errorf("the sign-in took longer than %s; start again", pendingLife)
	}
	if cb.Error != "" {
		return sdk.Token{}, sdk.User{}, fmt.Errorf("the network refused the authorization: %s %s", cb.Error, cb.ErrorDescription)
	}
	if cb.Code == "" {
		return sdk.Token{}, sdk.User{}, fmt.Errorf("the redirect brought no code")
	}
	plugin, err := k.opts.Authorizer(p.Network)
	if err != nil {
		return sdk.Token{}, sdk.User{}, err
	}
	tok, err := plugin.ExchangeCode(ctx, sdk.ExchangeRequest{Code: cb.Code, CodeVerifier: p.Verifier, RedirectURL: p.RedirectURL, Proxy: p.Proxy})
	if err != nil {
		return sdk.Token{}, sdk.User{}, fmt.Errorf("exchange the code for tokens: %w", err)
	}
	u, err := check(ctx, sdk.Session{Handle: p.Handle, Credentials: map[string]string{sdk.CredentialAccessToken: tok.AccessToken}, Proxy: p.Proxy})
	if err != nil {
		return sdk.Token{}, sdk.User{}, fmt.Errorf("check the new token: %w", err)
	}
	if store.NormalizeHandle(u.Username) != p.Handle {
		return sdk.Token{}, sdk.User{}, fmt.Errorf("the person signed in as @%s, not @%s: sign in to X as @%s and start again (nothing was stored)", u.Username, p.Handle, p.Handle)
	}
	return tok, u, nil
}

// Authorization reads a handle's authorization (without its tokens).
func (k *Keeper) Authorization(ctx context.Context, network, handle string) (store.Authorization, error) {
	var az store.Authorization
	err := k.opts.Store.View(ctx, func(tx store.SettingsTx) (err error) {
		az, err = store.GetAuthorization(tx, network, handle)
		return err
	})
	az.Sealed = nil
	return az, err
}

// random is n random bytes in unpadded base64url: a state, or a PKCE
// verifier (43 to 128 characters of that alphabet, RFC 7636).
func random(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand does not fail on supported platforms
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// challenge is the S256 code challenge of a PKCE verifier.
func challenge(verifier string) string {
	sum := sha256.Sum256([]byte(verifier))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}
