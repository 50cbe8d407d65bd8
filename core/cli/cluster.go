package cli

import (
	"context"
	"errors"
	"fmt"
	"os/signal"
	"syscall"

	"github.com/hashicorp/go-hclog"
	"github.com/spf13/cobra"

	"github.com/outreachhq/outreach/core/config"
	"github.com/outreachhq/outreach/core/engine"
	"github.com/outreachhq/outreach/core/store/postgres"
)

// The commands of a cluster on Postgres: `migrate` readies the database,
// `worker` runs only the engine (any number of them), and `serve
// --no-engine` only the API.

func newWorkerCmd(g *global) *cobra.Command {
	var (
		sandbox      bool
		sandboxURL   string
		workers      int
		allowPrivate bool
		configPath   string
		vf           varFlags
	)
	cmd := &cobra.Command{
		Use:   "worker",
		Short: "Run only the engine: one of any number of workers on a Postgres store",
		Long: "worker runs the engine, without the API, until it is stopped (SIGINT or SIGTERM: the\n" +
			"jobs in hand finish first). On a Postgres store (--store postgres://...) any number of\n" +
			"workers share the work: each account is worked by one of them at a time, and a worker\n" +
			"that dies hands its accounts to the others within a minute.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if sandboxURL != "" {
				u, err := checkSandboxURL(sandboxURL)
				if err != nil {
					return err
				}
				sandboxURL = u
			}
			if workers < 1 || workers > config.MaxWorkers {
				return fmt.Errorf("--workers %d: give 1 to %d, how many accounts this worker works at once", workers, config.MaxWorkers)
			}
			ctx, stop := signal.NotifyContext(cmd.Context(), syscall.SIGINT, syscall.SIGTERM)
			defer stop()
			var plugins []*config.Plugin
			if configPath != "" {
				// Only the plugin blocks: the worker signs accounts in
				// and calls X with the app the configuration declares.
				cfg, _, err := g.loadChecked(ctx, []string{configPath}, vf)
				if err != nil {
					return err
				}
				plugins = cfg.Plugins
			}
			return g.work(ctx, sandbox, sandboxURL, workers, allowPrivateWebhooks(g.opts.Stderr, allowPrivate, nil), plugins)
		},
	}
	cmd.Flags().BoolVar(&sandbox, "sandbox", false, "run every account on a simulated X started in this process")
	cmd.Flags().StringVar(&sandboxURL, "sandbox-url", "", sandboxURLUsage)
	cmd.Flags().IntVar(&workers, "workers", config.DefaultWorkers, "how many accounts this worker works at once")
	cmd.Flags().BoolVar(&allowPrivate, "allow-private-webhooks", false, "let webhook deliveries reach loopback, private and link-local addresses (local development only)")
	cmd.Flags().StringVar(&configPath, "config", "", "configuration `FILE|DIR` whose plugin blocks configure the plugins (the x plugin's OAuth app, say); nothing else of it is applied")
	vf.register(cmd)
	return cmd
}

func (g *global) work(ctx context.Context, sandbox bool, sandboxURL string, workers int, allowPrivate bool, plugins []*config.Plugin) error {
	log := g.logger()
	b, err := g.open("outreach worker")
	if err != nil {
		return err
	}
	defer b.Close()
	rt, err := g.startRuntime(b, sandbox, sandboxURL, log)
	if err != nil {
		return err
	}
	defer rt.Close()
	if err := rt.host.RegisterConfig(plugins); err != nil {
		return err
	}
	// Webhook deliveries run wherever the engine runs; each endpoint is
	// leased to one process of the cluster at a time.
	ds, err := g.newDeliveries(ctx, b, rt, nil, allowPrivate, log)
	if err != nil {
		return err
	}
	defer ds.Close()
	fmt.Fprintf(g.opts.Stderr, "outreach %s worker running (%d at once); stop it with Ctrl-C\n", Version, workers)
	err = b.run(ctx, g.engine(b, rt, log, workers, logProgress(log.Named("engine"))), nil, workers, g.queueLogger(), func() { ds.Start(ctx) })
	if errors.Is(err, context.Canceled) {
		return nil
	}
	return err
}

func newMigrateCmd(g *global) *cobra.Command {
	return &cobra.Command{
		Use:   "migrate",
		Short: "Apply the Postgres store's schema migrations",
		Long: "migrate brings the Postgres database that --store (or $OUTREACH_STORE) names up to the\n" +
			"schema this version of outreach needs: River's tables and outreach's own. It is safe to\n" +
			"run more than once, and from several processes at once. A buntdb data dir needs none.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			spec := g.storeSpec()
			if !isPostgresURL(spec) {
				return fmt.Errorf("--store %q is a data dir, which needs no migrations; give a postgres:// URL", spec)
			}
			from, to, err := postgres.Migrate(cmd.Context(), spec)
			if err != nil {
				return err
			}
			if from == to {
				fmt.Fprintf(g.opts.Stdout, "The schema is up to date (version %d).\n", to)
				return nil
			}
			fmt.Fprintf(g.opts.Stdout, "Migrated the schema from version %d to %d.\n", from, to)
			return nil
		},
	}
}

// logProgress logs what the engine does, a line per event at info level
// (--log-level info): a worker or a server has no progress bars.
func logProgress(log hclog.Logger) func(engine.Event) {
	return func(ev engine.Event) {
		switch ev.Kind {
		case engine.Scraped:
			log.Info("scraped a page", "source", ev.SourceID, "seen", ev.Seen, "kept", ev.Kept)
		case engine.Queued:
			log.Info("queued first DMs", "campaign", ev.CampaignID, "count", ev.Count)
		case engine.Sent:
			log.Info("message sent", "account", ev.AccountID, "campaign", ev.CampaignID, "step", ev.Step, "manual", ev.Manual)
		case engine.Replied:
			log.Info("reply received", "account", ev.AccountID, "campaign", ev.CampaignID)
		case engine.Failed:
			log.Warn("job failed", "account", ev.AccountID, "campaign", ev.CampaignID, "step", ev.Step, "error", ev.Err)
		}
	}
}
