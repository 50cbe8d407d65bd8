package xsim

import (
	"cmp"
	"net/http"
	"slices"
	"strings"
	"time"
)

// AccountPostsPath is the simulator's own record of what the account
// holders posted: comments (replies to someone's post) and tweets. Like
// ProspectRepliesPath it exists only in the simulator and takes no
// credentials, so that a rehearsal can be checked from the outside.
//
//	GET /sandbox/v1/posts[?account=handle] -> 200 {"data": [{
//	  "id", "account_username", "text", "created_at",
//	  "in_reply_to_tweet_id"}, ...]}
//
// It lists every post of every account holder, or of the one named by
// account (case-insensitive; a handle that is not a username gets 400),
// oldest first. in_reply_to_tweet_id is the post a comment answers, ""
// for a tweet of its own.
const AccountPostsPath = "/sandbox/v1/posts"

// AccountPost is a post of an account holder, as AccountPosts and
// AccountPostsPath list it.
type AccountPost struct {
	ID               string
	AccountUsername  string // the account holder, as it logs in
	Text             string
	CreatedAt        time.Time
	InReplyToTweetID string // "" unless the post is a reply
}

// AccountPosts returns every post of the account holders, oldest first.
func (s *Sim) AccountPosts() []AccountPost {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.accountPostsLocked("")
}

// accountPostsLocked lists the posts of account (a lower-cased handle), or
// of every account holder if it is "".
func (s *Sim) accountPostsLocked(account string) []AccountPost {
	out := []AccountPost{}
	for author, posts := range s.posts {
		a, ok := s.owners[author]
		if !ok || account != "" && strings.ToLower(a.handle) != account {
			continue
		}
		for _, t := range posts {
			p := AccountPost{ID: idString(t.id), AccountUsername: a.handle, Text: t.text, CreatedAt: t.createdAt}
			if t.inReplyTo != 0 {
				p.InReplyToTweetID = idString(t.inReplyTo)
			}
			out = append(out, p)
		}
	}
	// Ids grow with time, and compare as numbers: longer is later.
	slices.SortFunc(out, func(a, b AccountPost) int {
		return cmp.Or(cmp.Compare(len(a.ID), len(b.ID)), strings.Compare(a.ID, b.ID))
	})
	return out
}

type accountPostsJSON struct {
	Data []accountPostJSON `json:"data"`
}

type accountPostJSON struct {
	ID               string `json:"id"`
	AccountUsername  string `json:"account_username"`
	Text             string `json:"text"`
	CreatedAt        string `json:"created_at"`
	InReplyToTweetID string `json:"in_reply_to_tweet_id"`
}

func (s *Sim) handleAccountPosts(w http.ResponseWriter, r *http.Request) {
	account, ok := accountQuery(w, r)
	if !ok {
		return
	}
	s.mu.Lock()
	posts := s.accountPostsLocked(account)
	s.mu.Unlock()
	out := accountPostsJSON{Data: make([]accountPostJSON, len(posts))}
	for i, p := range posts {
		out.Data[i] = accountPostJSON{
			ID: p.ID, AccountUsername: p.AccountUsername, Text: p.Text,
			CreatedAt: formatTime(p.CreatedAt), InReplyToTweetID: p.InReplyToTweetID,
		}
	}
	writeResult(w, answerOK(out))
}
