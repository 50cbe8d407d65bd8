package cli

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/outreachhq/outreach/core/pluginhost"
	"github.com/outreachhq/outreach/sdk"
)

func newPluginsCmd(g *global) *cobra.Command {
	var (
		dir, configPath string
		vf              varFlags
	)
	plugins := &cobra.Command{Use: "plugins", Short: "Inspect the plugins outreach can run"}
	list := &cobra.Command{
		Use:   "list",
		Short: "List built-in plugins, those in the plugin dir and those a configuration declares, with their versions and kinds",
		Long: "list launches every plugin outreach can find (the built-ins, the executables named\n" +
			"outreach-plugin-NAME in the plugin dir, and with --config the plugin blocks of that\n" +
			"configuration) to ask its name, version and kinds, and prints them. A declared plugin is\n" +
			"checked as validate checks it (version constraint, config, events), and listed from its\n" +
			"block rather than as the built-in or discovered plugin of the same name. A plugin that\n" +
			"fails to start is listed with the reason, and the command exits 1.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if dir == "" {
				dir = filepath.Join(g.dataDir(), "plugins")
			}
			return g.listPlugins(cmd.Context(), dir, configPath, vf)
		},
	}
	list.Flags().StringVar(&dir, "plugin-dir", "", "directory of external plugins (default <data dir>/plugins)")
	list.Flags().StringVar(&configPath, "config", "", "also list the plugins the configuration in `FILE|DIR` declares")
	vf.register(list)
	plugins.AddCommand(list)
	return plugins
}

func (g *global) listPlugins(ctx context.Context, dir, configPath string, vf varFlags) error {
	host := pluginhost.New(pluginhost.Options{
		Builtins:    builtinNames(),
		SelfCommand: g.opts.PluginCommand,
		PluginDir:   dir,
		Logger:      g.logger().Named("plugin"),
	})
	defer host.Close()
	failed := false
	declared := map[string]pluginhost.Declared{}
	if configPath != "" {
		cfg, files, err := g.parseConfig([]string{configPath}, vf)
		if err != nil {
			return err
		}
		found, diags := host.CheckConfig(ctx, cfg.Plugins)
		for _, d := range found {
			declared[d.Name] = d
		}
		// Every failure of a declared plugin is a diagnostic in its block.
		if err := g.writeDiagnostics(diags, files); err != nil {
			return err
		}
		failed = diags.HasErrors()
	}
	names := host.Names()
	for n := range declared {
		if !slices.Contains(names, n) {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	w := tabwriter.NewWriter(g.opts.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "NAME\tVERSION\tKINDS\tSOURCE")
	var reasons []string
	for _, name := range names {
		var (
			info sdk.Info
			src  pluginhost.Source
			err  error
		)
		if d, ok := declared[name]; ok {
			info, src, err = d.Info, d.Source, d.Err
		} else if info, src, err = host.Describe(ctx, name); err != nil {
			reasons = append(reasons, err.Error())
		}
		if err != nil {
			failed = true
			fmt.Fprintf(w, "%s\t-\t-\t%s\n", name, src)
			continue
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\n", name, info.Version, strings.Join(info.Kinds, ","), src)
	}
	if err := w.Flush(); err != nil {
		return err
	}
	for _, r := range reasons {
		fmt.Fprintf(g.opts.Stderr, "Error: %s\n", r)
	}
	if failed {
		return errReported
	}
	return nil
}
