package storetest

import (
	"time"

	"github.com/outreachhq/outreach/core/store"
)

// Tx is the whole contract of a store's transaction: every method a
// consumer may declare. Each store implementation's transaction type
// implements it, and Run tests it method by method.
//
// Conventions that hold for every method:
//   - Records belong to a workspace; a read names the workspace and never
//     sees another workspace's record (it answers store.ErrNotFound).
//   - A getter of one record answers store.ErrNotFound, possibly wrapped,
//     when there is none; a lister answers an empty slice.
//   - Put* creates or replaces a whole record, by its ID (for states and
//     leads, by workspace and account or user id).
//   - Delete* of a record that does not exist is not an error.
//   - Records come back equal to what was put (times compared with Equal).
type Tx interface {
	Workspaces
	Accounts
	Objects
	Leads
	Jobs
	Engagements
	Conversations
	Outbox
	Keys
	Sessions
	Settings
	Export
	ReadsAhead
}

// ReadsAhead takes a hint that helps a store whose every read is a round
// trip to a server.
type ReadsAhead interface {
	// ReadAhead may read the records named (store.Read) now, for the calls
	// that read them next. It changes no answer: every method answers as
	// it would have without it, whatever was written in between. A store
	// with nothing to gain does nothing.
	ReadAhead(reads ...store.Read) error
}

// Workspaces registers workspace names.
type Workspaces interface {
	// PutWorkspace registers a workspace; registering one twice is harmless.
	PutWorkspace(name string) error
	// Workspaces lists the registered workspaces in name order.
	Workspaces() ([]string, error)
}

// Accounts stores accounts and their operational state.
type Accounts interface {
	// PutAccount stores an account, indexing it by Address (when set) and
	// by its normalized handle (store.NormalizeHandle) across the whole
	// install. Changing an account's Address or Handle moves its indexes.
	PutAccount(a store.Account) error
	Account(ws, id string) (store.Account, error)
	// AccountByAddress finds the account configuration manages at address.
	AccountByAddress(ws, address string) (store.Account, error)
	// AccountByHandle finds the account of a handle in any workspace, the
	// handle compared as store.NormalizeHandle does.
	AccountByHandle(handle string) (store.Account, error)
	// Accounts lists a workspace's accounts by CreatedAt, then ID.
	Accounts(ws string) ([]store.Account, error)
	// AllAccounts lists the accounts of every workspace: by workspace name,
	// then as Accounts orders them.
	AllAccounts() ([]store.Account, error)
	// DeleteAccount removes an account, its indexes and its state.
	DeleteAccount(ws, id string) error

	// AccountState returns an account's state; the zero state (with
	// Workspace and AccountID set) if none was ever put.
	AccountState(ws, accountID string) (store.AccountState, error)
	PutAccountState(s store.AccountState) error
	// SentOn returns how many DMs the account sent on a calendar day,
	// named by its key ("2026-03-02"); AddSentOn adds to it.
	SentOn(ws, accountID, day string) (int, error)
	AddSentOn(ws, accountID, day string, n int) error
}

// Objects stores the objects configuration and the API create. Each kind
// has the same five methods; List* orders by CreatedAt, then ID.
type Objects interface {
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

	PutCampaign(c store.Campaign) error
	Campaign(ws, id string) (store.Campaign, error)
	CampaignByAddress(ws, address string) (store.Campaign, error)
	Campaigns(ws string) ([]store.Campaign, error)
	DeleteCampaign(ws, id string) error

	PutWebhook(w store.Webhook) error
	Webhook(ws, id string) (store.Webhook, error)
	WebhookByAddress(ws, address string) (store.Webhook, error)
	Webhooks(ws string) ([]store.Webhook, error)
	DeleteWebhook(ws, id string) error

	PutScheduledTweet(t store.ScheduledTweet) error
	ScheduledTweet(ws, id string) (store.ScheduledTweet, error)
	ScheduledTweetByAddress(ws, address string) (store.ScheduledTweet, error)
	ScheduledTweets(ws string) ([]store.ScheduledTweet, error)
	DeleteScheduledTweet(ws, id string) error

	PutCustomTag(t store.CustomTag) error
	CustomTags(ws string) ([]store.CustomTag, error)
	DeleteCustomTag(ws, id string) error
}

