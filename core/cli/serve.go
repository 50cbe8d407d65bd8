package cli

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os/signal"
	"syscall"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/spf13/cobra"

	"github.com/outreachhq/outreach/core/api"
	"github.com/outreachhq/outreach/core/config"
)

func newServeCmd(g *global) *cobra.Command {
	var (
		addr       string
		sandbox    bool
		sandboxURL string
		workers    int
		noEngine   bool
	)
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Run the engine as a daemon with the REST API",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if sandboxURL != "" {
				u, err := checkSandboxURL(sandboxURL)
				if err != nil {
					return err
				}
				sandboxURL = u
			}
			ctx, stop := signal.NotifyContext(cmd.Context(), syscall.SIGINT, syscall.SIGTERM)
			defer stop()
			if workers < 1 || workers > config.MaxWorkers {
				return fmt.Errorf("--workers %d: give 1 to %d, how many accounts the engine works at once", workers, config.MaxWorkers)
			}
			return g.serve(ctx, addr, sandbox, sandboxURL, workers, noEngine)
		},
	}
	cmd.Flags().StringVar(&addr, "addr", "127.0.0.1:8080", "address to listen on")
	cmd.Flags().BoolVar(&sandbox, "sandbox", false, "run every account on the simulated X")
	cmd.Flags().StringVar(&sandboxURL, "sandbox-url", "", sandboxURLUsage)
	cmd.Flags().IntVar(&workers, "workers", config.DefaultWorkers, "how many accounts the engine works at once")
	cmd.Flags().BoolVar(&noEngine, "no-engine", false, "serve the API only: `outreach worker` processes run the work (Postgres)")
	return cmd
}

func (g *global) serve(ctx context.Context, addr string, sandbox bool, sandboxURL string, workers int, noEngine bool) error {
	log := g.logger()
	b, err := g.open("outreach serve")
	if err != nil {
		return err
	}
	defer b.Close()
	var rt *runtime
	if !noEngine {
		rt, err = g.startRuntime(sandbox, sandboxURL, log)
		if errors.Is(err, errNoSandbox) {
			fmt.Fprintf(g.opts.Stderr, "Serving the API only; the engine is not running: %v\n", err)
		} else if err != nil {
			return err
		} else {
			defer rt.Close()
		}
	}
	srv := &http.Server{
		Handler:           api.New(api.Options{Service: b.svc, Health: b.ping, Logger: g.slogger()}).Handler(),
		ReadHeaderTimeout: 10 * time.Second,
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", addr, err)
	}
	fmt.Fprintf(g.opts.Stderr, "outreach %s serving the API on http://%s (OpenAPI at /openapi.yaml)\n", Version, ln.Addr())

	// The engine and the HTTP server run until a signal or until either
	// fails; then both stop, the server gracefully.
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	engineErr := make(chan error, 1)
	go func() {
		defer cancel()
		engineErr <- g.runEngine(ctx, b, rt, log, workers)
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

// runEngine runs the engine until ctx is done; without a runtime (no
// sandbox) there is nothing to run.
func (g *global) runEngine(ctx context.Context, b *backend, rt *runtime, log hclog.Logger, workers int) error {
	if rt == nil {
		<-ctx.Done()
		return nil
	}
	eng := g.engine(b, rt, log, workers, logProgress(log.Named("engine")))
	return b.run(ctx, eng, nil, workers, g.queueLogger())
}
