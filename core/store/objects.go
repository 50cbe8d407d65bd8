package store

import (
	"time"

	"github.com/outreachhq/outreach/core/filter"
)

// Object kinds: the first part of an address ("campaign.hello").
const (
	KindAccount  = "account"
	KindFilter   = "filter"
	KindSource   = "source"
	KindCampaign = "campaign"
	KindWebhook  = "webhook"
	KindTweet    = "tweet"
)

// Address is the configuration address of an object: kind.label.
func Address(kind, label string) string { return kind + "." + label }

// Filter is a named filter that sources refer to.
type Filter struct {
	ID        string      `json:"id"`
	Workspace string      `json:"workspace"`
	Address   string      `json:"address,omitempty"`
	Name      string      `json:"name"`
	Spec      filter.Spec `json:"spec"`
	CreatedAt time.Time   `json:"created_at"`
	UpdatedAt time.Time   `json:"updated_at"`
}

// Source is a lead source: the followers or following of some handles,
// kept through a filter.
type Source struct {
	ID        string `json:"id"`
	Workspace string `json:"workspace"`
	// Address is "source.<label>" when configuration manages the source.
	Address string   `json:"address,omitempty"`
	Name    string   `json:"name"`
	Targets []Target `json:"targets"`
	// Listed are the users of a lead list (a CSV upload): a source with
	// them has no Targets, and its one scrape (RelationList) looks them up
	// rather than walking a follower list.
	Listed []Listed `json:"listed,omitempty"`
	// FilterID names a Filter; Filter is an inline one, used when FilterID
	// is empty.
	FilterID string       `json:"filter_id,omitempty"`
	Filter   *filter.Spec `json:"filter,omitempty"`
	MaxLeads int          `json:"max_leads"`
	// Schedule is a cron expression to scrape the targets again on.
	Schedule string `json:"schedule,omitempty"`
	// ScheduleRanAt is when the schedule last ran (operational state,
	// which applying keeps); zero until it first runs, when the schedule
	// counts from CreatedAt.
	ScheduleRanAt time.Time `json:"schedule_ran_at,omitzero"`
	CreatedAt     time.Time `json:"created_at"`
	UpdatedAt     time.Time `json:"updated_at"`
}

// Target is one handle a source scrapes.
type Target struct {
	Handle    string `json:"handle"`
	Followers bool   `json:"followers"`
	Following bool   `json:"following"`
}

// Relations lists the lists a target scrapes: "followers", "following".
func (t Target) Relations() []string {
	var out []string
	if t.Followers {
		out = append(out, RelationFollowers)
	}
	if t.Following {
		out = append(out, RelationFollowing)
	}
	return out
}

// Listed is one user of a lead list: a handle, and the name to greet them
// by when the list gives one.
type Listed struct {
	Handle string `json:"handle"`
	Name   string `json:"name,omitempty"`
}

// Relations a scrape walks. RelationList is the lookup of a lead list's
// handles.
const (
	RelationFollowers = "followers"
	RelationFollowing = "following"
	RelationList      = "list"
)

