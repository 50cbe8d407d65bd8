package sdk

import "github.com/hashicorp/go-plugin"

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
)

// PluginSets returns the versioned plugin sets for go-plugin's
// ClientConfig.VersionedPlugins on the host side.
func PluginSets() map[int]plugin.PluginSet {
	return map[int]plugin.PluginSet{
		ProtocolVersion: {
			baseKey:    &basePlugin{},
			networkKey: &networkPlugin{},
		},
	}
}
