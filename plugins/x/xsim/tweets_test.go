package xsim

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestFollowAndLike(t *testing.T) {
	h := newHarness(t, Options{})
	tok, me := h.login("acme_sales")
	public := findUser(t, h.sim, "open", func(u User) bool { return !u.Protected })
	locked := findUser(t, h.sim, "locked", func(u User) bool { return u.Protected })

	post := func(path string, body any, want int) map[string]any {
		t.Helper()
		rec := h.do("POST", path, tok, body)
		if rec.Code != want {
			t.Fatalf("POST %s: %d, want %d: %s", path, rec.Code, want, rec.Body)
		}
		return decodeJSON(t, rec.Body.Bytes())
	}
	follow := post("/2/users/"+me+"/following", map[string]string{"target_user_id": public.ID}, 200)
	if !jsonEqual(follow, example(t, "follow.response.json")) {
		t.Errorf("follow %v", follow)
	}
	// Following again succeeds with no action.
	if again := post("/2/users/"+me+"/following", map[string]string{"target_user_id": public.ID}, 200); !jsonEqual(again, follow) {
		t.Errorf("follow again %v", again)
	}
	pending := post("/2/users/"+me+"/following", map[string]string{"target_user_id": locked.ID}, 200)
	if !jsonEqual(pending, example(t, "follow.protected_user.response.json")) {
		t.Errorf("follow a protected user %v", pending)
	}
	// The account's following list shows the follow, first (the latest),
	// once; not the request to the protected user.
	rec := h.do("GET", "/2/users/"+me+"/following?max_results=1000", tok, nil)
	var following struct{ Data []struct{ ID string } }
	if err := json.Unmarshal(rec.Body.Bytes(), &following); rec.Code != 200 || err != nil {
		t.Fatalf("GET following: %d %v", rec.Code, err)
	}
	var shown, requested int
	for _, u := range following.Data {
		shown += map[bool]int{true: 1}[u.ID == public.ID]
		requested += map[bool]int{true: 1}[u.ID == locked.ID]
	}
	if len(following.Data) == 0 || following.Data[0].ID != public.ID || shown != 1 || requested != 0 {
		t.Errorf("following lists %d users, the followed one %d times (first: %v), the requested one %d times", len(following.Data), shown, len(following.Data) > 0 && following.Data[0].ID == public.ID, requested)
	}
	like := post("/2/users/"+me+"/likes", map[string]string{"tweet_id": "1228393702244134912"}, 200)
	if !jsonEqual(like, example(t, "like.response.json")) {
		t.Errorf("like %v", like)
	}

	other, _ := h.sim.UserByUsername("someone_else")
	cases := []struct {
		name, path string
		body       any
		status     int
	}{
		{"follow as another user", "/2/users/" + other.ID + "/following", map[string]string{"target_user_id": public.ID}, 403},
		{"like as another user", "/2/users/" + other.ID + "/likes", map[string]string{"tweet_id": "1"}, 403},
		{"follow a missing user", "/2/users/" + me + "/following", map[string]string{"target_user_id": "2244994946"}, 404},
		{"follow a bad id", "/2/users/" + me + "/following", map[string]string{"target_user_id": "@paulg"}, 400},
		{"follow yourself", "/2/users/" + me + "/following", map[string]string{"target_user_id": me}, 403},
		{"like a bad id", "/2/users/" + me + "/likes", map[string]string{"tweet_id": "x"}, 400},
		{"like with no body", "/2/users/" + me + "/likes", nil, 400},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rec := h.do("POST", tc.path, tok, tc.body)
			if rec.Code != tc.status {
				t.Errorf("status %d, want %d: %s", rec.Code, tc.status, rec.Body)
			}
		})
	}
}

