package xsim

import (
	"fmt"
	"testing"
)

// TestAccountPosts: what account holders post through X's API is listed,
// oldest first, by GET AccountPostsPath without credentials, for every
// account or one, with the post each comment answers.
func TestAccountPosts(t *testing.T) {
	h := newHarness(t, Options{})
	sales, _ := h.login("acme_sales")
	founder, _ := h.login("acme_founder")
	tweet := func(tok, text, replyTo string) string {
		t.Helper()
		body := map[string]any{"text": text}
		if replyTo != "" {
			body["reply"] = map[string]string{"in_reply_to_tweet_id": replyTo}
		}
		rec := h.do("POST", "/2/tweets", tok, body)
		if rec.Code != 201 {
			t.Fatalf("POST /2/tweets: %d %s", rec.Code, rec.Body)
		}
		return decodeJSON(t, rec.Body.Bytes())["data"].(map[string]any)["id"].(string)
	}
	comment := tweet(sales, "Great thread!", "1228393702244134912")
	own := tweet(sales, "We are hiring.", "")
	other := tweet(founder, "Launch day", "")

	list := func(query string) string {
		t.Helper()
		var out string
		for _, p := range asList(h.get(AccountPostsPath+query, "", 200)["data"]) {
			m := p.(map[string]any)
			out += fmt.Sprintf("%s %s %q reply to %q; ", m["id"], m["account_username"], m["text"], m["in_reply_to_tweet_id"])
		}
		return out
	}
	want := fmt.Sprintf("%s acme_sales %q reply to %q; %s acme_sales %q reply to %q; ", comment, "Great thread!", "1228393702244134912", own, "We are hiring.", "")
	if got := list("?account=ACME_Sales"); got != want {
		t.Errorf("posts of acme_sales:\n got %s\nwant %s", got, want)
	}
	if got, all := list(""), want+fmt.Sprintf("%s acme_founder %q reply to %q; ", other, "Launch day", ""); got != all {
		t.Errorf("all posts:\n got %s\nwant %s", got, all)
	}
	if got := list("?account=nobody_here"); got != "" {
		t.Errorf("posts of an account that posted nothing: %s", got)
	}
	if body := h.get(AccountPostsPath+"?account=not-a-handle!", "", 400); body["errors"] == nil && body["title"] == nil {
		t.Errorf("a bad account gets %v", body)
	}
}
