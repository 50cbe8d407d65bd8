package engine

// EventKind names a kind of progress.
type EventKind int

// Kinds of progress the engine reports.
const (
	// Scraped: a page of a scrape was committed; Seen and Kept count it.
	Scraped EventKind = iota + 1
	// Queued: first DM jobs were created for a campaign; Count says how many.
	Queued
	// Sent: a first DM (Step 0) or follow-up was sent.
	Sent
	// Replied: a lead replied.
	Replied
	// Failed: a job failed for good or was parked for review.
	Failed
)

// Event is one piece of progress.
type Event struct {
	Kind       EventKind
	Workspace  string
	SourceID   string
	CampaignID string
	AccountID  string
	Variant    int
	Step       int
	// Manual marks a message a person wrote, sent through the API.
	Manual     bool
	Seen, Kept int
	Count      int
	Err        error
}
