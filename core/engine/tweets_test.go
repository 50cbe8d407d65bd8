package engine

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/outreachhq/outreach/core/service"
	"github.com/outreachhq/outreach/core/store"
	"github.com/outreachhq/outreach/core/store/storetest"
	"github.com/outreachhq/outreach/core/store/teststore"
	"github.com/outreachhq/outreach/sdk"
)

// scheduleTweet schedules a tweet through the service, as the API does.
func (h *harness) scheduleTweet(a store.Account, text string, at time.Time) store.ScheduledTweet {
	h.t.Helper()
	info, err := h.service().ScheduleTweet(context.Background(), ws, a.ID, text, at)
	if err != nil {
		h.t.Fatalf("ScheduleTweet: %v", err)
	}
	return info.ScheduledTweet
}

func (h *harness) tweet(id string) store.ScheduledTweet {
	h.t.Helper()
	var t store.ScheduledTweet
	h.view(func(tx storetest.Tx) (err error) {
		t, err = tx.ScheduledTweet(ws, id)
		return err
	})
	return t
}

// postsBy returns the tweets X holds from an account.
func (h *harness) postsBy(a store.Account) []sdk.Post {
	var out []sdk.Post
	for _, p := range h.x.posts {
		if p.AuthorID == h.x.byName[a.Handle] {
			out = append(out, p)
		}
	}
	return out
}

// TestTweetPostedAtItsTime: a scheduled tweet is posted at its time, not
// before, recorded with X's id and time and a tweet_posted event, without
// touching the account's DM pacing or counts.
func TestTweetPostedAtItsTime(t *testing.T) {
	h := newHarness(t)
	acct := h.account("sales", h.known)
	at := t0.Add(2 * time.Hour)
	tw := h.scheduleTweet(acct, "Launch day!", at)
	e := h.engine()

	h.runFor(e, at.Add(-time.Minute).Sub(h.clk.Now()), 7*time.Minute)
	if n := len(h.x.posts); n != 0 {
		t.Fatalf("%d posts on X at %s; want none before %s", n, h.clk.Now(), at)
	}
	h.clk.Advance(at.Sub(h.clk.Now()))
	h.runDue(e)

	posts := h.postsBy(acct)
	if len(posts) != 1 || posts[0].Text != "Launch day!" {
		t.Fatalf("X holds %v; want the tweet once", posts)
	}
	got := h.tweet(tw.ID)
	if got.Status != store.TweetPosted || got.TweetID != posts[0].ID || !got.PostedAt.Equal(at) {
		t.Errorf("tweet is %s, id %q, posted_at %s; want posted, %q, %s", got.Status, got.TweetID, got.PostedAt, posts[0].ID, at)
	}
	evs := h.outbox(store.EventTweetPosted)
	if len(evs) != 1 {
		t.Fatalf("%d tweet_posted events; want 1", len(evs))
	}
	var d store.TweetPostedData
	if err := json.Unmarshal(evs[0].Data, &d); err != nil || d.ScheduledTweetID != tw.ID || d.TweetID != posts[0].ID || d.AccountHandle != "sales" {
		t.Errorf("tweet_posted data %+v (%v); want the tweet, X's id and the handle", d, err)
	}
	if h.sent(acct.ID) != 0 || h.sentOn(acct.ID, at.Format(time.DateOnly)) != 0 {
		t.Errorf("the tweet counted as a DM")
	}
	if n := len(h.intents()); n != 0 {
		t.Errorf("%d intents left", n)
	}
	h.runFor(e, time.Hour, 10*time.Minute)
	if n := len(h.x.posts); n != 1 {
		t.Errorf("%d posts after an hour more; want 1", n)
	}
}

// TestTweetIntentCommittedBeforePost looks at the store from inside
// PostTweet: the intent is already there.
func TestTweetIntentCommittedBeforePost(t *testing.T) {
	h := newHarness(t)
	acct := h.account("sales", h.known)
	tw := h.scheduleTweet(acct, "hello", t0.Add(time.Hour))
	post := h.net.PostTweetF
	h.net.PostTweetF = func(ctx context.Context, s sdk.Session, text string) (sdk.Post, error) {
		var in store.Intent
		h.view(func(tx storetest.Tx) (err error) {
			in, err = tx.Intent(ws, store.TweetJobID(tw.ID))
			return err
		})
		if in.Text != text || in.Kind != store.JobTweet {
			t.Errorf("PostTweet called with intent %+v", in)
		}
		return post(ctx, s, text)
	}
	h.runUntilIdle(h.engine())
	if got := h.tweet(tw.ID); got.Status != store.TweetPosted {
		t.Errorf("tweet is %s; want posted", got.Status)
	}
}

