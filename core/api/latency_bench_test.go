package api

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"runtime"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/outreachhq/outreach/core/store"
	"github.com/outreachhq/outreach/core/store/storetest"
)

// BenchmarkAPILatency measures what a client waits for the API's heaviest
// reads with 100,000 stored conversations: GET /conversations?limit=100,
// its first page and a page 500 pages deep, and GET /campaigns/analytics.
// Beside them, in the same run, a bare net/http handler serves the same
// bytes as the deep page over the same kind of connection: the floor any
// handler stands on. It reports p50 and p99 of each in microseconds, and
// the deep page's p99 over the bare handler's (the goal: at most 3).
//
//	go test ./core/api -run '^$' -bench APILatency -benchtime 1x
//
// ($OUTREACH_TEST_STORE=postgres measures Postgres;
// $OUTREACH_BENCH_CONVERSATIONS=10000 a smaller store, with the deep page
// a tenth as deep.)
func BenchmarkAPILatency(b *testing.B) {
	conversations := 100_000
	if n, err := strconv.Atoi(os.Getenv("OUTREACH_BENCH_CONVERSATIONS")); err == nil && n >= 1000 {
		conversations = n
	}
	deep := conversations / 200 // pages of 100 in: half way through
	const samples = 2000
	l := newLive(b)
	seedConversations(b, l, conversations)

	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 4}}
	// One buffer for every body, so that the client's own garbage, the
	// same for every target, does not set the pace of collections.
	var buf bytes.Buffer
	get := func(target string) []byte {
		req, _ := http.NewRequest(http.MethodGet, target, nil)
		req.Header.Set("X-API-Key", l.KeyA)
		resp, err := client.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		defer resp.Body.Close()
		buf.Reset()
		if _, err := buf.ReadFrom(resp.Body); err != nil || resp.StatusCode != http.StatusOK {
			b.Fatalf("GET %s: %d %v\n%.300s", target, resp.StatusCode, err, buf.Bytes())
		}
		return buf.Bytes()
	}
	first := l.URL + "/api/v1/conversations?limit=100"
	// Walk to the deep page once, as a client paging would.
	next := first
	for range deep {
		var page struct {
			Next string `json:"next_cursor"`
		}
		if err := json.Unmarshal(get(next), &page); err != nil || page.Next == "" {
			b.Fatalf("paging: %v (cursor %q)", err, page.Next)
		}
		next = first + "&cursor=" + url.QueryEscape(page.Next)
	}
	deepPage := next
	deepBody := bytes.Clone(get(deepPage))

	bare := bareServer(b, deepBody)
	targets := []struct{ name, url string }{
		{"bare", bare},
		{"first", first},
		{"deep", deepPage},
		{"analytics", l.URL + "/api/v1/campaigns/analytics"},
	}
	p99 := map[string]time.Duration{}
	b.ResetTimer()
	for range b.N {
		for _, tgt := range targets {
			// Each target starts with the collector at rest, so that none
			// pays for the garbage of the one before; and it is called
			// often enough for its own garbage to be collected meanwhile,
			// as it would be on a server that keeps serving it.
			runtime.GC()
			get(tgt.url) // warm the connection and caches
			d := make([]time.Duration, samples)
			for i := range d {
				start := time.Now()
				get(tgt.url)
				d[i] = time.Since(start)
			}
			slices.Sort(d)
			p50, p := d[len(d)/2], d[len(d)*99/100]
			p99[tgt.name] = p
			b.ReportMetric(float64(p50.Microseconds()), tgt.name+"_p50_µs")
			b.ReportMetric(float64(p.Microseconds()), tgt.name+"_p99_µs")
		}
	}
	b.StopTimer()
	ratio := float64(p99["deep"]) / float64(p99["bare"])
	b.ReportMetric(ratio, "deep_p99/bare_p99")
	b.Logf("%d conversations, %d bytes a page: p99 deep page %v, bare handler %v (%.2fx; the goal is at most 3x)",
		conversations, len(deepBody), p99["deep"], p99["bare"], ratio)
}

// bareServer serves body at / with nothing but net/http, on a loopback
// port, and returns its URL.
func bareServer(b *testing.B, body []byte) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(body)
	})}
	go func() { _ = srv.Serve(ln) }()
	b.Cleanup(func() { _ = srv.Close() })
	return "http://" + ln.Addr().String() + "/"
}

// seedConversations stores n conversations of workspace A, each with its
// lead and one message, spread over 4 accounts and a few seconds apart, as
// the engine would have.
func seedConversations(b *testing.B, l *live, n int) {
	b.Helper()
	t0 := liveStart.Add(-time.Duration(n) * time.Minute)
	var accounts []store.Account
	for i := range 4 {
		accounts = append(accounts, store.Account{
			ID: fmt.Sprintf("acct-%d", i), Workspace: WorkspaceA, Handle: fmt.Sprintf("sender_%d", i),
			Network: "x", XUserID: fmt.Sprintf("%d", 1000+i), CreatedAt: t0,
		})
	}
	l.update(b, func(tx storetest.Tx) error {
		for _, a := range accounts {
			if err := tx.PutAccount(a); err != nil {
				return err
			}
		}
		return nil
	})
	const batch = 2000
	for lo := 0; lo < n; lo += batch {
		l.update(b, func(tx storetest.Tx) error {
			for i := lo; i < min(n, lo+batch); i++ {
				a := accounts[i%len(accounts)]
				at := t0.Add(time.Duration(i) * time.Minute)
				userID := fmt.Sprintf("%d", 9_000_000+i)
				if err := tx.PutLead(store.Lead{
					UserID: userID, Workspace: WorkspaceA, Username: fmt.Sprintf("lead_%d", i), Name: fmt.Sprintf("Lead %d", i),
					Bio: "Founder @ Startup | Building cool things", Location: "San Francisco, CA", Website: "https://example.com",
					Followers: 5000, Following: 1200, FoundAt: at,
				}); err != nil {
					return err
				}
				c := store.Conversation{
					ID: store.ConversationID(a.XUserID, userID), Workspace: WorkspaceA, AccountID: a.ID, LeadID: userID,
					Replied: i%5 == 0, Unread: i%5 == 0, LastAt: at, LastText: "Thanks for reaching out!", MessageCount: 1,
					CreatedAt: at, UpdatedAt: at,
				}
				if err := tx.PutConversation(c); err != nil {
					return err
				}
			}
			return nil
		})
	}
}
