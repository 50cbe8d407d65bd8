package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"net"
	"net/http"
	"net/url"
	"os/exec"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/outreachhq/outreach/core/auth"
	"github.com/outreachhq/outreach/core/config"
	"github.com/outreachhq/outreach/core/pluginhost"
	"github.com/outreachhq/outreach/core/store"
	"github.com/outreachhq/outreach/sdk"
)

func newAccountsCmd(g *global) *cobra.Command {
	accounts := &cobra.Command{Use: "accounts", Short: "Sign accounts in to X and check them"}
	accounts.AddCommand(newAccountsLoginCmd(g), newAccountsCheckCmd(g))
	return accounts
}

func newAccountsLoginCmd(g *global) *cobra.Command {
	var (
		configPath string
		noBrowser  bool
		timeout    time.Duration
		key        string
		vf         varFlags
	)
	cmd := &cobra.Command{
		Use:   "login ACCOUNT",
		Short: "Sign an account in to X with OAuth 2.0, and store its tokens sealed",
		Long: "login signs the account ACCOUNT (its block's name, or its handle) in through its network plugin's\n" +
			"OAuth 2.0 (Authorization Code with PKCE): it prints the authorization URL on a line of its own,\n" +
			"opens it in a browser where there is one, waits for X to redirect back to the plugin's\n" +
			"redirect_url (a loopback address this command listens on), checks that the person signed in\n" +
			"as the account's handle, and stores the tokens sealed in the data dir. The tokens are then\n" +
			"refreshed as they expire. It works before or after the configuration's first apply. While\n" +
			"`outreach serve` holds the data dir, the tokens go to it through its API (--key).",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if configPath == "" {
				return errors.New("--config is required: the configuration that declares the account and its plugin \"x\" block")
			}
			ctx, cancel := context.WithTimeout(cmd.Context(), timeout)
			defer cancel()
			return g.login(ctx, configPath, vf, args[0], key, !noBrowser)
		},
	}
	cmd.Flags().StringVar(&configPath, "config", "", "the configuration `FILE|DIR` that declares the account")
	cmd.Flags().BoolVar(&noBrowser, "no-browser", false, "print the authorization URL only; do not open a browser")
	cmd.Flags().DurationVar(&timeout, "timeout", 10*time.Minute, "how long to wait for the sign-in")
	cmd.Flags().StringVar(&key, "key", "", "API key for handing the tokens to the `outreach serve` that holds the data dir, if one does (default $"+apiKeyEnv+")")
	vf.register(cmd)
	return cmd
}

// accountsSetup is what `accounts login` and `accounts check` work with:
// the configuration (its plugins checked), the store, the plugin host with
// the configuration's plugin blocks, and the token keeper over both.
//
// When `outreach serve` holds the data dir and remote is set, b is nil and
// remote is that server's API (with *remote as the key): the keeper then
// only runs the sign-in, and the tokens go to the server.
type accountsSetup struct {
	path   string
	cfg    *config.Config
	b      *backend
	remote *apiClient
	host   *pluginhost.Host
	keeper *auth.Keeper
}

func (g *global) openAccounts(ctx context.Context, what, configPath string, vf varFlags, remote *string) (*accountsSetup, error) {
	cfg, _, err := g.loadChecked(ctx, []string{configPath}, vf)
	if err != nil {
		return nil, err
	}
	s := &accountsSetup{path: configPath, cfg: cfg}
	if s.b, err = g.open(what); err != nil {
		if remote == nil {
			return nil, err
		}
		if s.remote, err = g.heldDataDir(err, *remote); err != nil {
			return nil, err
		}
	}
	s.host = g.pluginHost(g.logger())
	if err := s.host.RegisterConfig(cfg.Plugins); err != nil {
		s.Close()
		return nil, err
	}
	if s.b != nil {
		s.keeper = g.keeper(s.b, s.host)
	} else {
		s.keeper = auth.New(auth.Options{Clock: g.opts.Clock,
			Authorizer: func(network string) (sdk.Authorizer, error) { return authPlugin(s.host, network) }})
	}
	return s, nil
}

func (s *accountsSetup) Close() {
	if s.host != nil {
		s.host.Close()
	}
	if s.b != nil {
		s.b.Close()
	}
}

