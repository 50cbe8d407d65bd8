package auth

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"time"

	"golang.org/x/sync/singleflight"

	"github.com/outreachhq/outreach/core/clock"
	"github.com/outreachhq/outreach/core/secrets"
	"github.com/outreachhq/outreach/core/store"
	"github.com/outreachhq/outreach/sdk"
)

// Store is what the Keeper reads and writes: install-wide settings, which
// hold the authorizations, and locks that hold across processes.
type Store interface {
	store.Transactor[store.SettingsTx]
	store.Locker
}

// Options configure a Keeper. Store, Sealer and Authorizer are required.
type Options struct {
	Store  Store
	Sealer *secrets.Sealer
	// Authorizer returns the network plugin that signs in and refreshes the
	// network's accounts.
	Authorizer func(network string) (sdk.Authorizer, error)
	Clock      clock.Clock
	// Refused is called once the network refuses to refresh a handle's
	// tokens: its accounts must stop until a person signs them in again.
	Refused func(ctx context.Context, network, handle string, cause error)
}

// Keeper hands out the access tokens of signed-in handles, refreshing them
// before they expire.
type Keeper struct {
	opts   Options
	flight singleflight.Group
	// cache holds what was last read or written of each authorization, so
	// that a call that needs a token reads the store only when it must.
	mu    sync.Mutex
	cache map[string]cached
}

type cached struct {
	tokens    store.AuthTokens
	expiresAt time.Time
	margin    time.Duration
}

// New returns a Keeper.
func New(opts Options) *Keeper {
	if opts.Clock == nil {
		opts.Clock = clock.Real{}
	}
	return &Keeper{opts: opts, cache: map[string]cached{}}
}

// ErrNotSignedIn is the error of a handle that has no authorization.
var ErrNotSignedIn = errors.New("not signed in")

// maxMargin is how long before its expiry a token is refreshed, at most: a
// tenth of its life for a short-lived one.
const maxMargin = 5 * time.Minute

func margin(life time.Duration) time.Duration { return min(maxMargin, life/10) }

func lockName(network, handle string) string {
	return "token/" + network + "/" + store.NormalizeHandle(handle)
}

func tokensPurpose(network, handle string) string {
	return "authorization/" + network + "/" + store.NormalizeHandle(handle)
}

// Token returns an access token of the handle that is not about to
// expire, refreshing it first if it is. proxy is the account's, for the
// refresh. A handle that was never signed in, or whose refresh the network
// refused, gets an sdk.SessionExpired error that says how to sign in.
func (k *Keeper) Token(ctx context.Context, network, handle, proxy string) (string, error) {
	key := lockName(network, handle)
	now := k.opts.Clock.Now()
	k.mu.Lock()
	c, ok := k.cache[key]
	k.mu.Unlock()
	if ok && now.Before(c.expiresAt.Add(-c.margin)) {
		return c.tokens.AccessToken, nil
	}
	return k.Refresh(ctx, network, handle, proxy, "")
}

// Refresh returns a fresh access token of the handle: the stored one if it
// is fresh and is not stale (the token a call the network refused was made
// with; "" for none), else a refreshed one. Concurrent callers for one
// handle share one call; across processes the lock keeps refreshes apart,
// and the stored authorization, read under it, tells a later one that an
// earlier one already refreshed.
func (k *Keeper) Refresh(ctx context.Context, network, handle, proxy, stale string) (string, error) {
	key := lockName(network, handle)
	v, err, _ := k.flight.Do(key+"\x00"+stale, func() (any, error) {
		unlock, err := k.opts.Store.Lock(ctx, key)
		if err != nil {
			return "", err
		}
		defer unlock()
		return k.refreshLocked(ctx, network, handle, proxy, stale)
	})
	if err != nil {
		return "", err
	}
	return v.(string), nil
}

