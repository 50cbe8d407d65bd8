package store

import "time"

// KindTweet is the object kind of scheduled tweets.
const KindTweet = "tweet"

// TweetStatus is where a scheduled tweet is in its life, as the hosted API
// names it.
type TweetStatus string

// Scheduled tweet states.
const (
	TweetPending   TweetStatus = "pending"
	TweetPosted    TweetStatus = "posted"
	TweetFailed    TweetStatus = "failed"
	TweetCancelled TweetStatus = "cancelled"
)

// ScheduledTweet is a tweet to post from an account at a set time.
type ScheduledTweet struct {
	ID        string `json:"id"`
	Workspace string `json:"workspace"`
	// Name is the tweet block's label when config manages it.
	Name         string      `json:"name,omitempty"`
	AccountID    string      `json:"account_id"`
	Text         string      `json:"text"`
	ScheduledAt  time.Time   `json:"scheduled_at"`
	Status       TweetStatus `json:"status"`
	PostedAt     time.Time   `json:"posted_at,omitzero"`
	TweetID      string      `json:"tweet_id,omitempty"`
	ErrorMessage string      `json:"error_message,omitempty"`
	CreatedAt    time.Time   `json:"created_at"`
	UpdatedAt    time.Time   `json:"updated_at"`
}

// PutScheduledTweet creates or replaces a scheduled tweet.
func (t *Tx) PutScheduledTweet(s ScheduledTweet) error {
	return putObject(t, s.Workspace, KindTweet, s.ID, s.Name, s)
}

// ScheduledTweet returns a scheduled tweet by id.
func (t *Tx) ScheduledTweet(ws, id string) (ScheduledTweet, error) {
	return objectByID[ScheduledTweet](t, ws, KindTweet, id)
}

// ScheduledTweetByName returns a config-managed scheduled tweet by its
// block name.
func (t *Tx) ScheduledTweetByName(ws, name string) (ScheduledTweet, error) {
	return objectByName[ScheduledTweet](t, ws, KindTweet, name)
}

// ScheduledTweets lists the workspace's scheduled tweets, oldest first.
func (t *Tx) ScheduledTweets(ws string) ([]ScheduledTweet, error) {
	return objects(t, ws, KindTweet, func(s *ScheduledTweet) time.Time { return s.CreatedAt })
}

// DeleteScheduledTweet removes a scheduled tweet.
func (t *Tx) DeleteScheduledTweet(s ScheduledTweet) error {
	return deleteObject(t, s.Workspace, KindTweet, s.ID, s.Name)
}
