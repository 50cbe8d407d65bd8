package store

import "time"

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
// lead, and its CRM card. Its ID is X's: {smaller user id}-{larger user id}.
type Conversation struct {
	ID         string `json:"id"`
	Workspace  string `json:"workspace"`
	AccountID  string `json:"account_id"`
	LeadID     string `json:"lead_id"`
	CampaignID string `json:"campaign_id,omitempty"`
	Variant    int    `json:"variant"`
	// Inbound marks a conversation the lead started, by writing to the
	// account first: it has no campaign.
	Inbound bool `json:"inbound,omitempty"`
	Replied bool `json:"replied"`
	// RepliedAt is the lead's first reply.
	RepliedAt time.Time `json:"replied_at,omitzero"`
	Unread    bool      `json:"unread"`
	// LastAt, LastText and LastSent describe the newest message;
	// MessageCount counts them all.
	LastAt       time.Time `json:"last_at"`
	LastText     string    `json:"last_text,omitempty"`
	LastSent     bool      `json:"last_sent,omitempty"`
	MessageCount int       `json:"message_count"`
	// Sentiment is that of the lead's latest classified reply (a
	// Sentiment* value), "" until one is classified.
	Sentiment string `json:"sentiment,omitempty"`
	CRM       CRM    `json:"crm,omitzero"`
	// AutoTag marks a CRM tag the reply classifier set: the next reply's
	// classification may change it. A tag a person sets clears it, and is
	// never changed by the classifier.
	AutoTag bool `json:"auto_tag,omitempty"`
	// AutoAnswers counts the AI setter's answers in the conversation.
	AutoAnswers int `json:"auto_answers,omitempty"`
	// HandedOff marks a conversation the AI setter handed to a person
	// (the lead asked for a call, a price or a demo): no automatic answer
	// goes into it again.
	HandedOff bool `json:"handed_off,omitempty"`
	// HumanAnswered marks a conversation a person answered by hand (through
	// the API, the dashboard or X itself): the AI setter leaves it alone.
	HumanAnswered bool      `json:"human_answered,omitempty"`
	CreatedAt     time.Time `json:"created_at"`
	UpdatedAt     time.Time `json:"updated_at"`
}

// CRM is what a person records about a conversation.
type CRM struct {
	// Tag is a base tag ("interested_reply", "booked", ...) or a custom
	// one's key; "" for none.
	Tag          string   `json:"tag,omitempty"`
	Notes        string   `json:"notes,omitempty"`
	DealValue    *float64 `json:"deal_value,omitempty"`
	DealCurrency string   `json:"deal_currency,omitempty"`
}

// Message is one DM in a conversation.
type Message struct {
	ID             string    `json:"id"`
	Workspace      string    `json:"workspace"`
	ConversationID string    `json:"conversation_id"`
	SenderID       string    `json:"sender_id"`
	Text           string    `json:"text"`
	Sent           bool      `json:"sent"`
	At             time.Time `json:"at"`
	// Polled marks a message recorded from reading the account's DM events
	// rather than from a send's outcome: an account's own DM recorded this
	// way may still be a send in doubt.
	Polled bool `json:"polled,omitempty"`
	// Sentiment is a lead's reply's, as the AI plugin classified it (a
	// Sentiment* value); "" when it was not classified, and then
	// Unclassified says why.
	Sentiment    string `json:"sentiment,omitempty"`
	Unclassified string `json:"unclassified,omitempty"`
	// Confidence, OptOut and Booking are the rest of a reply's
	// classification: how sure the classifier was, whether the reply opts
	// out, whether it asks for a call, a price or a demo.
	Confidence float64 `json:"confidence,omitempty"`
	OptOut     bool    `json:"opt_out,omitempty"`
	Booking    bool    `json:"booking,omitempty"`
	// Auto marks the AI setter's answer. Provenance names what wrote an
	// answer, or classified a reply.
	Auto bool `json:"auto,omitempty"`
	Provenance
}

// Sentiments a reply is classified as (sdk.Sentiment's names).
const (
	SentimentPositive = "positive"
	SentimentNegative = "negative"
	SentimentNeutral  = "neutral"
)

// ConversationQuery selects a page of a workspace's conversations, newest
// first: by LastAt, then by ID, both descending.
type ConversationQuery struct {
	AccountID  string
	LeadID     string
	CampaignID string
	Tag        string
	UnreadOnly bool
	// After continues a listing: only conversations that come after this
	// one in the order above. A page stays stable while conversations are
	// added: nothing that was listed comes again, nothing is skipped.
	After *ConversationCursor
	// Limit is the most to return; 0 means all.
	Limit int
}

// ConversationWithLead is a conversation with its lead as stored, as a
// listing shows them.
type ConversationWithLead struct {
	Conversation
	// Lead is the conversation's lead; zero if the workspace has no lead
	// of its LeadID.
	Lead Lead `json:"lead"`
}

// ConversationCursor is where a page of conversations ended.
type ConversationCursor struct {
	LastAt time.Time `json:"t"`
	ID     string    `json:"i"`
}

// CursorOf returns the cursor just after c.
func CursorOf(c Conversation) *ConversationCursor {
	return &ConversationCursor{LastAt: c.LastAt, ID: c.ID}
}

// ConversationID is the id X gives the one-to-one conversation of two
// users: {smaller id}-{larger id}, ids compared as numbers.
func ConversationID(a, b string) string {
	if len(a) > len(b) || len(a) == len(b) && a > b {
		a, b = b, a
	}
	return a + "-" + b
}

// Contact is a lead's contacted mark: the campaign that first
// cold-messaged it.
type Contact struct {
	UserID     string `json:"user_id"`
	CampaignID string `json:"campaign_id"`
}

// DoNotContact is an entry of a workspace's do-not-contact list.
type DoNotContact struct {
	UserID string `json:"user_id"`
	Reason string `json:"reason"`
}

// DayCount is how many DMs an account sent on a calendar day ("2026-03-02").
type DayCount struct {
	Day string `json:"day"`
	N   int    `json:"n"`
}
