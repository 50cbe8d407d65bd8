package api

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/outreachhq/outreach/core/service"
	"github.com/outreachhq/outreach/core/store"
	"github.com/outreachhq/outreach/core/store/storetest"
)

// The reference's examples of the /scheduled-tweets operations.
const (
	referenceScheduleTweet = `{
"success": true,
"message": "Tweet scheduled successfully",
"scheduled_tweet": {
"id": "7f3a1b2c-4d5e-6f7a-8b9c-0d1e2f3a4b5c",
"account_id": "550e8400-e29b-41d4-a716-446655440000",
"account_handle": "myhandle",
"tweet_text": "Just launched a new feature! Check it out",
"scheduled_at": "2024-03-20T15:00:00.000Z",
"status": "pending",
"created_at": "2024-03-15T10:30:00.000Z"
}
}`
	referenceListTweets = `{
"scheduled_tweets": [
{
"id": "7f3a1b2c-4d5e-6f7a-8b9c-0d1e2f3a4b5c",
"account_id": "550e8400-e29b-41d4-a716-446655440000",
"account_handle": "myhandle",
"account_name": "My Account",
"account_image": "https://pbs.twimg.com/...",
"tweet_text": "Just launched a new feature!",
"scheduled_at": "2024-03-20T15:00:00.000Z",
"status": "pending",
"posted_at": null,
"error_message": null,
"created_at": "2024-03-15T10:30:00.000Z"
}
],
"pagination": {
"limit": 10,
"offset": 0,
"count": 1,
"total": 5
}
}`
	referenceCancelTweet = `{
"success": true,
"message": "Scheduled tweet cancelled",
"tweet_id": "7f3a1b2c-4d5e-6f7a-8b9c-0d1e2f3a4b5c"
}`
)

