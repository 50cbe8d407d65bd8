package plan

import (
	"strings"
	"testing"
	"time"

	"github.com/outreachhq/outreach/core/store"
)

// TestScrapeWithinBudget: a 5,000-follower target needs 5 pages of 1,000
// at X, within one 15-minute window of 15, and the plan says so.
func TestScrapeWithinBudget(t *testing.T) {
	src := Source{Source: store.Source{Address: "source.s", Targets: []store.Target{{Handle: "paulg", Followers: true}}}}
	desired := Objects{Accounts: []store.Account{{Address: "account.a", Handle: "a", Network: "x"}}, Sources: []Source{src}}
	snap := Snapshot{Sources: map[string]SourceFacts{"s": {ListSizes: map[string]int{"followers/paulg": 5000}}}}
	nets := map[string]Network{"x": {
		Budgets: []Budget{{Operation: OpScrape, Requests: 15, Window: 15 * time.Minute}},
		Prices:  &Prices{AsOf: "2026-11-15", Currency: "USD", Prices: []Price{{Operation: OpScrape, PerResource: 0.010}}},
	}}
	p, err := Make(desired, snap, Options{Now: time.Date(2030, 3, 4, 8, 0, 0, 0, time.UTC), Digest: func(s string) string { return s }, Networks: nets})
	if err != nil {
		t.Fatal(err)
	}
	s := p.Work.Sources[0]
	if s.Users != 5000 || s.UsersAtLeast || s.Requests != 5 || s.Windows != 1 || s.Window != 15*time.Minute {
		t.Errorf("source work = %+v, want 5,000 users in 5 requests, 1 window of 15m", s)
	}
	var b strings.Builder
	if err := p.WriteText(&b); err != nil {
		t.Fatal(err)
	}
	if want := "5,000 users to read in 5 request(s); needs 1 window of 15m; about $50.00 at X's prices of 2026-11-15"; !strings.Contains(b.String(), want) {
		t.Errorf("plan lacks %q:\n%s", want, b.String())
	}
}
