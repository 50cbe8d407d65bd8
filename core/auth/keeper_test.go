package auth_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/outreachhq/outreach/core/auth"
	"github.com/outreachhq/outreach/core/clock"
	"github.com/outreachhq/outreach/core/secrets"
	"github.com/outreachhq/outreach/core/store"
	"github.com/outreachhq/outreach/core/store/bunt"
	"github.com/outreachhq/outreach/core/store/postgres"
	"github.com/outreachhq/outreach/core/store/postgres/pgtest"
	"github.com/outreachhq/outreach/sdk"
	"github.com/outreachhq/outreach/sdk/plugintest"
)

func TestMain(m *testing.M) {
	plugintest.HoldToLoopback()
	if url := os.Getenv(childEnv); url != "" {
		os.Exit(runChild(url))
	}
	os.Exit(pgtest.Main(m))
}

// network is a network's token endpoint: it issues tokens that live an
// hour on the clock, rotates refresh tokens, and counts refreshes.
type network struct {
	clk       clock.Clock
	mu        sync.Mutex
	n         int
	refresh   string // the one live refresh token
	access    map[string]time.Time
	refreshes atomic.Int64
	refuse    bool
}

func newNetwork(clk clock.Clock) *network {
	return &network{clk: clk, access: map[string]time.Time{}}
}

func (x *network) issue() sdk.Token {
	x.n++
	tok := sdk.Token{
		AccessToken: fmt.Sprintf("at-%d", x.n), RefreshToken: fmt.Sprintf("rt-%d", x.n),
		ExpiresIn: time.Hour, Scopes: []string{"dm.write", "offline.access"},
	}
	x.refresh = tok.RefreshToken
	x.access[tok.AccessToken] = x.clk.Now().Add(time.Hour)
	return tok
}

func (x *network) AuthSpec(context.Context) (sdk.AuthSpec, error) {
	return sdk.AuthSpec{RedirectURL: "http://127.0.0.1:1/cb", Scopes: []string{"dm.write"}, App: "app1"}, nil
}
func (x *network) AuthorizeURL(_ context.Context, r sdk.AuthorizeRequest) (string, error) {
	return "http://127.0.0.1:1/authorize?state=" + r.State, nil
}
func (x *network) ExchangeCode(_ context.Context, r sdk.ExchangeRequest) (sdk.Token, error) {
	x.mu.Lock()
	defer x.mu.Unlock()
	if r.Code != "good" {
		return sdk.Token{}, sdk.Errorf(sdk.Permanent, "invalid code")
	}
	return x.issue(), nil
}
func (x *network) RefreshToken(_ context.Context, r sdk.RefreshRequest) (sdk.Token, error) {
	x.refreshes.Add(1)
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.refuse || r.RefreshToken != x.refresh {
		// A second use of a rotated token: X refuses it, and the session
		// is lost.
		return sdk.Token{}, sdk.Errorf(sdk.SessionExpired, "invalid_request: Value passed for the token was invalid.")
	}
	return x.issue(), nil
}

// valid reports whether an access token works now.
func (x *network) valid(token string) bool {
	x.mu.Lock()
	defer x.mu.Unlock()
	exp, ok := x.access[token]
	return ok && x.clk.Now().Before(exp)
}

var start = time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC)

func keeper(t *testing.T, st auth.Store, x *network, clk clock.Clock, sl *secrets.Sealer, refused func(string)) *auth.Keeper {
	t.Helper()
	return auth.New(auth.Options{
		Store: st, Sealer: sl, Clock: clk,
		Authorizer: func(string) (sdk.Authorizer, error) { return x, nil },
		Refused:    func(_ context.Context, _, handle string, _ error) { refused(handle) },
	})
}

func sealer(t *testing.T) *secrets.Sealer {
	t.Helper()
	sl, err := secrets.NewSealer(make([]byte, 32))
	if err != nil {
		t.Fatal(err)
	}
	return sl
}

