package x

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/outreachhq/outreach/sdk"
)

// limitWatcher records the rate-limit headers of every answer of the
// simulated X.
type limitWatcher struct {
	mu   sync.Mutex
	seen []seenLimit
}

type seenLimit struct {
	request      string
	limit, reset int64
}

func (l *limitWatcher) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := httptest.NewRecorder()
		next.ServeHTTP(rec, r)
		limit, _ := strconv.ParseInt(rec.Header().Get("x-rate-limit-limit"), 10, 64)
		reset, _ := strconv.ParseInt(rec.Header().Get("x-rate-limit-reset"), 10, 64)
		l.mu.Lock()
		l.seen = append(l.seen, seenLimit{r.Method + " " + r.URL.Path, limit, reset})
		l.mu.Unlock()
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		w.WriteHeader(rec.Code)
		_, _ = w.Write(rec.Body.Bytes())
	})
}

func (l *limitWatcher) take() []seenLimit {
	l.mu.Lock()
	defer l.mu.Unlock()
	seen := l.seen
	l.seen = nil
	return seen
}

// TestSimBudgetsMatchTheSimulator makes every call the connector declares a
// budget for against the simulated X and checks the simulator's answer
// headers (its limit, and a reset one window away) against the
// connector's copy of its table, so the copy cannot drift.
func TestSimBudgetsMatchTheSimulator(t *testing.T) {
	clk := &fakeClock{now: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)}
	watch := &limitWatcher{}
	c, s, sim := connectThrough(t, clk, watch.wrap)
	ctx := context.Background()
	if _, err := sim.Login("other_team"); err != nil {
		t.Fatal(err)
	}
	users, err := c.LookupUsers(ctx, s, []string{"paulg", "other_team"})
	if err != nil || len(users) != 2 {
		t.Fatalf("LookupUsers = %v, %v", users, err)
	}
	paulg, other := users[0].ID, users[1].ID
	posts, err := c.UserPosts(ctx, s, paulg, 5)
	if err != nil || len(posts) == 0 {
		t.Fatalf("UserPosts(paulg) = %v, %v", posts, err)
	}
	stop := errors.New("stop")
	scrape := func(rel sdk.Relation) error {
		err := c.Scrape(ctx, sdk.ScrapeRequest{Session: s, UserID: paulg, Relation: rel, PageSize: 10}, func(sdk.Page) error { return stop })
		if errors.Is(err, stop) {
			return nil
		}
		return err
	}
	calls := map[string]func() error{
		sdk.OpCheckSession: func() error { _, err := c.CheckSession(ctx, s); return err },
		sdk.OpLookupUsers:  func() error { _, err := c.LookupUsers(ctx, s, []string{"paulg"}); return err },
		sdk.OpScrape:       func() error { return errors.Join(scrape(sdk.Followers), scrape(sdk.Following)) },
		sdk.OpSendDM:       func() error { _, err := c.SendDM(ctx, s, other, "hi"); return err },
		sdk.OpDMEvents: func() error {
			_, _, err := c.ReadDMEvents(ctx, s, "")
			_, err2 := c.ConversationEvents(ctx, s, other, 10)
			return errors.Join(err, err2)
		},
		sdk.OpFollow:    func() error { _, err := c.Follow(ctx, s, paulg); return err },
		sdk.OpLike:      func() error { return c.Like(ctx, s, posts[0].ID) },
		sdk.OpComment:   func() error { _, err := c.Comment(ctx, s, posts[0].ID, "Nice"); return err },
		sdk.OpTweet:     func() error { _, err := c.PostTweet(ctx, s, "Hello"); return err },
		sdk.OpUserPosts: func() error { _, err := c.UserPosts(ctx, s, paulg, 5); return err },
	}
	budgets, err := c.RateBudgets(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.EqualFunc(budgets, simBudgets, func(a, b sdk.Budget) bool { return a == b }) {
		t.Fatalf("RateBudgets with the simulator's base URL = %v; want the simulator's table", budgets)
	}
	watch.take()
	for _, b := range budgets {
		call, ok := calls[b.Operation]
		if !ok {
			t.Errorf("budget for %q: this test has no call for it", b.Operation)
			continue
		}
		delete(calls, b.Operation)
		if err := call(); err != nil {
			t.Errorf("%s: %v", b.Operation, err)
			continue
		}
		// The fake clock stands still, so every window opened now.
		wantReset := clk.Now().Add(b.Window).Unix()
		seen := watch.take()
		if len(seen) == 0 {
			t.Errorf("%s made no request", b.Operation)
		}
		for _, r := range seen {
			if r.limit != int64(b.Requests) || r.reset != wantReset {
				t.Errorf("%s: the simulator allows %d requests for %s, its window resets at %d; the connector's copy says %d per %s (reset %d)",
					b.Operation, r.limit, r.request, r.reset, b.Requests, b.Window, wantReset)
			}
		}
	}
	for op := range calls {
		t.Errorf("the simulator serves %q but the connector declares no budget for it", op)
	}
}

func TestRateBudgetsFollowTheBaseURL(t *testing.T) {
	ctx := context.Background()
	forX := New() // the default base URL: X itself
	budgets, err := forX.RateBudgets(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]sdk.Budget{
		sdk.OpDMEvents: {Operation: sdk.OpDMEvents, Requests: 15, Window: 15 * time.Minute},
		sdk.OpSendDM:   {Operation: sdk.OpSendDM, Requests: 15, Window: 15 * time.Minute},
		sdk.OpLike:     {Operation: sdk.OpLike, Requests: 1000, Window: 24 * time.Hour},
	}
	for _, b := range budgets {
		if w, ok := want[b.Operation]; ok && b != w {
			t.Errorf("X's budget for %s = %+v; want %+v", b.Operation, b, w)
		}
	}
	ops := func(bs []sdk.Budget) []string {
		out := make([]string, len(bs))
		for i, b := range bs {
			out[i] = b.Operation
		}
		slices.Sort(out)
		return out
	}
	if !slices.Equal(ops(budgets), ops(simBudgets)) {
		t.Errorf("X's budgets cover %v, the simulator's %v: want the same operations", ops(budgets), ops(simBudgets))
	}
	seen := map[string]bool{}
	for _, b := range append(budgets, simBudgets...) {
		if b.Requests <= 0 || b.Window <= 0 {
			t.Errorf("budget %+v: want positive requests and window", b)
		}
	}
	for _, b := range budgets {
		if seen[b.Operation] {
			t.Errorf("X's budgets list %s twice", b.Operation)
		}
		seen[b.Operation] = true
	}

	// Trailing slashes do not make X look like a simulator.
	if err := forX.Configure(ctx, []byte(`{"base_url":"https://api.x.com/"}`)); err != nil {
		t.Fatal(err)
	}
	if again, _ := forX.RateBudgets(ctx); !slices.Equal(again, budgets) {
		t.Errorf("with base_url https://api.x.com/: %v; want X's budgets", again)
	}
	sandbox := New()
	if err := sandbox.Configure(ctx, []byte(`{"base_url":"http://127.0.0.1:8089"}`)); err != nil {
		t.Fatal(err)
	}
	if got, _ := sandbox.RateBudgets(ctx); !slices.Equal(got, simBudgets) {
		t.Errorf("with the simulator's base URL: %v; want the simulator's budgets", got)
	}
	// The caller owns what it gets.
	got, _ := sandbox.RateBudgets(ctx)
	got[0].Requests = -1
	if again, _ := sandbox.RateBudgets(ctx); again[0].Requests == -1 {
		t.Error("RateBudgets returns the connector's own table: a caller can change it")
	}
}
