// Package pluginhost launches and supervises plugins: built-ins are run out
// of process by re-executing the outreach binary (`outreach plugin serve
// NAME`), external plugins are binaries named outreach-plugin-NAME. It does
// the go-plugin handshake (gRPC only, AutoMTLS, no host environment), puts a
// deadline on every call, names the plugin in every error, and relaunches a
// plugin that has exited.
//
// It does not decide what a failed call means for a job: the engine does.
package pluginhost
