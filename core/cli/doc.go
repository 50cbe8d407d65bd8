// Package cli is the outreach command line: validate, fmt, plan, apply,
// destroy, serve, keys, webhooks, plugins, plugin (hidden: serves a
// built-in) and version. It is the composition root: it opens the store,
// starts the plugin host (and, in sandbox mode, the simulated X), wires the
// service, the engine and the API together, and prints.
//
// A command that needs a buntdb data dir another process holds goes through
// the API that holder announced in the lock file, if any (apiclient.go;
// webhooks.go is the first): the same operations, the same output.
//
// It holds no business rules; those live in core/service and core/engine.
package cli
