package service

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/outreachhq/outreach/core/store"
)

// MaxTweetLength is the longest tweet the hosted API schedules.
const MaxTweetLength = 280

// TweetInfo is a scheduled tweet with its account.
type TweetInfo struct {
	store.ScheduledTweet
	Account store.Account
}

// ScheduleTweet schedules a tweet from an account at a time in the future.
func (s *Service) ScheduleTweet(ctx context.Context, ws, accountID, text string, at time.Time) (TweetInfo, error) {
	if err := checkTweet(text); err != nil {
		return TweetInfo{}, err
	}
	var out TweetInfo
	err := s.update(ctx, func(tx Tx) (bool, error) {
		if accountID == "" {
			return false, invalid("account_id", "give the account to post from")
		}
		// Another workspace's account is not found (ErrNotFound), as
		// anything outside the caller's workspace is.
		a, err := resolveAccount(tx, ws, AccountRef{ID: accountID})
		if err != nil {
			return false, err
		}
		now := s.clock.Now().UTC()
		if !at.After(now) {
			return false, invalid("scheduled_at", "%s is not in the future", at.UTC().Format(time.RFC3339))
		}
		t := store.ScheduledTweet{
			ID: uuid.NewString(), Workspace: ws, AccountID: a.ID, Text: text, ScheduledAt: at.UTC(),
			Status: store.TweetPending, CreatedAt: now, UpdatedAt: now,
		}
		out = TweetInfo{ScheduledTweet: t, Account: a}
		if err := tx.PutScheduledTweet(t); err != nil {
			return false, err
		}
		return true, putTweetJob(tx, t, now)
	})
	return out, err
}

func checkTweet(text string) error {
	switch n := utf8.RuneCountInString(text); {
	case strings.TrimSpace(text) == "":
		return invalid("tweet_text", "the tweet is empty")
	case n > MaxTweetLength:
		return invalid("tweet_text", "%d characters; a tweet has at most %d", n, MaxTweetLength)
	}
	return nil
}

// CancelTweet cancels a pending scheduled tweet and its job; a posted,
// failed or cancelled one cannot be cancelled (a *ConflictError naming its
// status). A cancel racing the post is safe: the
// engine re-reads the tweet's status in the transaction that commits its
// intent, so either the cancel commits first and nothing is posted, or
// the intent does and the tweet, posted or not, is no longer pending here.
func (s *Service) CancelTweet(ctx context.Context, ws, id string) (store.ScheduledTweet, error) {
	var t store.ScheduledTweet
	err := s.update(ctx, func(tx Tx) (bool, error) {
		if !lookupKey(id) {
			return false, notFound("scheduled tweet %q", id)
		}
		var err error
		t, err = tx.ScheduledTweet(ws, id)
		if store.IsNotFound(err) {
			return false, notFound("scheduled tweet %s", id)
		}
		if err != nil {
			return false, err
		}
		if t.Status != store.TweetPending {
			return false, &ConflictError{Field: "tweet_id", Reason: fmt.Sprintf("the tweet is %s; only a pending tweet can be cancelled", t.Status)}
		}
		switch _, err := tx.Intent(ws, store.TweetJobID(t.ID)); {
		case err == nil:
			return false, &ConflictError{Field: "tweet_id", Reason: "the tweet is being posted at this moment and can no longer be cancelled"}
		case !store.IsNotFound(err):
			return false, err
		}
		now := s.clock.Now().UTC()
		t.Status, t.UpdatedAt = store.TweetCancelled, now
		if err := tx.PutScheduledTweet(t); err != nil {
			return false, err
		}
		return false, cancelTweetJob(tx, ws, t.ID, now, "the tweet was cancelled")
	})
	return t, err
}

// TweetFilter narrows a listing of scheduled tweets.
type TweetFilter struct {
	AccountID string
	Status    store.TweetStatus
}

// ListTweets returns a page of scheduled tweets, soonest first, and how
// many match in all.
func (s *Service) ListTweets(ctx context.Context, ws string, f TweetFilter, limit, offset int) ([]TweetInfo, int, error) {
	var (
		out   []TweetInfo
		total int
	)
	err := s.view(ctx, func(tx Tx) error {
		all, err := tx.ScheduledTweets(ws)
		if err != nil {
			return err
		}
		var match []store.ScheduledTweet
		for _, t := range all {
			if (f.AccountID == "" || t.AccountID == f.AccountID) && (f.Status == "" || t.Status == f.Status) {
				match = append(match, t)
			}
		}
		// Soonest first, as documented; the store lists by id.
		slices.SortStableFunc(match, func(a, b store.ScheduledTweet) int {
			return cmp.Or(a.ScheduledAt.Compare(b.ScheduledAt), strings.Compare(a.ID, b.ID))
		})
		total = len(match)
		for _, t := range page(match, limit, offset) {
			info := TweetInfo{ScheduledTweet: t}
			if info.Account, err = tx.Account(ws, t.AccountID); err != nil && !store.IsNotFound(err) {
				return err
			}
			out = append(out, info)
		}
		return nil
	})
	return out, total, err
}