// findAccount finds the account block called ref, or with the handle ref.
func findAccount(cfg *config.Config, ref string) (*config.Account, error) {
	var names []string
	for _, a := range cfg.Accounts {
		if a.Name == ref || store.NormalizeHandle(a.Handle) == store.NormalizeHandle(ref) {
			return a, nil
		}
		names = append(names, a.Name)
	}
	return nil, fmt.Errorf("no account %q in the configuration (its accounts: %s)", ref, strings.Join(names, ", "))
}

// login runs `outreach accounts login`.
func (g *global) login(ctx context.Context, configPath string, vf varFlags, ref, key string, browser bool) error {
	s, err := g.openAccounts(ctx, "outreach accounts login", configPath, vf, &key)
	if err != nil {
		return err
	}
	defer s.Close()
	cfg, host, keeper := s.cfg, s.host, s.keeper
	acct, err := findAccount(cfg, ref)
	if err != nil {
		return err
	}
	network := accountNetwork(acct)
	proxy, err := proxyURL(acct.Proxy, acct.ProxyAuth)
	if err != nil {
		return err
	}
	authURL, pending, err := keeper.Begin(ctx, network, acct.Handle, "", proxy)
	if err != nil {
		return fmt.Errorf("start signing @%s in: %w", acct.Handle, err)
	}
	callbacks, stop, err := listenForRedirect(pending.RedirectURL)
	if err != nil {
		return err
	}
	defer stop()
	fmt.Fprintf(g.opts.Stderr, "Open this URL in a browser signed in to X as @%s, and authorize the app:\n\n", store.NormalizeHandle(acct.Handle))
	fmt.Fprintln(g.opts.Stdout, authURL)
	fmt.Fprintf(g.opts.Stderr, "\nWaiting for X to redirect to %s ...\n", pending.RedirectURL)
	if browser {
		openBrowser(authURL)
	}
	plugin, err := authPlugin(host, network)
	if err != nil {
		return err
	}
	for {
		var r redirect
		select {
		case r = <-callbacks:
		case <-ctx.Done():
			return fmt.Errorf("no redirect came back from X in time: %w", ctx.Err())
		}
		done, err := g.completeLogin(ctx, s, pending, r.cb, plugin.CheckSession)
		if err != nil && r.cb.State != pending.State {
			// Not this sign-in's redirect (a stale tab, a forgery): keep
			// waiting for the right one.
			r.done <- err
			continue
		}
		r.done <- err
		if err != nil {
			return err
		}
		_, err = fmt.Fprintln(g.opts.Stdout, done)
		return err
	}
}

// completeLogin finishes a sign-in from the redirect: it stores the
// tokens, or, while a server holds the data dir, hands them to its API
// (add-account with oauth2, which makes them the handle's authorization on
// its next use), and returns what to tell the person.
func (g *global) completeLogin(ctx context.Context, s *accountsSetup, p auth.Pending, cb auth.Callback, check func(context.Context, sdk.Session) (sdk.User, error)) (string, error) {
	if s.remote == nil {
		az, err := s.keeper.Complete(ctx, p, cb, check)
		if err != nil {
			return "", err
		}
		if err := s.b.svc.SignedIn(ctx, az.Handle); err != nil {
			return "", err
		}
		return fmt.Sprintf("Signed in @%s (X user %s). Its token expires at %s and is refreshed as it does; scopes: %s.",
			az.Handle, az.UserID, az.ExpiresAt.UTC().Format(time.RFC3339), strings.Join(az.Scopes, " ")), nil
	}
	tok, u, err := s.keeper.Exchange(ctx, p, cb, check)
	if err != nil {
		return "", err
	}
	expires := g.opts.Clock.Now().Add(tok.ExpiresIn).UTC()
	in := map[string]any{"handle": p.Handle, "oauth2": map[string]any{
		"access_token": tok.AccessToken, "refresh_token": tok.RefreshToken, "expires_at": expires.Format(time.RFC3339),
	}}
	var added json.RawMessage
	if err := s.remote.do(ctx, http.MethodPost, "/api/v1/accounts", in, &added); err != nil {
		return "", fmt.Errorf("hand the tokens of @%s to the server: %w", p.Handle, err)
	}
	return fmt.Sprintf("Signed in @%s (X user %s), through the server's API. Its token expires at %s and is refreshed as it does; scopes: %s.",
		p.Handle, u.ID, expires.Format(time.RFC3339), strings.Join(tok.Scopes, " ")), nil
}

// accountNetwork is the network an account block uses.
func accountNetwork(a *config.Account) string {
	if a.Network != "" {
		return a.Network
	}
	return config.DefaultNetwork
}