// signIn signs @alice in through k as a person would.
func signIn(t *testing.T, k *auth.Keeper) {
	t.Helper()
	ctx := context.Background()
	_, p, err := k.Begin(ctx, "x", "Alice", "", "")
	if err != nil {
		t.Fatal(err)
	}
	check := func(context.Context, sdk.Session) (sdk.User, error) {
		return sdk.User{ID: "42", Username: "alice"}, nil
	}
	if _, err := k.Complete(ctx, p, auth.Callback{Code: "good", State: p.State}, check); err != nil {
		t.Fatal(err)
	}
}

func buntStore(t *testing.T) auth.Store {
	bs, err := bunt.Open(t.TempDir(), "test")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { bs.Close() })
	return auth.StoreOf(store.Narrow(bs, func(tx *bunt.Tx) store.SettingsTx { return tx }), bs)
}

func pgStore(t *testing.T, url string) auth.Store {
	pg, err := postgres.Open(context.Background(), url, postgres.Options{Migrate: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pg.Close)
	return auth.StoreOf(store.Narrow(pg, func(tx *postgres.Tx) store.SettingsTx { return tx }), pg)
}

// TestOneRefreshForManyCallers: 100 calls that need @alice's token at
// the moment it expires cause one refresh, in one process (one keeper)
// and across two (two keepers, each with its own store handle, as two
// processes of a cluster have), and every caller gets a token that works.
func TestOneRefreshForManyCallers(t *testing.T) {
	t.Run("buntdb", func(t *testing.T) {
		st := buntStore(t)
		oneRefresh(t, func() auth.Store { return st }, 1)
	})
	t.Run("postgres/one process", func(t *testing.T) {
		url := pgtest.NewDatabase(t)
		oneRefresh(t, func() auth.Store { return pgStore(t, url) }, 1)
	})
	t.Run("postgres/two processes", func(t *testing.T) {
		url := pgtest.NewDatabase(t)
		oneRefresh(t, func() auth.Store { return pgStore(t, url) }, 2)
	})
}

func oneRefresh(t *testing.T, open func() auth.Store, processes int) {
	clk := clock.NewVirtual(start)
	x := newNetwork(clk)
	sl := sealer(t)
	var keepers []*auth.Keeper
	for range processes {
		keepers = append(keepers, keeper(t, open(), x, clk, sl, func(string) { t.Error("refused") }))
	}
	signIn(t, keepers[0])
	ctx := context.Background()
	if _, err := keepers[len(keepers)-1].Token(ctx, "x", "alice", ""); err != nil {
		t.Fatal(err) // every keeper has read the token once
	}
	clk.Advance(time.Hour) // the token has expired
	var wg sync.WaitGroup
	tokens := make([]string, 100)
	errs := make([]error, 100)
	for i := range 100 {
		wg.Go(func() {
			tokens[i], errs[i] = keepers[i%processes].Token(ctx, "x", "alice", "")
		})
	}
	wg.Wait()
	for i := range 100 {
		if errs[i] != nil {
			t.Fatalf("call %d: %v", i, errs[i])
		}
		if !x.valid(tokens[i]) {
			t.Fatalf("call %d got %q, which does not work", i, tokens[i])
		}
	}
	if n := x.refreshes.Load(); n != 1 {
		t.Fatalf("%d refreshes for 100 calls across the expiry, want 1", n)
	}
}

// TestRefreshBeforeExpiry: a token is refreshed a little before it
// expires, not after a call has failed.
func TestRefreshBeforeExpiry(t *testing.T) {
	clk := clock.NewVirtual(start)
	x := newNetwork(clk)
	k := keeper(t, buntStore(t), x, clk, sealer(t), func(string) {})
	signIn(t, k)
	ctx := context.Background()
	first, _ := k.Token(ctx, "x", "alice", "")
	clk.Advance(50 * time.Minute)
	if tok, _ := k.Token(ctx, "x", "alice", ""); tok != first || x.refreshes.Load() != 0 {
		t.Fatalf("refreshed 10 minutes before expiry of a 1-hour token (margin is 5 minutes)")
	}
	clk.Advance(6 * time.Minute)
	tok, err := k.Token(ctx, "x", "alice", "")
	if err != nil || tok == first || !x.valid(tok) {
		t.Fatalf("4 minutes before expiry: %q, %v; want a new token", tok, err)
	}
	az, err := k.Authorization(ctx, "x", "alice")
	if err != nil || az.Refreshes != 1 || !az.ExpiresAt.Equal(clk.Now().Add(time.Hour)) || az.Sealed != nil {
		t.Fatalf("stored authorization: %+v, %v", az, err)
	}
}

// TestRefusedRefresh: a refresh the network refuses pauses the handle's
// work (Refused is called once) and every later call says to sign in
// again, without asking the network again.
func TestRefusedRefresh(t *testing.T) {
	clk := clock.NewVirtual(start)
	x := newNetwork(clk)
	var refused []string
	k := keeper(t, buntStore(t), x, clk, sealer(t), func(h string) { refused = append(refused, h) })
	signIn(t, k)
	x.refuse = true
	clk.Advance(2 * time.Hour)
	ctx := context.Background()
	for range 3 {
		_, err := k.Token(ctx, "x", "alice", "")
		if sdk.KindOf(err) != sdk.SessionExpired {
			t.Fatalf("Token: %v, want SessionExpired", err)
		}
	}
	if len(refused) != 1 || refused[0] != "alice" || x.refreshes.Load() != 1 {
		t.Fatalf("refused %v after %d refreshes; want alice once, after one", refused, x.refreshes.Load())
	}
	// Signing in again ends it.
	x.refuse = false
	signIn(t, k)
	if _, err := k.Token(ctx, "x", "alice", ""); err != nil {
		t.Fatal(err)
	}
}

// TestNotSignedIn: a handle never signed in gets SessionExpired with the
// command that signs it in.
func TestNotSignedIn(t *testing.T) {
	clk := clock.NewVirtual(start)
	k := keeper(t, buntStore(t), newNetwork(clk), clk, sealer(t), func(string) {})
	_, err := k.Token(context.Background(), "x", "@Bob", "")
	if sdk.KindOf(err) != sdk.SessionExpired || !errors.Is(err, auth.ErrNotSignedIn) || !strings.Contains(err.Error(), "outreach accounts login bob") {
		t.Fatalf("Token: %v", err)
	}
}

// TestCompleteChecks: a sign-in is stored only when the state matches and
// the token acts as the handle.
func TestCompleteChecks(t *testing.T) {
	clk := clock.NewVirtual(start)
	x := newNetwork(clk)
	k := keeper(t, buntStore(t), x, clk, sealer(t), func(string) {})
	ctx := context.Background()
	_, p, err := k.Begin(ctx, "x", "alice", "", "")
	if err != nil {
		t.Fatal(err)
	}
	asAlice := func(context.Context, sdk.Session) (sdk.User, error) {
		return sdk.User{ID: "42", Username: "alice"}, nil
	}
	asMallory := func(context.Context, sdk.Session) (sdk.User, error) {
		return sdk.User{ID: "7", Username: "mallory"}, nil
	}
	for name, c := range map[string]struct {
		cb    auth.Callback
		check func(context.Context, sdk.Session) (sdk.User, error)
		want  string
	}{
		"wrong state":  {auth.Callback{Code: "good", State: "forged"}, asAlice, "state does not match"},
		"denied":       {auth.Callback{State: p.State, Error: "access_denied"}, asAlice, "access_denied"},
		"other user":   {auth.Callback{Code: "good", State: p.State}, asMallory, "signed in as @mallory, not @alice"},
		"invalid code": {auth.Callback{Code: "bad", State: p.State}, asAlice, "invalid code"},
	} {
		if _, err := k.Complete(ctx, p, c.cb, c.check); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want an error saying %q", name, err, c.want)
		}
	}
	if _, err := k.Authorization(ctx, "x", "alice"); !store.IsNotFound(err) {
		t.Fatalf("a refused sign-in stored an authorization: %v", err)
	}
}

