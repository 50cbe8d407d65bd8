package store

import (
	"time"

	"github.com/outreachhq/outreach/core/filter"
)

// Account is an X account the workspace sends from.
type Account struct {
	ID        string `json:"id"`
	Workspace string `json:"workspace"`
	// Name is the account block's label when the account is managed by
	// config; empty for accounts added through the API.
	Name    string `json:"name,omitempty"`
	Handle  string `json:"handle"`
	Network string `json:"network"`
	XUserID string `json:"x_user_id,omitempty"`
	// DisplayName and ProfileImageURL are read from X when the account's
	// session is checked.
	DisplayName     string `json:"display_name,omitempty"`
	ProfileImageURL string `json:"profile_image_url,omitempty"`
	Verified        bool   `json:"verified"`

	Paused          bool `json:"paused"`
	FollowupsPaused bool `json:"followups_paused"`
	WarmupPaused    bool `json:"warmup_paused"`
	AISetter        bool `json:"ai_setter"`

	DailyDMLimit int           `json:"daily_dm_limit"`
	MinGap       time.Duration `json:"min_gap"`
	MaxGap       time.Duration `json:"max_gap"`

	// Declared by config (core/config.Account); see there for meanings.
	DailyFollowLimit  int           `json:"daily_follow_limit,omitempty"`
	DailyLikeLimit    int           `json:"daily_like_limit,omitempty"`
	DailyCommentLimit int           `json:"daily_comment_limit,omitempty"`
	Jitter            time.Duration `json:"jitter,omitempty"`
	// ActiveHours is when the account acts; nil means at any time.
	ActiveHours *Window `json:"active_hours,omitempty"`
	// Warmup ramps the daily DM cap from WarmupStartedAt; nil means none.
	Warmup          *Warmup   `json:"warmup,omitempty"`
	WarmupStartedAt time.Time `json:"warmup_started_at,omitzero"`
	// SecretDigests are keyed digests (secrets.Sealer.Digest) of each
	// sealed credential, by attribute name, so a plan can tell that one
	// changed without opening Secrets.
	SecretDigests map[string]string `json:"secret_digests,omitempty"`

	// Proxy is the proxy address; its credentials live in Secrets.
	Proxy string `json:"proxy,omitempty"`
	// Secrets holds the sealed (encrypted) credentials; never plain text.
	Secrets []byte `json:"secrets,omitempty"`

	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// APIKey is a stored API key. Only the SHA-256 hash of the key is kept.
type APIKey struct {
	ID        string    `json:"id"`
	Workspace string    `json:"workspace"`
	Hash      string    `json:"hash"`
	Prefix    string    `json:"prefix"`
	CreatedAt time.Time `json:"created_at"`
	RevokedAt time.Time `json:"revoked_at,omitzero"`
}

// Filter is a named filter.
type Filter struct {
	ID        string      `json:"id"`
	Workspace string      `json:"workspace"`
	Name      string      `json:"name"`
	Spec      filter.Spec `json:"spec"`
	CreatedAt time.Time   `json:"created_at"`
	UpdatedAt time.Time   `json:"updated_at"`
}

// Source is a lead source: the followers or following of some handles,
// kept through a filter.
type Source struct {
	ID        string   `json:"id"`
	Workspace string   `json:"workspace"`
	Name      string   `json:"name"`
	Targets   []Target `json:"targets"`
	FilterID  string   `json:"filter_id,omitempty"`
	// Filter is an inline filter, used when FilterID is empty.
	Filter   *filter.Spec `json:"filter,omitempty"`
	MaxLeads int          `json:"max_leads"`
	// Schedule is a cron expression to scrape the targets again on.
	Schedule  string    `json:"schedule,omitempty"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Target is one handle a source scrapes.
type Target struct {
	Handle    string `json:"handle"`
	Followers bool   `json:"followers"`
	Following bool   `json:"following"`
}

// Campaign is a DM campaign.
type Campaign struct {
	ID         string    `json:"id"`
	Workspace  string    `json:"workspace"`
	Name       string    `json:"name"`
	SourceIDs  []string  `json:"source_ids"`
	AccountIDs []string  `json:"account_ids"`
	Variants   []Variant `json:"variants"`
	MaxLeads   int       `json:"max_leads"`
	Dedupe     bool      `json:"dedupe"`
	// Assigned counts the leads given a first DM job, in assignment order:
	// lead n goes to account n mod len(AccountIDs), and the account's
	// variants rotate with n div len(AccountIDs).
	Assigned int `json:"assigned"`
	// Offsets is, per source, how many of its leads the campaign has
	// considered, so filling resumes where it stopped.
	Offsets map[string]int `json:"offsets,omitempty"`
	// Follow, Like and Comment are the engagement before the first DM;
	// CommentTemplate guides the AI that writes the comment.
	Follow          bool   `json:"follow,omitempty"`
	Like            bool   `json:"like,omitempty"`
	Comment         bool   `json:"comment,omitempty"`
	CommentTemplate string `json:"comment_template,omitempty"`
	// Window is when the campaign sends; nil means at any time.
	Window *Window `json:"window,omitempty"`
	// Schedule is a cron expression on which the campaign takes in new
	// leads; "" takes them in as they come.
	Schedule  string    `json:"schedule,omitempty"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Window is a daily time window in a time zone (core/config.Window).
type Window struct {
	// Start and End are offsets from midnight; End <= Start runs past
	// midnight.
	Start    time.Duration `json:"start"`
	End      time.Duration `json:"end"`
	TimeZone string        `json:"time_zone"`
	// Days are "mon" ... "sun": the days the window opens.
	Days []string `json:"days"`
}

// Warmup is a ramp of the daily DM cap: Start on the first day, Increase
// more each day after.
type Warmup struct {
	Start    int `json:"start"`
	Increase int `json:"increase"`
}

// Variant is one message of an A/B test with its follow-ups.
type Variant struct {
	Message string `json:"message"`
	// Weight is the variant's share of leads relative to the others'; 0
	// (records from before weights) counts as 1.
	Weight    int        `json:"weight,omitempty"`
	Followups []Followup `json:"followups,omitempty"`
}

// Followup is a message sent a while after the previous one if the lead has
// not replied.
type Followup struct {
	After   time.Duration `json:"after"`
	Message string        `json:"message"`
}

// Lead is a user found by a source.
type Lead struct {
	UserID          string    `json:"user_id"`
	Workspace       string    `json:"workspace"`
	Username        string    `json:"username"`
	Name            string    `json:"name"`
	Bio             string    `json:"bio"`
	Location        string    `json:"location"`
	Website         string    `json:"website"`
	Followers       int64     `json:"followers"`
	Following       int64     `json:"following"`
	Verified        bool      `json:"verified"`
	Protected       bool      `json:"protected"`
	ProfileImageURL string    `json:"profile_image_url,omitempty"`
	FoundAt         time.Time `json:"found_at"`
}

// Conversation is a one-to-one DM conversation between an account and a
// lead. Its ID is X's: {smaller user id}-{larger user id}.
type Conversation struct {
	ID         string    `json:"id"`
	Workspace  string    `json:"workspace"`
	AccountID  string    `json:"account_id"`
	LeadID     string    `json:"lead_id"`
	CampaignID string    `json:"campaign_id,omitempty"`
	Variant    int       `json:"variant"`
	Replied    bool      `json:"replied"`
	RepliedAt  time.Time `json:"replied_at,omitzero"`
	Unread     bool      `json:"unread"`
	LastAt     time.Time `json:"last_at"`
	CreatedAt  time.Time `json:"created_at"`
}

// Message is one DM in a conversation.
type Message struct {
	ID             string    `json:"id"`
	ConversationID string    `json:"conversation_id"`
	SenderID       string    `json:"sender_id"`
	Text           string    `json:"text"`
	Sent           bool      `json:"sent"`
	At             time.Time `json:"at"`
}
