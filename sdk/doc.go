// Package sdk is everything a plugin author imports to extend outreach: the
// Go interface of each plugin kind (Network and its optional Engagement and
// RateBudgeter, AI, Sink), Serve for a plugin's main, the errors that cross
// the plugin boundary (*Error and its kinds), and the gRPC shims that carry
// calls over hashicorp/go-plugin. Its sub-package plugintest tests a plugin
// without outreach. sdk/README.md is the plugin author's guide.
//
// A plugin implements Plugin (the base interface: info, config schema,
// configure) and one or more kind interfaces, then calls Serve from main.
// The host never sees protobuf types and neither does the plugin: the shims
// convert between the Go types here and the generated code in
// sdk/proto/pluginv1, generated from schema/proto/outreach/plugin/v1.
//
// This package never imports the host (core/): first-party plugins are
// built from it alone, which keeps it sufficient for third parties.
package sdk
