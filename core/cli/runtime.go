package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/url"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"github.com/hashicorp/go-hclog"

	"github.com/outreachhq/outreach/core/auth"
	"github.com/outreachhq/outreach/core/engine"
	"github.com/outreachhq/outreach/core/pluginhost"
	"github.com/outreachhq/outreach/core/service"
	"github.com/outreachhq/outreach/core/store"
	"github.com/outreachhq/outreach/plugins/x/xsim"
	"github.com/outreachhq/outreach/sdk"
)

// runtime is what the engine needs to reach the outside world: the plugin
// host, and either the simulated X that every account talks to (started
// in this process or serving in another one, `outreach sandbox`) or the
// networks the plugin blocks configure, with each account signed in
// through its network plugin's OAuth (keeper).
type runtime struct {
	host *pluginhost.Host
	// simURL is the simulated X's base URL in sandbox mode; login signs an
	// account in to it.
	simURL string
	login  func(ctx context.Context, handle string) (token string, err error)
	// closeSim stops the simulated X if this process started it.
	closeSim func() error
	// keeper keeps the accounts' OAuth tokens outside sandbox mode; svc
	// opens their sealed proxy credentials and cookies.
	keeper *auth.Keeper
	svc    *service.Service
	// webSession caches which network plugins declare CapWebSession.
	webSession sync.Map
}

// startRuntime starts the plugin host and the network accounts run on: the
// simulated X serving at sandboxURL if it is set (a loopback URL that
// checkSandboxURL accepted), else, if sandbox, one started in-process on
// loopback; else the real networks, through their plugins as their plugin
// blocks configure them, with each account's tokens from
// `outreach accounts login`.
func (g *global) startRuntime(b *backend, sandbox bool, sandboxURL string, log hclog.Logger) (*runtime, error) {
	rt := &runtime{svc: b.svc}
	switch {
	case sandboxURL != "":
		ext, err := externalSim(sandboxURL)
		if err != nil {
			return nil, err
		}
		rt.simURL, rt.login = ext.simURL, ext.login
	case sandbox:
		sim := xsim.New(xsim.Options{Clock: g.opts.Clock})
		if err := sim.Start("127.0.0.1:0"); err != nil {
			return nil, fmt.Errorf("start the simulated X: %w", err)
		}
		rt.simURL, rt.closeSim = sim.URL(), sim.Close
		rt.login = func(_ context.Context, handle string) (string, error) { return sim.Login(handle) }
	}
	rt.host = g.pluginHost(log)
	if rt.simURL == "" {
		rt.keeper = g.keeper(b, rt.host)
	}
	return rt, nil
}

// pluginHost is the host of the plugins that do the work.
func (g *global) pluginHost(log hclog.Logger) *pluginhost.Host {
	return pluginhost.New(pluginhost.Options{
		Builtins:    builtinNames(),
		SelfCommand: g.opts.PluginCommand,
		PluginDir:   filepath.Join(g.dataDir(), "plugins"),
		Logger:      log.Named("plugin"),
		OnRestart:   g.metrics.pluginRestarted,
	})
}

// keeper is the token keeper of the store's signed-in handles, which signs
// them in and refreshes them through host's network plugins.
func (g *global) keeper(b *backend, host *pluginhost.Host) *auth.Keeper {
	return auth.New(auth.Options{
		Store: b.authStore(), Sealer: b.sealer, Clock: g.opts.Clock,
		Authorizer: func(network string) (sdk.Authorizer, error) { return authPlugin(host, network) },
	})
}

// authPlugin is the network plugin called name, as an auth.Plugin.
func authPlugin(host *pluginhost.Host, name string) (auth.Plugin, error) {
	n, err := host.Network(name, nil)
	if err != nil {
		return nil, err
	}
	return n.(auth.Plugin), nil
}

func (r *runtime) Close() {
	r.host.Close()
	if r.closeSim != nil {
		_ = r.closeSim()
	}
}

// simulated says whether accounts run on the simulated X.
func (r *runtime) simulated() bool { return r.simURL != "" }

// network returns the network plugin called name: configured for the
// simulated X in sandbox mode, else by its plugin block, with its calls
// made once more after a refresh when X refuses a token.
func (r *runtime) network(name string) (sdk.Network, error) {
	if r.simulated() {
		cfg, err := json.Marshal(map[string]string{"base_url": r.simURL})
		if err != nil {
			return nil, err
		}
		return r.host.Network(name, cfg)
	}
	n, err := authPlugin(r.host, name)
	if err != nil {
		return nil, err
	}
	return r.keeper.Wrap(name, n), nil
}