// Leads stores leads, what sources kept, and who may be contacted.
type Leads interface {
	Lead(ws, userID string) (store.Lead, error)
	// AddSourceLead stores a lead (replacing the workspace's record of the
	// user) as kept by a source, at the end of the source's order. It
	// reports false, and writes nothing, if the source already has it.
	AddSourceLead(ws, sourceID string, l store.Lead) (bool, error)
	// SourceLeadCount is how many leads a source has kept.
	SourceLeadCount(ws, sourceID string) (int, error)
	// SourceLeads returns the user ids a source kept, in the order it kept
	// them, from position from (0-based), at most limit of them.
	SourceLeads(ws, sourceID string, from, limit int) ([]string, error)

	// MarkContacted records the campaign that first cold-messaged a lead;
	// ContactedBy returns it, "" if none has.
	MarkContacted(ws, userID, campaignID string) error
	ContactedBy(ws, userID string) (string, error)
	// AddDoNotContact puts a user on the workspace's do-not-contact list.
	AddDoNotContact(ws, userID, reason string) error
	DoNotContact(ws, userID string) (bool, error)
	// RemoveDoNotContact takes a user off the list; a user not on it is no
	// error.
	RemoveDoNotContact(ws, userID string) error
}

// Jobs stores jobs, their intents, and the tallies kept with them.
type Jobs interface {
	Job(ws, id string) (store.Job, error)
	// PutJob stores a job. In the same transaction the store moves the job
	// in its indexes and its tallies: a pending job with an account waits
	// in the account's queue, a pending job without one in the due order,
	// a final job in neither.
	PutJob(j store.Job) error
	// Jobs lists the jobs q selects, in ID order; a q that names nothing
	// selects every job of the workspace.
	Jobs(ws string, q store.JobQuery) ([]store.Job, error)
	// QueueHeads returns the first pending job (earliest DueAt, then lowest
	// ID) of each campaign and kind in the account's queue, ordered by
	// campaign ID, then kind. Jobs queued behind a head are not read.
	QueueHeads(ws, accountID string) ([]store.Job, error)
	// QueueHeadsAfter returns the account's queue heads as they will be
	// once job jobID leaves the queue: QueueHeads' answer with that job
	// left out, its lane's next job heading the lane (a lane it was alone
	// in is gone).
	QueueHeadsAfter(ws, accountID, jobID string) ([]store.Job, error)
	// DueJobs returns up to limit pending jobs without an account, of every
	// workspace, due at or before now, by DueAt, then workspace and ID.
	DueJobs(now time.Time, limit int) ([]store.Job, error)
	// NextDueAt is the DueAt of the earliest pending job without an
	// account, and false if there is none.
	NextDueAt() (time.Time, bool, error)
	// PendingJobs counts a workspace's pending jobs, of every kind.
	PendingJobs(ws string) (int, error)
	// CampaignTallies returns the non-zero tallies of a campaign's jobs, by
	// account, kind, variant and state.
	CampaignTallies(ws, campaignID string) ([]store.JobTally, error)
	// AccountTallies returns the non-zero tallies of the jobs that name an
	// account, by kind and state (CampaignID and Variant zero).
	AccountTallies(ws, accountID string) ([]store.JobTally, error)

	Intent(ws, jobID string) (store.Intent, error)
	PutIntent(in store.Intent) error
	// CreateIntent stores in unless its job has an intent already: then it
	// writes nothing and calls existing, as CreateConversation does (later,
	// on a store whose statements are round trips, but before the
	// transaction's next read and before it commits). It reads nothing a
	// concurrent creator of another job's intent writes.
	CreateIntent(in store.Intent, existing func() error) error
	DeleteIntent(ws, jobID string) error
	// ExpiredIntents returns up to limit intents of every workspace whose
	// lease has expired at now (Lease.Expires not after now), earliest
	// expiry first.
	ExpiredIntents(now time.Time, limit int) ([]store.Intent, error)
}

