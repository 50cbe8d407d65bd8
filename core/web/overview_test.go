package web

import (
	"context"
	"html"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/outreachhq/outreach/core/service"
	"github.com/outreachhq/outreach/core/store"
	"github.com/outreachhq/outreach/core/store/storetest"
)

func (l *live) update(t testing.TB, fn func(storetest.Tx) error) {
	t.Helper()
	if err := l.Store.Update(context.Background(), fn); err != nil {
		t.Fatal(err)
	}
}

// TestOverviewCharts: the overview's charts carry each account's sends
// and first replies per day, and another workspace's overview shows none
// of them.
func TestOverviewCharts(t *testing.T) {
	l := newLive(t)
	a := store.Account{ID: "acc-1", Workspace: workspaceA, Handle: "acme_sales", XUserID: "100", DailyDMLimit: 50, CreatedAt: liveStart}
	yesterday := liveStart.AddDate(0, 0, -1).Format(time.DateOnly)
	l.update(t, func(tx storetest.Tx) error {
		if err := tx.PutAccount(a); err != nil {
			return err
		}
		if err := tx.AddSentOn(workspaceA, a.ID, yesterday, 7); err != nil {
			return err
		}
		if err := tx.AddSentOn(workspaceA, a.ID, liveStart.Format(time.DateOnly), 3); err != nil {
			return err
		}
		return tx.PutConversation(store.Conversation{ID: "100-200", Workspace: workspaceA, AccountID: a.ID, LeadID: "200",
			CampaignID: "camp", Replied: true, RepliedAt: liveStart, LastAt: liveStart, CreatedAt: liveStart, UpdatedAt: liveStart})
	})

	act, err := l.Svc.Activity(context.Background(), workspaceA, overviewDays)
	if err != nil {
		t.Fatal(err)
	}
	if len(act.Days) != overviewDays || !act.Days[overviewDays-1].Equal(liveStart.Truncate(24*time.Hour)) {
		t.Fatalf("days %v", act.Days)
	}
	got := act.Accounts[0]
	if got.Sent[overviewDays-2] != 7 || got.Sent[overviewDays-1] != 3 || got.Replies[overviewDays-1] != 1 {
		t.Fatalf("activity %+v", got)
	}

	status, body := l.signIn(t, l.KeyA).get("/")
	if status != http.StatusOK {
		t.Fatalf("overview: %d", status)
	}
	text := html.UnescapeString(body)
	for _, want := range []string{
		`id="chart-sent"`, `"label":"@acme_sales","values":[0,0,0,0,0,0,0,0,0,0,0,0,7,3]`,
		`id="chart-replies"`, `"values":[0,0,0,0,0,0,0,0,0,0,0,0,0,1]`,
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the overview lacks %s", want)
		}
	}
	_, other := l.signIn(t, l.KeyB).get("/")
	if strings.Contains(other, "acme_sales") || strings.Contains(other, "chart-sent") {
		t.Errorf("B's overview shows A's activity")
	}
}

// TestABVerdicts: variants are summed over a campaign's accounts,
// compared, and the verdict named.
func TestABVerdicts(t *testing.T) {
	rows := []service.CampaignAnalytics{
		{CampaignName: "launch", Variants: []service.VariantAnalytics{{Message: "Hi", Sent: 500, Replied: 50}, {Message: "Hey", Sent: 500, Replied: 75}}},
		{CampaignName: "launch", Variants: []service.VariantAnalytics{{Message: "Hi", Sent: 500, Replied: 50}, {Message: "Hey", Sent: 500, Replied: 75}}},
		{CampaignName: "small", Variants: []service.VariantAnalytics{{Message: "Hi", Sent: 40, Replied: 4}, {Message: "Hey", Sent: 40, Replied: 6}}},
	}
	tests := abTests(rows)
	if len(tests) != 2 {
		t.Fatalf("%d campaigns, want 2", len(tests))
	}
	launch := tests[0]
	if launch.Variants[0].Sent != 1000 || launch.Variants[1].Replied != 150 {
		t.Fatalf("launch not summed: %+v", launch.Variants)
	}
	if launch.Verdict != "B's reply rate is higher, and the difference is significant (p = 0.001)." {
		t.Errorf("launch: %q", launch.Verdict)
	}
	if v := launch.Variants[0]; v.Lo >= v.Rate || v.Hi <= v.Rate || v.HiAt > 100 {
		t.Errorf("interval of A: %+v", v)
	}
	if !strings.HasPrefix(tests[1].Verdict, "Not enough data yet: about ") {
		t.Errorf("small: %q", tests[1].Verdict)
	}
}
