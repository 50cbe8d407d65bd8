package x

import (
	"context"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/outreachhq/outreach/sdk"
)

// duplicateX wraps the simulated X: while refuse is set, POST /2/tweets is
// answered with X's duplicate-content 403 without reaching it, as X
// answers a post the account has already made.
type duplicateX struct {
	refuse atomic.Pointer[string]
}

func (d *duplicateX) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if body := d.refuse.Load(); body != nil && r.Method == http.MethodPost && r.URL.Path == "/2/tweets" {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusForbidden)
			_, _ = w.Write([]byte(*body))
			return
		}
		next.ServeHTTP(w, r)
	})
}

// TestDuplicatePostIsResolvedFromTheAccountsPosts: X refusing a post or a
// comment as a duplicate means it already has it: the connector finds it
// among the account's recent posts and returns it as the success; with no
// such post the refusal stands.
func TestDuplicatePostIsResolvedFromTheAccountsPosts(t *testing.T) {
	v2 := `{"detail":"You are not allowed to create a Tweet with duplicate content.","type":"about:blank","title":"Forbidden","status":403}`
	for name, body := range map[string]string{"v2 detail": v2, "legacy 187": legacy(t, 187)} {
		t.Run(name, func(t *testing.T) {
			clk := &fakeClock{now: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)}
			dx := &duplicateX{}
			c, s, _ := connectThrough(t, clk, dx.wrap)
			ctx := context.Background()
			users, err := c.LookupUsers(ctx, s, []string{"paulg"})
			if err != nil || len(users) != 1 {
				t.Fatalf("LookupUsers(paulg) = %v, %v", users, err)
			}
			theirs, err := c.UserPosts(ctx, s, users[0].ID, 5)
			if err != nil || len(theirs) < 2 {
				t.Fatalf("UserPosts(paulg) = %v, %v", theirs, err)
			}
			tweet, err := c.PostTweet(ctx, s, "Shipping today")
			if err != nil {
				t.Fatal(err)
			}
			comment, err := c.Comment(ctx, s, theirs[0].ID, "Great point")
			if err != nil {
				t.Fatal(err)
			}

			dx.refuse.Store(&body)
			again, err := c.PostTweet(ctx, s, "Shipping today")
			if err != nil || again.ID != tweet.ID {
				t.Errorf("PostTweet of a duplicate = %+v, %v; want the earlier post %s", again, err, tweet.ID)
			}
			againC, err := c.Comment(ctx, s, theirs[0].ID, "Great point")
			if err != nil || againC.ID != comment.ID || againC.InReplyToID != theirs[0].ID {
				t.Errorf("Comment of a duplicate = %+v, %v; want the earlier comment %s", againC, err, comment.ID)
			}
			// The same text in reply to another post is not that comment.
			if _, err := c.Comment(ctx, s, theirs[1].ID, "Great point"); sdk.KindOf(err) != sdk.Permanent || !strings.Contains(err.Error(), "duplicate") {
				t.Errorf("Comment on another post refused as a duplicate: %v; want Permanent with X's reason", err)
			}
			if _, err := c.PostTweet(ctx, s, "Never posted"); sdk.KindOf(err) != sdk.Permanent {
				t.Errorf("PostTweet refused with no such post: %v; want Permanent", err)
			}
		})
	}
}