// TestImport: tokens given through the API become the handle's
// authorization once, and are refreshed like a sign-in's.
func TestImport(t *testing.T) {
	clk := clock.NewVirtual(start)
	x := newNetwork(clk)
	k := keeper(t, buntStore(t), x, clk, sealer(t), func(string) {})
	ctx := context.Background()
	x.mu.Lock()
	given := x.issue()
	x.mu.Unlock()
	ok, err := k.Import(ctx, "x", "alice", store.AuthTokens{AccessToken: given.AccessToken, RefreshToken: given.RefreshToken}, clk.Now().Add(time.Hour), false)
	if err != nil || !ok {
		t.Fatalf("Import: %v, %v", ok, err)
	}
	if again, err := k.Import(ctx, "x", "alice", store.AuthTokens{AccessToken: "other"}, time.Time{}, false); err != nil || again {
		t.Fatalf("a second Import replaced the authorization: %v, %v", again, err)
	}
	if tok, err := k.Token(ctx, "x", "alice", ""); err != nil || tok != given.AccessToken {
		t.Fatalf("Token: %q, %v; want the imported %q", tok, err, given.AccessToken)
	}
	clk.Advance(time.Hour)
	if tok, err := k.Token(ctx, "x", "alice", ""); err != nil || tok == given.AccessToken || !x.valid(tok) || x.refreshes.Load() != 1 {
		t.Fatalf("after expiry: %q, %v after %d refreshes; want a refreshed token", tok, err, x.refreshes.Load())
	}
}

