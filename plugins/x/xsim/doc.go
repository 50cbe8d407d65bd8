// Package xsim is a simulated X (Twitter) API v2, served over HTTP on loopback.
//
// It is what the quick start, the test suites and users' rehearsals run against:
// it speaks the real X API v2 paths, status codes, headers and JSON shapes (as
// recorded in shared/x-api-v2), so the X connector in plugins/x cannot tell it
// from api.x.com. It needs no credentials and never opens a connection to any
// other address; Start only listens, and only on a loopback address.
//
// What it simulates:
//
//   - a deterministic population: every syntactically valid username exists
//     (except those starting with "ghost", so tests can ask for a missing user),
//     with a realistic, varied profile and deterministic followers and following
//     lists; the same Options.Seed always yields the same world;
//   - account holders, made with Login (or, from another process, with the
//     simulator-only POST /sandbox/v1/login, see LoginPath), who authenticate
//     with bearer tokens that have every scope and never expire;
//   - X's OAuth 2.0 Authorization Code flow with PKCE, as a real app signs a
//     real account in: GET /i/oauth2/authorize (AuthorizePath) consents at
//     once as the user its screen_name parameter names and redirects with
//     code and state; POST /2/oauth2/token (TokenPath) exchanges a code
//     (good once, for 30 seconds, for its client, redirect_uri and S256
//     verifier) and rotates refresh tokens (offline.access); POST
//     /2/oauth2/revoke (RevokePath) revokes. Access tokens live
//     Options.TokenTTL (X's two hours by default) on the simulator's clock,
//     then get X's 401. Any client id is accepted unless Options.OAuthClients
//     registers some. Every endpoint checks an OAuth token's scopes against
//     X's spec and answers a missing one with a 403 problem naming it.
//     OAuthStats (GET /sandbox/v1/oauth, OAuthPath) counts codes, exchanges,
//     refreshes, revocations, 401s and each account's requests and token
//     generations; RevokeRefreshTokens (POST /sandbox/v1/oauth/revoke)
//     makes an account's next refresh fail;
//   - user lookup, followers/following, direct messages and DM events, follow,
//     like, post and user timelines;
//   - prospects who hold conversations of several turns (see below), a few
//     who refuse DMs from strangers, and per-user rate limits in fixed
//     windows with X's headers and 429 body, after one of two profiles:
//     "rehearsal" (loose, the default) or "x" (X's current table, per user
//     and per app, with 24-hour windows);
//   - faults (Faults, SetFaults, and FaultsPath from another process): 5xx
//     answers and cut connections at chosen rates (half of the failed DM
//     sends delivered first), jittered latency, 429 storms, and per-account
//     expired sessions, suspensions, locks and code 226, all drawn from a
//     source seeded by Options.Seed and timed by the injected clock.
//
// How prospects answer: every reply has an Intent (IntentInterested,
// IntentQuestion, IntentAskCall, IntentAskPrice, IntentAskDemo, IntentNo,
// IntentOptOut), and a prospect plays a script of intents in a
// conversation, one step per message of the account's that it answers.
// IntentSilent is a step without an answer. The first DM decides the
// script. By default it is drawn from the seed and the two users' ids:
// 35% of prospects reply (Faults.ReplyRate), and their first replies are
// 40% positive (interested, or asking for a call, a price or a demo), 30%
// negative (no, or an opt-out) and 30% neutral (a question); the later
// steps follow realistic shapes such as [question, interested, ask_price],
// [interested, ask_call], [interested, no] or [no]. A prospect who never
// replied, or who said no or opted out, never answers again, and every
// script ends in silence. Each answer becomes visible Faults.ReplyDelayMin
// to ReplyDelayMax after the message it answers, on the simulator's clock;
// messages sent while an answer is on its way share that one answer, and
// the script then moves on by one step. Faults.Prospects (or "prospects"
// in POST FaultsPath) scripts chosen prospects by handle instead: a
// ProspectScript plays its intents as written, whatever the reply rate,
// with its own delay if it sets one. Texts are picked by the seed, and read
// as their intent and nothing else. ProspectReplies (GET
// ProspectRepliesPath from another process) lists every reply that has
// become visible, with its intent, its turn and how many messages the
// account sent after it, so that a test can check, say, that nothing
// followed an opt-out. AccountPosts (GET AccountPostsPath) lists what the
// account holders posted: comments on leads' posts, and tweets.
// Faults.Profiles (or "profiles" in POST FaultsPath)
// give chosen prospects another name, bio, location or website, such as
// markup that a screen showing leads must print as text.
//
// What it is not: a faithful model of X's ranking, search, media, streaming
// or group conversations, of OAuth 1.0a, app-only tokens or a consent
// screen, nor a store. Its state (conversations,
// follows, posts) lives in memory and is gone when the Sim is dropped; only the
// population, derived from the seed, survives a restart. It imports nothing
// from core/: it is a plain HTTP server that any X client can talk to.
package xsim