// Engagements stores how the engagement steps before first DMs ended,
// and how many of each step every account did per day.
type Engagements interface {
	// PutEngagement stores the outcome of one step toward one lead of a
	// campaign, replacing the one before (by workspace, campaign, lead and
	// step), and moves the campaign's engagement tallies with it.
	PutEngagement(e store.Engagement) error
	// Engagements lists a workspace's engagement outcomes by campaign, lead
	// and step (byte order): those of one campaign if campaignID is set,
	// of one lead if leadID is set.
	Engagements(ws, campaignID, leadID string) ([]store.Engagement, error)
	// EngageTallies returns the non-zero counts of a campaign's engagement
	// outcomes by account, step and state.
	EngageTallies(ws, campaignID string) ([]store.EngageTally, error)
	// EngagedOn returns how many of a step the account did on a calendar
	// day, named by its key ("2026-03-02"); AddEngagedOn adds to it. Like
	// SentOn, the counts outlive the account's record.
	EngagedOn(ws, accountID string, step store.EngageStep, day string) (int, error)
	AddEngagedOn(ws, accountID string, step store.EngageStep, day string, n int) error
}

// Conversations stores conversations, their messages and CRM cards.
type Conversations interface {
	Conversation(ws, id string) (store.Conversation, error)
	// PutConversation stores a conversation, keeping the reply tallies of
	// its campaign (Replied) in step.
	PutConversation(c store.Conversation) error
	// CreateConversation stores c, and its first message if first is not
	// nil (a message of c), unless the workspace has a conversation of c's
	// id: then it writes nothing and calls existing, which may read and
	// write in the transaction. A store whose statements are round trips
	// may call existing later, but before the transaction's next read and
	// before it commits (Postgres sends the insert with the next statement,
	// in one round trip). It reads nothing a concurrent creator of another
	// conversation writes: on Postgres, reading a conversation that is not
	// there would lock the index page where it would be, and fail
	// transactions creating its neighbours.
	CreateConversation(c store.Conversation, first *store.Message, existing func() error) error
	// Conversations returns a page of conversations (see
	// store.ConversationQuery).
	Conversations(ws string, q store.ConversationQuery) ([]store.Conversation, error)
	// EachConversationWithLead calls fn with each conversation of the
	// page Conversations would return, in its order, with its lead as
	// stored. fn's argument is the store's, reused from call to call: fn
	// copies what it keeps. fn may read in the transaction. An error from
	// fn ends the walk and is returned.
	EachConversationWithLead(ws string, q store.ConversationQuery, fn func(*store.ConversationWithLead) error) error
	// ReplyTallies returns the non-zero counts of a campaign's replied
	// conversations by account and variant.
	ReplyTallies(ws, campaignID string) ([]store.ReplyTally, error)
	// SentimentTallies returns the non-zero counts of an account's replied
	// campaign conversations by campaign and sentiment (Sentiment), in
	// campaign, then sentiment order.
	SentimentTallies(ws, accountID string) ([]store.SentimentTally, error)
	// AddMessage stores a message of a conversation; it reports false, and
	// writes nothing, if the conversation already has a message of this ID.
	AddMessage(m store.Message) (bool, error)
	// Messages lists a conversation's messages by At, then ID.
	Messages(ws, conversationID string) ([]store.Message, error)
}

