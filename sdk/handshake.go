package sdk

import (
	"os/exec"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/go-plugin"
)

// ProtocolVersion is the plugin protocol version this SDK speaks. It only
// changes for a breaking change; additions stay in version 1.
const ProtocolVersion = 1

// Handshake is the go-plugin handshake between outreach and its plugins.
// The cookie is not a secret: it only stops a plugin binary from being run
// by hand by mistake.
var Handshake = plugin.HandshakeConfig{
	ProtocolVersion:  ProtocolVersion,
	MagicCookieKey:   "OUTREACH_PLUGIN_MAGIC_COOKIE",
	MagicCookieValue: "7d1b5b7a3f0c4c2e9a8e1f6d2b4c6a80-outreach-plugin",
}

// Plugin set keys: the name a client dispenses each service by.
const (
	baseKey    = "plugin"
	networkKey = KindNetwork
	aiKey      = KindAI
	sinkKey    = KindSink
)

// PluginSets returns the versioned plugin sets for go-plugin's
// ClientConfig.VersionedPlugins on the host side.
func PluginSets() map[int]plugin.PluginSet {
	return map[int]plugin.PluginSet{
		ProtocolVersion: {
			baseKey:    &basePlugin{},
			networkKey: &networkPlugin{},
			aiKey:      &aiPlugin{},
			sinkKey:    &sinkPlugin{},
		},
	}
}

// ClientConfig is how a host launches the plugin that cmd runs: this
// handshake, gRPC only, mutual TLS with certificates made for the launch,
// and none of the host's environment (which may hold credentials), only
// what cmd.Env sets. The host (core/pluginhost) and plugintest both use it,
// so a plugin that passes its tests is launched the same way in
// production. logger receives the plugin's logs.
func ClientConfig(cmd *exec.Cmd, logger hclog.Logger) *plugin.ClientConfig {
	return &plugin.ClientConfig{
		HandshakeConfig:  Handshake,
		VersionedPlugins: PluginSets(),
		Cmd:              cmd,
		AllowedProtocols: []plugin.Protocol{plugin.ProtocolGRPC},
		AutoMTLS:         true,
		SkipHostEnv:      true,
		Logger:           logger,
		StartTimeout:     30 * time.Second,
	}
}
