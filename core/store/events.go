package store

import (
	"encoding/json"
	"time"
)

// Event is one entry of the outbox: something that happened, appended in
// the same transaction as the change that caused it. Consumers (webhook
// delivery, sink plugins) read the outbox in Seq order, each from a
// durable cursor of its own.
type Event struct {
	// Seq orders the outbox: a store gives each appended event a larger Seq
	// than any before it.
	Seq int64 `json:"seq"`
	// ID is stable and unique: receivers deduplicate on it.
	ID        string          `json:"id"`
	Workspace string          `json:"workspace"`
	Type      string          `json:"type"`
	At        time.Time       `json:"at"`
	Data      json.RawMessage `json:"data"`
}

// Event types. The first three are the hosted API's webhook events.
const (
	EventNewReply          = "new_reply"
	EventAccountPaused     = "account_paused"
	EventLeadsExhausted    = "leads_exhausted"
	EventCampaignCompleted = "campaign_completed"
	EventLeadOptedOut      = "lead_opted_out"
	EventLeadNeedsReview   = "lead_needs_review"
	EventScrapingCompleted = "scraping_completed"
	EventTweetPosted       = "tweet_posted"
	EventTweetFailed       = "tweet_failed"
)

// EventTypes lists every event type, in the order above.
var EventTypes = []string{
	EventNewReply, EventAccountPaused, EventLeadsExhausted, EventCampaignCompleted, EventLeadOptedOut,
	EventLeadNeedsReview, EventScrapingCompleted, EventTweetPosted, EventTweetFailed,
}

// The data of each event type, as webhooks deliver it under "data". The
// hosted API documents the first three field for field; the others follow
// their style.

// Receiver is the lead a conversation is with.
type Receiver struct {
	ScreenName      string `json:"screen_name"`
	Name            string `json:"name"`
	ProfileImageURL string `json:"profile_image_url"`
}

// EventMessage is the message an event is about.
type EventMessage struct {
	ID        string `json:"id"`
	Text      string `json:"text"`
	CreatedAt string `json:"created_at"`
}

// NewReplyData is the data of new_reply: a lead replied to a DM.
type NewReplyData struct {
	ConversationID string       `json:"conversation_id"`
	AccountHandle  string       `json:"account_handle"`
	Receiver       Receiver     `json:"receiver"`
	Message        EventMessage `json:"message"`
}

// LeadOptedOutData is the data of lead_opted_out: a reply asked not to be
// contacted again, and the lead is on the do-not-contact list.
type LeadOptedOutData = NewReplyData

// AccountPausedData is the data of account_paused: an account stopped
// sending, for the reason given.
type AccountPausedData struct {
	AccountID     string `json:"account_id"`
	AccountHandle string `json:"account_handle"`
	Reason        string `json:"reason"`
}

// LeadsExhaustedData is the data of leads_exhausted: a campaign has no
// lead left to contact.
type LeadsExhaustedData struct {
	CampaignID    string `json:"campaign_id"`
	CampaignName  string `json:"campaign_name"`
	AccountHandle string `json:"account_handle"`
	TotalSent     int    `json:"total_sent"`
}

// CampaignCompletedData is the data of campaign_completed: every job of
// a campaign that has run out of leads has settled.
type CampaignCompletedData struct {
	CampaignID   string `json:"campaign_id"`
	CampaignName string `json:"campaign_name"`
	TotalSent    int    `json:"total_sent"`
	Replies      int    `json:"replies"`
	Failed       int    `json:"failed"`
}

// LeadNeedsReviewData is the data of lead_needs_review: a send is in
// doubt and waits for a person, who can tell whether it went out.
type LeadNeedsReviewData struct {
	JobID         string   `json:"job_id"`
	CampaignID    string   `json:"campaign_id"`
	CampaignName  string   `json:"campaign_name"`
	AccountHandle string   `json:"account_handle"`
	Receiver      Receiver `json:"receiver"`
	Reason        string   `json:"reason"`
}

// ScrapingCompletedData is the data of scraping_completed: every list of
// a lead source has been scraped.
type ScrapingCompletedData struct {
	LeadSourceID  string `json:"lead_source_id"`
	Name          string `json:"name"`
	LeadsImported int    `json:"leads_imported"`
	Status        string `json:"status"`
}

// TweetPostedData is the data of tweet_posted.
type TweetPostedData struct {
	ScheduledTweetID string `json:"scheduled_tweet_id"`
	AccountHandle    string `json:"account_handle"`
	TweetID          string `json:"tweet_id"`
	TweetText        string `json:"tweet_text"`
	PostedAt         string `json:"posted_at"`
}

// TweetFailedData is the data of tweet_failed.
type TweetFailedData struct {
	ScheduledTweetID string `json:"scheduled_tweet_id"`
	AccountHandle    string `json:"account_handle"`
	TweetText        string `json:"tweet_text"`
	ErrorMessage     string `json:"error_message"`
}

// Delivery is the record of one event's delivery to one webhook: written
// before a consumer's cursor moves past the event, so that a slow endpoint
// holds nothing back and a crash loses nothing.
type Delivery struct {
	ID        string `json:"id"`
	Workspace string `json:"workspace"`
	WebhookID string `json:"webhook_id"`
	EventID   string `json:"event_id"`
	EventSeq  int64  `json:"event_seq"`
	EventType string `json:"event_type"`
	// Status is "pending", "retrying", "delivered" or "failed".
	Status         string    `json:"status"`
	Attempts       int       `json:"attempts"`
	LastStatusCode int       `json:"last_status_code,omitempty"`
	LastError      string    `json:"last_error,omitempty"`
	NextAttemptAt  time.Time `json:"next_attempt_at,omitzero"`
	CreatedAt      time.Time `json:"created_at"`
	UpdatedAt      time.Time `json:"updated_at"`
}
