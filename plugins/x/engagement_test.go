package x

import (
	"context"
	"net/http"
	"testing"
	"time"
)

// TestUserPostsSayWhatTheyReplyTo: a comment is a reply, and the account's
// posts read back say which post it replies to; what resolving a comment
// in doubt looks for.
func TestUserPostsSayWhatTheyReplyTo(t *testing.T) {
	clk := &fakeClock{now: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)}
	c, s, _ := connectThrough(t, clk, func(h http.Handler) http.Handler { return h })
	ctx := context.Background()
	users, err := c.LookupUsers(ctx, s, []string{"paulg"})
	if err != nil || len(users) != 1 {
		t.Fatalf("LookupUsers(paulg) = %v, %v", users, err)
	}
	theirs, err := c.UserPosts(ctx, s, users[0].ID, 5)
	if err != nil || len(theirs) == 0 {
		t.Fatalf("UserPosts(paulg) = %v, %v", theirs, err)
	}
	comment, err := c.Comment(ctx, s, theirs[0].ID, "Great point")
	if err != nil || comment.InReplyToID != theirs[0].ID {
		t.Fatalf("Comment = %+v, %v; want a reply to %s", comment, err, theirs[0].ID)
	}
	tweet, err := c.PostTweet(ctx, s, "Hello")
	if err != nil {
		t.Fatal(err)
	}
	ours, err := c.UserPosts(ctx, s, s.UserID, 5)
	if err != nil || len(ours) != 2 {
		t.Fatalf("UserPosts(own) = %+v, %v; want the tweet and the comment", ours, err)
	}
	if ours[0].ID != tweet.ID || ours[0].InReplyToID != "" {
		t.Errorf("newest post %+v; want the tweet %s, a reply to nothing", ours[0], tweet.ID)
	}
	if ours[1].ID != comment.ID || ours[1].InReplyToID != theirs[0].ID || ours[1].Text != "Great point" {
		t.Errorf("older post %+v; want the comment %s, a reply to %s", ours[1], comment.ID, theirs[0].ID)
	}
}
