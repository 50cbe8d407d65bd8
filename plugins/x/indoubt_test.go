package x

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/outreachhq/outreach/sdk"
)

// spoiler answers in place of the simulated X after it has handled the
// request: rec holds what X answered.
type spoiler func(t *testing.T, w http.ResponseWriter, rec *httptest.ResponseRecorder)

// spoilingX wraps the simulated X: requests that match pass through to it
// (so a write takes effect), then spoil, if set, answers instead. It counts
// the matching requests that reached X.
type spoilingX struct {
	t     *testing.T
	match func(*http.Request) bool
	mu    sync.Mutex
	spoil spoiler
	hits  atomic.Int32
}

func (s *spoilingX) set(sp spoiler) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.spoil = sp
}

func (s *spoilingX) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		sp := s.spoil
		s.mu.Unlock()
		if sp == nil || !s.match(r) {
			next.ServeHTTP(w, r)
			return
		}
		s.hits.Add(1)
		rec := httptest.NewRecorder()
		next.ServeHTTP(rec, r)
		sp(s.t, w, rec)
	})
}

func isDMSend(r *http.Request) bool {
	return r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/messages")
}

// hijack takes the connection from the server, writes raw (if any) and
// closes it.
func hijack(t *testing.T, w http.ResponseWriter, raw string) {
	conn, buf, err := w.(http.Hijacker).Hijack()
	if err != nil {
		t.Errorf("hijack: %v", err)
		return
	}
	_, _ = buf.WriteString(raw)
	_ = buf.Flush()
	_ = conn.Close()
}

// Ways an answer to a write that X carried out can go wrong on the way back.
var (
	answer503 spoiler = func(_ *testing.T, w http.ResponseWriter, _ *httptest.ResponseRecorder) {
		w.Header().Set("content-type", "application/json")
		w.WriteHeader(http.StatusServiceUnavailable)
		_, _ = w.Write([]byte(`{"title":"Service Unavailable","detail":"Service Unavailable","type":"about:blank","status":503}`))
	}
	cutBeforeAnswer spoiler = func(t *testing.T, w http.ResponseWriter, _ *httptest.ResponseRecorder) {
		hijack(t, w, "")
	}
	cutMidBody spoiler = func(t *testing.T, w http.ResponseWriter, rec *httptest.ResponseRecorder) {
		body := rec.Body.String()
		hijack(t, w, fmt.Sprintf("HTTP/1.1 %d %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s",
			rec.Code, http.StatusText(rec.Code), len(body), body[:len(body)/2]))
	}
	truncatedBody spoiler = func(_ *testing.T, w http.ResponseWriter, rec *httptest.ResponseRecorder) {
		body := rec.Body.String()
		w.WriteHeader(rec.Code)
		_, _ = w.Write([]byte(body[:len(body)/2]))
	}
	garbageBody spoiler = func(_ *testing.T, w http.ResponseWriter, _ *httptest.ResponseRecorder) {
		w.Header().Set("content-type", "text/html")
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write([]byte("<html><body>upstream hiccup</body></html>"))
	}
	noIDs spoiler = func(_ *testing.T, w http.ResponseWriter, _ *httptest.ResponseRecorder) {
		w.WriteHeader(http.StatusCreated)
		_, _ = w.Write([]byte(`{"data":{}}`))
	}
)

