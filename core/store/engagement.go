package store

import "time"

// EngageStep is one step of the engagement a campaign may ask for before
// its first DM to a lead (Campaign.Follow, Like and Comment).
type EngageStep string

// Engagement steps.
const (
	// EngageFollow follows the lead.
	EngageFollow EngageStep = "follow"
	// EngageLike likes the lead's latest post.
	EngageLike EngageStep = "like"
	// EngageComment replies to the lead's latest post with text the AI
	// plugin writes.
	EngageComment EngageStep = "comment"
)

// EngageSteps lists the steps in the order they run.
var EngageSteps = []EngageStep{EngageFollow, EngageLike, EngageComment}

// Asks reports whether the campaign asks for step before its first DMs.
func (c Campaign) Asks(step EngageStep) bool {
	switch step {
	case EngageFollow:
		return c.Follow
	case EngageLike:
		return c.Like
	case EngageComment:
		return c.Comment
	}
	return false
}

// Engages reports whether the campaign asks for any engagement.
func (c Campaign) Engages() bool { return c.Follow || c.Like || c.Comment }

// EngageState is how an engagement step ended.
type EngageState string

// Engagement outcomes.
const (
	// EngageDone: it happened on X.
	EngageDone EngageState = "done"
	// EngageRequested: a follow of a protected lead, which X sent as a
	// follow request.
	EngageRequested EngageState = "requested"
	// EngageSkipped: it was not tried, for the Reason given (a daily cap
	// reached, a lead without posts, no comment written).
	EngageSkipped EngageState = "skipped"
	// EngageFailed: it was tried and failed, with the error in Reason; or
	// it may have happened and X could not say (InDoubt).
	EngageFailed EngageState = "failed"
)

// Engagement is the outcome of one engagement step of a campaign toward
// one lead: one record per campaign, lead and step, written with the
// outcome (the step's Intent comes before it). Whatever it says, the
// first DM goes on after it.
type Engagement struct {
	Workspace  string     `json:"workspace"`
	CampaignID string     `json:"campaign_id"`
	LeadID     string     `json:"lead_id"`
	Step       EngageStep `json:"step"`
	// AccountID is the account that engaged, or would have: the one that
	// sends the lead's first DM.
	AccountID string      `json:"account_id"`
	State     EngageState `json:"state"`
	// Reason says why a step was skipped, or how it failed.
	Reason string `json:"reason,omitempty"`
	// InDoubt marks a failed step that may have happened on X: a comment
	// in doubt that X could not confirm is never posted again.
	InDoubt bool `json:"in_doubt,omitempty"`
	// PostID is the lead's post liked or commented on; CommentID and Text
	// are the comment's, on X.
	PostID    string `json:"post_id,omitempty"`
	CommentID string `json:"comment_id,omitempty"`
	Text      string `json:"text,omitempty"`
	// Provenance names what wrote the comment.
	Provenance
	At time.Time `json:"at"`
}

// EngageTally counts the engagement outcomes of one campaign by account,
// step and state, kept by stores with every Engagement put, as JobTally
// is with jobs.
type EngageTally struct {
	CampaignID string      `json:"campaign_id"`
	AccountID  string      `json:"account_id"`
	Step       EngageStep  `json:"step"`
	State      EngageState `json:"state"`
	N          int         `json:"n"`
}

// EngageCount is how many of one engagement step an account did on a
// calendar day ("2026-03-02"), as DayCount is for DMs.
type EngageCount struct {
	Step EngageStep `json:"step"`
	Day  string     `json:"day"`
	N    int        `json:"n"`
}

// EngageLimit is the account's cap on a step per day, counted in the days
// of its cap time zone (CapLocation) as its DMs are; 0 means the account
// does none of it.
func (a Account) EngageLimit(step EngageStep) int {
	switch step {
	case EngageFollow:
		return a.DailyFollowLimit
	case EngageLike:
		return a.DailyLikeLimit
	case EngageComment:
		return a.DailyCommentLimit
	}
	return 0
}
