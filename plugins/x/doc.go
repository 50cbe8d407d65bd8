// Package x is the X (Twitter) connector: a network plugin that speaks the
// official X API v2 over HTTPS with each account's own OAuth 2.0 user
// token (sdk.CredentialAccessToken). It is a plain HTTP client of the
// documented endpoints, so the simulated X in package xsim, which serves
// the same endpoints on loopback, is indistinguishable from the real one,
// except in one place: RateBudgets declares X's limits for the default
// base URL and the simulator's for any other.
//
// It signs accounts in (sdk.Authorizer: Authorization Code with PKCE, and
// refresh, at X's token endpoint), declares X's budgets per user and per
// app (sdk.RateBudgeter) and its prices (sdk.Pricer). Each account goes
// out through its own proxy (http, https or socks5, from sdk.Session), on
// a transport kept per account and proxy; no transport reads HTTP_PROXY,
// and every dial goes through sdk.GuardDialer.
//
// X's answers are read for what they mean: a 403 about the recipient is
// RecipientClosed, one about the account or the app AccountBlocked; a 429
// carries the time it lifts, the 24-hour limits included; a post X calls a
// duplicate is found among the account's posts. Writes (POSTs) that may
// have reached X but did not come back with a clear answer (a 5xx, a cut
// connection, a timeout, a body it cannot read or parse) fail as
// sdk.InDoubt; the host settles them by reading X. Reads that fail that
// way are tried again, a few times, with a growing pause.
//
// It is built from sdk/ alone and runs out of process like any third-party
// plugin; it never imports the host.
package x
