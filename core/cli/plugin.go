package cli

import (
	"fmt"
	"sort"

	"github.com/spf13/cobra"

	"github.com/outreachhq/outreach/plugins/ai"
	"github.com/outreachhq/outreach/plugins/jsonl"
	"github.com/outreachhq/outreach/plugins/x"
	"github.com/outreachhq/outreach/sdk"
)

// builtins are the plugins compiled into the binary. Each runs out of
// process like any other: the host re-executes this binary to serve it.
var builtins = map[string]func(){
	"x": func() {
		c := x.New()
		sdk.Serve(sdk.ServeConfig{Plugin: c, Network: c})
	},
	"ai": func() {
		p := ai.New()
		sdk.Serve(sdk.ServeConfig{Plugin: p, AI: p})
	},
	"jsonl": func() {
		s := jsonl.New()
		sdk.Serve(sdk.ServeConfig{Plugin: s, Sink: s})
	},
}

func builtinNames() []string {
	names := make([]string, 0, len(builtins))
	for n := range builtins {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

func newPluginCmd(g *global) *cobra.Command {
	plugin := &cobra.Command{Use: "plugin", Short: "Plugin commands", Hidden: true}
	plugin.AddCommand(&cobra.Command{
		Use:   "serve NAME",
		Short: "Serve a built-in plugin to an outreach host (run by the host, not by hand)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			serve, ok := builtins[args[0]]
			if !ok {
				return fmt.Errorf("no built-in plugin %q; built-ins: %v", args[0], builtinNames())
			}
			serve()
			return nil
		},
	})
	return plugin
}
