package cli

import (
	"encoding/json"

	"github.com/spf13/cobra"

	"github.com/outreachhq/outreach/core/service"
)

func newPlanCmd(g *global) *cobra.Command {
	var (
		asJSON   bool
		detailed bool
	)
	cmd := &cobra.Command{
		Use:   "plan [FILE|DIR]...",
		Short: "Show what apply would change and the work it implies",
		RunE: func(cmd *cobra.Command, args []string) error {
			cfg, err := g.loadConfig(args)
			if err != nil {
				return err
			}
			st, err := g.openStore("outreach plan")
			if err != nil {
				return err
			}
			defer st.Close()
			p, err := service.New(st, g.opts.Clock).Plan(cmd.Context(), cfg)
			if err != nil {
				return err
			}
			if asJSON {
				enc := json.NewEncoder(g.opts.Stdout)
				enc.SetIndent("", "  ")
				err = enc.Encode(p)
			} else {
				err = p.WriteText(g.opts.Stdout)
			}
			if err != nil {
				return err
			}
			if detailed && p.HasChanges() {
				return exitError{2}
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the plan as JSON")
	cmd.Flags().BoolVar(&detailed, "detailed-exitcode", false, "exit 2 when there are changes, 0 when there are none")
	return cmd
}
