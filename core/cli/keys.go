package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/outreachhq/outreach/core/service"
)

func newKeysCmd(g *global) *cobra.Command {
	keys := &cobra.Command{Use: "keys", Short: "Manage API keys"}
	var workspace string
	create := &cobra.Command{
		Use:   "create",
		Short: "Create an API key and print it once",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			st, err := g.openStore("outreach keys create")
			if err != nil {
				return err
			}
			defer st.Close()
			key, rec, err := service.New(st, g.opts.Clock).CreateAPIKey(cmd.Context(), workspace)
			if err != nil {
				return err
			}
			fmt.Fprintf(g.opts.Stderr, "Created API key %s for workspace %q. It is shown once; store it now:\n", rec.ID, workspace)
			_, err = fmt.Fprintln(g.opts.Stdout, key)
			return err
		},
	}
	create.Flags().StringVar(&workspace, "workspace", "default", "workspace the key belongs to")
	keys.AddCommand(create)
	return keys
}