func (k *Keeper) refreshLocked(ctx context.Context, network, handle, proxy, stale string) (string, error) {
	az, toks, err := k.read(ctx, network, handle)
	if err != nil {
		return "", err
	}
	now := k.opts.Clock.Now()
	life := az.ExpiresAt.Sub(latest(az.SignedInAt, az.RefreshedAt))
	if toks.AccessToken != stale && now.Before(az.ExpiresAt.Add(-margin(life))) {
		k.remember(network, handle, toks, az.ExpiresAt, margin(life))
		return toks.AccessToken, nil
	}
	if az.Refused != "" {
		return "", notSignedIn(network, handle, "the network refused to renew its authorization: "+az.Refused)
	}
	if toks.RefreshToken == "" {
		return "", notSignedIn(network, handle, "its access token expired and the network gave no refresh token (grant the offline.access scope)")
	}
	plugin, err := k.opts.Authorizer(network)
	if err != nil {
		return "", err
	}
	tok, err := plugin.RefreshToken(ctx, sdk.RefreshRequest{RefreshToken: toks.RefreshToken, Proxy: proxy})
	if sdk.KindOf(err) == sdk.SessionExpired {
		return "", k.refused(ctx, az, err)
	}
	if err != nil {
		return "", fmt.Errorf("refresh the authorization of @%s: %w", az.Handle, err)
	}
	now = k.opts.Clock.Now()
	az.Refreshes++
	az.RefreshedAt = now
	if err := k.store(ctx, &az, tok, now); err != nil {
		// The network has rotated the refresh token and the new one is
		// lost: the handle must sign in again. Say so plainly.
		return "", fmt.Errorf("store the renewed authorization of @%s (sign it in again with `outreach accounts login %s`): %w", az.Handle, az.Handle, err)
	}
	return tok.AccessToken, nil
}

// read reads and opens the handle's authorization.
func (k *Keeper) read(ctx context.Context, network, handle string) (store.Authorization, store.AuthTokens, error) {
	var az store.Authorization
	err := k.opts.Store.View(ctx, func(tx store.SettingsTx) (err error) {
		az, err = store.GetAuthorization(tx, network, handle)
		return err
	})
	if store.IsNotFound(err) {
		return az, store.AuthTokens{}, notSignedIn(network, handle, "it has no authorization yet")
	}
	if err != nil {
		return az, store.AuthTokens{}, err
	}
	plain, err := k.opts.Sealer.Open(tokensPurpose(network, handle), az.Sealed)
	if err != nil {
		return az, store.AuthTokens{}, fmt.Errorf("authorization of @%s: %w", az.Handle, err)
	}
	var toks store.AuthTokens
	if err := json.Unmarshal(plain, &toks); err != nil {
		return az, store.AuthTokens{}, fmt.Errorf("authorization of @%s: %w", az.Handle, err)
	}
	return az, toks, nil
}

// store seals tok into az and stores it: the access and the rotated
// refresh token in one transaction.
func (k *Keeper) store(ctx context.Context, az *store.Authorization, tok sdk.Token, now time.Time) error {
	toks := store.AuthTokens{AccessToken: tok.AccessToken, RefreshToken: tok.RefreshToken}
	plain, err := json.Marshal(toks)
	if err != nil {
		return err
	}
	az.Sealed = k.opts.Sealer.Seal(tokensPurpose(az.Network, az.Handle), plain)
	life := tok.ExpiresIn
	if life <= 0 {
		life = 2 * time.Hour // X's documented life, when a network does not say
	}
	az.ExpiresAt = now.Add(life)
	if len(tok.Scopes) > 0 {
		az.Scopes = tok.Scopes
	}
	az.Refused = ""
	if err := k.opts.Store.Update(ctx, func(tx store.SettingsTx) error { return store.PutAuthorization(tx, *az) }); err != nil {
		return err
	}
	k.remember(az.Network, az.Handle, toks, az.ExpiresAt, margin(life))
	return nil
}