// tweetInDoubt is one way a post ends without the engine knowing its
// outcome; it returns the engine to carry on with.
type tweetInDoubt struct {
	name   string
	happen func(h *harness, tw store.ScheduledTweet, delivered bool) *Engine
}

var tweetInDoubtWays = []tweetInDoubt{
	{
		// The process died inside PostTweet: the intent is committed, the
		// job pending; a new process recovers.
		name: "crash inside PostTweet",
		happen: func(h *harness, tw store.ScheduledTweet, delivered bool) *Engine {
			in := store.Intent{JobID: store.TweetJobID(tw.ID), Workspace: ws, Kind: store.JobTweet, AccountID: tw.AccountID, Text: tw.Text, At: h.clk.Now()}
			h.update(func(tx storetest.Tx) error { return tx.PutIntent(in) })
			if delivered {
				h.x.post(h.x.byName["sales"], tw.Text)
			}
			h.clk.Advance(time.Minute)
			return h.restart()
		},
	},
	{
		// The run was interrupted while PostTweet was in flight.
		name: "interrupted during PostTweet",
		happen: func(h *harness, tw store.ScheduledTweet, delivered bool) *Engine {
			ctx, cancel := context.WithCancel(context.Background())
			post := h.net.PostTweetF
			h.net.PostTweetF = func(ctx context.Context, s sdk.Session, text string) (sdk.Post, error) {
				h.net.PostTweetF = post
				if delivered {
					h.x.post(s.UserID, text)
				}
				cancel()
				return sdk.Post{}, ctx.Err()
			}
			e := h.engine()
			if _, err := e.RunDue(ctx); err == nil {
				h.t.Error("RunDue returned no error after its context was cancelled")
			}
			if teststore.Postgres() {
				h.clk.Advance(e.ttl) // the old process's leases stay live until they expire
			}
			return h.restart()
		},
	},
	{
		// PostTweet returned an error that says nothing.
		name: "untyped PostTweet error",
		happen: func(h *harness, tw store.ScheduledTweet, delivered bool) *Engine {
			post := h.net.PostTweetF
			h.net.PostTweetF = func(ctx context.Context, s sdk.Session, text string) (sdk.Post, error) {
				h.net.PostTweetF = post
				if delivered {
					h.x.post(s.UserID, text)
				}
				return sdk.Post{}, errBoom
			}
			e := h.engine()
			h.runDue(e)
			return e
		},
	},
}

// TestTweetInDoubtIsResolvedFromX: whichever way a post ends in doubt, the
// engine reads the account's posts on X: the tweet is there (recorded with
// its id, never posted again) or it is not (posted once more); either way
// X ends up with it exactly once.
func TestTweetInDoubtIsResolvedFromX(t *testing.T) {
	for _, way := range tweetInDoubtWays {
		for _, delivered := range []bool{true, false} {
			name := way.name + "/not on X"
			if delivered {
				name = way.name + "/on X"
			}
			t.Run(name, func(t *testing.T) {
				t.Parallel()
				h := newHarness(t)
				acct := h.account("sales", h.known)
				at := t0.Add(time.Hour)
				tw := h.scheduleTweet(acct, "We shipped", at)
				h.clk.Advance(at.Sub(h.clk.Now()))
				e := way.happen(h, tw, delivered)

				if n := len(h.intents()); n != 0 {
					t.Errorf("%d intents left unresolved", n)
				}
				if delivered {
					got := h.tweet(tw.ID)
					if got.Status != store.TweetPosted || got.TweetID != h.x.posts[0].ID {
						t.Errorf("tweet is %s (id %q); want posted with X's id %q", got.Status, got.TweetID, h.x.posts[0].ID)
					}
				}
				h.runFor(e, 3*time.Hour, 5*time.Minute)
				if n := len(h.postsBy(acct)); n != 1 {
					t.Errorf("X holds the tweet %d times; want once", n)
				}
				if got := h.tweet(tw.ID); got.Status != store.TweetPosted {
					t.Errorf("tweet is %s (%s); want posted", got.Status, got.ErrorMessage)
				}
				if n := len(h.outbox(store.EventTweetPosted)); n != 1 {
					t.Errorf("%d tweet_posted events; want 1", n)
				}
			})
		}
	}
}

