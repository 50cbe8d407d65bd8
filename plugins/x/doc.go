// Package x is the X (Twitter) connector: a network plugin that speaks the
// official X API v2 over HTTPS with each account's own credentials. It is a
// plain HTTP client of the documented endpoints, so the simulated X in
// package xsim, which serves the same endpoints on loopback, is
// indistinguishable from the real one, except in one place: RateBudgets
// declares X's limits for the default base URL and the simulator's for any
// other.
//
// Writes (POSTs) that may have reached X but did not come back with a clear
// answer (a 5xx, a cut connection, a timeout, a body it cannot read or
// parse) fail as sdk.InDoubt; the host settles them by reading X.
//
// It is built from sdk/ alone and runs out of process like any third-party
// plugin; it never imports the host.
package x
