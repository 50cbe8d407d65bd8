package cli

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/outreachhq/outreach/core/service"
	"github.com/outreachhq/outreach/core/store"
	"github.com/outreachhq/outreach/core/store/bunt"
	"github.com/outreachhq/outreach/core/store/postgres"
)

func newStoreCmd(g *global) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "store",
		Short: "Move data between stores",
		Args:  cobra.NoArgs,
	}
	cmd.AddCommand(newStoreCopyCmd(g))
	return cmd
}

func newStoreCopyCmd(g *global) *cobra.Command {
	var from, to, fromKey, toKey string
	cmd := &cobra.Command{
		Use:   "copy --from DATA_DIR_OR_URL --to DATA_DIR_OR_URL",
		Short: "Copy everything from one store to another (buntdb to Postgres, or back)",
		Long: "copy copies every workspace of one store into another: accounts, sources, leads,\n" +
			"campaigns, jobs, conversations and CRM, the outbox and its cursors, and API keys. The\n" +
			"destination must be empty, and nothing may run on either store meanwhile: copy checks\n" +
			"that no `outreach serve`, `apply` or `worker` holds either. Secrets are resealed under\n" +
			"the destination's key when the two keys differ.\n\n" +
			"A data dir's key is its own key file; a Postgres store's key is $OUTREACH_SECRET_KEY,\n" +
			"or the file --from-secret-key-file / --to-secret-key-file names.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if from == "" || to == "" {
				return fmt.Errorf("give both --from and --to: a data dir or a postgres:// URL each")
			}
			if from == to {
				return fmt.Errorf("--from and --to both name %s; give two different stores", from)
			}
			return g.copyStore(cmd.Context(), from, to, fromKey, toKey)
		},
	}
	cmd.Flags().StringVar(&from, "from", "", "the store to copy: a data dir or a postgres:// URL")
	cmd.Flags().StringVar(&to, "to", "", "the empty store to copy into: a data dir or a postgres:// URL")
	cmd.Flags().StringVar(&fromKey, "from-secret-key-file", "", "`FILE` holding the source's sealing key")
	cmd.Flags().StringVar(&toKey, "to-secret-key-file", "", "`FILE` holding the destination's sealing key")
	return cmd
}

func (g *global) copyStore(ctx context.Context, from, to, fromKey, toKey string) error {
	src, err := g.openStore(from, "outreach store copy (source)", false, fromKey)
	if err != nil {
		return fmt.Errorf("--from: %w", err)
	}
	defer src.Close()
	dst, err := g.openStore(to, "outreach store copy (destination)", g.migrate || isPostgresURL(to), toKey)
	if err != nil {
		return fmt.Errorf("--to: %w", err)
	}
	defer dst.Close()
	for _, side := range []struct {
		flag string
		b    *backend
	}{{"--from", src}, {"--to", dst}} {
		if err := side.b.checkStopped(ctx); err != nil {
			return fmt.Errorf("%s: %w", side.flag, err)
		}
	}
	n, err := service.Copy(ctx, src.copyStore(), dst.copyStore(), src.sealer, dst.sealer)
	if err != nil {
		return err
	}
	fmt.Fprintf(g.opts.Stdout, "Copied %d workspaces: %d accounts, %d objects, %d leads, %d jobs, %d conversations (%d messages), %d events.\n",
		n.Workspaces, n.Accounts, n.Objects, n.Leads, n.Jobs, n.Conversations, n.Messages, n.Events)
	return nil
}

// checkStopped refuses a store an engine runs on. A data dir is held by
// its lock, which opening it took; on Postgres, a running worker is one
// that holds, or stands for, the queue's leadership.
func (b *backend) checkStopped(ctx context.Context) error {
	if b.pg == nil {
		return nil
	}
	workers, err := b.pg.RunningWorkers(ctx)
	if err != nil {
		return err
	}
	if len(workers) > 0 {
		return fmt.Errorf("workers are running on this store (%s): stop every `outreach worker` and `outreach serve` first", workers[0])
	}
	return nil
}

func (b *backend) copyStore() store.Transactor[service.CopyTx] {
	if b.pg != nil {
		return store.Narrow(b.pg, func(tx *postgres.Tx) service.CopyTx { return tx })
	}
	return store.Narrow(b.bs, func(tx *bunt.Tx) service.CopyTx { return tx })
}