// refused records that the network refused to renew the handle's tokens,
// and reports it once.
func (k *Keeper) refused(ctx context.Context, az store.Authorization, cause error) error {
	az.Refused = cause.Error()
	if err := k.opts.Store.Update(ctx, func(tx store.SettingsTx) error { return store.PutAuthorization(tx, az) }); err != nil {
		return err
	}
	k.forget(az.Network, az.Handle)
	if k.opts.Refused != nil {
		k.opts.Refused(ctx, az.Network, az.Handle, cause)
	}
	return notSignedIn(az.Network, az.Handle, "the network refused to renew its authorization: "+az.Refused)
}

func (k *Keeper) remember(network, handle string, toks store.AuthTokens, expiresAt time.Time, m time.Duration) {
	k.mu.Lock()
	k.cache[lockName(network, handle)] = cached{tokens: toks, expiresAt: expiresAt, margin: m}
	k.mu.Unlock()
}

func (k *Keeper) forget(network, handle string) {
	k.mu.Lock()
	delete(k.cache, lockName(network, handle))
	k.mu.Unlock()
}

// notSignedIn is the SessionExpired error of a handle that must be signed
// in (again), with the command that does it.
func notSignedIn(network, handle, why string) error {
	h := store.NormalizeHandle(handle)
	return &notSignedInError{&sdk.Error{Kind: sdk.SessionExpired, Message: fmt.Sprintf(
		"@%s is %v on %s: %s; sign it in with `outreach accounts login %s --config ...`", h, ErrNotSignedIn, network, why, h)}}
}

// notSignedInError is an sdk.SessionExpired error that is also
// ErrNotSignedIn.
type notSignedInError struct{ err *sdk.Error }

func (e *notSignedInError) Error() string   { return e.err.Error() }
func (e *notSignedInError) Unwrap() []error { return []error{e.err, ErrNotSignedIn} }

func latest(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// StoreOf is the Store of a store's settings and its locks.
func StoreOf(db store.Transactor[store.SettingsTx], locks store.Locker) Store {
	return struct {
		store.Transactor[store.SettingsTx]
		store.Locker
	}{db, locks}
}

// Import makes tokens given another way the handle's authorization: with
// replace (the API's add-account with oauth2 tokens, which `accounts
// login` also uses while a server holds the data dir) in any case;
// without (an account's configured tokens) only if it has none that
// works, one the network refused to renew being replaced. expiresAt zero
// means unknown (X's two hours from now are assumed). It reports whether
// it stored them.
func (k *Keeper) Import(ctx context.Context, network, handle string, toks store.AuthTokens, expiresAt time.Time, replace bool) (bool, error) {
	if toks.AccessToken == "" {
		return false, nil
	}
	unlock, err := k.opts.Store.Lock(ctx, lockName(network, handle))
	if err != nil {
		return false, err
	}
	defer unlock()
	stored := false
	err = k.opts.Store.Update(ctx, func(tx store.SettingsTx) error {
		stored = false
		cur, err := store.GetAuthorization(tx, network, handle)
		if err != nil && !store.IsNotFound(err) {
			return err
		}
		digest := k.opts.Sealer.Digest(toks.AccessToken)
		if err == nil && !replace && (cur.Refused == "" || cur.Imported == digest) {
			return nil // it works, or these are the tokens it refused
		}
		now := k.opts.Clock.Now()
		if expiresAt.IsZero() {
			expiresAt = now.Add(2 * time.Hour)
		}
		plain, err := json.Marshal(toks)
		if err != nil {
			return err
		}
		stored = true
		return store.PutAuthorization(tx, store.Authorization{
			Network: network, Handle: handle, UserID: cur.UserID, App: cur.App, SignedInAt: now, ExpiresAt: expiresAt, Imported: digest,
			Sealed: k.opts.Sealer.Seal(tokensPurpose(network, handle), plain),
		})
	})
	if stored {
		k.forget(network, handle)
	}
	return stored, err
}
