package engine

import "fmt"

// Job ids are derived from what the job is about, so creating a job twice
// is a no-op: this is what keeps a lead from getting a campaign's first DM
// twice, whatever is re-applied or re-scraped.

// DMJobID is the id of a campaign's first DM to a lead.
func DMJobID(campaignID, leadID string) string { return "dm-" + campaignID + "-" + leadID }

// FollowupJobID is the id of a campaign's step-th follow-up to a lead.
func FollowupJobID(campaignID, leadID string, step int) string {
	return fmt.Sprintf("%s%d", followupPrefix(campaignID, leadID), step)
}

func followupPrefix(campaignID, leadID string) string { return "fu-" + campaignID + "-" + leadID + "-" }

// ScrapeJobID is the id of the scrape of one target of a source.
func ScrapeJobID(sourceID, relation, handle string) string {
	return SourceJobPrefix(sourceID) + relation + "-" + handle
}

// SourceJobPrefix starts the ids of every scrape job of a source.
func SourceJobPrefix(sourceID string) string { return "scrape-" + sourceID + "-" }

// CampaignJobPrefixes start the ids of every job of a campaign: its first
// DMs and its follow-ups.
func CampaignJobPrefixes(campaignID string) []string {
	return []string{"dm-" + campaignID + "-", "fu-" + campaignID + "-"}
}
