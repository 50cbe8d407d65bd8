package x

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/outreachhq/outreach/plugins/x/xsim"
	"github.com/outreachhq/outreach/sdk"
)

// fakeClock is the simulated X's time, moved by the test.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// connect returns a connector configured for a simulated X behind an
// httptest server on loopback, and a session of @acme_sales.
func connect(t *testing.T, clk *fakeClock) (*Connector, sdk.Session, *xsim.Sim) {
	t.Helper()
	return connectThrough(t, clk, func(h http.Handler) http.Handler { return h })
}

// connectThrough is connect with the simulated X's handler wrapped by wrap,
// for tests that spoil or watch its answers.
func connectThrough(t *testing.T, clk *fakeClock, wrap func(http.Handler) http.Handler) (*Connector, sdk.Session, *xsim.Sim) {
	t.Helper()
	sim := xsim.New(xsim.Options{Clock: clk})
	srv := httptest.NewServer(wrap(sim.Handler()))
	t.Cleanup(srv.Close)
	c := New()
	cfg, _ := json.Marshal(map[string]string{"base_url": srv.URL, "timeout": "5s", "retry_backoff": "0s"})
	if err := c.Configure(context.Background(), cfg); err != nil {
		t.Fatal(err)
	}
	token, err := sim.Login("acme_sales")
	if err != nil {
		t.Fatal(err)
	}
	s := sdk.Session{Handle: "acme_sales", Credentials: map[string]string{sdk.CredentialAccessToken: token}}
	me, err := c.CheckSession(context.Background(), s)
	if err != nil {
		t.Fatal(err)
	}
	s.UserID = me.ID
	return c, s, sim
}

// followers returns the first page of @paulg's followers.
func followers(t *testing.T, c *Connector, s sdk.Session) []sdk.User {
	t.Helper()
	ctx := context.Background()
	users, err := c.LookupUsers(ctx, s, []string{"paulg"})
	if err != nil || len(users) != 1 {
		t.Fatalf("LookupUsers(paulg) = %v, %v", users, err)
	}
	var page []sdk.User
	stop := errors.New("stop")
	err = c.Scrape(ctx, sdk.ScrapeRequest{Session: s, UserID: users[0].ID, Relation: sdk.Followers, PageSize: 100},
		func(p sdk.Page) error { page = p.Users; return stop })
	if !errors.Is(err, stop) || len(page) == 0 {
		t.Fatalf("Scrape: %v, %d users", err, len(page))
	}
	return page
}

func TestReadDMEventsReturnsOnlyNewEventsOldestFirst(t *testing.T) {
	clk := &fakeClock{now: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)}
	c, s, sim := connect(t, clk)
	ctx := context.Background()

	_, cursor, err := c.ReadDMEvents(ctx, s, "")
	if err != nil {
		t.Fatal(err)
	}
	var sent []string
	for _, u := range followers(t, c, s) {
		if su, ok := sim.UserByUsername(u.Username); ok && su.AcceptsDMs {
			dm, err := c.SendDM(ctx, s, u.ID, "Hi "+u.Name)
			if err != nil {
				t.Fatalf("SendDM to %s: %v", u.Username, err)
			}
			sent = append(sent, dm.EventID)
		}
		if len(sent) == 30 {
			break
		}
	}
	events, next, err := c.ReadDMEvents(ctx, s, cursor)
	if err != nil {
		t.Fatal(err)
	}
	if len(events) != len(sent) {
		t.Fatalf("read %d new events; want the %d DMs just sent", len(events), len(sent))
	}
	for i, ev := range events {
		if ev.ID != sent[i] || ev.SenderID != s.UserID {
			t.Fatalf("event %d is %s from %s; want %s from the account (oldest first)", i, ev.ID, ev.SenderID, sent[i])
		}
	}
	// Replies come a few seconds later; only they are new now.
	clk.advance(time.Minute)
	replies, _, err := c.ReadDMEvents(ctx, s, next)
	if err != nil {
		t.Fatal(err)
	}
	if len(replies) == 0 {
		t.Fatal("no replies to 30 DMs a minute later")
	}
	for _, ev := range replies {
		if ev.SenderID == s.UserID || !idAfter(ev.ID, next) {
			t.Errorf("event %s from %s is not a new reply after cursor %s", ev.ID, ev.SenderID, next)
		}
	}
}

func TestErrorsAreTyped(t *testing.T) {
	clk := &fakeClock{now: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)}
	c, s, sim := connect(t, clk)
	ctx := context.Background()

	expired := s
	expired.Credentials = map[string]string{sdk.CredentialAccessToken: "xsim-revoked"}
	if _, err := c.CheckSession(ctx, expired); sdk.KindOf(err) != sdk.SessionExpired {
		t.Errorf("unknown token: %v; want SessionExpired", err)
	}
	none := s
	none.Credentials = nil
	if _, err := c.CheckSession(ctx, none); sdk.KindOf(err) != sdk.SessionExpired {
		t.Errorf("no credentials: %v; want SessionExpired before any request", err)
	}
	if users, err := c.LookupUsers(ctx, s, []string{"ghost_nobody"}); err != nil || len(users) != 0 {
		t.Errorf("missing user: %v, %v; want no users and no error", users, err)
	}
	var closed string
	for _, u := range followers(t, c, s) {
		if su, ok := sim.UserByUsername(u.Username); ok && !su.AcceptsDMs {
			closed = u.ID
			break
		}
	}
	if closed == "" {
		t.Skip("no follower on the first page refuses DMs")
	}
	if _, err := c.SendDM(ctx, s, closed, "hello"); sdk.KindOf(err) != sdk.RecipientClosed {
		t.Errorf("DM to a user who refuses DMs: %v; want RecipientClosed", err)
	}
}

func TestRateLimitCarriesResetTime(t *testing.T) {
	reset := time.Date(2026, 3, 1, 12, 15, 0, 0, time.UTC)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("x-rate-limit-limit", "15")
		w.Header().Set("x-rate-limit-remaining", "0")
		w.Header().Set("x-rate-limit-reset", "1772367300")
		w.WriteHeader(http.StatusTooManyRequests)
		_, _ = w.Write([]byte(`{"errors":[{"code":88,"message":"Rate limit exceeded"}]}`))
	}))
	t.Cleanup(srv.Close)
	c := New()
	cfg, _ := json.Marshal(map[string]string{"base_url": srv.URL})
	if err := c.Configure(context.Background(), cfg); err != nil {
		t.Fatal(err)
	}
	s := sdk.Session{Credentials: map[string]string{sdk.CredentialAccessToken: "t"}}
	_, err := c.SendDM(context.Background(), s, "1", "hi")
	var se *sdk.Error
	if !errors.As(err, &se) || se.Kind != sdk.RateLimited || !se.ResetAt.Equal(reset) {
		t.Fatalf("429: %v; want RateLimited until %s", err, reset)
	}
}

func TestConfigureRefusesBadBaseURL(t *testing.T) {
	for _, raw := range []string{`{"base_url":"ftp://x"}`, `{"base_url":"::"}`, `{"timeout":"soon"}`, `{`} {
		if err := New().Configure(context.Background(), json.RawMessage(raw)); sdk.KindOf(err) != sdk.Permanent {
			t.Errorf("Configure(%s) = %v; want a Permanent error", raw, err)
		}
	}
}