// TestTweetInDoubtXCannotSay: if X cannot list the account's posts, the
// tweet fails with the reason and is never posted again.
func TestTweetInDoubtXCannotSay(t *testing.T) {
	h := newHarness(t)
	acct := h.account("sales", h.known)
	tw := h.scheduleTweet(acct, "We shipped", t0.Add(time.Hour))
	h.clk.Advance(time.Hour)
	h.net.UserPostsF = func(context.Context, sdk.Session, string, int) ([]sdk.Post, error) {
		return nil, sdk.Errorf(sdk.Permanent, "user_posts is not supported")
	}
	e := tweetInDoubtWays[0].happen(h, tw, false)
	h.runFor(e, 3*time.Hour, 5*time.Minute)
	got := h.tweet(tw.ID)
	if got.Status != store.TweetFailed || !strings.Contains(got.ErrorMessage, "in doubt") {
		t.Errorf("tweet is %s (%q); want failed as in doubt", got.Status, got.ErrorMessage)
	}
	if n := len(h.x.posts); n != 0 {
		t.Errorf("%d posts; want none: a post in doubt is never repeated", n)
	}
	if n := len(h.outbox(store.EventTweetFailed)); n != 1 {
		t.Errorf("%d tweet_failed events; want 1", n)
	}
}

// TestTweetInDoubtOtherPost: a post since the intent with other text (X
// rewrote a link, or a person posted) cannot be told apart from the
// tweet: it fails, never posted twice.
func TestTweetInDoubtOtherPost(t *testing.T) {
	h := newHarness(t)
	acct := h.account("sales", h.known)
	tw := h.scheduleTweet(acct, "Read https://example.com", t0.Add(time.Hour))
	h.clk.Advance(time.Hour)
	post := h.net.PostTweetF
	h.net.PostTweetF = func(ctx context.Context, s sdk.Session, text string) (sdk.Post, error) {
		h.net.PostTweetF = post
		h.x.post(s.UserID, "Read https://t.co/abc")
		return sdk.Post{}, errBoom
	}
	h.runFor(h.engine(), 3*time.Hour, 5*time.Minute)
	got := h.tweet(tw.ID)
	if got.Status != store.TweetFailed || !strings.Contains(got.ErrorMessage, "other text") {
		t.Errorf("tweet is %s (%q); want failed, in doubt", got.Status, got.ErrorMessage)
	}
	if n := len(h.x.posts); n != 1 {
		t.Errorf("%d posts on X; want the one", n)
	}
}

// TestTweetOutcomes: what X answers, or what happens to the tweet or its
// account, and what the user sees.
func TestTweetOutcomes(t *testing.T) {
	tests := []struct {
		name string
		// before runs after scheduling, before the tweet's time.
		before func(h *harness, a store.Account, tw store.ScheduledTweet)
		post   func(calls int) error
		// wantStatus is the tweet's status after its time; wantPosts what
		// X holds; wantErr a part of its error_message.
		wantStatus store.TweetStatus
		wantPosts  int
		wantErr    string
		wantEvent  string
	}{
		{
			name:       "permanent error",
			post:       func(int) error { return sdk.Errorf(sdk.Permanent, "status is a duplicate") },
			wantStatus: store.TweetFailed, wantErr: "duplicate", wantEvent: store.EventTweetFailed,
		},
		{
			name: "transient errors are retried",
			post: func(calls int) error {
				if calls < 2 {
					return sdk.Errorf(sdk.Retryable, "503 before sending")
				}
				return nil
			},
			wantStatus: store.TweetPosted, wantPosts: 1, wantEvent: store.EventTweetPosted,
		},
		{
			name: "rate limit waits",
			post: func(calls int) error {
				if calls == 0 {
					return &sdk.Error{Kind: sdk.RateLimited, Message: "429", ResetAt: t0.Add(2 * time.Hour)}
				}
				return nil
			},
			wantStatus: store.TweetPosted, wantPosts: 1, wantEvent: store.EventTweetPosted,
		},
		{
			name: "cancelled",
			before: func(h *harness, _ store.Account, tw store.ScheduledTweet) {
				if _, err := h.service().CancelTweet(context.Background(), ws, tw.ID); err != nil {
					h.t.Fatal(err)
				}
			},
			wantStatus: store.TweetCancelled,
		},
		{
			name: "account removed",
			before: func(h *harness, a store.Account, _ store.ScheduledTweet) {
				if _, err := h.service().RemoveAccount(context.Background(), ws, service.AccountRef{ID: a.ID}); err != nil {
					h.t.Fatal(err)
				}
			},
			wantStatus: store.TweetFailed, wantErr: "removed", wantEvent: store.EventTweetFailed,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t)
			acct := h.account("sales", h.known)
			at := t0.Add(time.Hour)
			tw := h.scheduleTweet(acct, "Hello world", at)
			if tt.before != nil {
				tt.before(h, acct, tw)
			}
			if tt.post != nil {
				post, calls := h.net.PostTweetF, 0
				h.net.PostTweetF = func(ctx context.Context, s sdk.Session, text string) (sdk.Post, error) {
					err := tt.post(calls)
					calls++
					if err != nil {
						return sdk.Post{}, err
					}
					return post(ctx, s, text)
				}
			}
			h.runFor(h.engine(), 4*time.Hour, 5*time.Minute)
			got := h.tweet(tw.ID)
			if got.Status != tt.wantStatus || !strings.Contains(got.ErrorMessage, tt.wantErr) {
				t.Errorf("tweet is %s (%q); want %s (%q)", got.Status, got.ErrorMessage, tt.wantStatus, tt.wantErr)
			}
			if n := len(h.x.posts); n != tt.wantPosts {
				t.Errorf("%d posts on X; want %d", n, tt.wantPosts)
			}
			for _, typ := range []string{store.EventTweetPosted, store.EventTweetFailed} {
				want := 0
				if typ == tt.wantEvent {
					want = 1
				}
				if n := len(h.outbox(typ)); n != want {
					t.Errorf("%d %s events; want %d", n, typ, want)
				}
			}
			if n := len(h.intents()); n != 0 {
				t.Errorf("%d intents left", n)
			}
		})
	}
}

