package cli

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/outreachhq/outreach/core/pluginhost"
)

func newPluginsCmd(g *global) *cobra.Command {
	var dir string
	plugins := &cobra.Command{Use: "plugins", Short: "Inspect the plugins outreach can run"}
	list := &cobra.Command{
		Use:   "list",
		Short: "List built-in plugins and those in the plugin dir, with their versions and kinds",
		Long: "list launches every plugin outreach can find (the built-ins, and the executables named\n" +
			"outreach-plugin-NAME in the plugin dir) to ask its name, version and kinds, and prints them.\n" +
			"A plugin that fails to start is listed with the reason, and the command exits 1.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if dir == "" {
				dir = filepath.Join(g.dataDir(), "plugins")
			}
			return g.listPlugins(cmd.Context(), dir)
		},
	}
	list.Flags().StringVar(&dir, "plugin-dir", "", "directory of external plugins (default <data dir>/plugins)")
	plugins.AddCommand(list)
	return plugins
}

func (g *global) listPlugins(ctx context.Context, dir string) error {
	host := pluginhost.New(pluginhost.Options{
		Builtins:    builtinNames(),
		SelfCommand: g.opts.PluginCommand,
		PluginDir:   dir,
		Logger:      g.logger().Named("plugin"),
	})
	defer host.Close()
	w := tabwriter.NewWriter(g.opts.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "NAME\tVERSION\tKINDS\tSOURCE")
	var failed []string
	for _, name := range host.Names() {
		info, src, err := host.Describe(ctx, name)
		if err != nil {
			failed = append(failed, err.Error())
			fmt.Fprintf(w, "%s\t-\t-\t%s\n", name, src)
			continue
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\n", name, info.Version, strings.Join(info.Kinds, ","), src)
	}
	if err := w.Flush(); err != nil {
		return err
	}
	for _, f := range failed {
		fmt.Fprintf(g.opts.Stderr, "Error: %s\n", f)
	}
	if len(failed) > 0 {
		return errReported
	}
	return nil
}