// TestSendDMInDoubt: a DM that X accepted but whose answer was lost is
// InDoubt, never a kind that says "not sent", and reading the conversation
// then shows it exactly once (the connector did not send it again).
func TestSendDMInDoubt(t *testing.T) {
	tests := []struct {
		name  string
		spoil spoiler
	}{
		{"503 after the send", answer503},
		{"connection cut before the answer", cutBeforeAnswer},
		{"connection cut mid-body", cutMidBody},
		{"truncated 2xx body", truncatedBody},
		{"garbage 2xx body", garbageBody},
		{"2xx without ids", noIDs},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clk := &fakeClock{now: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)}
			x := &spoilingX{t: t, match: isDMSend}
			c, s, sim := connectThrough(t, clk, x.wrap)
			ctx := context.Background()
			if _, err := sim.Login("other_team"); err != nil {
				t.Fatal(err)
			}
			users, err := c.LookupUsers(ctx, s, []string{"other_team"})
			if err != nil || len(users) != 1 {
				t.Fatalf("LookupUsers(other_team) = %v, %v", users, err)
			}
			to := users[0].ID
			text := "Hi, " + tt.name

			x.set(tt.spoil)
			_, err = c.SendDM(ctx, s, to, text)
			x.set(nil)
			if sdk.KindOf(err) != sdk.InDoubt {
				t.Fatalf("SendDM: %v (kind %q); want InDoubt", err, sdk.KindOf(err))
			}
			if !strings.Contains(err.Error(), "outcome is unknown") {
				t.Errorf("SendDM: %q; want the message to say the outcome is unknown", err)
			}
			if n := x.hits.Load(); n != 1 {
				t.Errorf("the DM reached X %d times; want once", n)
			}
			events, err := c.ConversationEvents(ctx, s, to, 100)
			if err != nil {
				t.Fatalf("ConversationEvents: %v", err)
			}
			copies := 0
			for _, ev := range events {
				if ev.Text == text && ev.SenderID == s.UserID {
					copies++
				}
			}
			if copies != 1 {
				t.Errorf("the conversation shows the DM %d times; want exactly once", copies)
			}
		})
	}
}

// TestEngagementWritesInDoubt: a 5xx or a lost answer makes every write
// InDoubt, not only DMs.
func TestEngagementWritesInDoubt(t *testing.T) {
	clk := &fakeClock{now: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)}
	x := &spoilingX{t: t, match: func(r *http.Request) bool { return r.Method == http.MethodPost }}
	c, s, _ := connectThrough(t, clk, x.wrap)
	ctx := context.Background()
	users, err := c.LookupUsers(ctx, s, []string{"paulg"})
	if err != nil || len(users) != 1 {
		t.Fatalf("LookupUsers(paulg) = %v, %v", users, err)
	}
	posts, err := c.UserPosts(ctx, s, users[0].ID, 5)
	if err != nil || len(posts) == 0 {
		t.Fatalf("UserPosts(paulg) = %v, %v", posts, err)
	}
	writes := map[string]func() error{
		"follow":  func() error { _, err := c.Follow(ctx, s, users[0].ID); return err },
		"like":    func() error { return c.Like(ctx, s, posts[0].ID) },
		"comment": func() error { _, err := c.Comment(ctx, s, posts[0].ID, "Nice"); return err },
		"tweet":   func() error { _, err := c.PostTweet(ctx, s, "Hello"); return err },
	}
	for name, write := range writes {
		for spoilName, sp := range map[string]spoiler{"503": answer503, "cut": cutBeforeAnswer, "garbage": garbageBody} {
			x.set(sp)
			err := write()
			x.set(nil)
			if sdk.KindOf(err) != sdk.InDoubt {
				t.Errorf("%s, answered %s: %v (kind %q); want InDoubt", name, spoilName, err, sdk.KindOf(err))
			}
		}
	}
}

// TestReadFailuresAreNotInDoubt: a read has no effect to be in doubt
// about: a 5xx or a malformed answer is Retryable.
func TestReadFailuresAreNotInDoubt(t *testing.T) {
	clk := &fakeClock{now: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)}
	x := &spoilingX{t: t, match: func(r *http.Request) bool { return r.Method == http.MethodGet }}
	c, s, _ := connectThrough(t, clk, x.wrap)
	ctx := context.Background()
	answer502 := func(_ *testing.T, w http.ResponseWriter, _ *httptest.ResponseRecorder) {
		w.WriteHeader(http.StatusBadGateway)
	}
	for name, sp := range map[string]spoiler{"502": answer502, "503": answer503, "garbage": garbageBody, "truncated": truncatedBody} {
		x.set(sp)
		_, _, err := c.ReadDMEvents(ctx, s, "")
		x.set(nil)
		if sdk.KindOf(err) != sdk.Retryable {
			t.Errorf("ReadDMEvents, answered %s: %v (kind %q); want Retryable", name, err, sdk.KindOf(err))
		}
	}
}