// ai returns the built-in AI plugin, configured by its plugin block if
// there is one (offline defaults otherwise), to classify replies.
func (r *runtime) ai(context.Context) (sdk.AI, error) { return r.host.AI("ai", nil) }

// session is the session an account acts as. On the simulated X it signs
// the account in to it, with a token that lives only in memory, and its
// proxy is not used. Otherwise it carries the account's access token from
// the keeper, its proxy with the proxy's sealed credentials, and, only for
// a network plugin that declares it acts through a web session, its
// cookies and X chat PIN.
func (r *runtime) session(ctx context.Context, a store.Account) (sdk.Session, error) {
	s := sdk.Session{AccountID: a.ID, Handle: a.Handle, UserID: a.XUserID, Credentials: map[string]string{}}
	if r.simulated() {
		token, err := r.login(ctx, a.Handle)
		if err != nil {
			return sdk.Session{}, err
		}
		s.Credentials[sdk.CredentialAccessToken] = token
		return s, nil
	}
	creds, err := r.svc.AccountCredentials(ctx, a.Workspace, a.ID)
	if err != nil {
		return sdk.Session{}, err
	}
	if s.Proxy, err = proxyURL(a.Proxy, creds["proxy_auth"]); err != nil {
		return sdk.Session{}, fmt.Errorf("account @%s: %w", a.Handle, err)
	}
	web := r.usesWebSession(ctx, a.Network)
	if web {
		webCredentials(s.Credentials, creds)
	}
	token, err := r.keeper.Token(ctx, a.Network, a.Handle, s.Proxy)
	if o, ok := service.OAuth2Of(creds); ok && errors.Is(err, auth.ErrNotSignedIn) {
		// Tokens given through the API's add-account become the handle's
		// authorization, refreshed like any other from then on.
		toks := store.AuthTokens{AccessToken: o.AccessToken, RefreshToken: o.RefreshToken}
		if _, ierr := r.keeper.Import(ctx, a.Network, a.Handle, toks, o.ExpiresAt, false); ierr != nil {
			return sdk.Session{}, ierr
		}
		token, err = r.keeper.Token(ctx, a.Network, a.Handle, s.Proxy)
	}
	switch {
	case err == nil:
		s.Credentials[sdk.CredentialAccessToken] = token
	case !web || !errors.Is(err, auth.ErrNotSignedIn):
		return sdk.Session{}, err
	}
	return s, nil
}

// usesWebSession reports whether the network plugin called name declares
// CapWebSession; one that cannot say is taken not to.
func (r *runtime) usesWebSession(ctx context.Context, name string) bool {
	if v, ok := r.webSession.Load(name); ok {
		return v.(bool)
	}
	info, _, err := r.host.Info(ctx, name)
	if err != nil {
		return false
	}
	web := slices.Contains(info.Capabilities, sdk.CapWebSession)
	r.webSession.Store(name, web)
	return web
}

// webCredentials copies an account's cookies (auth_token and ct0) and X
// chat PIN from its sealed credentials into a session's.
func webCredentials(into map[string]string, creds service.Credentials) {
	var cookies []service.Cookie
	_ = json.Unmarshal([]byte(creds["cookies"]), &cookies)
	for _, c := range cookies {
		if c.Name == sdk.CredentialAuthToken || c.Name == sdk.CredentialCT0 {
			into[c.Name] = c.Value
		}
	}
	if pin := creds["xchat_pin"]; pin != "" {
		into[sdk.CredentialXChatPIN] = pin
	}
}

// proxyURL is an account's proxy (a URL, config.NormalizeProxy) with its
// credentials (user:password), as a session carries it.
func proxyURL(proxy, userPass string) (string, error) {
	if proxy == "" {
		return "", nil
	}
	u, err := url.Parse(proxy)
	if err != nil {
		return "", fmt.Errorf("proxy: %w", err)
	}
	if user, pass, ok := strings.Cut(userPass, ":"); ok {
		u.User = url.UserPassword(user, pass)
	}
	return u.String(), nil
}

// engine builds an engine over the backend's store and this runtime.
// workers bounds how many accounts it works at once.
func (g *global) engine(b *backend, rt *runtime, log hclog.Logger, workers int, observe func(engine.Event)) *engine.Engine {
	var rnd *rand.Rand
	if g.opts.Seed != 0 {
		rnd = rand.New(rand.NewPCG(g.opts.Seed, g.opts.Seed))
	}
	return b.engine(engine.Options{
		Network:   rt.network,
		Session:   rt.session,
		AI:        rt.ai,
		Clock:     g.opts.Clock,
		Rand:      rnd,
		Logger:    log.Named("engine"),
		Workers:   workers,
		Observe:   g.metrics.observeEngine(observe),
		Simulated: rt.simulated(),
	})
}
