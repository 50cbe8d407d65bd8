package cli

import (
	"fmt"

	"github.com/spf13/cobra"
)

func newValidateCmd(g *global) *cobra.Command {
	var vf varFlags
	cmd := &cobra.Command{
		Use:   "validate [FILE|DIR]...",
		Short: "Check configuration files for errors without touching any data",
		Long: "validate decodes the configuration and reports every error it finds, each with its\n" +
			"file, line and column: unknown blocks or attributes, wrong types, duplicate names,\n" +
			"references to undeclared blocks, filters that do not compile, bad schedules, and more.\n" +
			"It launches the plugin of every plugin block (without configuring it) to check that it\n" +
			"exists, completes the handshake, meets the block's version constraint and accepts the\n" +
			"block's config, and that only sinks set events. It reads no data dir. It exits 1 when\n" +
			"there is an error.",
		RunE: func(cmd *cobra.Command, args []string) error {
			if _, _, err := g.loadChecked(cmd.Context(), args, vf); err != nil {
				return err
			}
			_, err := fmt.Fprintln(g.opts.Stdout, "Success! The configuration is valid.")
			return err
		},
	}
	vf.register(cmd)
	return cmd
}
