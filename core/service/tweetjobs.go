package service

import (
	"time"

	"github.com/outreachhq/outreach/core/store"
)

// A scheduled tweet is posted by a job of kind store.JobTweet, made in the
// same transaction as the tweet and due at its time, so that the work
// exists exactly when the tweet does (the River way: InsertTx). The job
// names the tweet's account and so runs under the account's lease, like
// the account's DMs: at most one of its effects on X is in flight.

// TweetJobTx is what keeping a tweet's job in step with the tweet needs.
type TweetJobTx interface {
	Job(ws, id string) (store.Job, error)
	PutJob(j store.Job) error
}

// putTweetJob creates the job that posts a pending tweet, or moves it to
// the tweet's (new) time and account. A job already settled is left be.
func putTweetJob(tx TweetJobTx, t store.ScheduledTweet, now time.Time) error {
	id := store.TweetJobID(t.ID)
	j, err := tx.Job(t.Workspace, id)
	switch {
	case store.IsNotFound(err):
		j = store.Job{ID: id, Workspace: t.Workspace, Kind: store.JobTweet, State: store.JobPending, TweetID: t.ID, CreatedAt: now}
	case err != nil:
		return err
	case j.State.Final():
		return nil
	}
	j.AccountID, j.DueAt, j.UpdatedAt = t.AccountID, t.ScheduledAt, now
	return tx.PutJob(j)
}

// cancelTweetJob cancels the pending job of a tweet, with a reason.
func cancelTweetJob(tx TweetJobTx, ws, tweetID string, now time.Time, why string) error {
	j, err := tx.Job(ws, store.TweetJobID(tweetID))
	if store.IsNotFound(err) || err == nil && j.State.Final() {
		return nil
	}
	if err != nil {
		return err
	}
	return tx.PutJob(cancelled(j, why, now))
}

// TweetTx is what recording a tweet's outcome reads and writes.
type TweetTx interface {
	EventTx
	ScheduledTweet(ws, id string) (store.ScheduledTweet, error)
	PutScheduledTweet(t store.ScheduledTweet) error
}

// TweetPosted records that a scheduled tweet is on X as post postID,
// created at postedAt, and appends its tweet_posted event, unless the
// tweet is no longer pending (then it reports false).
func TweetPosted(tx TweetTx, ws, tweetID, handle, postID string, postedAt, now time.Time) (bool, error) {
	t, err := tx.ScheduledTweet(ws, tweetID)
	if err != nil || t.Status != store.TweetPending {
		return false, err
	}
	t.Status, t.TweetID, t.PostedAt, t.ErrorMessage, t.UpdatedAt = store.TweetPosted, postID, postedAt.UTC(), "", now
	if err := tx.PutScheduledTweet(t); err != nil {
		return false, err
	}
	return true, AppendEvent(tx, ws, store.EventTweetPosted, now, store.TweetPostedData{
		ScheduledTweetID: t.ID, AccountHandle: handle, TweetID: postID, TweetText: t.Text,
		PostedAt: t.PostedAt.Format(time.RFC3339),
	})
}

// TweetFailed records that a scheduled tweet will not be posted, and why,
// and appends its tweet_failed event, unless the tweet is no longer
// pending (then it reports false).
func TweetFailed(tx TweetTx, ws, tweetID, handle, why string, now time.Time) (bool, error) {
	t, err := tx.ScheduledTweet(ws, tweetID)
	if err != nil || t.Status != store.TweetPending {
		return false, err
	}
	t.Status, t.ErrorMessage, t.UpdatedAt = store.TweetFailed, why, now
	if err := tx.PutScheduledTweet(t); err != nil {
		return false, err
	}
	return true, AppendEvent(tx, ws, store.EventTweetFailed, now, store.TweetFailedData{
		ScheduledTweetID: t.ID, AccountHandle: handle, TweetText: t.Text, ErrorMessage: why,
	})
}

// failAccountTweets fails the pending tweets of an account being removed.
func failAccountTweets(tx Tx, a store.Account, now time.Time) error {
	tweets, err := tx.ScheduledTweets(a.Workspace)
	if err != nil {
		return err
	}
	for _, t := range tweets {
		if t.AccountID != a.ID || t.Status != store.TweetPending {
			continue
		}
		if _, err := TweetFailed(tx, a.Workspace, t.ID, a.Handle, "its account @"+a.Handle+" was removed", now); err != nil {
			return err
		}
	}
	return nil
}
