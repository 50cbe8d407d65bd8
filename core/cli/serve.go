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

	"github.com/spf13/cobra"

	"github.com/outreachhq/outreach/core/api"
	"github.com/outreachhq/outreach/core/service"
)

func newServeCmd(g *global) *cobra.Command {
	var (
		addr    string
		sandbox bool
	)
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Run the engine as a daemon with the REST API",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx, stop := signal.NotifyContext(cmd.Context(), syscall.SIGINT, syscall.SIGTERM)
			defer stop()
			return g.serve(ctx, addr, sandbox)
		},
	}
	cmd.Flags().StringVar(&addr, "addr", "127.0.0.1:8080", "address to listen on")
	cmd.Flags().BoolVar(&sandbox, "sandbox", false, "run every account on the simulated X")
	return cmd
}

func (g *global) serve(ctx context.Context, addr string, sandbox bool) error {
	log := g.logger()
	st, err := g.openStore("outreach serve")
	if err != nil {
		return err
	}
	defer st.Close()
	rt, err := g.startRuntime(sandbox, log)
	if errors.Is(err, errNoSandbox) {
		fmt.Fprintf(g.opts.Stderr, "Serving the API only; the engine is not running: %v\n", err)
	} else if err != nil {
		return err
	} else {
		defer rt.Close()
	}
	svc := service.New(st, g.opts.Clock)
	srv := &http.Server{
		Handler:           api.New(api.Options{Service: svc, Version: Version}).Handler(),
		ReadHeaderTimeout: 10 * time.Second,
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", addr, err)
	}
	fmt.Fprintf(g.opts.Stderr, "outreach %s serving the API on http://%s (OpenAPI at /openapi.yaml)\n", Version, ln.Addr())

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	engineDone := make(chan error, 1)
	go func() {
		if rt == nil {
			<-ctx.Done()
			engineDone <- nil
			return
		}
		eng := g.engine(st, rt, log, nil)
		if err := eng.Recover(ctx); err != nil {
			engineDone <- err
			return
		}
		engineDone <- eng.Run(ctx, nil)
	}()
	serveDone := make(chan error, 1)
	go func() { serveDone <- srv.Serve(ln) }()

	var runErr error
	select {
	case <-ctx.Done():
	case runErr = <-engineDone:
		engineDone <- nil
	case runErr = <-serveDone:
		serveDone <- nil
	}
	cancel()
	shutdownCtx, done := context.WithTimeout(context.Background(), 10*time.Second)
	defer done()
	if err := srv.Shutdown(shutdownCtx); err != nil && runErr == nil {
		runErr = err
	}
	if err := <-engineDone; err != nil && !errors.Is(err, context.Canceled) && runErr == nil {
		runErr = err
	}
	if errors.Is(runErr, http.ErrServerClosed) || errors.Is(runErr, context.Canceled) {
		runErr = nil
	}
	return runErr
}
