package cli

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/spf13/cobra"

	"github.com/outreachhq/outreach/core/api"
	"github.com/outreachhq/outreach/core/config"
	"github.com/outreachhq/outreach/core/pluginhost"
	"github.com/outreachhq/outreach/core/service"
	"github.com/outreachhq/outreach/core/store"
	"github.com/outreachhq/outreach/core/web"
)

func newServeCmd(g *global) *cobra.Command {
	var o serveOptions
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Run the engine as a daemon with the REST API and the dashboard",
		Long: "serve runs the engine as a daemon, and serves on --addr the REST API (under /api/v1, OpenAPI at\n" +
			"/openapi.yaml, docs at /docs) and the web dashboard at /, where a person signs in with an API key\n" +
			"(create one with `outreach keys create` before serve starts: serve holds the data dir).",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if o.sandboxURL != "" {
				u, err := checkSandboxURL(o.sandboxURL)
				if err != nil {
					return err
				}
				o.sandboxURL = u
			}
			ctx, stop := signal.NotifyContext(cmd.Context(), syscall.SIGINT, syscall.SIGTERM)
			defer stop()
			if o.workers < 1 || o.workers > config.MaxWorkers {
				return fmt.Errorf("--workers %d: give 1 to %d, how many accounts the engine works at once", o.workers, config.MaxWorkers)
			}
			o.workersSet = cmd.Flags().Changed("workers")
			return g.serve(ctx, o)
		},
	}
	cmd.Flags().StringVar(&o.addr, "addr", "127.0.0.1:8080", "address to listen on")
	cmd.Flags().BoolVar(&o.sandbox, "sandbox", false, "run every account on the simulated X")
	cmd.Flags().StringVar(&o.sandboxURL, "sandbox-url", "", sandboxURLUsage)
	cmd.Flags().IntVar(&o.workers, "workers", config.DefaultWorkers, "how many accounts the engine works at once")
	cmd.Flags().BoolVar(&o.noEngine, "no-engine", false, "serve the API only: `outreach worker` processes run the work (Postgres)")
	cmd.Flags().StringVar(&o.config, "config", "", "apply the configuration in `FILE|DIR` at start, as `apply -auto-approve` would; one with errors stops the start")
	cmd.Flags().BoolVar(&o.allowPrivateWebhooks, "allow-private-webhooks", false, "let webhook deliveries reach loopback, private and link-local addresses (local development only)")
	o.vars.register(cmd)
	cmd.Flags().BoolVar(&o.metricsPublic, "metrics-public", false, "serve /metrics (Prometheus) to every client; by default only loopback clients get it, others 404")
	cmd.Flags().StringVar(&o.adminTokenFile, "admin-token-file", "", "`FILE` holding the operator token that opens River's UI at /admin/jobs (default $"+adminTokenEnv+"; without one the UI is off)")
	return cmd
}

// serveOptions are serve's flags.
type serveOptions struct {
	addr       string
	sandbox    bool
	sandboxURL string
	workers    int
	// workersSet is whether --workers was given: if not, a --config's
	// settings.workers counts.
	workersSet     bool
	noEngine       bool
	adminTokenFile string
	// metricsPublic serves /metrics to every client, not only loopback.
	metricsPublic bool
	// config is the configuration applied at start (--config), with the
	// values of its variables.
	config string
	vars   varFlags
	// allowPrivateWebhooks lets webhook deliveries reach loopback, private
	// and link-local addresses: --allow-private-webhooks, or the settings
	// of the --config (allow_private_webhooks), once serve has read them.
	allowPrivateWebhooks bool
}

// adminTokenEnv names the variable that gives the operator token.
const adminTokenEnv = "OUTREACH_ADMIN_TOKEN"

// adminToken is the operator token: from the file --admin-token-file
// names, else $OUTREACH_ADMIN_TOKEN; "" for none.
func (o serveOptions) adminToken() (string, error) {
	token, from := os.Getenv(adminTokenEnv), "$"+adminTokenEnv
	if o.adminTokenFile != "" {
		b, err := os.ReadFile(o.adminTokenFile)
		if err != nil {
			return "", fmt.Errorf("--admin-token-file: %w", err)
		}
		token, from = strings.TrimSpace(string(b)), "--admin-token-file "+o.adminTokenFile
	}
	if token != "" && len(token) < 16 {
		return "", fmt.Errorf("%s: the operator token has %d characters; give 16 or more (head -c 24 /dev/urandom | base64)", from, len(token))
	}
	return token, nil
}