// Campaign is a DM campaign.
type Campaign struct {
	ID        string `json:"id"`
	Workspace string `json:"workspace"`
	// Address is "campaign.<label>" when configuration manages it.
	Address    string    `json:"address,omitempty"`
	Name       string    `json:"name"`
	SourceIDs  []string  `json:"source_ids"`
	AccountIDs []string  `json:"account_ids"`
	Variants   []Variant `json:"variants"`
	MaxLeads   int       `json:"max_leads"`
	Dedupe     bool      `json:"dedupe"`
	// Follow, Like and Comment are the engagement before the first DM;
	// CommentTemplate guides the AI that writes the comment.
	Follow          bool   `json:"follow,omitempty"`
	Like            bool   `json:"like,omitempty"`
	Comment         bool   `json:"comment,omitempty"`
	CommentTemplate string `json:"comment_template,omitempty"`
	// Window is when the campaign sends; nil means at any time.
	Window *Window `json:"window,omitempty"`
	// Policy is what the campaign's automation may do on X (Refusal);
	// configuration sets it from `settings { policy }`, and "" is standard.
	Policy Policy `json:"policy,omitempty"`
	// Schedule is a cron expression on which the campaign takes in new
	// leads; "" takes them in as they come. ScheduleRanAt is when it last
	// ran, as for a Source.
	Schedule      string    `json:"schedule,omitempty"`
	ScheduleRanAt time.Time `json:"schedule_ran_at,omitzero"`

	// Paused stops the campaign's sends until it is resumed; it is
	// operational state, set by the API or the dashboard.
	Paused bool `json:"paused,omitempty"`
	// Assigned counts the leads given a first DM job, in assignment order:
	// lead n goes to account n mod len(AccountIDs).
	Assigned int `json:"assigned"`
	// Offsets is, per source, how many of its leads the campaign has
	// considered, so filling resumes where it stopped.
	Offsets map[string]int `json:"offsets,omitempty"`
	// ExhaustedAt is when the campaign ran out of leads to contact, and
	// CompletedAt when its last job settled; zero until then.
	ExhaustedAt time.Time `json:"exhausted_at,omitzero"`
	CompletedAt time.Time `json:"completed_at,omitzero"`

	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Variant is one message of an A/B test with its follow-ups.
type Variant struct {
	Message string `json:"message"`
	// Weight is the variant's share of leads relative to the others'; 0
	// counts as 1.
	Weight    int        `json:"weight,omitempty"`
	Followups []Followup `json:"followups,omitempty"`
}

// Followup is a message sent a while after the previous one if the lead has
// not replied.
type Followup struct {
	After   time.Duration `json:"after"`
	Message string        `json:"message"`
}

// Webhook is an endpoint that receives events.
type Webhook struct {
	ID        string   `json:"id"`
	Workspace string   `json:"workspace"`
	Address   string   `json:"address,omitempty"`
	URL       string   `json:"url"`
	Events    []string `json:"events"`
	// Secret is the signing secret, sealed; nil when deliveries are
	// unsigned. SecretDigest is its keyed digest.
	Secret       []byte `json:"secret,omitempty"`
	SecretDigest string `json:"secret_digest,omitempty"`
	// PreviousSecret is the secret before the last rotation, sealed:
	// deliveries carry its signature too until PreviousUntil, so that
	// receivers can switch secrets without dropping an event.
	PreviousSecret []byte    `json:"previous_secret,omitempty"`
	PreviousUntil  time.Time `json:"previous_until,omitzero"`
	// Retries is how many times a failed delivery is tried again (0: the
	// default, 3; negative: never), and Backoff the wait before the first
	// retry, each next one longer (0: the default).
	Retries int           `json:"retries,omitempty"`
	Backoff time.Duration `json:"backoff,omitempty"`
	// Disabled is set when the endpoint answered 410 Gone: nothing is sent
	// to it until it is enabled again. DisabledReason says why.
	Disabled       bool      `json:"disabled,omitempty"`
	DisabledReason string    `json:"disabled_reason,omitempty"`
	CreatedAt      time.Time `json:"created_at"`
	UpdatedAt      time.Time `json:"updated_at"`
}

// TweetStatus is where a scheduled tweet is in its life, as the hosted API
// names it.
type TweetStatus string

// Scheduled tweet states.
const (
	TweetPending   TweetStatus = "pending"
	TweetPosted    TweetStatus = "posted"
	TweetFailed    TweetStatus = "failed"
	TweetCancelled TweetStatus = "cancelled"
)

// ScheduledTweet is a tweet to post from an account at a set time.
type ScheduledTweet struct {
	ID           string      `json:"id"`
	Workspace    string      `json:"workspace"`
	Address      string      `json:"address,omitempty"`
	AccountID    string      `json:"account_id"`
	Text         string      `json:"text"`
	ScheduledAt  time.Time   `json:"scheduled_at"`
	Status       TweetStatus `json:"status"`
	PostedAt     time.Time   `json:"posted_at,omitzero"`
	TweetID      string      `json:"tweet_id,omitempty"`
	ErrorMessage string      `json:"error_message,omitempty"`
	CreatedAt    time.Time   `json:"created_at"`
	UpdatedAt    time.Time   `json:"updated_at"`
}

// CustomTag is a CRM tag a workspace adds to the base ones.
type CustomTag struct {
	ID        string    `json:"id"`
	Workspace string    `json:"workspace"`
	Name      string    `json:"name"`
	Color     string    `json:"color"`
	CreatedAt time.Time `json:"created_at"`
}

// Key is how conversations name the tag: "custom_<id>".
func (t CustomTag) Key() string { return "custom_" + t.ID }
