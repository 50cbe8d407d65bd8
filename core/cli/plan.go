package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/outreachhq/outreach/core/plan"
)

func newPlanCmd(g *global) *cobra.Command {
	var (
		asJSON   bool
		detailed bool
		out      string
		vf       varFlags
	)
	cmd := &cobra.Command{
		Use:   "plan [FILE|DIR]...",
		Short: "Show what apply would change and the work it implies",
		Long: "plan compares the configuration with what is applied and prints each object apply would\n" +
			"create (+), update in place (~) or destroy (-), with the attributes that change, then the\n" +
			"work it implies: lists to scrape, DMs per account, and when each campaign should finish.\n" +
			"Sensitive values print as (sensitive value). Before it reads any data it checks the plugins\n" +
			"the plugin blocks declare, as validate does, and it lists them with the versions they report.\n" +
			"-out saves the plan for `outreach apply FILE`.",
		RunE: func(cmd *cobra.Command, args []string) error {
			cfg, declared, err := g.loadChecked(cmd.Context(), args, vf)
			if err != nil {
				return err
			}
			b, err := g.open("outreach plan")
			if err != nil {
				return err
			}
			defer b.Close()
			svc := b.svc
			p, err := g.makePlan(cmd.Context(), b, cfg, declared, args, false)
			if err != nil {
				return err
			}
			if asJSON {
				err = p.WriteJSON(g.opts.Stdout)
			} else {
				err = p.WriteText(g.opts.Stdout)
			}
			if err != nil {
				return err
			}
			if out != "" {
				f, err := svc.SavePlan(cfg, p, Version)
				if err != nil {
					return err
				}
				if err := plan.WriteFile(out, f); err != nil {
					return err
				}
				if !asJSON {
					fmt.Fprintf(g.opts.Stdout, "\nSaved the plan to %s. To apply exactly this plan, run:\n    outreach apply %s\n", out, out)
				}
			}
			if detailed && p.HasChanges() {
				return exitError{2}
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the plan as JSON")
	cmd.Flags().BoolVar(&detailed, "detailed-exitcode", false, "exit 2 when there are changes, 0 when there are none")
	cmd.Flags().StringVar(&out, "out", "", "save the plan to `FILE`, to apply it later with 'outreach apply FILE'")
	vf.register(cmd)
	return cmd
}
