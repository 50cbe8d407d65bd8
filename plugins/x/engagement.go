package x

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"time"

	"github.com/outreachhq/outreach/sdk"
)

var _ sdk.Engagement = (*Connector)(nil)

// userID is the session's own user id, which X's write endpoints put in
// their path; it is learnt from /2/users/me when the host does not pass it.
func (c *Connector) userID(ctx context.Context, s sdk.Session) (string, error) {
	if s.UserID != "" {
		return s.UserID, nil
	}
	u, err := c.CheckSession(ctx, s)
	return u.ID, err
}

// Follow implements sdk.Engagement.
func (c *Connector) Follow(ctx context.Context, s sdk.Session, userID string) (bool, error) {
	me, err := c.userID(ctx, s)
	if err != nil {
		return false, err
	}
	var resp struct {
		Data struct {
			Following     bool `json:"following"`
			PendingFollow bool `json:"pending_follow"`
		} `json:"data"`
	}
	if err := c.post(ctx, s, "/2/users/"+url.PathEscape(me)+"/following", map[string]string{"target_user_id": userID}, &resp); err != nil {
		return false, err
	}
	return resp.Data.PendingFollow, nil
}

// Like implements sdk.Engagement.
func (c *Connector) Like(ctx context.Context, s sdk.Session, postID string) error {
	me, err := c.userID(ctx, s)
	if err != nil {
		return err
	}
	var resp struct {
		Data struct {
			Liked bool `json:"liked"`
		} `json:"data"`
	}
	return c.post(ctx, s, "/2/users/"+url.PathEscape(me)+"/likes", map[string]string{"tweet_id": postID}, &resp)
}

// Comment implements sdk.Engagement: a reply is a post in reply to another.
func (c *Connector) Comment(ctx context.Context, s sdk.Session, postID, text string) (sdk.Post, error) {
	body := map[string]any{"text": text, "reply": map[string]string{"in_reply_to_tweet_id": postID}}
	p, err := c.createPost(ctx, s, body)
	p.InReplyToID = postID
	return p, err
}

// PostTweet implements sdk.Engagement.
func (c *Connector) PostTweet(ctx context.Context, s sdk.Session, text string) (sdk.Post, error) {
	return c.createPost(ctx, s, map[string]any{"text": text})
}

func (c *Connector) createPost(ctx context.Context, s sdk.Session, body map[string]any) (sdk.Post, error) {
	var resp struct {
		Data struct {
			ID   string `json:"id"`
			Text string `json:"text"`
		} `json:"data"`
	}
	if err := c.post(ctx, s, "/2/tweets", body, &resp); err != nil {
		var dup *duplicateError
		if errors.As(err, &dup) {
			return c.findDuplicate(ctx, s, body, dup)
		}
		return sdk.Post{}, err
	}
	if resp.Data.ID == "" {
		return sdk.Post{}, inDoubt(http.MethodPost, "/2/tweets", "the answer has no post id")
	}
	return sdk.Post{ID: resp.Data.ID, AuthorID: s.UserID, Text: resp.Data.Text}, nil
}

// UserPosts implements sdk.Engagement.
func (c *Connector) UserPosts(ctx context.Context, s sdk.Session, userID string, limit int) ([]sdk.Post, error) {
	// X accepts 5..100 posts a page.
	n := min(max(limit, 5), 100)
	q := url.Values{"max_results": {fmt.Sprint(n)}, "tweet.fields": {"id,text,author_id,created_at,referenced_tweets"}}
	var resp struct {
		Data []struct {
			ID               string `json:"id"`
			Text             string `json:"text"`
			AuthorID         string `json:"author_id"`
			CreatedAt        string `json:"created_at"`
			ReferencedTweets []struct {
				Type string `json:"type"`
				ID   string `json:"id"`
			} `json:"referenced_tweets"`
		} `json:"data"`
	}
	if err := c.get(ctx, s, "/2/users/"+url.PathEscape(userID)+"/tweets", q, &resp); err != nil {
		return nil, err
	}
	posts := make([]sdk.Post, 0, len(resp.Data))
	for _, d := range resp.Data {
		if limit > 0 && len(posts) == limit {
			break
		}
		at, _ := time.Parse(time.RFC3339, d.CreatedAt)
		author := d.AuthorID
		if author == "" {
			author = userID
		}
		p := sdk.Post{ID: d.ID, AuthorID: author, Text: d.Text, CreatedAt: at}
		for _, r := range d.ReferencedTweets {
			if r.Type == "replied_to" {
				// What resolving a comment in doubt looks for.
				p.InReplyToID = r.ID
			}
		}
		posts = append(posts, p)
	}
	return posts, nil
}

// recentPosts is how many of the account's latest posts findDuplicate
// reads: X refuses a duplicate of a recent post, not of any post ever.
const recentPosts = 100

// findDuplicate settles X's "duplicate content" refusal of a post: X
// already has a post of the account with this text, most likely the one a
// try whose answer was lost made. If the account's recent posts hold one
// with the same text (and, for a comment, in reply to the same post), that
// post is the success; otherwise the refusal stands, Permanent.
func (c *Connector) findDuplicate(ctx context.Context, s sdk.Session, body map[string]any, dup *duplicateError) (sdk.Post, error) {
	text, _ := body["text"].(string)
	var replyTo string
	if r, ok := body["reply"].(map[string]string); ok {
		replyTo = r["in_reply_to_tweet_id"]
	}
	me, err := c.userID(ctx, s)
	if err != nil {
		return sdk.Post{}, fmt.Errorf("%s; reading the account to find the earlier post: %w", dup.err.Message, err)
	}
	posts, err := c.UserPosts(ctx, s, me, recentPosts)
	if err != nil {
		return sdk.Post{}, fmt.Errorf("%s; reading the account's posts to find the earlier one: %w", dup.err.Message, err)
	}
	for _, p := range posts {
		if p.Text == text && p.InReplyToID == replyTo {
			return p, nil
		}
	}
	return sdk.Post{}, sdk.Errorf(sdk.Permanent, "%s; none of the account's %d latest posts has this text", dup.err.Message, len(posts))
}
