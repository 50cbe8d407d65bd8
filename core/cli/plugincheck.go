package cli

import (
	"context"

	"github.com/outreachhq/outreach/core/config"
	"github.com/outreachhq/outreach/core/plan"
	"github.com/outreachhq/outreach/core/pluginhost"
)

// loadChecked loads the configuration as loadConfig does, then launches the
// plugin of every plugin block to check it (pluginhost.CheckConfig), as
// validate, plan and apply do before they touch any data: what is wrong
// with a plugin is printed as a diagnostic in its block, and is an error
// (errReported) like any other in the configuration. The plugins are
// stopped before it returns; it returns what they reported.
func (g *global) loadChecked(ctx context.Context, paths []string, vf varFlags) (*config.Config, []pluginhost.Declared, error) {
	cfg, files, err := g.parseConfig(paths, vf)
	if err != nil || len(cfg.Plugins) == 0 {
		return cfg, nil, err
	}
	host := g.checkHost()
	defer host.Close()
	declared, diags := host.CheckConfig(ctx, cfg.Plugins)
	if err := g.writeDiagnostics(diags, files); err != nil {
		return nil, nil, err
	}
	if diags.HasErrors() {
		return nil, nil, errReported
	}
	return cfg, declared, nil
}

// checkHost is a plugin host for checking declared plugins: it knows the
// built-ins and what plugin blocks declare, not the data dir's plugin dir.
func (g *global) checkHost() *pluginhost.Host {
	return pluginhost.New(pluginhost.Options{
		Builtins:    builtinNames(),
		SelfCommand: g.opts.PluginCommand,
		Logger:      g.logger().Named("plugin"),
	})
}

// planPlugins is how a plan lists the declared plugins.
func planPlugins(declared []pluginhost.Declared) []plan.Plugin {
	var out []plan.Plugin
	for _, d := range declared {
		out = append(out, plan.Plugin{
			Name: d.Name, Source: d.Source.String(), Version: d.Info.Version,
			Constraint: d.Constraint, Kinds: d.Info.Kinds,
		})
	}
	return out
}
