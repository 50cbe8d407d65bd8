package cli

import (
	"errors"
	"fmt"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/outreachhq/outreach/core/service"
)

func newKeysCmd(g *global) *cobra.Command {
	keys := &cobra.Command{Use: "keys", Short: "Manage API keys"}
	var workspace string
	keys.PersistentFlags().StringVar(&workspace, "workspace", "default", "workspace the keys belong to")
	withService := func(what string, fn func(*cobra.Command, *service.Service, []string) error) func(*cobra.Command, []string) error {
		return func(cmd *cobra.Command, args []string) error {
			b, err := g.open(what)
			if err != nil {
				return err
			}
			defer b.Close()
			return fn(cmd, b.svc, args)
		}
	}
	keys.AddCommand(
		&cobra.Command{
			Use:   "create",
			Short: "Create an API key and print it once",
			Args:  cobra.NoArgs,
			RunE: withService("outreach keys create", func(cmd *cobra.Command, svc *service.Service, _ []string) error {
				key, rec, err := svc.CreateAPIKey(cmd.Context(), workspace)
				if err != nil {
					return err
				}
				fmt.Fprintf(g.opts.Stderr, "Created API key %s for workspace %q. It is shown once; store it now:\n", rec.ID, workspace)
				_, err = fmt.Fprintln(g.opts.Stdout, key)
				return err
			}),
		},
		&cobra.Command{
			Use:   "list",
			Short: "List API keys (their ids and first characters; keys are not stored)",
			Args:  cobra.NoArgs,
			RunE: withService("outreach keys list", func(cmd *cobra.Command, svc *service.Service, _ []string) error {
				list, err := svc.ListAPIKeys(cmd.Context(), workspace)
				if err != nil {
					return err
				}
				tw := tabwriter.NewWriter(g.opts.Stdout, 0, 0, 2, ' ', 0)
				fmt.Fprintln(tw, "ID\tKEY\tCREATED\tREVOKED")
				for _, k := range list {
					revoked := "-"
					if !k.RevokedAt.IsZero() {
						revoked = k.RevokedAt.Format(time.RFC3339)
					}
					fmt.Fprintf(tw, "%s\t%s...\t%s\t%s\n", k.ID, k.Prefix, k.CreatedAt.Format(time.RFC3339), revoked)
				}
				return tw.Flush()
			}),
		},
		&cobra.Command{
			Use:   "revoke ID",
			Short: "Revoke an API key; it stops working at once",
			Args:  cobra.ExactArgs(1),
			RunE: withService("outreach keys revoke", func(cmd *cobra.Command, svc *service.Service, args []string) error {
				rec, err := svc.RevokeAPIKey(cmd.Context(), workspace, args[0])
				if errors.Is(err, service.ErrNotFound) {
					return fmt.Errorf("no API key %q in workspace %q; `outreach keys list` shows them", args[0], workspace)
				}
				if err != nil {
					return err
				}
				_, err = fmt.Fprintf(g.opts.Stdout, "Revoked API key %s (%s...).\n", rec.ID, rec.Prefix)
				return err
			}),
		},
	)
	return keys
}
