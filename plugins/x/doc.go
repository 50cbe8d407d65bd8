// Package x is the X (Twitter) connector: a network plugin that speaks the
// official X API v2 over HTTPS with each account's own credentials. It is a
// plain HTTP client of the documented endpoints, so the simulated X in
// package xsim, which serves the same endpoints on loopback, is
// indistinguishable from the real one.
//
// It is built from sdk/ alone and runs out of process like any third-party
// plugin; it never imports the host.
package x