func TestTweets(t *testing.T) {
	h := newHarness(t, Options{})
	tok, me := h.login("acme_sales")

	rec := h.do("POST", "/2/tweets", tok, map[string]string{"text": "Hello from the X API!"})
	if rec.Code != 201 {
		t.Fatalf("post: %d %s", rec.Code, rec.Body)
	}
	first := decodeJSON(t, rec.Body.Bytes())
	assertShape(t, first, "tweet_create.response.json")
	h.clock.Advance(1e9)
	reply := map[string]any{"text": "This is a reply!", "reply": map[string]string{"in_reply_to_tweet_id": "1234567890"}}
	if rec := h.do("POST", "/2/tweets", tok, reply); rec.Code != 201 {
		t.Fatalf("reply: %d %s", rec.Code, rec.Body)
	}
	for _, tc := range []struct {
		name string
		body any
	}{
		{"too long", map[string]string{"text": strings.Repeat("a", 281)}},
		{"empty", map[string]string{"text": ""}},
		{"bad reply id", map[string]any{"text": "hi", "reply": map[string]string{"in_reply_to_tweet_id": "abc"}}},
	} {
		if rec := h.do("POST", "/2/tweets", tok, tc.body); rec.Code != 400 {
			t.Errorf("%s: %d", tc.name, rec.Code)
		}
	}
	if rec := h.do("POST", "/2/tweets", tok, map[string]string{"text": strings.Repeat("é", 280)}); rec.Code != 201 {
		t.Errorf("280 characters: %d", rec.Code)
	}

	// An account holder's timeline is what it posted, newest first.
	own := asList(h.get("/2/users/"+me+"/tweets", tok, 200)["data"])
	if len(own) != 3 || own[2].(map[string]any)["id"] != first["data"].(map[string]any)["id"] {
		t.Errorf("own timeline %v", own)
	}
	// A reply names the post it replies to, when referenced_tweets is asked for.
	withRefs := asList(h.get("/2/users/"+me+"/tweets?tweet.fields=referenced_tweets", tok, 200)["data"])
	if got := withRefs[1].(map[string]any)["referenced_tweets"]; !jsonEqual(got, []any{map[string]any{"type": "replied_to", "id": "1234567890"}}) {
		t.Errorf("the reply's referenced_tweets = %v; want replied_to 1234567890", got)
	}
	if got, ok := withRefs[2].(map[string]any)["referenced_tweets"]; ok {
		t.Errorf("a post that replies to nothing has referenced_tweets %v", got)
	}
	if n := h.get("/2/users/me?user.fields=public_metrics", tok, 200)["data"].(map[string]any)["public_metrics"].(map[string]any)["tweet_count"]; n != float64(3) {
		t.Errorf("tweet_count %v", n)
	}

	// A population user has a few deterministic recent posts.
	author := findUser(t, h.sim, "poster", func(u User) bool { return u.TweetCount > 30 })
	path := "/2/users/" + author.ID + "/tweets?max_results=5"
	body := h.get(path, tok, 200)
	again := h.get(path, tok, 200)
	if !jsonEqual(body, again) {
		t.Error("timeline changes between reads")
	}
	data := asList(body["data"])
	if len(data) == 0 {
		t.Fatalf("no posts: %v", body)
	}
	if next, _ := body["meta"].(map[string]any)["next_token"].(string); next != "" {
		assertShape(t, body, "user_tweets.response.json")
		if rec := h.do("GET", path+"&pagination_token="+next, tok, nil); rec.Code != 200 {
			t.Errorf("second page: %d", rec.Code)
		}
	}
	for i := 1; i < len(data); i++ {
		if data[i-1].(map[string]any)["id"].(string) <= data[i].(map[string]any)["id"].(string) {
			t.Errorf("posts not newest first: %v", data)
		}
	}
	withFields := h.get("/2/users/"+author.ID+"/tweets?tweet.fields=created_at,author_id,public_metrics", tok, 200)
	p := asList(withFields["data"])[0].(map[string]any)
	if p["author_id"] != author.ID || p["created_at"] == nil || p["public_metrics"] == nil {
		t.Errorf("post with fields %v", p)
	}
}
