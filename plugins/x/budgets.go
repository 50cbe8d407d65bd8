package x

import (
	"context"
	"slices"
	"time"

	"github.com/outreachhq/outreach/sdk"
)

var _ sdk.RateBudgeter = (*Connector)(nil)

const (
	window15m = 15 * time.Minute
	window24h = 24 * time.Hour
)

// xBudgets are X's current per-user limits (shared/x-api-v2/README.md,
// "Documented rate limits", the current table; older documents give looser
// numbers). Where X sets both a 15-minute and a 24-hour limit, the budget
// is the one with the lower rate, and the 15-minute one on a tie, since it
// also bounds bursts: DM sends are 15/15min and 1,440/24h (the same rate),
// likes 50/15min and 1,000/24h.
var xBudgets = []sdk.Budget{
	{Operation: sdk.OpCheckSession, Requests: 75, Window: window15m}, // GET /2/users/me
	{Operation: sdk.OpLookupUsers, Requests: 900, Window: window15m}, // GET /2/users/by/username/:username
	{Operation: sdk.OpScrape, Requests: 300, Window: window15m},      // GET /2/users/:id/followers, /following
	{Operation: sdk.OpSendDM, Requests: 15, Window: window15m},       // POST /2/dm_conversations/with/:id/messages
	{Operation: sdk.OpDMEvents, Requests: 15, Window: window15m},     // GET /2/dm_events, /2/dm_conversations/with/:id/dm_events
	{Operation: sdk.OpFollow, Requests: 50, Window: window15m},       // POST /2/users/:id/following
	{Operation: sdk.OpLike, Requests: 1000, Window: window24h},       // POST /2/users/:id/likes
	{Operation: sdk.OpComment, Requests: 100, Window: window15m},     // POST /2/tweets, shared with posts
	{Operation: sdk.OpTweet, Requests: 100, Window: window15m},       // POST /2/tweets, shared with comments
	{Operation: sdk.OpUserPosts, Requests: 900, Window: window15m},   // GET /2/users/:id/tweets
}

// simBudgets are the simulator's per-user limits, a copy of the table in
// xsim/ratelimit.go (all per 15 minutes), kept here because the connector
// must not depend on its test double. TestSimBudgetsMatchTheSimulator fails
// when the two disagree.
var simBudgets = []sdk.Budget{
	{Operation: sdk.OpCheckSession, Requests: 900, Window: window15m},
	{Operation: sdk.OpLookupUsers, Requests: 900, Window: window15m},
	{Operation: sdk.OpScrape, Requests: 300, Window: window15m},
	{Operation: sdk.OpSendDM, Requests: 200, Window: window15m},
	{Operation: sdk.OpDMEvents, Requests: 300, Window: window15m},
	{Operation: sdk.OpFollow, Requests: 300, Window: window15m},
	{Operation: sdk.OpLike, Requests: 300, Window: window15m},
	{Operation: sdk.OpComment, Requests: 200, Window: window15m},
	{Operation: sdk.OpTweet, Requests: 200, Window: window15m},
	{Operation: sdk.OpUserPosts, Requests: 900, Window: window15m},
}

// RateBudgets implements sdk.RateBudgeter: X's limits when the connector
// talks to X (the default base URL), the simulator's otherwise, which is
// what every other base URL is in practice (the sandbox, tests). Comments
// and posts are both POST /2/tweets at X and spend one budget, which each
// of the two lists in full.
func (c *Connector) RateBudgets(context.Context) ([]sdk.Budget, error) {
	if c.cfg.BaseURL == DefaultBaseURL {
		return slices.Clone(xBudgets), nil
	}
	return slices.Clone(simBudgets), nil
}
