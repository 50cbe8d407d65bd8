package sdk

import "context"

// Network is a social network connector. Methods return *Error for the
// failures the host must tell apart (rate limits, expired sessions,
// recipients who do not accept DMs, writes in doubt). Reads that fail
// otherwise are retried. A write (SendDM, and the Engagement calls) that
// fails with InDoubt, Retryable, an untyped error, a crash or a missed
// deadline is in doubt: the host settles it by reading the network, never
// by sending again. sdk/README.md has the rules.
type Network interface {
	// CheckSession verifies the account's credentials and returns its user.
	CheckSession(ctx context.Context, s Session) (User, error)
	// LookupUsers resolves usernames; unknown ones are left out.
	LookupUsers(ctx context.Context, s Session, usernames []string) ([]User, error)
	// Scrape walks a user's followers or following from req.Cursor, calling
	// emit once a page. It stops at the last page or when emit returns an
	// error, which Scrape then returns.
	Scrape(ctx context.Context, req ScrapeRequest, emit func(Page) error) error
	// SendDM sends text to the user recipientID.
	SendDM(ctx context.Context, s Session, recipientID, text string) (SentDM, error)
	// ConversationEvents returns the newest events of the one-to-one
	// conversation with participantID, newest first, at most limit.
	ConversationEvents(ctx context.Context, s Session, participantID string, limit int) ([]DMEvent, error)
	// ReadDMEvents returns the account's DM events newer than cursor, oldest
	// first, and the cursor for the next call. An empty cursor returns the
	// newest page.
	ReadDMEvents(ctx context.Context, s Session, cursor string) ([]DMEvent, string, error)
}

// Engagement is the optional part of a network plugin: following, liking,
// commenting and posting. It is a separate interface, not more methods on
// Network, because adding a method to a Go interface breaks every plugin
// that implements it, and the SDK promises that plugins built against v1
// keep compiling.
//
// A network plugin that implements it lists what it supports in
// Info.Capabilities (CapFollow, CapLike, CapComment, CapTweet,
// CapUserPosts). On the host side every Network client also implements
// Engagement: a call the plugin does not support fails with a Permanent
// error.
type Engagement interface {
	// Follow follows the user userID. Following a protected user sends a
	// request; pending reports that.
	Follow(ctx context.Context, s Session, userID string) (pending bool, err error)
	// Like likes the post postID.
	Like(ctx context.Context, s Session, postID string) error
	// Comment replies to the post postID with text.
	Comment(ctx context.Context, s Session, postID, text string) (Post, error)
	// PostTweet publishes text on the account's timeline.
	PostTweet(ctx context.Context, s Session, text string) (Post, error)
	// UserPosts returns the most recent posts of userID, newest first, at
	// most limit.
	UserPosts(ctx context.Context, s Session, userID string, limit int) ([]Post, error)
}

// Capabilities a network plugin lists in Info.Capabilities.
const (
	CapScrape    = "scrape"
	CapDM        = "dm"
	CapDMEvents  = "dm_events"
	CapFollow    = "follow"
	CapLike      = "like"
	CapComment   = "comment"
	CapTweet     = "tweet"
	CapUserPosts = "user_posts"
)