// redirect is one request to the redirect URL: what it brought, and where
// to say how it went (the page the browser shows).
type redirect struct {
	cb   auth.Callback
	done chan error
}

// listenForRedirect serves the redirect URL, which must be a loopback
// http URL, and passes each request to its path on.
func listenForRedirect(redirectURL string) (<-chan redirect, func(), error) {
	u, err := url.Parse(redirectURL)
	if err != nil || u.Scheme != "http" || !isLoopbackHost(u.Hostname()) || u.Port() == "" {
		return nil, nil, fmt.Errorf("the plugin's redirect_url %q is not a loopback http URL with a port, which `accounts login` can listen on: set redirect_url in the plugin \"x\" block's config to one, e.g. http://127.0.0.1:8788/oauth/x/callback, and register it with the X app", redirectURL)
	}
	ln, err := net.Listen("tcp", u.Host)
	if err != nil {
		return nil, nil, fmt.Errorf("listen for the redirect at %s: %w", u.Host, err)
	}
	ch := make(chan redirect)
	mux := http.NewServeMux()
	mux.HandleFunc(u.Path, func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		rd := redirect{
			cb:   auth.Callback{Code: q.Get("code"), State: q.Get("state"), Error: q.Get("error"), ErrorDescription: q.Get("error_description")},
			done: make(chan error, 1),
		}
		select {
		case ch <- rd:
		case <-r.Context().Done():
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Content-Security-Policy", "default-src 'none'")
		if err := <-rd.done; err != nil {
			w.WriteHeader(http.StatusBadRequest)
			fmt.Fprintf(w, "<!doctype html><title>Sign-in failed</title><p>Sign-in failed: %s</p>", html.EscapeString(err.Error()))
			return
		}
		fmt.Fprint(w, "<!doctype html><title>Signed in</title><p>Signed in. You can close this tab and go back to the terminal.</p>")
	})
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	stop := func() {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		_ = srv.Shutdown(ctx)
	}
	return ch, stop, nil
}

func isLoopbackHost(h string) bool {
	if h == "localhost" {
		return true
	}
	ip := net.ParseIP(h)
	return ip != nil && ip.IsLoopback()
}

// openBrowser opens u in the desktop's browser, where there is one; the
// URL is printed either way.
func openBrowser(u string) {
	for _, opener := range []string{"xdg-open", "open"} {
		if path, err := exec.LookPath(opener); err == nil {
			_ = exec.Command(path, u).Start()
			return
		}
	}
}

func newAccountsCheckCmd(g *global) *cobra.Command {
	var (
		configPath string
		vf         varFlags
	)
	cmd := &cobra.Command{
		Use:   "check",
		Short: "Check each account's sign-in, scopes, proxy and budget",
		Long: "check prints a table of the configuration's accounts: the state of each one's OAuth token and\n" +
			"when it expires (it is refreshed first if it is about to), whether X takes it, the scopes granted\n" +
			"against those the plugin needs, whether its proxy answers, and how many DMs it may still send today.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if configPath == "" {
				return errors.New("--config is required: the configuration that declares the accounts")
			}
			return g.checkAccounts(cmd.Context(), configPath, vf)
		},
	}
	cmd.Flags().StringVar(&configPath, "config", "", "the configuration `FILE|DIR` that declares the accounts")
	vf.register(cmd)
	return cmd
}

