package cli

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/outreachhq/outreach/core/config"
	"github.com/outreachhq/outreach/core/plan"
	"github.com/outreachhq/outreach/core/pluginhost"
)

type applyFlags struct {
	autoApprove bool
	detach      bool
	sandbox     bool
	sandboxURL  string
	vars        varFlags
}

func newApplyCmd(g *global) *cobra.Command {
	var f applyFlags
	cmd := &cobra.Command{
		Use:   "apply [PLANFILE | FILE|DIR...]",
		Short: "Show the plan, apply it, then run the work until it is done",
		Long: "apply checks the plugins the configuration declares, as validate does, then shows what\n" +
			"the configuration changes, asks for confirmation (unless -auto-approve),\n" +
			"applies it in one transaction (all or nothing), then runs the work it declares (scraping,\n" +
			"DMs, follow-ups) in the foreground with progress bars until it is done or interrupted\n" +
			"(--detach returns at once). Given a plan saved by `outreach plan -out FILE`, it applies\n" +
			"exactly that plan without asking, or fails if the data changed since it was made.",
		RunE: func(cmd *cobra.Command, args []string) error {
			if f.sandboxURL != "" {
				u, err := checkSandboxURL(f.sandboxURL)
				if err != nil {
					return err
				}
				f.sandboxURL = u
			}
			return g.apply(cmd.Context(), args, f)
		},
	}
	cmd.Flags().BoolVar(&f.autoApprove, "auto-approve", false, "apply without asking for confirmation")
	cmd.Flags().BoolVar(&f.detach, "detach", false, "return after applying instead of running the work")
	cmd.Flags().BoolVar(&f.sandbox, "sandbox", false, "run every account on the simulated X, whatever the settings say")
	cmd.Flags().StringVar(&f.sandboxURL, "sandbox-url", "", sandboxURLUsage)
	f.vars.register(cmd)
	return cmd
}

