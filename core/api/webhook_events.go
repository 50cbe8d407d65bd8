package api

import (
	"reflect"

	"github.com/outreachhq/outreach/sdk"
)

// webhookEvent documents one event type of sdk.EventTypes: in the OpenAPI
// document's webhooks and, through a test that compares them, in the
// README's Webhooks section.
type webhookEvent struct {
	// Summary is one line: the README's table of events says the same.
	Summary string
	// Description says when the event is sent, and what to do with it.
	Description string
	// Data is the sdk payload type of its "data": its schema is generated
	// from it, so the document cannot disagree with what is sent.
	Data reflect.Type
	// Example is an example of its "data", as JSON. The reference's three
	// events have the reference's own examples, to the letter.
	Example string
}

// exampleTimestamp is every example's "timestamp", the reference's.
const exampleTimestamp = "2024-02-28T12:00:00.000Z"

// webhookEvents documents every event type; a test fails when one of
// sdk.EventTypes has no entry here.
var webhookEvents = map[string]webhookEvent{
	sdk.EventNewReply: {
		Summary:     "A lead replied to a DM",
		Description: "Sent for every new message from a lead, including a conversation the lead starts. The lead's follow-ups have stopped. An opt-out is sent as lead_opted_out as well.",
		Data:        reflect.TypeFor[sdk.NewReplyData](),
		Example: `{
			"conversation_id": "123456789-987654321",
			"account_handle": "yourhandle",
			"receiver": {"screen_name": "prospect", "name": "John Doe", "profile_image_url": "https://pbs.twimg.com/..."},
			"message": {"id": "1234567890123456789", "text": "Hey! I'm interested, let's chat.", "created_at": "2024-02-28T12:00:00.000Z"}
		}`,
	},
	sdk.EventAccountPaused: {
		Summary:     "An account stopped sending: disconnected, refused by X, or paused",
		Description: "Sent when an account is paused through the API or the dashboard, or held by the engine: an expired session, an account X refuses (suspended, locked), X saying its requests look automated, or five failures in a row. Its waiting first DMs move to the campaign's other accounts. X's own rate limits hold an account too, without this event.",
		Data:        reflect.TypeFor[sdk.AccountPausedData](),
		Example: `{
			"account_id": "550e8400-e29b-41d4-a716-446655440000",
			"account_handle": "yourhandle",
			"reason": "Session expired or account disconnected"
		}`,
	},
	sdk.EventLeadsExhausted: {
		Summary:     "A campaign has run out of leads to contact",
		Description: "Sent once when a campaign has no lead left to send a first DM to. Follow-ups already planned still go out; campaign_completed follows when they have settled.",
		Data:        reflect.TypeFor[sdk.LeadsExhaustedData](),
		Example: `{
			"campaign_id": "camp_abc123",
			"campaign_name": "SaaS Founders Outreach",
			"account_handle": "yourhandle",
			"total_sent": 500
		}`,
	},
	sdk.EventCampaignCompleted: {
		Summary:     "Every DM of a campaign that ran out of leads has settled",
		Description: "Sent after leads_exhausted, once no first DM or follow-up of the campaign is waiting: its totals are final.",
		Data:        reflect.TypeFor[sdk.CampaignCompletedData](),
		Example: `{
			"campaign_id": "camp_abc123",
			"campaign_name": "SaaS Founders Outreach",
			"total_sent": 500,
			"replies": 42,
			"failed": 3
		}`,
	},
	sdk.EventLeadOptedOut: {
		Summary:     "A lead asked not to be contacted again, and is on the do-not-contact list",
		Description: "Sent after the new_reply of a reply that opts out (\"stop\", \"unsubscribe\", \"leave me alone\"...), with the same data. No campaign or follow-up reaches the lead again.",
		Data:        reflect.TypeFor[sdk.LeadOptedOutData](),
		Example: `{
			"conversation_id": "123456789-987654322",
			"account_handle": "yourhandle",
			"receiver": {"screen_name": "busyfounder", "name": "Jane Roe", "profile_image_url": "https://pbs.twimg.com/profile_images/1761234567890123456/jane_normal.jpg"},
			"message": {"id": "1234567890123456790", "text": "Please stop messaging me.", "created_at": "2024-02-28T11:59:58.000Z"}
		}`,
	},
	sdk.EventLeadNeedsReview: {
		Summary:     "A DM is in doubt and waits for a person",
		Description: "Sent when a send ended without an answer (a timeout, a cut connection, a 5xx) and X cannot say whether the DM went out. The lead is never sent the DM twice: a person checks the conversation and settles the job.",
		Data:        reflect.TypeFor[sdk.LeadNeedsReviewData](),
		Example: `{
			"job_id": "9b2f4c1e-6a7d-4e8f-9c0b-1d2e3f4a5b6c",
			"campaign_id": "camp_abc123",
			"campaign_name": "SaaS Founders Outreach",
			"account_handle": "yourhandle",
			"receiver": {"screen_name": "prospect", "name": "John Doe", "profile_image_url": "https://pbs.twimg.com/profile_images/1761234567890123455/john_normal.jpg"},
			"reason": "send in doubt: X shows a DM 1762345678901234567 from this account since the send, with other text"
		}`,
	},
	sdk.EventScrapingCompleted: {
		Summary:     "Every list of a lead source was scraped",
		Description: "Sent when the last of a lead source's targets has been scraped (or has failed), on its first run and on each scheduled one.",
		Data:        reflect.TypeFor[sdk.ScrapingCompletedData](),
		Example: `{
			"lead_source_id": "6f1d2c3b-4a5e-4f60-8a7b-9c8d7e6f5a4b",
			"name": "SaaS founders",
			"leads_imported": 1250,
			"status": "completed"
		}`,
	},
	sdk.EventTweetPosted: {
		Summary:     "A scheduled tweet went out",
		Description: "Sent when a scheduled tweet is on X.",
		Data:        reflect.TypeFor[sdk.TweetPostedData](),
		Example: `{
			"scheduled_tweet_id": "3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f",
			"account_handle": "yourhandle",
			"tweet_id": "1762500000000000000",
			"tweet_text": "We just shipped scheduled tweets. Plan the week on Monday, post all week.",
			"posted_at": "2024-02-28T12:00:00.000Z"
		}`,
	},
	sdk.EventTweetFailed: {
		Summary:     "A scheduled tweet failed for good",
		Description: "Sent when a scheduled tweet will not be posted: X refused it, or its account was removed.",
		Data:        reflect.TypeFor[sdk.TweetFailedData](),
		Example: `{
			"scheduled_tweet_id": "3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e70",
			"account_handle": "yourhandle",
			"tweet_text": "We just shipped scheduled tweets. Plan the week on Monday, post all week.",
			"error_message": "You are not allowed to create a Tweet with duplicate content."
		}`,
	},
	sdk.EventDMSent: {
		Summary:     "A DM went out: a campaign's first DM, a follow-up, or a person's message",
		Description: "Sent for every DM on X: kind says which. A manual message (sent through the API or the dashboard) has no campaign, step or variant.",
		Data:        reflect.TypeFor[sdk.DMSentData](),
		Example: `{
			"conversation_id": "123456789-987654321",
			"account_handle": "yourhandle",
			"campaign_id": "camp_abc123",
			"campaign_name": "SaaS Founders Outreach",
			"kind": "follow_up",
			"step": 1,
			"variant": "A",
			"receiver": {"screen_name": "prospect", "name": "John Doe", "profile_image_url": "https://pbs.twimg.com/profile_images/1761234567890123455/john_normal.jpg"},
			"message": {"id": "1234567890123456788", "text": "Hi John, just bumping this in case it got buried.", "created_at": "2024-02-28T12:00:00.000Z"}
		}`,
	},
	sdk.EventDMFailed: {
		Summary:     "A DM failed for good and will not be sent",
		Description: "Sent when X refuses a DM for a reason that retrying cannot change (the lead does not accept DMs from the account, the lead is gone), or its retries are spent.",
		Data:        reflect.TypeFor[sdk.DMFailedData](),
		Example: `{
			"job_id": "9b2f4c1e-6a7d-4e8f-9c0b-1d2e3f4a5b6d",
			"account_handle": "yourhandle",
			"campaign_id": "camp_abc123",
			"campaign_name": "SaaS Founders Outreach",
			"kind": "first",
			"step": 0,
			"receiver": {"screen_name": "quietfounder", "name": "Sam Poe", "profile_image_url": "https://pbs.twimg.com/profile_images/1761234567890123457/sam_normal.jpg"},
			"error_message": "You cannot send messages to this user. (349)"
		}`,
	},
	sdk.EventConversationHandedOff: {
		Summary:     "The AI setter handed a conversation to a person",
		Description: "Sent when a lead of an account with the AI setter on asks for a call, a price or a demo: the conversation is tagged engaged, gets no more automatic answers, and waits for a person to answer.",
		Data:        reflect.TypeFor[sdk.ConversationHandedOffData](),
		Example: `{
			"conversation_id": "123456789-987654321",
			"account_handle": "yourhandle",
			"campaign_id": "camp_abc123",
			"receiver": {"screen_name": "prospect", "name": "John Doe", "profile_image_url": "https://pbs.twimg.com/profile_images/1761234567890123455/john_normal.jpg"},
			"message": {"id": "1234567890123456791", "text": "Sounds good. Can we hop on a call Thursday?", "created_at": "2024-02-28T12:00:00.000Z"},
			"reason": "the lead asked for a call, a price or a demo",
			"auto_answers": 1
		}`,
	},
}