// checkAccounts runs `outreach accounts check`.
func (g *global) checkAccounts(ctx context.Context, configPath string, vf varFlags) error {
	s, err := g.openAccounts(ctx, "outreach accounts check", configPath, vf, nil)
	if err != nil {
		return err
	}
	defer s.Close()
	cfg := s.cfg
	tw := tabwriter.NewWriter(g.opts.Stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ACCOUNT\tHANDLE\tTOKEN\tEXPIRES\tX\tSCOPES\tPROXY\tDMS LEFT TODAY")
	problems := 0
	for _, a := range cfg.Accounts {
		row := g.checkAccount(ctx, s, a)
		if row.problem {
			problems++
		}
		fmt.Fprintf(tw, "%s\t@%s\t%s\t%s\t%s\t%s\t%s\t%s\n", a.Name, store.NormalizeHandle(a.Handle),
			row.token, row.expires, row.x, row.scopes, row.proxy, row.budget)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if problems > 0 {
		return fmt.Errorf("%d of %d accounts cannot act yet; the table says why", problems, len(cfg.Accounts))
	}
	return nil
}

// checkRow is one account's line of `accounts check`.
type checkRow struct {
	token, expires, x, scopes, proxy, budget string
	problem                                  bool
}

func (g *global) checkAccount(ctx context.Context, s *accountsSetup, a *config.Account) checkRow {
	cfg, host, keeper := s.cfg, s.host, s.keeper
	row := checkRow{token: "-", expires: "-", x: "-", scopes: "-", proxy: "-", budget: "-"}
	network := accountNetwork(a)
	proxy, err := proxyURL(a.Proxy, a.ProxyAuth)
	if err != nil {
		row.proxy, row.problem = err.Error(), true
	} else if a.Proxy != "" {
		row.proxy = proxyReachable(ctx, a.Proxy)
		row.problem = row.problem || row.proxy != "ok"
	}
	row.budget = g.budgetLeft(ctx, s.b, cfg, a)
	if cfg.Settings.Sandbox {
		row.token, row.x = "simulated", "simulated X"
		return row
	}
	plugin, err := authPlugin(host, network)
	if err != nil {
		row.token, row.problem = err.Error(), true
		return row
	}
	token, terr := keeper.Token(ctx, network, a.Handle, proxy)
	az, err := keeper.Authorization(ctx, network, a.Handle)
	switch {
	case store.IsNotFound(err):
		row.token = fmt.Sprintf("not signed in: run `outreach accounts login %s --config %s`", a.Name, s.path)
		row.problem = true
		return row
	case err != nil:
		row.token, row.problem = err.Error(), true
		return row
	}
	now := g.opts.Clock.Now()
	row.expires = az.ExpiresAt.UTC().Format(time.RFC3339)
	switch {
	case az.Refused != "":
		row.token = fmt.Sprintf("refused: sign in again with `outreach accounts login %s --config %s`", a.Name, s.path)
	case terr != nil:
		row.token = "error: " + terr.Error()
	case now.Before(az.ExpiresAt):
		row.token = "valid for " + az.ExpiresAt.Sub(now).Round(time.Second).String()
	default:
		row.token = "expired"
	}
	if spec, err := plugin.AuthSpec(ctx); err == nil {
		var missing []string
		for _, s := range spec.Scopes {
			if !slices.Contains(az.Scopes, s) {
				missing = append(missing, s)
			}
		}
		row.scopes = fmt.Sprintf("%d of %d", len(spec.Scopes)-len(missing), len(spec.Scopes))
		if len(missing) > 0 {
			row.scopes += ", missing " + strings.Join(missing, " ")
			row.problem = true
		}
	}
	if terr != nil {
		row.problem = true
		return row
	}
	u, err := plugin.CheckSession(ctx, sdk.Session{Handle: a.Handle, Credentials: map[string]string{sdk.CredentialAccessToken: token}, Proxy: proxy})
	switch {
	case err != nil:
		row.x, row.problem = "refused: "+err.Error(), true
	case store.NormalizeHandle(u.Username) != store.NormalizeHandle(a.Handle):
		row.x, row.problem = "token is @"+u.Username+"'s", true
	default:
		row.x = "ok"
	}
	return row
}

// proxyReachable says whether a proxy accepts connections.
func proxyReachable(ctx context.Context, proxy string) string {
	u, err := url.Parse(proxy)
	if err != nil {
		return "invalid"
	}
	d := net.Dialer{Timeout: 5 * time.Second}
	c, err := d.DialContext(ctx, "tcp", u.Host)
	if err != nil {
		return "unreachable: " + err.Error()
	}
	c.Close()
	return "ok"
}

// budgetLeft is how many DMs the account may still send today: its cap
// (with warmup) less what it sent, if the configuration was applied.
func (g *global) budgetLeft(ctx context.Context, b *backend, cfg *config.Config, a *config.Account) string {
	accounts, err := b.svc.ListAccounts(ctx, cfg.Workspace())
	if err != nil {
		return err.Error()
	}
	for _, info := range accounts {
		if store.NormalizeHandle(info.Handle) != store.NormalizeHandle(a.Handle) {
			continue
		}
		h, err := b.svc.HealthOf(ctx, cfg.Workspace(), info.ID)
		if err != nil {
			return err.Error()
		}
		if h.PausedReason != "" {
			return fmt.Sprintf("0 (paused: %s)", h.PausedReason)
		}
		return fmt.Sprintf("%d of %d", max(h.CapToday-h.SentToday, 0), h.CapToday)
	}
	return "not applied yet"
}
