package store

import (
	"encoding/json"
	"time"

	"github.com/google/uuid"

	"github.com/outreachhq/outreach/sdk"
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

// Event types: the catalogue is sdk's, shared by webhooks and sinks.
const (
	EventNewReply              = sdk.EventNewReply
	EventAccountPaused         = sdk.EventAccountPaused
	EventLeadsExhausted        = sdk.EventLeadsExhausted
	EventCampaignCompleted     = sdk.EventCampaignCompleted
	EventLeadOptedOut          = sdk.EventLeadOptedOut
	EventLeadNeedsReview       = sdk.EventLeadNeedsReview
	EventScrapingCompleted     = sdk.EventScrapingCompleted
	EventTweetPosted           = sdk.EventTweetPosted
	EventTweetFailed           = sdk.EventTweetFailed
	EventDMSent                = sdk.EventDMSent
	EventDMFailed              = sdk.EventDMFailed
	EventConversationHandedOff = sdk.EventConversationHandedOff
)

// EventTypes lists every event type.
var EventTypes = sdk.EventTypes

// The data of each event type, as webhooks deliver it under "data" and
// sinks receive it as Data: sdk documents each.
type (
	Receiver                  = sdk.Receiver
	EventMessage              = sdk.EventMessage
	NewReplyData              = sdk.NewReplyData
	LeadOptedOutData          = sdk.LeadOptedOutData
	AccountPausedData         = sdk.AccountPausedData
	LeadsExhaustedData        = sdk.LeadsExhaustedData
	CampaignCompletedData     = sdk.CampaignCompletedData
	LeadNeedsReviewData       = sdk.LeadNeedsReviewData
	ScrapingCompletedData     = sdk.ScrapingCompletedData
	TweetPostedData           = sdk.TweetPostedData
	TweetFailedData           = sdk.TweetFailedData
	DMSentData                = sdk.DMSentData
	ConversationHandedOffData = sdk.ConversationHandedOffData
	DMFailedData              = sdk.DMFailedData
)

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
	// Status is where the delivery stands (the Delivery* constants).
	Status         string `json:"status"`
	Attempts       int    `json:"attempts"`
	LastStatusCode int    `json:"last_status_code,omitempty"`
	LastError      string `json:"last_error,omitempty"`
	// NextAttemptAt is when the next attempt is due, while the delivery is
	// pending or retrying.
	NextAttemptAt time.Time `json:"next_attempt_at,omitzero"`
	// Log is the delivery's attempts, oldest first (the last
	// MaxDeliveryLog of them).
	Log       []DeliveryAttempt `json:"log,omitempty"`
	CreatedAt time.Time         `json:"created_at"`
	UpdatedAt time.Time         `json:"updated_at"`
}

// DeliveryID is the id of the delivery of an event to a webhook: the same
// every time it is computed, so that a record is never made twice.
func DeliveryID(webhookID, eventID string) string {
	return uuid.NewSHA1(uuid.NameSpaceURL, []byte("outreach:delivery:"+webhookID+":"+eventID)).String()
}

// Delivery states.
const (
	// DeliveryPending: not tried yet.
	DeliveryPending = "pending"
	// DeliveryRetrying: tried and failed; tried again at NextAttemptAt.
	DeliveryRetrying = "retrying"
	// DeliveryDelivered: the endpoint answered 2xx.
	DeliveryDelivered = "delivered"
	// DeliveryFailed: failed for good (retries spent, the endpoint gone or
	// removed); a replay tries it again.
	DeliveryFailed = "failed"
)

// Due reports whether the delivery waits for an attempt.
func (d Delivery) Due() bool { return d.Status == DeliveryPending || d.Status == DeliveryRetrying }

// MaxDeliveryLog bounds a delivery's log: replays add attempts.
const MaxDeliveryLog = 20

// DeliveryAttempt is one attempt in a delivery's log.
type DeliveryAttempt struct {
	At time.Time `json:"at"`
	// StatusCode is the answer's HTTP status; 0 if none came.
	StatusCode int    `json:"status_code,omitempty"`
	DurationMS int64  `json:"duration_ms"`
	Error      string `json:"error,omitempty"`
	// NextAttemptAt is when it is tried again; zero if it is not.
	NextAttemptAt time.Time `json:"next_attempt_at,omitzero"`
}
