package sdk

import (
	"os"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/go-plugin"
)

// ServeConfig is what a plugin serves: the base implementation and one
// implementation per kind (nil for kinds it does not implement).
type ServeConfig struct {
	Plugin  Plugin
	Network Network
	// Logger receives go-plugin's own logs; nil uses Logger().
	Logger hclog.Logger
}

// Serve serves a plugin to the outreach host. Call it from main; it returns
// when the host is done with the plugin. Run by hand (not by the host), it
// prints a message and exits with status 1.
func Serve(cfg ServeConfig) {
	if cfg.Logger == nil {
		cfg.Logger = Logger()
	}
	set := plugin.PluginSet{baseKey: &basePlugin{impl: cfg.Plugin}}
	if cfg.Network != nil {
		set[networkKey] = &networkPlugin{impl: cfg.Network}
	}
	plugin.Serve(&plugin.ServeConfig{
		HandshakeConfig:  Handshake,
		VersionedPlugins: map[int]plugin.PluginSet{ProtocolVersion: set},
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
