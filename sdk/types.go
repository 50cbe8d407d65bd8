package sdk

import (
	"context"
	"encoding/json"
	"time"
)

// Plugin is the base interface every plugin implements.
type Plugin interface {
	// Info names the plugin and lists what it can do.
	Info(ctx context.Context) (Info, error)
	// ConfigSchema describes the configuration Configure accepts.
	ConfigSchema(ctx context.Context) ([]ConfigField, error)
	// Configure receives the plugin's configuration as a JSON object. It is
	// called after every launch, before any other call.
	Configure(ctx context.Context, config json.RawMessage) error
}

// Kinds of plugin, as listed in Info.Kinds.
const (
	KindNetwork = "network"
	KindAI      = "ai"
	KindSink    = "sink"
)

// Info describes a plugin.
type Info struct {
	Name         string
	Version      string
	Kinds        []string
	Capabilities []string
}

// ConfigField is one attribute of a plugin's configuration. The host
// checks a plugin block's config against the fields before it runs
// anything: no attribute that is not declared, every Required one set, and
// each value of its Type.
type ConfigField struct {
	Name        string
	Type        string // "string", "number", "bool", "list(string)", "map(string)"
	Required    bool
	Sensitive   bool
	Description string
}

// Session is the account a network call acts as.
type Session struct {
	AccountID   string
	Handle      string
	UserID      string
	Credentials map[string]string
	Proxy       string
}

// User is a user of the network.
type User struct {
	ID              string
	Username        string
	Name            string
	Description     string
	Location        string
	URL             string
	Verified        bool
	Protected       bool
	FollowersCount  int64
	FollowingCount  int64
	TweetCount      int64
	ProfileImageURL string
	CreatedAt       time.Time
}

// Relation selects the list a scrape walks.
type Relation int

// Relations a scrape can walk.
const (
	Followers Relation = iota + 1
	Following
)

func (r Relation) String() string {
	switch r {
	case Followers:
		return "followers"
	case Following:
		return "following"
	}
	return "unspecified"
}

// ScrapeRequest asks for the followers or following of a user.
type ScrapeRequest struct {
	Session  Session
	UserID   string
	Relation Relation
	// Cursor resumes after the page that returned it; empty starts at the top.
	Cursor   string
	PageSize int
}

// Page is one page of a scrape.
type Page struct {
	Users []User
	// NextCursor resumes after this page; empty on the last page.
	NextCursor string
}

// SentDM identifies a message that was sent.
type SentDM struct {
	ConversationID string
	EventID        string
}

// DMEvent is one event of a DM conversation.
type DMEvent struct {
	ID             string
	ConversationID string
	SenderID       string
	Text           string
	CreatedAt      time.Time
	EventType      string
}

// Post is a post (tweet) on the network.
type Post struct {
	ID        string
	AuthorID  string
	Text      string
	CreatedAt time.Time
	// InReplyToID is the post this one replies to, if any.
	InReplyToID string
}
