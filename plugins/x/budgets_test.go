package x

import (
	"context"
	"errors"
	"math"
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
	// Rows of X's current table (rate_limits.current.json), per user and
	// per app, in both windows where X sets two.
	for _, want := range []sdk.Budget{
		{Operation: sdk.OpSendDM, Requests: 15, Window: 15 * time.Minute, Scope: sdk.ScopeUser},
		{Operation: sdk.OpSendDM, Requests: 1440, Window: 24 * time.Hour, Scope: sdk.ScopeUser},
		{Operation: sdk.OpSendDM, Requests: 1440, Window: 24 * time.Hour, Scope: sdk.ScopeApp},
		{Operation: sdk.OpDMEvents, Requests: 15, Window: 15 * time.Minute, Scope: sdk.ScopeUser},
		{Operation: sdk.OpScrape, Requests: 300, Window: 15 * time.Minute, Scope: sdk.ScopeUser},
		{Operation: sdk.OpScrape, Requests: 300, Window: 15 * time.Minute, Scope: sdk.ScopeApp},
		{Operation: sdk.OpLike, Requests: 50, Window: 15 * time.Minute, Scope: sdk.ScopeUser},
		{Operation: sdk.OpLike, Requests: 1000, Window: 24 * time.Hour, Scope: sdk.ScopeUser},
		{Operation: sdk.OpTweet, Requests: 10000, Window: 24 * time.Hour, Scope: sdk.ScopeApp},
	} {
		if !slices.Contains(budgets, want) {
			t.Errorf("X's budgets lack %+v", want)
		}
	}
	ops := func(bs []sdk.Budget) []string {
		var out []string
		for _, b := range bs {
			out = append(out, b.Operation)
		}
		slices.Sort(out)
		return slices.Compact(out)
	}
	if !slices.Equal(ops(budgets), ops(simBudgets)) {
		t.Errorf("X's budgets cover %v, the simulator's %v: want the same operations", ops(budgets), ops(simBudgets))
	}
	for _, b := range append(budgets, simBudgets...) {
		if b.Requests <= 0 || b.Window <= 0 || (b.Scope != sdk.ScopeUser && b.Scope != sdk.ScopeApp) {
			t.Errorf("budget %+v: want positive requests and window, and a scope", b)
		}
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

// TestRateLimitsOverride: rate_limits replaces the budgets of the
// operations it names, over X's table and the simulator's alike.
func TestRateLimitsOverride(t *testing.T) {
	ctx := context.Background()
	for _, base := range []string{"https://api.x.com", "http://127.0.0.1:8089"} {
		c := New()
		cfg := `{"base_url":"` + base + `","rate_limits":{"send_dm":"10/15min, 500/24hrs, app:1000/24h","dm_events":"user:5/15m"}}`
		if err := c.Configure(ctx, []byte(cfg)); err != nil {
			t.Fatal(err)
		}
		budgets, _ := c.RateBudgets(ctx)
		var dm, events []sdk.Budget
		for _, b := range budgets {
			switch b.Operation {
			case sdk.OpSendDM:
				dm = append(dm, b)
			case sdk.OpDMEvents:
				events = append(events, b)
			}
		}
		wantDM := []sdk.Budget{
			{Operation: sdk.OpSendDM, Requests: 10, Window: 15 * time.Minute, Scope: sdk.ScopeUser},
			{Operation: sdk.OpSendDM, Requests: 500, Window: 24 * time.Hour, Scope: sdk.ScopeUser},
			{Operation: sdk.OpSendDM, Requests: 1000, Window: 24 * time.Hour, Scope: sdk.ScopeApp},
		}
		if !slices.Equal(dm, wantDM) {
			t.Errorf("%s: send_dm budgets %+v; want %+v", base, dm, wantDM)
		}
		if want := []sdk.Budget{{Operation: sdk.OpDMEvents, Requests: 5, Window: 15 * time.Minute, Scope: sdk.ScopeUser}}; !slices.Equal(events, want) {
			t.Errorf("%s: dm_events budgets %+v; want %+v", base, events, want)
		}
		if !slices.ContainsFunc(budgets, func(b sdk.Budget) bool { return b.Operation == sdk.OpFollow }) {
			t.Errorf("%s: overriding two operations dropped the others: %+v", base, budgets)
		}
	}
}

// TestPrices: the dated default table carries X's published prices, and
// prices overrides them.
func TestPrices(t *testing.T) {
	ctx := context.Background()
	c := New()
	table, err := c.Prices(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if table.AsOf != "2026-11-15" || table.Currency != "USD" {
		t.Errorf("table dated %q in %q; want 2026-11-15 in USD", table.AsOf, table.Currency)
	}
	for _, tc := range []struct {
		op           string
		calls, items int
		want         float64
	}{
		{sdk.OpScrape, 5, 5000, 50},      // $0.010 per follower read
		{sdk.OpDMEvents, 1, 100, 1},      // $0.010 per DM event read
		{sdk.OpSendDM, 2000, 2000, 30},   // $0.015 per DM sent
		{sdk.OpUserPosts, 1, 10, 0.1},    // estimate
		{sdk.OpCheckSession, 1, 1, 0.01}, // estimate
	} {
		if got, ok := table.Cost(tc.op, tc.calls, tc.items); !ok || math.Abs(got-tc.want) > 1e-9 {
			t.Errorf("Cost(%s, %d calls, %d items) = %v, %v; want %v", tc.op, tc.calls, tc.items, got, ok, tc.want)
		}
	}
	for _, op := range operations {
		if _, ok := table.Cost(op, 1, 1); !ok {
			t.Errorf("no price for %s", op)
		}
	}
	cfg := `{"prices":{"send_dm":"0.02/request","scrape":"0.001/request, 0.005/item","like":0.5},"prices_as_of":"2027-01-01"}`
	if err := c.Configure(ctx, []byte(cfg)); err != nil {
		t.Fatal(err)
	}
	table, _ = c.Prices(ctx)
	if table.AsOf != "2027-01-01" {
		t.Errorf("prices_as_of: table dated %q", table.AsOf)
	}
	for _, tc := range []struct {
		op   string
		want float64
	}{{sdk.OpSendDM, 0.02}, {sdk.OpScrape, 0.006}, {sdk.OpLike, 0.5}, {sdk.OpDMEvents, 0.01}} {
		if got, _ := table.Cost(tc.op, 1, 1); math.Abs(got-tc.want) > 1e-9 {
			t.Errorf("after override, one %s with one item costs %v; want %v", tc.op, got, tc.want)
		}
	}
}