// TestWriteThatNeverLeftIsRetryable: with no connection to X nothing was
// sent, so a write is not in doubt but Retryable; a read is tried
// read_attempts times, then Retryable too.
func TestWriteThatNeverLeftIsRetryable(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL
	srv.Close() // nothing listens there now
	c := New()
	if err := c.Configure(context.Background(), []byte(`{"base_url":"`+url+`","timeout":"5s","read_attempts":3,"retry_backoff":"10ms"}`)); err != nil {
		t.Fatal(err)
	}
	var waits []time.Duration
	c.sleep = func(_ context.Context, d time.Duration) error { waits = append(waits, d); return nil }
	s := sdk.Session{UserID: "1", Credentials: map[string]string{sdk.CredentialAccessToken: "t"}}
	if _, err := c.SendDM(context.Background(), s, "2", "hi"); sdk.KindOf(err) != sdk.Retryable {
		t.Errorf("SendDM with X unreachable: %v (kind %q); want Retryable", err, sdk.KindOf(err))
	}
	if len(waits) != 0 {
		t.Errorf("SendDM waited %v: a write is never tried again inside the connector", waits)
	}
	if _, err := c.CheckSession(context.Background(), s); sdk.KindOf(err) != sdk.Retryable {
		t.Errorf("CheckSession with X unreachable: %v (kind %q); want Retryable", err, sdk.KindOf(err))
	}
	if want := []time.Duration{10 * time.Millisecond, 20 * time.Millisecond}; !slices.Equal(waits, want) {
		t.Errorf("CheckSession waited %v between its tries; want %v (3 tries, backoff doubling)", waits, want)
	}
}

// TestRateLimitAndSessionStayTypedOnWrites: a 429 or a 401 on a write means
// X refused it, so they keep their kinds.
func TestRateLimitAndSessionStayTypedOnWrites(t *testing.T) {
	clk := &fakeClock{now: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)}
	c, s, _ := connect(t, clk)
	ctx := context.Background()
	revoked := s
	revoked.Credentials = map[string]string{sdk.CredentialAccessToken: "xsim-revoked"}
	if _, err := c.PostTweet(ctx, revoked, "hi"); sdk.KindOf(err) != sdk.SessionExpired {
		t.Errorf("PostTweet with a revoked token: %v; want SessionExpired", err)
	}
	var err error
	for i := 0; i < 1000 && sdk.KindOf(err) != sdk.RateLimited; i++ {
		_, err = c.PostTweet(ctx, s, fmt.Sprintf("post %d", i))
		if err != nil && sdk.KindOf(err) != sdk.RateLimited {
			t.Fatalf("PostTweet %d: %v", i, err)
		}
	}
	var se *sdk.Error
	if sdk.KindOf(err) != sdk.RateLimited || !errors.As(err, &se) || se.ResetAt.IsZero() {
		t.Errorf("PostTweet past the limit: %v; want RateLimited with a reset time", err)
	}
}

// TestSendDMAcceptsIDsWithoutTheDataWrapper: the legacy reference pages
// show the ids at the top level; such an answer is a sent DM, not one in
// doubt.
func TestSendDMAcceptsIDsWithoutTheDataWrapper(t *testing.T) {
	clk := &fakeClock{now: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)}
	x := &spoilingX{t: t, match: isDMSend}
	c, s, sim := connectThrough(t, clk, x.wrap)
	if _, err := sim.Login("other_team"); err != nil {
		t.Fatal(err)
	}
	users, err := c.LookupUsers(context.Background(), s, []string{"other_team"})
	if err != nil || len(users) != 1 {
		t.Fatalf("LookupUsers(other_team) = %v, %v", users, err)
	}
	var want sdk.SentDM
	x.set(func(t *testing.T, w http.ResponseWriter, rec *httptest.ResponseRecorder) {
		var env struct {
			Data map[string]string `json:"data"`
		}
		if err := json.Unmarshal(rec.Body.Bytes(), &env); err != nil {
			t.Errorf("the simulator's answer: %v", err)
		}
		want = sdk.SentDM{ConversationID: env.Data["dm_conversation_id"], EventID: env.Data["dm_event_id"]}
		w.WriteHeader(rec.Code)
		_ = json.NewEncoder(w).Encode(env.Data)
	})
	got, err := c.SendDM(context.Background(), s, users[0].ID, "hi")
	if err != nil || got != want || got.EventID == "" {
		t.Errorf("SendDM = %+v, %v; want %+v", got, err, want)
	}
}
