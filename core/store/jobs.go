package store

import (
	"fmt"
	"time"
)

// JobKind is what a job does.
type JobKind string

// Job kinds.
const (
	// JobScrape walks one target's followers or following.
	JobScrape JobKind = "scrape"
	// JobDM sends a campaign's first DM to one lead.
	JobDM JobKind = "dm"
	// JobFollowup sends one follow-up to one lead.
	JobFollowup JobKind = "followup"
	// JobMessage sends a message a person wrote (the API's dm/send, the
	// dashboard's reply box): not paced, but counted against the caps.
	JobMessage JobKind = "message"
	// JobAnswer sends the AI setter's answer to a lead's reply
	// (ConversationID): drafted by the AI plugin when it is due (Text and
	// Provenance keep the draft), then sent like a campaign's DM, within
	// the account's caps, pacing and active hours.
	JobAnswer JobKind = "answer"
	// JobTweet posts one scheduled tweet (TweetID) from its account: run
	// under the account's lease like a send, but neither paced nor counted
	// against the DM caps.
	JobTweet JobKind = "tweet"
)

// Sends reports whether jobs of kind k send a DM.
func (k JobKind) Sends() bool {
	return k == JobDM || k == JobFollowup || k == JobMessage || k == JobAnswer
}

// JobState is where a job is in its life.
type JobState string

// Job states. Pending jobs are due at DueAt; the others are final, except
// that a NeedsReview job waits for a person.
const (
	JobPending     JobState = "pending"
	JobDone        JobState = "done"
	JobFailed      JobState = "failed"
	JobCancelled   JobState = "cancelled"
	JobSkipped     JobState = "skipped"
	JobNeedsReview JobState = "needs_review"
)

// Final reports whether a job in state s will not run again by itself.
func (s JobState) Final() bool { return s != JobPending }

// Job is one step of work: durable, due at a time, leased by the worker
// that runs it.
//
// A job that names an account (AccountID) waits in that account's queue
// and runs only under the account's lease; a job that names none (a
// scrape) waits in the workspace-wide due order.
type Job struct {
	ID        string    `json:"id"`
	Workspace string    `json:"workspace"`
	Kind      JobKind   `json:"kind"`
	State     JobState  `json:"state"`
	DueAt     time.Time `json:"due_at"`
	Attempts  int       `json:"attempts"`
	LastError string    `json:"last_error,omitempty"`
	// Lease is held by the worker running the job.
	Lease Lease `json:"lease,omitzero"`

	SourceID string `json:"source_id,omitempty"`
	// Handle and Relation name a scrape target; Cursor is the checkpoint
	// after the last page committed.
	Handle   string `json:"handle,omitempty"`
	Relation string `json:"relation,omitempty"`
	Cursor   string `json:"cursor,omitempty"`
	// TargetUserID is the scraped handle's user id, once looked up.
	TargetUserID string `json:"target_user_id,omitempty"`
	// Seen counts the users a scrape has read; Kept those its filter kept.
	Seen int `json:"seen,omitempty"`
	Kept int `json:"kept,omitempty"`

	CampaignID string `json:"campaign_id,omitempty"`
	AccountID  string `json:"account_id,omitempty"`
	LeadID     string `json:"lead_id,omitempty"`
	Variant    int    `json:"variant"`
	// Step is 0 for a first DM and n for the n-th follow-up.
	Step int `json:"step"`
	// Text is what a JobMessage sends, or a JobAnswer's draft, which
	// Provenance says what wrote.
	Text string `json:"text,omitempty"`
	Provenance
	// TweetID is the scheduled tweet a JobTweet posts.
	TweetID string `json:"tweet_id,omitempty"`

	ConversationID string `json:"conversation_id,omitempty"`
	EventID        string `json:"event_id,omitempty"`

	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
	DoneAt    time.Time `json:"done_at,omitzero"`
}

