package cli

import (
	"bufio"
	"context"
	"fmt"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/outreachhq/outreach/core/config"
	"github.com/outreachhq/outreach/core/plan"
	"github.com/outreachhq/outreach/core/service"
	"github.com/outreachhq/outreach/core/store"
)

// sandboxPoll is how often replies are read on the simulated X.
const sandboxPoll = 5 * time.Second

type applyFlags struct {
	autoApprove bool
	detach      bool
	sandbox     bool
}

func newApplyCmd(g *global) *cobra.Command {
	var f applyFlags
	cmd := &cobra.Command{
		Use:   "apply [FILE|DIR]...",
		Short: "Show the plan, apply it, then run the work until it is done",
		Long: "apply shows what the configuration changes, asks for confirmation (unless -auto-approve),\n" +
			"applies it in one transaction, then runs the work it declares (scraping, DMs, follow-ups)\n" +
			"in the foreground with progress bars until it is done or interrupted (--detach returns at once).",
		RunE: func(cmd *cobra.Command, args []string) error { return g.apply(cmd.Context(), args, f) },
	}
	cmd.Flags().BoolVar(&f.autoApprove, "auto-approve", false, "apply without asking for confirmation")
	cmd.Flags().BoolVar(&f.detach, "detach", false, "return after applying instead of running the work")
	cmd.Flags().BoolVar(&f.sandbox, "sandbox", false, "run every account on the simulated X, whatever the settings say")
	return cmd
}

func (g *global) apply(ctx context.Context, paths []string, f applyFlags) error {
	cfg, err := g.loadConfig(paths)
	if err != nil {
		return err
	}
	st, err := g.openStore("outreach apply")
	if err != nil {
		return err
	}
	defer st.Close()
	svc := service.New(st, g.opts.Clock)
	p, err := svc.Plan(ctx, cfg)
	if err != nil {
		return err
	}
	if err := p.WriteText(g.opts.Stdout); err != nil {
		return err
	}
	if p.HasChanges() {
		if !f.autoApprove && !g.confirm() {
			fmt.Fprintln(g.opts.Stdout, "\nApply cancelled.")
			return exitError{1}
		}
		if err := svc.Apply(ctx, cfg, p); err != nil {
			return err
		}
		fmt.Fprintln(g.opts.Stdout, "\nApply complete.")
	}
	if f.detach {
		return nil
	}
	ctx, stop := signal.NotifyContext(ctx, syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	return g.run(ctx, st, cfg, f.sandbox || p.Sandbox)
}

// confirm asks Terraform's question; only "yes" proceeds.
func (g *global) confirm() bool {
	fmt.Fprint(g.opts.Stdout, "\nDo you want to perform these actions?\n  Only 'yes' will be accepted to approve.\n\n  Enter a value: ")
	line, _ := bufio.NewReader(g.opts.Stdin).ReadString('\n')
	return strings.TrimSpace(line) == "yes"
}

// run runs the declared work in the foreground until nothing is pending,
// then prints the summary.
func (g *global) run(ctx context.Context, st *store.Store, cfg *config.Config, sandbox bool) error {
	log := g.logger()
	rt, err := g.startRuntime(sandbox, log)
	if err != nil {
		return err
	}
	defer rt.Close()
	ws := plan.Workspace(cfg)
	prog := newProgress(g.opts.Stdout, st, cfg, ws)
	eng := g.engine(st, rt, log, prog.observe)
	fmt.Fprintln(g.opts.Stdout, "\nRunning on the simulated X (nothing leaves this machine). Press Ctrl-C to stop; the work resumes on the next run.")
	if err := eng.Recover(ctx); err != nil {
		return err
	}
	err = eng.Run(ctx, func() (bool, error) { return idle(st, ws) })
	prog.finish()
	if err != nil && ctx.Err() == nil {
		return err
	}
	if ctx.Err() != nil {
		fmt.Fprintln(g.opts.Stdout, "\nInterrupted; pending work resumes on the next run.")
	}
	return writeSummary(g.opts.Stdout, st, cfg, ws)
}

// idle reports whether the workspace has no pending job left.
func idle(st *store.Store, ws string) (bool, error) {
	pending := false
	err := st.View(func(tx *store.Tx) (err error) {
		pending, err = tx.HasPending(ws)
		return err
	})
	return !pending, err
}
