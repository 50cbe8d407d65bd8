package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/outreachhq/outreach/core/config"
)

func newDestroyCmd(g *global) *cobra.Command {
	var (
		autoApprove bool
		workspace   string
		vf          varFlags
	)
	cmd := &cobra.Command{
		Use:   "destroy [FILE|DIR]...",
		Short: "Remove every object the configuration manages",
		Long: "destroy plans removing every config-managed account, filter, source, campaign, webhook\n" +
			"and scheduled tweet of the configuration's workspace (or of -workspace), shows it, asks\n" +
			"for confirmation (unless -auto-approve) and applies it in one transaction. Leads,\n" +
			"conversations and objects created through the API are kept.",
		RunE: func(cmd *cobra.Command, args []string) error {
			ws := workspace
			if ws == "" {
				cfg, err := g.loadConfig(args, vf)
				if err != nil {
					return err
				}
				ws = cfg.Workspace()
			}
			b, err := g.open("outreach destroy")
			if err != nil {
				return err
			}
			defer b.Close()
			svc := b.svc
			p, err := svc.PlanDestroy(cmd.Context(), ws)
			if err != nil {
				return err
			}
			if !p.HasChanges() {
				_, err := fmt.Fprintf(g.opts.Stdout, "No changes. Workspace %q has no objects to destroy.\n", ws)
				return err
			}
			if err := p.WriteText(g.opts.Stdout); err != nil {
				return err
			}
			if !autoApprove && !g.confirm(fmt.Sprintf("Do you really want to destroy every object in workspace %q?", ws)) {
				fmt.Fprintln(g.opts.Stdout, "\nDestroy cancelled.")
				return exitError{1}
			}
			if err := svc.Apply(cmd.Context(), config.Empty(ws), p); err != nil {
				return err
			}
			_, err = fmt.Fprintf(g.opts.Stdout, "\nDestroy complete. %s\n", counts(p))
			return err
		},
	}
	cmd.Flags().BoolVar(&autoApprove, "auto-approve", false, "destroy without asking for confirmation")
	cmd.Flags().StringVar(&workspace, "workspace", "", "destroy this workspace's objects without reading a configuration")
	vf.register(cmd)
	return cmd
}
