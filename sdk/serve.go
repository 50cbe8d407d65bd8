package sdk

import (
	"fmt"
	"os"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/go-plugin"
)

// ServeConfig is what a plugin serves: the base implementation and one
// implementation per kind (nil for kinds it does not implement). Info.Kinds
// must list exactly the kinds given here; the conformance suite in
// plugintest checks it.
type ServeConfig struct {
	Plugin  Plugin
	Network Network
	AI      AI
	Sink    Sink
	// Logger receives go-plugin's own logs; nil uses Logger().
	Logger hclog.Logger
}

// PluginSet is the go-plugin plugin set that serves cfg. Serve uses it;
// harnesses such as plugintest use it to serve cfg in process.
func (cfg ServeConfig) PluginSet() plugin.PluginSet {
	set := plugin.PluginSet{baseKey: &basePlugin{impl: cfg.Plugin}}
	if cfg.Network != nil {
		set[networkKey] = &networkPlugin{impl: cfg.Network}
	}
	if cfg.AI != nil {
		set[aiKey] = &aiPlugin{impl: cfg.AI}
	}
	if cfg.Sink != nil {
		set[sinkKey] = &sinkPlugin{impl: cfg.Sink}
	}
	return set
}

// Serve serves a plugin to the outreach host. Call it from main; it returns
// when the host is done with the plugin. Run by hand (not by the host), it
// prints a message and exits with status 1.
//
// A panic in a plugin's method is not recovered: it ends the process, and
// the host reports the call as failed and relaunches the plugin. State a
// panic may have left half-changed is gone with the process.
func Serve(cfg ServeConfig) {
	if cfg.Plugin == nil {
		fmt.Fprintln(os.Stderr, "sdk.Serve: ServeConfig.Plugin is nil: every plugin implements sdk.Plugin")
		os.Exit(1)
	}
	if cfg.Logger == nil {
		cfg.Logger = Logger()
	}
	plugin.Serve(&plugin.ServeConfig{
		HandshakeConfig:  Handshake,
		VersionedPlugins: map[int]plugin.PluginSet{ProtocolVersion: cfg.PluginSet()},
		GRPCServer:       plugin.DefaultGRPCServer,
		Logger:           cfg.Logger,
	})
}

// Logger returns a logger for plugin code. Its JSON lines on stderr are
// read by the host and routed into the host's log under the plugin's name.
func Logger() hclog.Logger {
	return hclog.New(&hclog.LoggerOptions{
		Level:      hclog.Trace,
		Output:     os.Stderr,
		JSONFormat: true,
	})
}
