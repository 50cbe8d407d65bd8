// Package pluginv1 is the Go code generated from the plugin protocol,
// schema/proto/outreach/plugin/v1: messages, clients and servers. Do not
// edit it: change the .proto files and run `make proto` (a test fails when
// the code checked in is stale). Plugin authors never import it; the shims
// in package sdk do.
package pluginv1
