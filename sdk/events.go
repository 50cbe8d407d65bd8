package sdk

// The event catalogue: every event outreach emits, to sinks (Sink.Emit) and
// to webhooks alike. An event's Data is the JSON of its type's payload
// below. The hosted API documents the first three field for field; the
// others follow their style. Timestamps in payloads are RFC 3339 in UTC
// with milliseconds ("2024-02-28T12:00:00.000Z").
//
// A sink receives every event type unless its plugin block lists some
// (`events = ["dm_sent", "new_reply"]`), and must pass on types it does not
// know: newer versions of outreach add types, never remove or rename them.
const (
	// EventNewReply: a lead replied to a DM. Data: NewReplyData.
	EventNewReply = "new_reply"
	// EventAccountPaused: an account stopped sending. Data: AccountPausedData.
	EventAccountPaused = "account_paused"
	// EventLeadsExhausted: a campaign has no lead left to contact. Data:
	// LeadsExhaustedData.
	EventLeadsExhausted = "leads_exhausted"
	// EventCampaignCompleted: every job of a campaign that ran out of leads
	// has settled. Data: CampaignCompletedData.
	EventCampaignCompleted = "campaign_completed"
	// EventLeadOptedOut: a reply asked not to be contacted again; the lead
	// is on the do-not-contact list. Data: LeadOptedOutData.
	EventLeadOptedOut = "lead_opted_out"
	// EventLeadNeedsReview: a send is in doubt and waits for a person.
	// Data: LeadNeedsReviewData.
	EventLeadNeedsReview = "lead_needs_review"
	// EventScrapingCompleted: every list of a lead source was scraped.
	// Data: ScrapingCompletedData.
	EventScrapingCompleted = "scraping_completed"
	// EventTweetPosted: a scheduled tweet went out. Data: TweetPostedData.
	EventTweetPosted = "tweet_posted"
	// EventTweetFailed: a scheduled tweet failed for good. Data:
	// TweetFailedData.
	EventTweetFailed = "tweet_failed"
	// EventDMSent: a DM went out: a campaign's first DM, a follow-up, or a
	// person's manual message. Data: DMSentData.
	EventDMSent = "dm_sent"
	// EventDMFailed: a DM failed for good and will not be sent. Data:
	// DMFailedData.
	EventDMFailed = "dm_failed"
	// EventConversationHandedOff: the AI setter handed a conversation to a
	// person (the lead asked for a call, a price or a demo): it is tagged
	// engaged and gets no more automatic answers. Data:
	// ConversationHandedOffData.
	EventConversationHandedOff = "conversation_handed_off"
)

// EventTypes lists every event type, in the order above.
var EventTypes = []string{
	EventNewReply, EventAccountPaused, EventLeadsExhausted, EventCampaignCompleted, EventLeadOptedOut,
	EventLeadNeedsReview, EventScrapingCompleted, EventTweetPosted, EventTweetFailed, EventDMSent, EventDMFailed,
	EventConversationHandedOff,
}

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

// NewReplyData is the data of new_reply.
type NewReplyData struct {
	ConversationID string       `json:"conversation_id"`
	AccountHandle  string       `json:"account_handle"`
	Receiver       Receiver     `json:"receiver"`
	Message        EventMessage `json:"message"`
}

// LeadOptedOutData is the data of lead_opted_out: the reply that opted out.
type LeadOptedOutData = NewReplyData

// AccountPausedData is the data of account_paused.
type AccountPausedData struct {
	AccountID     string `json:"account_id"`
	AccountHandle string `json:"account_handle"`
	Reason        string `json:"reason"`
	// Code says why in a word, for programs: one of the PausedCode
	// constants; empty from a host that predates it.
	Code string `json:"code,omitempty"`
}

// Codes of AccountPausedData: why an account stopped.
const (
	// PausedSessionExpired: its session or OAuth authorization no longer
	// works (X refused to renew it): it must be signed in again.
	PausedSessionExpired = "session_expired"
	// PausedBlocked: X refuses the account (suspended, locked, a missing
	// scope, an app not allowed the endpoint).
	PausedBlocked = "account_blocked"
	// PausedAutomated: X said its requests look automated; it cools down.
	PausedAutomated = "automated"
	// PausedFailures: its calls kept failing.
	PausedFailures = "failures"
	// PausedSpendLimit: the workspace's max_daily_api_spend was reached.
	PausedSpendLimit = "spend_limit"
	// PausedByPerson: paused through the API or the dashboard.
	PausedByPerson = "paused"
)

// LeadsExhaustedData is the data of leads_exhausted.
type LeadsExhaustedData struct {
	CampaignID    string `json:"campaign_id"`
	CampaignName  string `json:"campaign_name"`
	AccountHandle string `json:"account_handle"`
	TotalSent     int    `json:"total_sent"`
}

// CampaignCompletedData is the data of campaign_completed.
type CampaignCompletedData struct {
	CampaignID   string `json:"campaign_id"`
	CampaignName string `json:"campaign_name"`
	TotalSent    int    `json:"total_sent"`
	Replies      int    `json:"replies"`
	Failed       int    `json:"failed"`
}

// LeadNeedsReviewData is the data of lead_needs_review.
type LeadNeedsReviewData struct {
	JobID         string   `json:"job_id"`
	CampaignID    string   `json:"campaign_id"`
	CampaignName  string   `json:"campaign_name"`
	AccountHandle string   `json:"account_handle"`
	Receiver      Receiver `json:"receiver"`
	Reason        string   `json:"reason"`
}

// ScrapingCompletedData is the data of scraping_completed.
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

// DM kinds, as dm_sent and dm_failed name them.
const (
	DMFirst    = "first"
	DMFollowUp = "follow_up"
	DMManual   = "manual"
	// DMAIAnswer is the AI setter's automatic answer to a lead's reply.
	DMAIAnswer = "ai_answer"
)

// ConversationHandedOffData is the data of conversation_handed_off: the
// lead's message that asked for a person, and what it asked for.
type ConversationHandedOffData struct {
	ConversationID string       `json:"conversation_id"`
	AccountHandle  string       `json:"account_handle"`
	CampaignID     string       `json:"campaign_id,omitempty"`
	Receiver       Receiver     `json:"receiver"`
	Message        EventMessage `json:"message"`
	// Reason says why in words: "the lead asked for a call, a price or a
	// demo".
	Reason string `json:"reason"`
	// AutoAnswers is how many automatic answers the conversation had.
	AutoAnswers int `json:"auto_answers"`
}

// DMSentData is the data of dm_sent. A manual DM or an AI answer has no
// step; Step counts follow-ups from 1.
type DMSentData struct {
	ConversationID string       `json:"conversation_id"`
	AccountHandle  string       `json:"account_handle"`
	CampaignID     string       `json:"campaign_id,omitempty"`
	CampaignName   string       `json:"campaign_name,omitempty"`
	Kind           string       `json:"kind"`
	Step           int          `json:"step"`
	Variant        string       `json:"variant,omitempty"`
	Receiver       Receiver     `json:"receiver"`
	Message        EventMessage `json:"message"`
}

// DMFailedData is the data of dm_failed.
type DMFailedData struct {
	JobID         string   `json:"job_id"`
	AccountHandle string   `json:"account_handle"`
	CampaignID    string   `json:"campaign_id,omitempty"`
	CampaignName  string   `json:"campaign_name,omitempty"`
	Kind          string   `json:"kind"`
	Step          int      `json:"step"`
	Receiver      Receiver `json:"receiver"`
	ErrorMessage  string   `json:"error_message"`
}