// TestImportReplacesARefusedAuthorization: once X has refused to renew a
// handle's tokens, tokens given again (a sign-in through a server's API)
// replace them.
func TestImportReplacesARefusedAuthorization(t *testing.T) {
	clk := clock.NewVirtual(start)
	x := newNetwork(clk)
	k := keeper(t, buntStore(t), x, clk, sealer(t), func(string) {})
	signIn(t, k)
	x.refuse = true
	clk.Advance(2 * time.Hour)
	ctx := context.Background()
	if _, err := k.Token(ctx, "x", "alice", ""); !errors.Is(err, auth.ErrNotSignedIn) {
		t.Fatalf("Token after a refusal: %v", err)
	}
	x.refuse = false
	x.mu.Lock()
	given := x.issue()
	x.mu.Unlock()
	if ok, err := k.Import(ctx, "x", "alice", store.AuthTokens{AccessToken: given.AccessToken, RefreshToken: given.RefreshToken}, clk.Now().Add(time.Hour), false); err != nil || !ok {
		t.Fatalf("Import over a refused authorization: %v, %v", ok, err)
	}
	if tok, err := k.Token(ctx, "x", "alice", ""); err != nil || tok != given.AccessToken {
		t.Fatalf("Token: %q, %v; want the imported %q", tok, err, given.AccessToken)
	}
}

// TestImportSkipsRefusedTokens: tokens already imported and then refused
// are not imported again (an account's configured tokens stay in its
// credentials): no refresh is asked of the network with them twice.
func TestImportSkipsRefusedTokens(t *testing.T) {
	clk := clock.NewVirtual(start)
	x := newNetwork(clk)
	var refused int
	k := keeper(t, buntStore(t), x, clk, sealer(t), func(string) { refused++ })
	ctx := context.Background()
	x.mu.Lock()
	given := x.issue()
	x.mu.Unlock()
	toks := store.AuthTokens{AccessToken: given.AccessToken, RefreshToken: given.RefreshToken}
	if ok, err := k.Import(ctx, "x", "alice", toks, clk.Now().Add(time.Hour), false); err != nil || !ok {
		t.Fatalf("Import: %v, %v", ok, err)
	}
	x.refuse = true
	clk.Advance(2 * time.Hour)
	if _, err := k.Token(ctx, "x", "alice", ""); !errors.Is(err, auth.ErrNotSignedIn) {
		t.Fatalf("Token after a refusal: %v", err)
	}
	if ok, err := k.Import(ctx, "x", "alice", toks, time.Time{}, false); err != nil || ok {
		t.Fatalf("the refused tokens were imported again: %v, %v", ok, err)
	}
	if _, err := k.Token(ctx, "x", "alice", ""); !errors.Is(err, auth.ErrNotSignedIn) || x.refreshes.Load() != 1 || refused != 1 {
		t.Fatalf("Token: %v after %d refreshes and %d refusals; want 1 of each", err, x.refreshes.Load(), refused)
	}
}
