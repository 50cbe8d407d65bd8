package xsim

import (
	"slices"
	"unicode/utf8"
)

// maxTweetText is X's limit on a post's text. X weighs some characters
// double and counts every URL as 23; the simulator counts characters, which
// is the same for the plain text a campaign posts.
const maxTweetText = 280

type tweetCreateBody struct {
	Text  *string `json:"text"`
	Reply *struct {
		InReplyToTweetID string `json:"in_reply_to_tweet_id"`
	} `json:"reply"`
	Media *struct {
		MediaIDs []string `json:"media_ids"`
	} `json:"media"`
	QuoteTweetID string `json:"quote_tweet_id"`
}

type tweetCreated struct {
	Data struct {
		ID   string `json:"id"`
		Text string `json:"text"`
	} `json:"data"`
}

func (s *Sim) handleTweetCreate(c *call) result {
	var body tweetCreateBody
	if bad := decodeBody(c.r, &body); bad != nil {
		return *bad
	}
	text := ""
	if body.Text != nil {
		text = *body.Text
	}
	hasMedia := body.Media != nil && len(body.Media.MediaIDs) > 0
	if text == "" && !hasMedia {
		return invalidBody("The `text` field is required and must not be empty (or send `media.media_ids`)")
	}
	if n := utf8.RuneCountInString(text); n > maxTweetText {
		return invalidBody("The `text` field must be at most %d characters long; it has %d", maxTweetText, n)
	}
	t := tweet{authorID: c.user, text: text, createdAt: c.now}
	if body.Reply != nil {
		id, ok := parseID(body.Reply.InReplyToTweetID)
		if !ok {
			return invalidBody("The `reply.in_reply_to_tweet_id` field [%s] must be a post id (1 to 19 digits)", body.Reply.InReplyToTweetID)
		}
		t.inReplyTo = id
		t.conversationID = id
	}
	if body.QuoteTweetID != "" {
		if _, ok := parseID(body.QuoteTweetID); !ok {
			return invalidBody("The `quote_tweet_id` field [%s] must be a post id (1 to 19 digits)", body.QuoteTweetID)
		}
	}
	t.id = s.ids.next(c.now)
	if t.conversationID == 0 {
		t.conversationID = t.id
	}
	s.posts[c.user] = append(s.posts[c.user], t)
	var out tweetCreated
	out.Data.ID, out.Data.Text = idString(t.id), t.text
	return answerCreated(out)
}

// tweetJSON is an X post object: id, text and edit_history_tweet_ids by
// default, the rest with tweet.fields.
type tweetJSON struct {
	ID                  string              `json:"id"`
	Text                string              `json:"text"`
	EditHistoryTweetIDs []string            `json:"edit_history_tweet_ids"`
	AuthorID            string              `json:"author_id,omitempty"`
	CreatedAt           string              `json:"created_at,omitempty"`
	ConversationID      string              `json:"conversation_id,omitempty"`
	InReplyToUserID     string              `json:"in_reply_to_user_id,omitempty"`
	Lang                string              `json:"lang,omitempty"`
	PublicMetrics       *tweetPublicMetrics `json:"public_metrics,omitempty"`
	ReferencedTweets    []referencedTweet   `json:"referenced_tweets,omitempty"`
}

// referencedTweet is a post another refers to: for a reply, the post it
// replies to ("replied_to").
type referencedTweet struct {
	Type string `json:"type"`
	ID   string `json:"id"`
}

type tweetPublicMetrics struct {
	RetweetCount int `json:"retweet_count"`
	ReplyCount   int `json:"reply_count"`
	LikeCount    int `json:"like_count"`
	QuoteCount   int `json:"quote_count"`
}

type tweetsMeta struct {
	OldestID    string `json:"oldest_id,omitempty"`
	NewestID    string `json:"newest_id,omitempty"`
	ResultCount int    `json:"result_count"`
	NextToken   string `json:"next_token,omitempty"`
}

type tweetsPage struct {
	Data []tweetJSON `json:"data,omitempty"`
	Meta tweetsMeta  `json:"meta"`
}

// handleUserTweets serves a user's timeline, newest first: the few
// deterministic posts of a population user, or what an account holder posted.
func (s *Sim) handleUserTweets(c *call) result {
	id, raw, bad := pathID(c, "id")
	if bad != nil {
		return *bad
	}
	fields, bad := parseList(c.q, "tweet.fields", tweetFieldValues)
	if bad != nil {
		return *bad
	}
	if _, bad := parseList(c.q, "expansions", tweetExpansionValues); bad != nil {
		return *bad
	}
	if _, bad := parseList(c.q, "user.fields", userFieldValues); bad != nil {
		return *bad
	}
	spec := tweetsPageSpec
	spec.scope = id
	pq, bad := parsePageQuery(c.q, spec)
	if bad != nil {
		return *bad
	}
	u, found := s.userByIDLocked(id)
	if !found {
		return lookupNotFound("id", raw)
	}
	var list []tweet
	if s.isOwner(id) {
		list = slices.Clone(s.posts[id])
		slices.Reverse(list)
	} else {
		list = s.pop.timeline(u, c.now)
	}
	start := len(list)
	if pq.cursor < uint64(len(list)) {
		start = int(pq.cursor)
	}
	end := min(start+pq.max, len(list))
	var out tweetsPage
	for _, t := range list[start:end] {
		j := tweetJSON{ID: idString(t.id), Text: t.text, EditHistoryTweetIDs: []string{idString(t.id)}}
		if fields["author_id"] {
			j.AuthorID = idString(t.authorID)
		}
		if fields["created_at"] {
			j.CreatedAt = formatTime(t.createdAt)
		}
		if fields["conversation_id"] {
			j.ConversationID = idString(t.conversationID)
		}
		if fields["lang"] {
			j.Lang = "en"
		}
		if fields["public_metrics"] {
			j.PublicMetrics = &tweetPublicMetrics{t.retweets, t.replies, t.likes, t.quotes}
		}
		if fields["referenced_tweets"] && t.inReplyTo != 0 {
			j.ReferencedTweets = []referencedTweet{{Type: "replied_to", ID: idString(t.inReplyTo)}}
		}
		out.Data = append(out.Data, j)
	}
	out.Meta.ResultCount = len(out.Data)
	if len(out.Data) > 0 {
		out.Meta.NewestID = out.Data[0].ID
		out.Meta.OldestID = out.Data[len(out.Data)-1].ID
	}
	if end < len(list) {
		out.Meta.NextToken = encodeToken(spec.kind, spec.scope, uint64(end))
	}
	return answerOK(out)
}

type likeBody struct {
	TweetID string `json:"tweet_id"`
}

type liked struct {
	Data struct {
		Liked bool `json:"liked"`
	} `json:"data"`
}

// handleLike likes a post. Posts of the population are not indexed, so any
// well-formed post id can be liked; liking twice succeeds, as at X.
func (s *Sim) handleLike(c *call) result {
	if bad := requireSelf(c); bad != nil {
		return *bad
	}
	var body likeBody
	if bad := decodeBody(c.r, &body); bad != nil {
		return *bad
	}
	id, ok := parseID(body.TweetID)
	if !ok {
		return invalidBody("The `tweet_id` field [%s] must be a post id (1 to 19 digits)", body.TweetID)
	}
	s.likes[likeKey{c.user, id}] = true
	var out liked
	out.Data.Liked = true
	return answerOK(out)
}
