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

func perUser(op string, n int, w time.Duration) sdk.Budget {
	return sdk.Budget{Operation: op, Requests: n, Window: w, Scope: sdk.ScopeUser}
}

func perApp(op string, n int, w time.Duration) sdk.Budget {
	return sdk.Budget{Operation: op, Requests: n, Window: w, Scope: sdk.ScopeApp}
}

// xBudgets are X's current limits, per user and per app, in every window
// X sets (shared/x-api-v2/README.md, "Documented rate limits", the current
// table rate_limits.current.json; older documents give looser numbers). A
// per-app row is shared by every account signed in through the same app:
// 1,440 DM sends a day per app means about one a minute for a whole
// install on one app.
var xBudgets = []sdk.Budget{
	perUser(sdk.OpCheckSession, 75, window15m), // GET /2/users/me
	perUser(sdk.OpLookupUsers, 900, window15m), // GET /2/users/by/username/:username
	perApp(sdk.OpLookupUsers, 300, window15m),
	perUser(sdk.OpScrape, 300, window15m), // GET /2/users/:id/followers, /following
	perApp(sdk.OpScrape, 300, window15m),
	perUser(sdk.OpSendDM, 15, window15m), // POST /2/dm_conversations/with/:id/messages
	perUser(sdk.OpSendDM, 1440, window24h),
	perApp(sdk.OpSendDM, 1440, window24h),
	perUser(sdk.OpDMEvents, 15, window15m), // GET /2/dm_events, /2/dm_conversations/with/:id/dm_events
	perUser(sdk.OpFollow, 50, window15m),   // POST /2/users/:id/following
	perUser(sdk.OpLike, 50, window15m),     // POST /2/users/:id/likes
	perUser(sdk.OpLike, 1000, window24h),
	perUser(sdk.OpComment, 100, window15m), // POST /2/tweets, shared with posts
	perApp(sdk.OpComment, 10000, window24h),
	perUser(sdk.OpTweet, 100, window15m), // POST /2/tweets, shared with comments
	perApp(sdk.OpTweet, 10000, window24h),
	perUser(sdk.OpUserPosts, 900, window15m), // GET /2/users/:id/tweets
	perApp(sdk.OpUserPosts, 10000, window15m),
}

// simBudgets are the simulator's per-user limits, a copy of the table in
// xsim/ratelimit.go (all per 15 minutes), kept here because the connector
// must not depend on its test double. TestSimBudgetsMatchTheSimulator fails
// when the two disagree.
var simBudgets = []sdk.Budget{
	perUser(sdk.OpCheckSession, 900, window15m),
	perUser(sdk.OpLookupUsers, 900, window15m),
	perUser(sdk.OpScrape, 300, window15m),
	perUser(sdk.OpSendDM, 200, window15m),
	perUser(sdk.OpDMEvents, 300, window15m),
	perUser(sdk.OpFollow, 300, window15m),
	perUser(sdk.OpLike, 300, window15m),
	perUser(sdk.OpComment, 200, window15m),
	perUser(sdk.OpTweet, 200, window15m),
	perUser(sdk.OpUserPosts, 900, window15m),
}

// RateBudgets implements sdk.RateBudgeter: X's limits when the connector
// talks to X (the default base URL), the simulator's otherwise, which is
// what every other base URL is in practice (the sandbox, tests), with the
// config's rate_limits replacing the budgets of the operations they name.
// Comments and posts are both POST /2/tweets at X and spend one budget,
// which each of the two lists in full.
func (c *Connector) RateBudgets(context.Context) ([]sdk.Budget, error) {
	cfg := c.config()
	base := simBudgets
	if cfg.isX() {
		base = xBudgets
	}
	var out []sdk.Budget
	for _, op := range operations {
		if over, ok := cfg.RateLimits[op]; ok {
			out = append(out, over...)
			continue
		}
		for _, b := range base {
			if b.Operation == op {
				out = append(out, b)
			}
		}
	}
	return out, nil
}

// pricesAsOf is the date of defaultPrices.
const pricesAsOf = "2026-11-15"

// defaultPrices are X's pay-per-use prices in USD. Three are published
// (shared/x-api-v2/README.md, "Pricing"): a follower or following read
// $0.010 per user returned, a DM event read $0.010 per event, a DM sent
// $0.015 per request. The rest are estimates, chosen on the high side so
// that a plan's estimate does not undersell the cost: reads at the
// published read price per item, writes at the published write price per
// request. Override them with the prices attribute.
var defaultPrices = []sdk.Price{
	{Operation: sdk.OpScrape, PerResource: 0.010},      // published
	{Operation: sdk.OpDMEvents, PerResource: 0.010},    // published
	{Operation: sdk.OpSendDM, PerRequest: 0.015},       // published
	{Operation: sdk.OpLookupUsers, PerResource: 0.010}, // estimate: a user read
	{Operation: sdk.OpCheckSession, PerRequest: 0.010}, // estimate: a user read
	{Operation: sdk.OpFollow, PerRequest: 0.015},       // estimate: a write
	{Operation: sdk.OpLike, PerRequest: 0.015},         // estimate: a write
	{Operation: sdk.OpComment, PerRequest: 0.015},      // estimate: a write
	{Operation: sdk.OpTweet, PerRequest: 0.015},        // estimate: a write
	{Operation: sdk.OpUserPosts, PerResource: 0.010},   // estimate: a post read
}

// Prices implements sdk.Pricer: the dated default table, with the
// config's prices replacing the operations they name.
func (c *Connector) Prices(context.Context) (sdk.PriceTable, error) {
	cfg := c.config()
	t := sdk.PriceTable{AsOf: pricesAsOf, Currency: "USD", Prices: slices.Clone(defaultPrices)}
	if cfg.PricesAsOf != "" {
		t.AsOf = cfg.PricesAsOf
	}
	for i, p := range t.Prices {
		if over, ok := cfg.Prices[p.Operation]; ok {
			t.Prices[i] = over
		}
	}
	return t, nil
}
