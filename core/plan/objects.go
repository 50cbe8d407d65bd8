package plan

import (
	"strings"

	"github.com/outreachhq/outreach/core/schedule"
	"github.com/outreachhq/outreach/core/store"
)

// Objects is a set of configuration-managed objects as records, each with
// its Address set: what a configuration declares (the desired side, built
// by the service from the configuration) or what the store holds (the
// current side, read by the service). References name their targets by
// label, as a configuration does, so that the two sides compare.
type Objects struct {
	Accounts  []store.Account
	Filters   []store.Filter
	Sources   []Source
	Campaigns []Campaign
	Webhooks  []store.Webhook
	Tweets    []Tweet
}

// Source is a lead source and the label of its named filter ("" for an
// inline filter or none).
type Source struct {
	store.Source
	Filter string
}

// Campaign is a campaign and the labels of its sources and accounts.
type Campaign struct {
	store.Campaign
	Sources, Accounts []string
}

// Tweet is a scheduled tweet and the label of its account.
type Tweet struct {
	store.ScheduledTweet
	Account string
}

// Label is the label of an address: "hello" of "campaign.hello".
func Label(address string) string {
	_, label, _ := strings.Cut(address, ".")
	return label
}

// Snapshot is what the store holds for a plan: the managed objects of the
// workspace, and the facts the work estimate starts from, by the label of
// each desired object they concern. The service reads it in one
// transaction; the plan reads nothing else.
type Snapshot struct {
	Current   Objects
	Accounts  map[string]AccountFacts
	Sources   map[string]SourceFacts
	Campaigns map[string]CampaignFacts
}

// AccountFacts are what an account's sends depend on besides its record.
type AccountFacts struct {
	// Cap is the account's daily DM cap as the engine will apply it once
	// the configuration is applied (store.Account.DailyCap).
	Cap schedule.DailyCap
	// SentToday counts the DMs it sent today, in Cap's time zone.
	SentToday int
	// Holds are the holds in force on it. A plan shows them; applying
	// never lifts them.
	Holds []store.Hold
}

// SourceFacts are what a source has done so far.
type SourceFacts struct {
	// Kept counts the leads it has kept.
	Kept int
	// Scraped holds "relation/handle" for each list whose scrape has ended.
	Scraped map[string]bool
	// ListSizes are the sizes of lists, by "relation/handle", where known
	// (a profile's follower count, say): the pages a scrape reads follow
	// from them.
	ListSizes map[string]int
}

// CampaignFacts are what a campaign has done so far.
type CampaignFacts struct {
	// Sent counts first DMs sent; Skipped those a policy or a person
	// skipped; Failed the other ones that failed for good or
	// wait for review.
	Sent, Skipped, Failed int
}
