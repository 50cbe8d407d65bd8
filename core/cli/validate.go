package cli

import (
	"fmt"

	"github.com/spf13/cobra"
)

func newValidateCmd(g *global) *cobra.Command {
	return &cobra.Command{
		Use:   "validate [FILE|DIR]...",
		Short: "Check configuration files for errors without touching any data",
		RunE: func(cmd *cobra.Command, args []string) error {
			if _, err := g.loadConfig(args); err != nil {
				return err
			}
			_, err := fmt.Fprintln(g.opts.Stdout, "Success! The configuration is valid.")
			return err
		},
	}
}
