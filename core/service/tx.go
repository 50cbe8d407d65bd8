package service

import "github.com/outreachhq/outreach/core/store"

// Tx is what the operations read and write, in the domain's terms. Every
// store implementation's transactions implement it; the operations declare
// it here, where they use it (core/store/storetest documents each method).
type Tx interface {
	FillTx
	RecordTx
	SettleTx
	SessionTx

	PutWorkspace(name string) error

	PutAccount(a store.Account) error
	AccountByAddress(ws, address string) (store.Account, error)
	AccountByHandle(handle string) (store.Account, error)
	Accounts(ws string) ([]store.Account, error)
	DeleteAccount(ws, id string) error
	AccountState(ws, accountID string) (store.AccountState, error)
	PutAccountState(s store.AccountState) error
	SentOn(ws, accountID, day string) (int, error)

	PutFilter(f store.Filter) error
	Filter(ws, id string) (store.Filter, error)
	FilterByAddress(ws, address string) (store.Filter, error)
	Filters(ws string) ([]store.Filter, error)
	DeleteFilter(ws, id string) error

	PutSource(s store.Source) error
	Source(ws, id string) (store.Source, error)
	SourceByAddress(ws, address string) (store.Source, error)
	Sources(ws string) ([]store.Source, error)
	DeleteSource(ws, id string) error
	SourceLeadCount(ws, sourceID string) (int, error)

	Campaign(ws, id string) (store.Campaign, error)
	CampaignByAddress(ws, address string) (store.Campaign, error)
	DeleteCampaign(ws, id string) error

	PutWebhook(w store.Webhook) error
	Webhook(ws, id string) (store.Webhook, error)
	WebhookByAddress(ws, address string) (store.Webhook, error)
	Webhooks(ws string) ([]store.Webhook, error)
	DeleteWebhook(ws, id string) error
	Deliveries(ws, webhookID string, limit int) ([]store.Delivery, error)
	Delivery(ws, id string) (store.Delivery, error)
	PutDelivery(d store.Delivery) error

	PutScheduledTweet(t store.ScheduledTweet) error
	ScheduledTweet(ws, id string) (store.ScheduledTweet, error)
	ScheduledTweetByAddress(ws, address string) (store.ScheduledTweet, error)
	ScheduledTweets(ws string) ([]store.ScheduledTweet, error)
	DeleteScheduledTweet(ws, id string) error

	PutCustomTag(t store.CustomTag) error
	CustomTags(ws string) ([]store.CustomTag, error)
	DeleteCustomTag(ws, id string) error

	Lead(ws, userID string) (store.Lead, error)
	LeadsAfter(ws, after string, limit int) ([]store.Lead, error)
	AddDoNotContact(ws, userID, reason string) error
	RemoveDoNotContact(ws, userID string) error
	DoNotContacts(ws string) ([]store.DoNotContact, error)

	PendingJobs(ws string) (int, error)
	AccountTallies(ws, accountID string) ([]store.JobTally, error)
	Intent(ws, jobID string) (store.Intent, error)
	Engagements(ws, campaignID, leadID string) ([]store.Engagement, error)
	EngageTallies(ws, campaignID string) ([]store.EngageTally, error)

	Conversation(ws, id string) (store.Conversation, error)
	PutConversation(c store.Conversation) error
	CreateConversation(c store.Conversation, first *store.Message, existing func() error) error
	Conversations(ws string, q store.ConversationQuery) ([]store.Conversation, error)
	EachConversationWithLead(ws string, q store.ConversationQuery, fn func(*store.ConversationWithLead) error) error
	ReplyTallies(ws, campaignID string) ([]store.ReplyTally, error)
	SentimentTallies(ws, accountID string) ([]store.SentimentTally, error)
	Messages(ws, conversationID string) ([]store.Message, error)

	Events(ws string, afterSeq int64, limit int) ([]store.Event, error)

	// Setting and PutSetting keep install-wide values by name; credential
	// jobs live there (credentials.go).
	Setting(name string) (string, error)
	PutSetting(name, value string) error

	PutAPIKey(k store.APIKey) error
	APIKeyByHash(hash string) (store.APIKey, error)
	APIKeys(ws string) ([]store.APIKey, error)
}