// webhookFieldDocs describes the fields of the events' data: by
// "Schema.field" where a field means something particular to one payload,
// else by field name; a schema itself by its name. A test fails when a
// field has no description. A field that refers to another schema (a
// receiver, a message) has none of its own: OpenAPI 3.0 ignores anything
// beside a $ref, and some of its tools refuse it.
var webhookFieldDocs = map[string]string{
	"conversation_id":    "The conversation's id on X: the two user ids, smaller first, joined by a hyphen.",
	"account_handle":     "The handle of the account, without the @.",
	"account_id":         "The account's id, as in GET /api/v1/accounts.",
	"campaign_id":        "The campaign's id.",
	"campaign_name":      "The campaign's name.",
	"total_sent":         "First DMs the campaign has sent.",
	"job_id":             "The id of the job (one step for one lead).",
	"error_message":      "Why it failed, as X or outreach said it.",
	"reason":             "Why, in words.",
	"tweet_text":         "The tweet's text.",
	"scheduled_tweet_id": "The scheduled tweet's id.",
	"kind":               "Which DM: first (a campaign's first DM), follow_up, manual (a person's), or ai_answer (the AI setter's).",
	"step":               "The follow-up's number, from 1; 0 for a first DM or a manual one.",

	"Receiver":                   "The lead the event is about.",
	"EventMessage":               "A DM.",
	"Receiver.screen_name":       "The lead's handle, without the @.",
	"Receiver.name":              "The lead's display name.",
	"Receiver.profile_image_url": "The lead's profile picture.",
	"EventMessage.id":            "The message's id on X (its DM event id).",
	"EventMessage.text":          "The message's text.",
	"EventMessage.created_at":    "When X says it was sent: RFC 3339 in UTC, with milliseconds.",

	"NewReplyData.account_handle":              "The account the lead replied to.",
	"ConversationHandedOffData.account_handle": "The account whose conversation it is.",
	"ConversationHandedOffData.auto_answers":   "How many automatic answers the AI setter sent in the conversation before it.",
	"AccountPausedData.reason":                 "Why the account stopped: the hold's reason.",
	"AccountPausedData.code":                   "Why in a word: session_expired (sign the account in again: outreach accounts login, or POST /api/v1/get-cookies), account_blocked, automated, failures, spend_limit or paused.",
	"LeadsExhaustedData.account_handle":        "The campaign's first account.",
	"CampaignCompletedData.replies":            "Leads of the campaign who replied.",
	"CampaignCompletedData.failed":             "First DMs that failed or were left for review.",
	"LeadNeedsReviewData.reason":               "What makes the send doubtful.",
	"ScrapingCompletedData.lead_source_id":     "The lead source's id.",
	"ScrapingCompletedData.name":               "The lead source's name.",
	"ScrapingCompletedData.leads_imported":     "Leads the source has kept so far (after its filter, without duplicates).",
	"ScrapingCompletedData.status":             "completed, or failed when every target failed.",
	"TweetPostedData.tweet_id":                 "The post's id on X.",
	"TweetPostedData.posted_at":                "When X says it was posted: RFC 3339 in UTC.",
	"TweetFailedData.error_message":            "Why it will not be posted.",
	"DMSentData.campaign_id":                   "The campaign's id; absent for a manual DM.",
	"DMSentData.campaign_name":                 "The campaign's name; absent for a manual DM.",
	"DMSentData.variant":                       "The campaign's variant the lead was given (A, B, ...); absent for a manual DM.",
	"DMFailedData.campaign_id":                 "The campaign's id; absent for a manual DM.",
	"DMFailedData.campaign_name":               "The campaign's name; absent for a manual DM.",
}
