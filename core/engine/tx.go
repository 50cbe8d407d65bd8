package engine

import (
	"time"

	"github.com/outreachhq/outreach/core/service"
	"github.com/outreachhq/outreach/core/store"
)

// Tx is what the engine reads and writes, in the domain's terms (each
// method is documented in core/store/storetest). It includes what filling
// campaigns and recording sends need, since the engine does both inside
// its own transactions.
type Tx interface {
	service.FillTx
	service.RecordTx
	service.HoldTx
	service.TweetTx
	service.SpendTx

	// Accounts and their state.
	AllAccounts() ([]store.Account, error)
	PutAccount(a store.Account) error
	SentOn(ws, accountID, day string) (int, error)

	// What sends and scrapes read.
	Campaign(ws, id string) (store.Campaign, error)
	Source(ws, id string) (store.Source, error)
	Sources(ws string) ([]store.Source, error)
	PutSource(s store.Source) error
	Filter(ws, id string) (store.Filter, error)
	Accounts(ws string) ([]store.Account, error)
	Lead(ws, userID string) (store.Lead, error)
	AddSourceLead(ws, sourceID string, l store.Lead) (bool, error)
	SourceLeadCount(ws, sourceID string) (int, error)
	AddDoNotContact(ws, userID, reason string) error
	Messages(ws, conversationID string) ([]store.Message, error)
	ReplyTallies(ws, campaignID string) ([]store.ReplyTally, error)

	// The queues.
	QueueHeads(ws, accountID string) ([]store.Job, error)
	QueueHeadsAfter(ws, accountID, jobID string) ([]store.Job, error)
	DueJobs(now time.Time, limit int) ([]store.Job, error)
	NextDueAt() (time.Time, bool, error)
	PendingJobs(ws string) (int, error)

	// Intents.
	Intent(ws, jobID string) (store.Intent, error)
	PutIntent(in store.Intent) error
	CreateIntent(in store.Intent, existing func() error) error
	ExpiredIntents(now time.Time, limit int) ([]store.Intent, error)

	// The engagement before first DMs, and its daily counts.
	Engagements(ws, campaignID, leadID string) ([]store.Engagement, error)
	PutEngagement(e store.Engagement) error
	EngagedOn(ws, accountID string, step store.EngageStep, day string) (int, error)
	AddEngagedOn(ws, accountID string, step store.EngageStep, day string, n int) error
	// ReadAhead is a hint: the records named are read next (store.Read).
	ReadAhead(reads ...store.Read) error
}
