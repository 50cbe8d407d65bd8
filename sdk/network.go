package sdk

import "context"

// Network is a social network connector. Methods return *Error for the
// failures the engine treats specially (rate limits, expired sessions,
// recipients who do not accept DMs); anything else is retried as transient.
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