// liveAccount adds an account with a session's cookies to workspace ws
// through the service, as POST /accounts would, and returns it.
func liveAccount(t testing.TB, l *live, ws, handle string) store.Account {
	t.Helper()
	a, _, err := l.Svc.UpsertAccount(context.Background(), ws, service.AccountInput{
		Handle: handle,
		Cookies: []service.Cookie{
			{Name: "ct0", Value: "ct0-" + handle, Domain: ".x.com"},
			{Name: "auth_token", Value: "auth-" + handle, Domain: ".x.com"},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	return a
}

type scheduledTweetBody struct {
	Success        bool
	Message        string
	ScheduledTweet struct {
		ID, AccountID, AccountHandle, TweetText, ScheduledAt, Status, CreatedAt string
	} `json:"scheduled_tweet"`
}

func TestScheduleTweet(t *testing.T) {
	l := newLive(t)
	a := liveAccount(t, l, WorkspaceA, "myhandle")
	status, body := l.do(t, l.KeyA, http.MethodPost, "/api/v1/scheduled-tweets", map[string]any{
		"account_id": a.ID, "tweet_text": "Just launched a new feature! Check it out", "scheduled_at": "2030-03-20T17:00:00+02:00",
	})
	if status != http.StatusOK {
		t.Fatalf("POST /scheduled-tweets = %d %s", status, body)
	}
	wantShape(t, referenceScheduleTweet, body)
	got := decode[struct {
		Success        bool
		Message        string
		ScheduledTweet map[string]any `json:"scheduled_tweet"`
	}](t, body)
	tw := got.ScheduledTweet
	if !got.Success || got.Message != "Tweet scheduled successfully" {
		t.Errorf("success, message = %v, %q", got.Success, got.Message)
	}
	want := map[string]any{
		"account_id": a.ID, "account_handle": "myhandle", "tweet_text": "Just launched a new feature! Check it out",
		// UTC with milliseconds, as the reference shows them.
		"scheduled_at": "2030-03-20T15:00:00.000Z", "status": "pending", "created_at": "2030-03-04T09:00:00.000Z",
	}
	for k, v := range want {
		if tw[k] != v {
			t.Errorf("scheduled_tweet.%s = %v, want %v", k, tw[k], v)
		}
	}
	// The listing shows it.
	status, body = l.do(t, l.KeyA, http.MethodGet, "/api/v1/scheduled-tweets", nil)
	if status != http.StatusOK || !strings.Contains(string(body), tw["id"].(string)) {
		t.Errorf("GET /scheduled-tweets = %d %s; want the new tweet", status, body)
	}
}

func TestScheduleTweetBadInput(t *testing.T) {
	l := newLive(t)
	a := liveAccount(t, l, WorkspaceA, "myhandle")
	tests := []struct {
		name  string
		body  any
		field string
	}{
		{"too long", map[string]any{"account_id": a.ID, "tweet_text": strings.Repeat("x", 281), "scheduled_at": "2030-03-20T15:00:00Z"}, "tweet_text"},
		{"too long in runes", map[string]any{"account_id": a.ID, "tweet_text": strings.Repeat("é", 281), "scheduled_at": "2030-03-20T15:00:00Z"}, "tweet_text"},
		{"empty", map[string]any{"account_id": a.ID, "tweet_text": "", "scheduled_at": "2030-03-20T15:00:00Z"}, "tweet_text"},
		{"blank", map[string]any{"account_id": a.ID, "tweet_text": "   ", "scheduled_at": "2030-03-20T15:00:00Z"}, "tweet_text"},
		{"in the past", map[string]any{"account_id": a.ID, "tweet_text": "hi", "scheduled_at": "2024-03-20T15:00:00Z"}, "scheduled_at"},
		{"now", map[string]any{"account_id": a.ID, "tweet_text": "hi", "scheduled_at": "2030-03-04T09:00:00Z"}, "scheduled_at"},
		{"not a time", map[string]any{"account_id": a.ID, "tweet_text": "hi", "scheduled_at": "tomorrow"}, "scheduled_at"},
		{"no time", map[string]any{"account_id": a.ID, "tweet_text": "hi"}, "scheduled_at"},
		{"no account", map[string]any{"tweet_text": "hi", "scheduled_at": "2030-03-20T15:00:00Z"}, "account_id"},
		{"a status", map[string]any{"account_id": a.ID, "tweet_text": "hi", "scheduled_at": "2030-03-20T15:00:00Z", "status": "posted"}, "status"},
		{"wrong type", map[string]any{"account_id": a.ID, "tweet_text": 5, "scheduled_at": "2030-03-20T15:00:00Z"}, "tweet_text"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, body := l.do(t, l.KeyA, http.MethodPost, "/api/v1/scheduled-tweets", tt.body)
			if status != http.StatusBadRequest || !strings.Contains(string(body), tt.field) {
				t.Errorf("= %d %s; want 400 naming %s", status, body, tt.field)
			}
		})
	}
	status, body := l.do(t, l.KeyA, http.MethodGet, "/api/v1/scheduled-tweets", nil)
	if status != http.StatusOK || !strings.Contains(string(body), `"scheduled_tweets":[]`) {
		t.Errorf("after bad input, GET /scheduled-tweets = %d %s; want nothing scheduled", status, body)
	}
}

// putTweet stores a scheduled tweet as the engine leaves it.
func putTweet(t testing.TB, l *live, tw store.ScheduledTweet) {
	t.Helper()
	l.update(t, func(tx storetest.Tx) error { return tx.PutScheduledTweet(tw) })
}

func TestListScheduledTweets(t *testing.T) {
	l := newLive(t)
	a := liveAccount(t, l, WorkspaceA, "myhandle")
	b := liveAccount(t, l, WorkspaceA, "other")
	ctx := context.Background()
	var pending []string
	for i := range 3 {
		info, err := l.Svc.ScheduleTweet(ctx, WorkspaceA, a.ID, fmt.Sprintf("tweet %d", i), liveStart.Add(time.Duration(i+1)*time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		pending = append(pending, info.ID)
	}
	if _, err := l.Svc.ScheduleTweet(ctx, WorkspaceA, b.ID, "from the other", liveStart.Add(10*time.Hour)); err != nil {
		t.Fatal(err)
	}
	posted := store.ScheduledTweet{
		ID: "00000000-0000-4000-8000-000000000001", Workspace: WorkspaceA, AccountID: a.ID, Text: "was posted",
		ScheduledAt: liveStart.Add(-2 * time.Hour), Status: store.TweetPosted, PostedAt: liveStart.Add(-2*time.Hour + 1500*time.Millisecond),
		TweetID: "1234", CreatedAt: liveStart.Add(-3 * time.Hour), UpdatedAt: liveStart,
	}
	failed := store.ScheduledTweet{
		ID: "00000000-0000-4000-8000-000000000002", Workspace: WorkspaceA, AccountID: a.ID, Text: "failed",
		ScheduledAt: liveStart.Add(-time.Hour), Status: store.TweetFailed, ErrorMessage: "the account's session expired",
		CreatedAt: liveStart.Add(-3 * time.Hour), UpdatedAt: liveStart,
	}
	putTweet(t, l, posted)
	putTweet(t, l, failed)

	type listed struct {
		ScheduledTweets []map[string]any `json:"scheduled_tweets"`
		Pagination      offsetPage
	}
	list := func(t *testing.T, query string) listed {
		t.Helper()
		status, body := l.do(t, l.KeyA, http.MethodGet, "/api/v1/scheduled-tweets"+query, nil)
		if status != http.StatusOK {
			t.Fatalf("GET %s = %d %s", query, status, body)
		}
		wantShape(t, referenceListTweets, body)
		return decode[listed](t, body)
	}
	ids := func(l listed) []string {
		var out []string
		for _, tw := range l.ScheduledTweets {
			out = append(out, tw["id"].(string))
		}
		return out
	}

	t.Run("pending of one account, paged", func(t *testing.T) {
		got := list(t, "?status=pending&account_id="+a.ID+"&limit=2&offset=1")
		if want := (offsetPage{Limit: 2, Offset: 1, Count: 2, Total: 3}); got.Pagination != want {
			t.Errorf("pagination = %+v, want %+v", got.Pagination, want)
		}
		if fmt.Sprint(ids(got)) != fmt.Sprint(pending[1:]) {
			t.Errorf("ids = %v, want %v (soonest first)", ids(got), pending[1:])
		}
		tw := got.ScheduledTweets[0]
		if tw["posted_at"] != nil || tw["error_message"] != nil {
			t.Errorf("a pending tweet's posted_at, error_message = %v, %v; want null", tw["posted_at"], tw["error_message"])
		}
		if tw["account_handle"] != "myhandle" || tw["account_name"] != "myhandle" {
			t.Errorf("account_handle, account_name = %v, %v", tw["account_handle"], tw["account_name"])
		}
	})
	t.Run("default limit", func(t *testing.T) {
		got := list(t, "")
		if want := (offsetPage{Limit: 50, Offset: 0, Count: 6, Total: 6}); got.Pagination != want {
			t.Errorf("pagination = %+v, want %+v", got.Pagination, want)
		}
	})
	t.Run("posted", func(t *testing.T) {
		got := list(t, "?status=posted")
		if len(got.ScheduledTweets) != 1 {
			t.Fatalf("posted = %v", got.ScheduledTweets)
		}
		if tw := got.ScheduledTweets[0]; tw["posted_at"] != "2030-03-04T07:00:01.500Z" || tw["error_message"] != nil {
			t.Errorf("posted_at, error_message = %v, %v", tw["posted_at"], tw["error_message"])
		}
	})
	t.Run("failed", func(t *testing.T) {
		got := list(t, "?status=failed")
		if len(got.ScheduledTweets) != 1 || got.ScheduledTweets[0]["error_message"] != "the account's session expired" {
			t.Errorf("failed = %v", got.ScheduledTweets)
		}
	})
	t.Run("bad query", func(t *testing.T) {
		for query, field := range map[string]string{
			"?limit=101": "limit", "?limit=0": "limit", "?offset=-1": "offset", "?status=sent": "status", "?limit=x": "limit",
		} {
			status, body := l.do(t, l.KeyA, http.MethodGet, "/api/v1/scheduled-tweets"+query, nil)
			if status != http.StatusBadRequest || !strings.Contains(string(body), field) {
				t.Errorf("GET %s = %d %s; want 400 naming %s", query, status, body, field)
			}
		}
	})
	t.Run("another workspace sees none", func(t *testing.T) {
		for _, query := range []string{"", "?account_id=" + a.ID} {
			status, body := l.do(t, l.KeyB, http.MethodGet, "/api/v1/scheduled-tweets"+query, nil)
			if status != http.StatusOK || !strings.Contains(string(body), `"scheduled_tweets":[]`) || !strings.Contains(string(body), `"total":0`) {
				t.Errorf("B: GET %s = %d %s; want an empty list", query, status, body)
			}
		}
	})
}

func TestCancelScheduledTweet(t *testing.T) {
	l := newLive(t)
	a := liveAccount(t, l, WorkspaceA, "myhandle")
	info, err := l.Svc.ScheduleTweet(context.Background(), WorkspaceA, a.ID, "soon", liveStart.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	cancel := func(key, id string) (int, string) {
		status, body := l.do(t, key, http.MethodDelete, "/api/v1/scheduled-tweets", map[string]any{"tweet_id": id})
		return status, string(body)
	}

	// Another workspace cannot cancel it, nor learn that it exists.
	if status, body := cancel(l.KeyB, info.ID); status != http.StatusNotFound {
		t.Errorf("B cancels A's tweet: %d %s; want 404", status, body)
	}
	status, body := cancel(l.KeyA, info.ID)
	if status != http.StatusOK {
		t.Fatalf("cancel = %d %s", status, body)
	}
	wantShape(t, referenceCancelTweet, []byte(body))
	if got := decode[cancelTweetResult](t, []byte(body)); got != (cancelTweetResult{Success: true, Message: "Scheduled tweet cancelled", TweetID: info.ID}) {
		t.Errorf("cancel = %+v", got)
	}
	status, listed := l.do(t, l.KeyA, http.MethodGet, "/api/v1/scheduled-tweets?status=cancelled", nil)
	if status != http.StatusOK || !strings.Contains(string(listed), info.ID) {
		t.Errorf("GET ?status=cancelled = %d %s; want the cancelled tweet", status, listed)
	}

	// Only a pending tweet can be cancelled: 409 naming the status.
	putTweet(t, l, store.ScheduledTweet{
		ID: "00000000-0000-4000-8000-000000000001", Workspace: WorkspaceA, AccountID: a.ID, Text: "was posted",
		ScheduledAt: liveStart.Add(-time.Hour), Status: store.TweetPosted, PostedAt: liveStart.Add(-time.Hour),
		CreatedAt: liveStart.Add(-2 * time.Hour), UpdatedAt: liveStart,
	})
	for id, state := range map[string]string{info.ID: "cancelled", "00000000-0000-4000-8000-000000000001": "posted"} {
		if status, body := cancel(l.KeyA, id); status != http.StatusConflict || !strings.Contains(body, state) || !strings.Contains(body, `"error":"Conflict"`) {
			t.Errorf("cancel a %s tweet = %d %s; want 409 naming %s", state, status, body, state)
		}
	}
	for name, body := range map[string]any{
		"unknown id":    map[string]any{"tweet_id": "7f3a1b2c-4d5e-6f7a-8b9c-0d1e2f3a4b5c"},
		"no id":         map[string]any{},
		"unknown field": map[string]any{"tweet_id": info.ID, "status": "pending"},
	} {
		status, got := l.do(t, l.KeyA, http.MethodDelete, "/api/v1/scheduled-tweets", body)
		want := http.StatusBadRequest
		if name == "unknown id" {
			want = http.StatusNotFound
		}
		if status != want {
			t.Errorf("%s: %d %s; want %d", name, status, got, want)
		}
	}
}

func TestScheduleTweetOtherWorkspace(t *testing.T) {
	l := newLive(t)
	a := liveAccount(t, l, WorkspaceA, "myhandle")
	status, body := l.do(t, l.KeyB, http.MethodPost, "/api/v1/scheduled-tweets", map[string]any{
		"account_id": a.ID, "tweet_text": "hijack", "scheduled_at": "2030-03-20T15:00:00Z",
	})
	if status != http.StatusNotFound {
		t.Errorf("B schedules from A's account: %d %s; want 404", status, body)
	}
	infos, _, err := l.Svc.ListTweets(context.Background(), WorkspaceA, service.TweetFilter{}, 0, 0)
	if err != nil || len(infos) != 0 {
		t.Errorf("A's tweets = %v, %v; want none", infos, err)
	}
}

func FuzzScheduleTweet(f *testing.F) {
	f.Add(`{"account_id":"550e8400-e29b-41d4-a716-446655440000","tweet_text":"hi","scheduled_at":"2030-03-20T15:00:00Z"}`)
	f.Add(`{"account_id":"","tweet_text":"","scheduled_at":"0000-01-01T00:00:00Z"}`)
	f.Add(`{"scheduled_at":"9999-12-31T23:59:59.999999999+14:00","tweet_text":"\u0000"}`)
	f.Add(`[]`)
	f.Add(`{"tweet_id":"\u0000"}`)
	f.Add(`{"account_id":"\u0000","tweet_text":"x","scheduled_at":"2031-01-01T00:00:00Z"}`)
	l := newLive(f)
	a := liveAccount(f, l, WorkspaceA, "myhandle")
	f.Add(`{"account_id":"` + a.ID + `","tweet_text":"x","scheduled_at":"2031-01-01T00:00:00Z"}`)
	f.Add(`{"account_id":"` + a.ID + `","tweet_text":"a\u0000b","scheduled_at":"2031-01-01T00:00:00Z"}`)
	f.Fuzz(func(t *testing.T, body string) {
		for _, method := range []string{http.MethodPost, http.MethodDelete} {
			if status, got := l.do(t, l.KeyA, method, "/api/v1/scheduled-tweets", body); status >= 500 {
				t.Fatalf("%s %q = %d %s", method, body, status, got)
			}
		}
	})
}