// TestTweetCancelRacingPost: a cancel that arrives while the post is in
// flight is refused, and the tweet is recorded as posted.
func TestTweetCancelRacingPost(t *testing.T) {
	h := newHarness(t)
	acct := h.account("sales", h.known)
	tw := h.scheduleTweet(acct, "Hello", t0.Add(time.Hour))
	post := h.net.PostTweetF
	h.net.PostTweetF = func(ctx context.Context, s sdk.Session, text string) (sdk.Post, error) {
		if _, err := h.service().CancelTweet(context.Background(), ws, tw.ID); err == nil {
			t.Error("CancelTweet succeeded while the tweet was being posted")
		}
		return post(ctx, s, text)
	}
	h.runFor(h.engine(), 2*time.Hour, 10*time.Minute)
	if got := h.tweet(tw.ID); got.Status != store.TweetPosted || len(h.x.posts) != 1 {
		t.Errorf("tweet is %s with %d posts on X; want posted once", got.Status, len(h.x.posts))
	}
}

// TestTweetWaitsWhileAccountPaused: a tweet whose account is paused at its
// time stays pending, its job saying why, and is posted once the account
// is resumed.
func TestTweetWaitsWhileAccountPaused(t *testing.T) {
	for _, declared := range []bool{false, true} {
		name := "paused through the API"
		if declared {
			name = "paused in configuration"
		}
		t.Run(name, func(t *testing.T) {
			h := newHarness(t)
			acct := h.account("sales", h.known)
			svc := h.service()
			tw := h.scheduleTweet(acct, "Hello", t0.Add(time.Hour))
			pause := func(on bool) {
				if declared {
					h.update(func(tx storetest.Tx) error {
						a, err := tx.Account(ws, acct.ID)
						a.Paused = on
						if err != nil {
							return err
						}
						return tx.PutAccount(a)
					})
					return
				}
				if _, err := svc.SetAccountPause(context.Background(), ws, acct.ID, service.PauseInput{Paused: &on, By: "api", Reason: "holiday"}); err != nil {
					t.Fatal(err)
				}
			}
			pause(true)
			e := h.engine()
			h.runFor(e, 3*time.Hour, 10*time.Minute)
			got, j := h.tweet(tw.ID), h.job(store.TweetJobID(tw.ID))
			if got.Status != store.TweetPending || len(h.x.posts) != 0 {
				t.Fatalf("tweet is %s with %d posts while paused; want pending, none", got.Status, len(h.x.posts))
			}
			if !strings.Contains(j.LastError, "waiting") {
				t.Errorf("the job says %q; want why it waits", j.LastError)
			}
			pause(false)
			h.runDue(e)
			if got := h.tweet(tw.ID); got.Status != store.TweetPosted || len(h.x.posts) != 1 {
				t.Errorf("tweet is %s with %d posts after resuming; want posted once", got.Status, len(h.x.posts))
			}
		})
	}
}
