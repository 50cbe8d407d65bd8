package sdk

import (
	"context"
	"time"
)

// Budget is how many calls of one operation the network lets one account
// make in a window: at most Requests in any Window.
type Budget struct {
	// Operation is one of the Op constants (a plugin may name others; the
	// host ignores operations it does not know).
	Operation string
	Requests  int
	// Window crosses the plugin boundary in whole milliseconds.
	Window time.Duration
	// Scope is ScopeUser (also when empty) or ScopeApp.
	Scope string
}

// Operations a Budget names. They follow the calls of Network and
// Engagement, except where the network counts several calls against one
// budget and the calls share a name.
const (
	// OpCheckSession: CheckSession (X: GET /2/users/me).
	OpCheckSession = "check_session"
	// OpLookupUsers: LookupUsers, a request per username on X.
	OpLookupUsers = "lookup_users"
	// OpScrape: one page of Scrape.
	OpScrape = "scrape"
	// OpSendDM: SendDM.
	OpSendDM = "send_dm"
	// OpDMEvents: ReadDMEvents and ConversationEvents, which X counts
	// against one budget; a ReadDMEvents call may spend several requests
	// when it pages back to its cursor.
	OpDMEvents = "dm_events"
	// OpFollow: Follow.
	OpFollow = "follow"
	// OpLike: Like.
	OpLike = "like"
	// OpComment: Comment. X counts comments and posts against one budget
	// (both are POST /2/tweets); a plugin for such a network declares the
	// same budget for OpComment and OpTweet, and the host must leave room
	// for the other when it spends one.
	OpComment = "comment"
	// OpTweet: PostTweet.
	OpTweet = "tweet"
	// OpUserPosts: UserPosts.
	OpUserPosts = "user_posts"
)

// RateBudgeter is the optional part of a network plugin that declares its
// rate budgets, so that the host spaces its calls instead of learning the
// limits from RateLimited errors: the interval between an account's reply
// polls, for example, is the OpDMEvents window divided by its requests,
// with a margin, not a constant.
//
// RateBudgets returns the per-account (per-user) budgets that apply under
// the plugin's current configuration; the host calls it after Configure,
// and again after every Configure. The numbers may differ with the
// configuration: the X plugin declares X's limits for X itself and the
// simulator's, which are far looser, for the simulator. An operation left
// out has no budget the plugin knows of.
//
// Like Engagement it is a separate interface so that plugins built before
// it keep compiling. On the host side every Network client also implements
// RateBudgeter: a plugin without it answers a Permanent "not supported"
// error, and the host knows its limits only from RateLimited errors.
type RateBudgeter interface {
	RateBudgets(ctx context.Context) ([]Budget, error)
}
