// Package pluginhost launches and supervises plugins. It is the one place
// that starts plugin processes: built-ins are run out of process by
// re-executing the outreach binary (`outreach plugin serve NAME`); external
// plugins are binaries named by a plugin block's source or found as
// outreach-plugin-NAME in the plugin dir.
//
// Every launch does the go-plugin handshake (sdk.Handshake: a fixed magic
// cookie, protocol version 1, gRPC only, AutoMTLS) and starts the plugin
// without the host's environment; a binary whose handshake does not match is
// refused with a message that says what was expected. Every call has a
// deadline and names the plugin in its errors. A plugin that crashes (panic,
// exit, a broken connection) is relaunched on the next call, with
// exponential backoff while it keeps crashing; a plugin that keeps missing
// deadlines, or stops answering health checks, is killed and relaunched.
// Plugins' logs go to the host's logger under the plugin's name, and the
// last lines of a plugin's stderr are kept, so that a plugin that dies
// while it is launched is reported with its own last words (a panic).
//
// CheckConfig is what validate and plan run before anything else: it
// launches the plugin of every plugin block, without configuring it, and
// turns what is wrong (a missing binary, a failed handshake, a version the
// block does not allow, a config that does not fit the schema the plugin
// declares, events on a plugin that is not a sink) into HCL diagnostics
// that point into the block.
//
// It does not decide what a failed call means for a job: the engine does.
// Errors keep the plugin's *sdk.Error reachable (errors.As); a call that
// never reached the plugin (it could not be launched, or is waiting out a
// backoff) is typed Retryable, since it had no effect; every other failure
// (a crash, a missed deadline, garbage) stays untyped, which the engine
// reads as "in doubt". Only calls without effects (reads) are retried here,
// once, after a crash.
package pluginhost
