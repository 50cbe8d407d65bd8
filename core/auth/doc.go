// Package auth keeps the OAuth 2.0 tokens of accounts that sign in through
// their network plugin (sdk.Authorizer): the sign-in flow that `outreach
// accounts login` and the server's credential job run (PKCE, state, the
// check that the token's user is the account's handle), and the Keeper
// that hands out access tokens and refreshes them.
//
// The network rotates refresh tokens: once a refresh succeeds, the old
// refresh token is dead. Two refreshes of one handle at the same time would
// lose its session, so the Keeper refreshes a handle under a lock that
// holds across every process of the store (store.Locker), and, in one
// process, once for all the callers that need it at the same moment. The
// new access and refresh tokens are stored, sealed, in one transaction.
package auth
