package store

import "time"

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
)

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

// Job is one step of work for the engine: durable, leased by due time.
type Job struct {
	ID        string    `json:"id"`
	Workspace string    `json:"workspace"`
	Kind      JobKind   `json:"kind"`
	State     JobState  `json:"state"`
	DueAt     time.Time `json:"due_at"`
	Attempts  int       `json:"attempts"`
	LastError string    `json:"last_error,omitempty"`

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

	ConversationID string `json:"conversation_id,omitempty"`
	EventID        string `json:"event_id,omitempty"`

	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
	DoneAt    time.Time `json:"done_at,omitzero"`
}

// Intent records that the engine is about to cause an effect on X. It is
// written and synced before the plugin is called and removed with the
// outcome, so one found at start-up marks an effect in doubt.
type Intent struct {
	JobID       string    `json:"job_id"`
	Workspace   string    `json:"workspace"`
	AccountID   string    `json:"account_id"`
	RecipientID string    `json:"recipient_id"`
	Text        string    `json:"text"`
	At          time.Time `json:"at"`
}