func (g *global) serve(ctx context.Context, o serveOptions) error {
	// A configuration with errors stops the start before the store is
	// opened or a port bound; its diagnostics say why.
	var (
		cfg      *config.Config
		declared []pluginhost.Declared
	)
	if o.config != "" {
		var err error
		if cfg, declared, err = g.loadChecked(ctx, []string{o.config}, o.vars); err != nil {
			return err
		}
		if !o.workersSet {
			o.workers = cfg.Settings.Workers
		}
	}
	o.allowPrivateWebhooks = allowPrivateWebhooks(g.opts.Stderr, o.allowPrivateWebhooks, cfg)
	log := g.logger()
	b, err := g.open("outreach serve")
	if err != nil {
		return err
	}
	defer b.Close()
	if cfg != nil {
		// The plan goes to the log, stderr, as apply -auto-approve shows it.
		p, err := g.applyConfig(ctx, b, cfg, declared, []string{o.config}, o.sandbox || o.sandboxURL != "", g.opts.Stderr, true)
		if err != nil {
			return fmt.Errorf("--config %s: %w", o.config, err)
		}
		o.sandbox = o.sandbox || p.Sandbox
	}
	workspace := config.DefaultWorkspace
	if cfg != nil {
		workspace = cfg.Workspace()
	}
	g.metrics = newServeMetrics(b.svc.Pending, workspace)
	// Accounts run on the simulated X: the API's credential job completes
	// at once there.
	b.svc.SetSimulated(o.sandbox || o.sandboxURL != "")
	var rt *runtime
	if !o.noEngine {
		rt, err = g.startRuntime(b, o.sandbox, o.sandboxURL, log)
		if err != nil {
			return err
		}
		defer rt.Close()
		if cfg != nil {
			if err := rt.host.RegisterConfig(cfg.Plugins); err != nil {
				return err
			}
		}
	}
	apiOpts := api.Options{Service: b.svc, Health: b.ping, Logger: g.slogger(),
		Metrics: g.metrics.Metrics, MetricsPublic: o.metricsPublic,
		Dashboard: web.New(web.Options{Service: b.svc, Logger: g.slogger()})}
	if cfg != nil {
		apiOpts.RateLimit = cfg.Settings.APIRateLimit
		apiOpts.RevealSecrets = cfg.Settings.RevealSecrets
	}
	if apiOpts.AdminToken, err = o.adminToken(); err != nil {
		return err
	}
	switch {
	case apiOpts.AdminToken != "" && b.pg != nil:
		if apiOpts.Admin, err = b.pg.AdminUI(ctx, api.AdminPath, g.queueLogger()); err != nil {
			return err
		}
	case apiOpts.AdminToken != "":
		fmt.Fprintf(g.opts.Stderr, "River's UI (%s) needs a Postgres store; it is off.\n", api.AdminPath)
	}
	// Timeouts and a header limit cut off a client that holds connections
	// open or sends a body slowly.
	if rt != nil && !rt.simulated() {
		// OAuth tokens given through the API (`accounts login` while this
		// server holds the data dir gives them so) become the handle's
		// authorization at once.
		b.svc.SetTokensGiven(func(ctx context.Context, a store.Account, o service.OAuth2Tokens) error {
			_, err := rt.keeper.Import(ctx, a.Network, a.Handle, store.AuthTokens{AccessToken: o.AccessToken, RefreshToken: o.RefreshToken}, o.ExpiresAt, true)
			return err
		})
	}
	var handler http.Handler = api.New(apiOpts).Handler()
	if rt != nil && !rt.simulated() && cfg != nil && cfg.Settings.PublicURL != "" {
		// The API's credential jobs sign accounts in, and X redirects back
		// here.
		si := newServerSignIn(b.svc, rt.keeper, rt.host, cfg.Settings.PublicURL)
		b.svc.SetSignIn(si.begin)
		mux := http.NewServeMux()
		mux.Handle(callbackPrefix+"{network}/callback", si)
		mux.Handle("/", handler)
		handler = mux
	}
	srv := api.NewHTTPServer(handler, api.DefaultServerLimits)
	ln, err := net.Listen("tcp", o.addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", o.addr, err)
	}
	if b.bs != nil { // commands that need the data dir go through this API meanwhile
		if err := b.bs.Announce("http://" + ln.Addr().String()); err != nil {
			ln.Close()
			return err
		}
	}
	fmt.Fprintf(g.opts.Stderr, "outreach %s serving the API on http://%s (OpenAPI at /openapi.yaml, the dashboard at /)\n", Version, ln.Addr())

	// The engine and the HTTP server run until a signal or until either
	// fails; then both stop, the server gracefully.
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	// Deliveries run wherever the engine runs (with --no-engine, the
	// workers make them), starting once the engine does.
	beside := func() {}
	if !o.noEngine {
		ds, err := g.newDeliveries(ctx, b, rt, cfg, o.allowPrivateWebhooks, log)
		if err != nil {
			return err
		}
		defer ds.Close()
		beside = func() { ds.Start(ctx) }
	}
	engineErr := make(chan error, 1)
	go func() {
		defer cancel()
		engineErr <- g.runEngine(ctx, b, rt, log, o.workers, beside)
	}()
	shutDown := make(chan struct{})
	go func() {
		defer close(shutDown)
		<-ctx.Done()
		shutdownCtx, done := context.WithTimeout(context.Background(), 10*time.Second)
		defer done()
		_ = srv.Shutdown(shutdownCtx)
	}()
	serveErr := srv.Serve(ln)
	cancel()
	// Requests in flight finish before the store closes.
	<-shutDown
	if err := <-engineErr; err != nil && !errors.Is(err, context.Canceled) {
		return err
	}
	if errors.Is(serveErr, http.ErrServerClosed) {
		return nil
	}
	return serveErr
}

// runEngine runs the engine, and beside it what beside starts, until ctx
// is done; without a runtime (no sandbox) there is no engine to run.
func (g *global) runEngine(ctx context.Context, b *backend, rt *runtime, log hclog.Logger, workers int, beside func()) error {
	if rt == nil {
		beside()
		<-ctx.Done()
		return nil
	}
	eng := g.engine(b, rt, log, workers, logProgress(log.Named("engine")))
	return b.run(ctx, eng, nil, workers, g.queueLogger(), beside)
}