// Job ids are derived from what the job is about, so creating a job twice
// is a no-op: this is what keeps a lead from getting a campaign's first DM
// twice, whatever is re-applied or re-scraped.

// DMJobID is the id of a campaign's first DM to a lead.
func DMJobID(campaignID, leadID string) string { return "dm-" + campaignID + "-" + leadID }

// FollowupJobID is the id of a campaign's step-th follow-up to a lead.
func FollowupJobID(campaignID, leadID string, step int) string {
	return fmt.Sprintf("fu-%s-%s-%d", campaignID, leadID, step)
}

// ScrapeJobID is the id of the scrape of one target of a source.
func ScrapeJobID(sourceID, relation, handle string) string {
	return "scrape-" + sourceID + "-" + relation + "-" + NormalizeHandle(handle)
}

// AnswerJobID is the id of the AI setter's n-th answer in a conversation:
// one per turn, however many messages the lead sends before it goes.
func AnswerJobID(conversationID string, n int) string {
	return fmt.Sprintf("ans-%s-%d", conversationID, n)
}

// TweetJobID is the id of the job that posts a scheduled tweet.
func TweetJobID(tweetID string) string { return "tweet-" + tweetID }

// JobQuery selects jobs. At least one of CampaignID, SourceID, AccountID
// or State is set; every field set must match.
type JobQuery struct {
	CampaignID string
	SourceID   string
	AccountID  string
	// LeadID narrows a query by campaign to one lead's jobs.
	LeadID string
	State  JobState
	Kind   JobKind
	// AfterID and Limit page through the results, which come in ID order:
	// only jobs whose ID sorts after AfterID, at most Limit (0: all).
	AfterID string
	Limit   int
}

// Intent records that the engine is about to cause an effect on X. It is
// written (and committed durably) before the plugin is called and removed
// with the outcome, so one found whose lease has expired marks an effect in
// doubt: its worker died or gave up between the two.
//
// A job has at most one intent at a time, for its effect in flight: a
// first DM's job makes its engagement steps (Engage) one after the other,
// each under an intent of its own, and then its send.
type Intent struct {
	JobID       string    `json:"job_id"`
	Workspace   string    `json:"workspace"`
	Kind        JobKind   `json:"kind"`
	AccountID   string    `json:"account_id"`
	RecipientID string    `json:"recipient_id"`
	Text        string    `json:"text"`
	At          time.Time `json:"at"`
	// Engage names the engagement step in flight, "" for the job's own
	// effect; PostID is the lead's post it likes or comments on.
	Engage EngageStep `json:"engage,omitempty"`
	PostID string     `json:"post_id,omitempty"`
	// Provenance names what wrote Text, when an AI plugin did (a comment,
	// an AI answer).
	Provenance
	// Lease is the job's lease: renewed while the plugin call runs.
	Lease Lease `json:"lease"`
}

// JobTally counts the jobs of one campaign (or none, for an account's
// tallies), account, kind, variant and state. Stores keep tallies up to
// date in the same transaction as every job they change, so reading a
// campaign's figures costs the same at 100,000 leads as at 100.
type JobTally struct {
	CampaignID string   `json:"campaign_id,omitempty"`
	AccountID  string   `json:"account_id,omitempty"`
	Kind       JobKind  `json:"kind"`
	Variant    int      `json:"variant"`
	State      JobState `json:"state"`
	N          int      `json:"n"`
}

// SentimentTally counts the replied conversations of one account and
// campaign by the sentiment of the lead's latest classified reply ("" for
// none yet).
type SentimentTally struct {
	AccountID  string `json:"account_id"`
	CampaignID string `json:"campaign_id"`
	Sentiment  string `json:"sentiment"`
	N          int    `json:"n"`
}

// ReplyTally counts the replied conversations of one campaign, account
// and variant.
type ReplyTally struct {
	CampaignID string `json:"campaign_id"`
	AccountID  string `json:"account_id"`
	Variant    int    `json:"variant"`
	N          int    `json:"n"`
}