func (g *global) apply(ctx context.Context, paths []string, f applyFlags) error {
	var saved *plan.File
	if len(paths) == 1 && isPlanFile(paths[0]) {
		pf, err := plan.ReadFile(paths[0])
		if err != nil {
			return err
		}
		saved = pf
	}
	var (
		cfg      *config.Config
		declared []pluginhost.Declared
	)
	if saved == nil {
		var err error
		if cfg, declared, err = g.loadChecked(ctx, paths, f.vars); err != nil {
			return err
		}
	}
	b, err := g.open("outreach apply")
	if err != nil {
		return err
	}
	defer b.Close()
	svc := b.svc

	var p *plan.Plan
	if saved != nil {
		// A saved plan was reviewed when it was made: apply it as it is.
		if cfg, err = svc.OpenPlan(saved); err != nil {
			return err
		}
		p = saved.Plan
		if err := p.WriteText(g.opts.Stdout); err != nil {
			return err
		}
		if err := svc.Apply(ctx, cfg, p); err != nil {
			return err
		}
		fmt.Fprintf(g.opts.Stdout, "\nApply complete. %s\n", counts(p))
	} else if p, err = g.applyConfig(ctx, b, cfg, declared, paths, f.sandbox || f.sandboxURL != "", g.opts.Stdout, f.autoApprove); err != nil {
		return err
	}
	if f.detach {
		return nil
	}
	ctx, stop := signal.NotifyContext(ctx, syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	return g.run(ctx, b, cfg, f.sandbox || p.Sandbox, f.sandboxURL)
}

// applyConfig is apply without the foreground run: it plans cfg (with
// the plugins it declares, checked), writes the plan to w, asks for
// confirmation unless autoApprove, and applies it in one transaction.
// `serve --config` applies its configuration with it, as `apply
// -auto-approve -detach` would.
func (g *global) applyConfig(ctx context.Context, b *backend, cfg *config.Config, declared []pluginhost.Declared, paths []string, sandbox bool, w io.Writer, autoApprove bool) (*plan.Plan, error) {
	svc := b.svc
	p, err := g.makePlan(ctx, b, cfg, declared, paths, sandbox)
	if err != nil {
		return nil, err
	}
	if err := p.WriteText(w); err != nil {
		return nil, err
	}
	if !p.HasChanges() {
		return p, nil
	}
	if !autoApprove && !g.confirm("Do you want to perform these actions?") {
		fmt.Fprintln(w, "\nApply cancelled.")
		return nil, exitError{1}
	}
	if err := svc.Apply(ctx, cfg, p); err != nil {
		return nil, err
	}
	fmt.Fprintf(w, "\nApply complete. %s\n", counts(p))
	return p, nil
}

// allowPrivateWebhooks reports whether webhook deliveries may reach
// loopback, private and link-local addresses, which the delivery guard
// refuses otherwise: when flag (--allow-private-webhooks) or the
// configuration's settings (allow_private_webhooks; cfg may be nil) say
// so. When they may, it says so on w: an operator should know.
func allowPrivateWebhooks(w io.Writer, flag bool, cfg *config.Config) bool {
	var why []string
	if flag {
		why = append(why, "--allow-private-webhooks")
	}
	if cfg.AllowPrivateWebhooks() {
		why = append(why, "settings { allow_private_webhooks = true }")
	}
	if len(why) == 0 {
		return false
	}
	fmt.Fprintf(w, "Warning: webhooks may reach private and loopback addresses: %s turns off the guard that keeps deliveries from reaching inside this network. Use it for local development only.\n",
		strings.Join(why, " and "))
	return true
}

// counts says what a plan changed, as Terraform's summary line does.
func counts(p *plan.Plan) string {
	var add, change, destroy int
	for _, c := range p.Changes {
		switch c.Action {
		case plan.Create:
			add++
		case plan.Update:
			change++
		case plan.Delete:
			destroy++
		}
	}
	return fmt.Sprintf("Objects: %d added, %d changed, %d destroyed.", add, change, destroy)
}

// isPlanFile reports whether path is a saved plan rather than a
// configuration: a file whose content is a JSON object (HCL native syntax
// cannot start with a brace).
func isPlanFile(path string) bool {
	fh, err := os.Open(path)
	if err != nil {
		return false
	}
	defer fh.Close()
	info, err := fh.Stat()
	if err != nil || info.IsDir() {
		return false
	}
	head := make([]byte, 64)
	n, _ := fh.Read(head)
	return bytes.HasPrefix(bytes.TrimSpace(head[:n]), []byte("{"))
}

// confirm asks Terraform's question; only "yes" proceeds.
func (g *global) confirm(question string) bool {
	fmt.Fprintf(g.opts.Stdout, "\n%s\n  Only 'yes' will be accepted to approve.\n\n  Enter a value: ", question)
	line, _ := bufio.NewReader(g.opts.Stdin).ReadString('\n')
	return strings.TrimSpace(line) == "yes"
}

// run runs the declared work in the foreground until nothing is pending,
// then prints the summary. sandboxURL, if set, is a simulated X serving in
// another process.
func (g *global) run(ctx context.Context, b *backend, cfg *config.Config, sandbox bool, sandboxURL string) error {
	log := g.logger()
	rt, err := g.startRuntime(b, sandbox, sandboxURL, log)
	if err != nil {
		return err
	}
	defer rt.Close()
	if err := rt.host.RegisterConfig(cfg.Plugins); err != nil {
		return err
	}
	// Events go to webhooks and sinks while the engine runs.
	ds, err := g.newDeliveries(ctx, b, rt, cfg, allowPrivateWebhooks(g.opts.Stderr, false, cfg), log)
	if err != nil {
		return err
	}
	ws := cfg.Workspace()
	prog := newProgress(g.opts.Stdout, b.svc, cfg, ws)
	eng := g.engine(b, rt, log, cfg.Settings.Workers, prog.observe)
	where := "on the simulated X (nothing leaves this machine)"
	if !rt.simulated() {
		where = "on X, as each account's plugin block configures it"
	}
	fmt.Fprintf(g.opts.Stdout, "\nRunning %s. Press Ctrl-C to stop; the work resumes on the next run.\n", where)
	err = b.run(ctx, eng, func() (bool, error) {
		n, err := b.svc.Pending(ctx, ws)
		return n == 0, err
	}, cfg.Settings.Workers, g.queueLogger(), func() { ds.Start(ctx) })
	prog.finish()
	if err != nil && ctx.Err() == nil {
		ds.Close()
		return err
	}
	if ctx.Err() != nil {
		ds.Close()
		fmt.Fprintln(g.opts.Stdout, "\nInterrupted; pending work resumes on the next run.")
	} else {
		g.settleDeliveries(ctx, ds)
	}
	return writeSummary(g.opts.Stdout, b.svc, cfg, ws, g.opts.Clock.Now())
}