// Outbox stores events and the cursors of their consumers.
type Outbox interface {
	// AppendEvent stores an event and returns it with its Seq: larger than
	// every Seq given before, in any workspace.
	AppendEvent(e store.Event) (store.Event, error)
	// AddEvent stores an event as AppendEvent does, but need not tell its
	// Seq (a store may then save itself a wait for it).
	AddEvent(e store.Event) error
	// Events returns up to limit of a workspace's events with a Seq after
	// afterSeq, in Seq order.
	Events(ws string, afterSeq int64, limit int) ([]store.Event, error)
	// EventCursor is where a consumer's reading of the outbox stands; 0
	// before it has read anything.
	EventCursor(consumer string) (int64, error)
	SetEventCursor(consumer string, seq int64) error

	// PutDelivery creates or updates a delivery record.
	PutDelivery(d store.Delivery) error
	// Delivery returns one; store.ErrNotFound if there is none.
	Delivery(ws, id string) (store.Delivery, error)
	// DueDeliveries lists up to limit of a webhook's deliveries that wait
	// for an attempt (pending or retrying) due at or before before,
	// earliest NextAttemptAt first, then in EventSeq order.
	DueDeliveries(ws, webhookID string, before time.Time, limit int) ([]store.Delivery, error)
	// Deliveries lists up to limit deliveries to a webhook, newest
	// (CreatedAt, then ID) first.
	Deliveries(ws, webhookID string, limit int) ([]store.Delivery, error)
}

// Keys stores API keys (their hashes).
type Keys interface {
	PutAPIKey(k store.APIKey) error
	// APIKeyByHash finds a key by its hash, in any workspace.
	APIKeyByHash(hash string) (store.APIKey, error)
	// APIKeys lists a workspace's keys by CreatedAt, then ID.
	APIKeys(ws string) ([]store.APIKey, error)
}

// Sessions stores dashboard sessions across workspaces, by the hash of
// their token. They are short-lived: copying a store leaves them behind.
type Sessions interface {
	// PutSession creates or replaces a session, by TokenHash.
	PutSession(s store.Session) error
	// Session returns the session of a token hash; store.ErrNotFound if
	// there is none.
	Session(tokenHash string) (store.Session, error)
	// DeleteSession removes a session; removing one that does not exist is
	// not an error.
	DeleteSession(tokenHash string) error
	// DeleteSessionsSeenBefore removes every session whose LastSeenAt is
	// before t, and says how many it removed.
	DeleteSessionsSeenBefore(t time.Time) (int, error)
}

// Settings stores install-wide values by name.
type Settings interface {
	// Setting returns the value of a setting; "" if none was ever put.
	Setting(name string) (string, error)
	PutSetting(name, value string) error
	// AddSpend, SpendOn and WorkspaceSpendOn count what accounts' network
	// calls cost, per UTC day (storetest.Spends).
	AddSpend(ws, accountID, day string, s store.Spend) error
	SpendOn(ws, accountID, day string) (store.Spend, error)
	WorkspaceSpendOn(ws, day string) (store.Spend, error)
}

// Export lists what copying a whole store (outreach store copy) needs that
// no other method lists.
type Export interface {
	// PutLead stores (or replaces) the workspace's record of a user, kept
	// by no source.
	PutLead(l store.Lead) error
	// LeadsAfter returns up to limit of a workspace's leads whose user id
	// sorts after after (byte order), in user id order.
	LeadsAfter(ws, after string, limit int) ([]store.Lead, error)
	// Contacts lists a workspace's contacted marks (MarkContacted), by user
	// id.
	Contacts(ws string) ([]store.Contact, error)
	// DoNotContacts lists a workspace's do-not-contact list, by user id.
	DoNotContacts(ws string) ([]store.DoNotContact, error)
	// SentDays lists an account's non-zero SentOn counts, by day.
	SentDays(ws, accountID string) ([]store.DayCount, error)
	// EngagedDays lists an account's non-zero EngagedOn counts, by step,
	// then day.
	EngagedDays(ws, accountID string) ([]store.EngageCount, error)
	// Intents lists a workspace's intents, by job id.
	Intents(ws string) ([]store.Intent, error)
	// EventCursors returns every consumer's cursor, by consumer.
	EventCursors() (map[string]int64, error)
	// PutEvent stores an event with the Seq it carries (a copy keeps Seqs);
	// AppendEvent afterwards gives Seqs larger than every Seq put.
	PutEvent(e store.Event) error
}
