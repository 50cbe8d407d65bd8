package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"strings"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/spf13/cobra"

	"github.com/outreachhq/outreach/core/clock"
)

// Version is the outreach version, set at build time with -ldflags.
var Version = "0.1.0-dev"

// Options let tests run the CLI in-process with a virtual clock and their
// own binary as the plugin executable. Zero values mean production.
type Options struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	Clock          clock.Clock
	// PluginCommand returns the command that serves a built-in plugin; nil
	// re-executes this binary.
	PluginCommand func(name string) *exec.Cmd
	// Seed fixes pacing randomness; zero draws one.
	Seed uint64
}

// exitError carries an exit code other than 1.
type exitError struct{ code int }

func (e exitError) Error() string { return fmt.Sprintf("exit status %d", e.code) }

// errReported means the error was already printed (as diagnostics).
var errReported = errors.New("reported")

// Main runs the command line and returns the process exit code.
func Main(args []string) int {
	return Run(context.Background(), args, Options{})
}

// Run runs the command line with options and returns the exit code.
func Run(ctx context.Context, args []string, opts Options) int {
	if opts.Stdin == nil {
		opts.Stdin = os.Stdin
	}
	if opts.Stdout == nil {
		opts.Stdout = os.Stdout
	}
	if opts.Stderr == nil {
		opts.Stderr = os.Stderr
	}
	if opts.Clock == nil {
		opts.Clock = clock.Real{}
	}
	root := newRoot(&opts)
	root.SetArgs(normalizeFlags(args))
	root.SetIn(opts.Stdin)
	root.SetOut(opts.Stdout)
	root.SetErr(opts.Stderr)
	err := root.ExecuteContext(ctx)
	var ee exitError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &ee):
		return ee.code
	case errors.Is(err, errReported):
		return 1
	}
	fmt.Fprintf(opts.Stderr, "Error: %v\n", err)
	return 1
}

// normalizeFlags accepts Terraform's single-dash long flags
// (-auto-approve) by rewriting them to the double-dash form cobra parses.
// Single-letter flags (-h) and negative numbers are left alone.
func normalizeFlags(args []string) []string {
	out := make([]string, len(args))
	for i, a := range args {
		if a == "--" {
			copy(out[i:], args[i:])
			return out
		}
		if len(a) > 2 && a[0] == '-' && a[1] != '-' && !strings.ContainsAny(a[1:2], "0123456789") {
			a = "-" + a
		}
		out[i] = a
	}
	return out
}

// global flags shared by every command.
type global struct {
	opts     *Options
	data     string
	logLevel string

	// The store: --store (a data dir or a postgres:// URL), the sealing key
	// file, and Postgres's pool and statement timeout.
	store              string
	secretKeyFile      string
	migrate            bool
	dbMaxConns         int
	dbStatementTimeout time.Duration

	// metrics, set by serve, counts what the engine, the deliveries and the
	// plugin host do, for /metrics; nil elsewhere.
	metrics *serveMetrics
}

func newRoot(opts *Options) *cobra.Command {
	g := &global{opts: opts}
	root := &cobra.Command{
		Use:           "outreach",
		Short:         "Self-hosted outreach automation for X",
		Long:          "outreach runs DM campaigns on X from declarative HCL files, on your own machine.",
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.PersistentFlags().StringVar(&g.data, "data", "", "data directory (default $OUTREACH_DATA, else ./.outreach)")
	root.PersistentFlags().StringVar(&g.logLevel, "log-level", "warn", "log level: trace, debug, info, warn, error")
	root.PersistentFlags().StringVar(&g.store, "store", "", "where the data lives: a data dir, or postgres://... (default $OUTREACH_STORE, else the data dir)")
	root.PersistentFlags().StringVar(&g.secretKeyFile, "secret-key-file", "", "`FILE` holding the key that seals secrets (default $OUTREACH_SECRET_KEY, else the data dir's key)")
	root.PersistentFlags().BoolVar(&g.migrate, "migrate", false, "apply pending Postgres schema migrations first")
	root.PersistentFlags().IntVar(&g.dbMaxConns, "db-max-conns", 0, "Postgres connection pool size (default: the larger of 4 and the CPUs)")
	root.PersistentFlags().DurationVar(&g.dbStatementTimeout, "db-statement-timeout", 0, "Postgres statement timeout, e.g. 30s (default: none)")
	root.AddCommand(
		newApplyCmd(g),
		newPlanCmd(g),
		newValidateCmd(g),
		newAccountsCmd(g),
		newFmtCmd(g),
		newDestroyCmd(g),
		newServeCmd(g),
		newWorkerCmd(g),
		newMigrateCmd(g),
		newStoreCmd(g),
		newKeysCmd(g),
		newWebhooksCmd(g),
		newClassifyCmd(g),
		newPluginCmd(g),
		newPluginsCmd(g),
		newSandboxCmd(g),
		newVersionCmd(g),
	)
	return root
}

// dataDir resolves the data dir: --data, else $OUTREACH_DATA, else ./.outreach.
func (g *global) dataDir() string {
	if g.data != "" {
		return g.data
	}
	if d := os.Getenv("OUTREACH_DATA"); d != "" {
		return d
	}
	return ".outreach"
}

// slogger is logger's twin for libraries that log with slog: the API and
// River. River tells its routine at info level (every few seconds), so it
// logs at info only from --log-level debug.
func (g *global) slogger() *slog.Logger {
	var level slog.Level
	if err := level.UnmarshalText([]byte(g.logLevel)); err != nil {
		level = slog.LevelWarn
	}
	return slog.New(slog.NewTextHandler(g.opts.Stderr, &slog.HandlerOptions{Level: level}))
}

func (g *global) queueLogger() *slog.Logger {
	l := g.slogger()
	if l.Enabled(context.Background(), slog.LevelDebug) {
		return l
	}
	return slog.New(slog.NewTextHandler(g.opts.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
}

func (g *global) logger() hclog.Logger {
	return hclog.New(&hclog.LoggerOptions{
		Name:   "outreach",
		Level:  hclog.LevelFromString(g.logLevel),
		Output: g.opts.Stderr,
	})
}

func newVersionCmd(g *global) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			_, err := fmt.Fprintf(g.opts.Stdout, "outreach %s\n", Version)
			return err
		},
	}
}
