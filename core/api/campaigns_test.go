package api

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/outreachhq/outreach/core/service"
	"github.com/outreachhq/outreach/core/store"
	"github.com/outreachhq/outreach/core/store/storetest"
)

// The reference's Launch Campaign request (lead source ids to fill in) and
// the responses of Launch Campaign, List Campaigns and Campaign Analytics,
// verbatim.
const (
	referenceLaunchRequest = `{
"name": "Outreach Campaign Q1",
"message_variants": [
{
"message": "Hey {{firstName}}, I saw your work and wanted to connect!",
"followups": [
{"wait_time": 3, "wait_unit": "days", "message": "Just bumping this up!"}
]
},
{
"message": "Hi {{firstName}}! Quick question about your business..."
}
],
"lead_source_ids": [%s],
"enable_follow": true,
"enable_like": true,
"enable_comment": true,
"comment_template": "Great insights on {{topic}}!"
}`
	referenceLaunch = `{
"success": true,
"campaign_name": "Outreach Campaign Q1",
"jobs_created": 1500,
"leads_targeted": 1500,
"message_variants": 2,
"accounts_used": 2,
"distribution": [
{"account_id": "uuid", "handle": "account1", "jobs": 750},
{"account_id": "uuid", "handle": "account2", "jobs": 750}
]
}`
	referenceListCampaigns = `{
"campaigns": [
{
"name": "Outreach Campaign Q1",
"total": 1500,
"completed": 1200,
"pending": 250,
"failed": 50,
"progress": 80
}
],
"pagination": {
"limit": 10,
"offset": 0,
"count": 1,
"total": 5
}
}`
	referenceAnalytics = `{
"accounts": [
{
"id": "550e8400-e29b-41d4-a716-446655440000",
"handle": "myhandle",
"name": "My Account",
"profile_image_url": "https://pbs.twimg.com/...",
"is_paused": false,
"dms_sent": 1500,
"dms_sent_24hrs": 45,
"responses": 180,
"response_rate": 12.0,
"pending_count": 250,
"sentiment": {
"positive": 120,
"negative": 15,
"neutral": 45
}
}
],
"campaigns": [
{
"account_id": "550e8400-e29b-41d4-a716-446655440000",
"account_handle": "myhandle",
"campaign_name": "Outreach Q1",
"total": 1500,
"completed": 1200,
"pending": 250,
"failed": 50,
"remaining": 250,
"progress": 80,
"reply_count": 150,
"response_rate": 12.5
}
],
"campaignSentimentStats": [
{
"campaign_name": "Outreach Q1",
"account_id": "550e8400-e29b-41d4-a716-446655440000",
"sentiment": {
"positive": 100,
"negative": 12,
"neutral": 38,
"total": 150
},
"reply_count": 150
}
],
"campaignVariantStats": [
{
"campaign_name": "Outreach Q1",
"account_id": "550e8400-e29b-41d4-a716-446655440000",
"variants": [
{
"message": "Hey {{firstName}}, loved your recent post...",
"sent": 600,
"replied": 90,
"reply_rate": 15.0
}
]
}
],
"totals": {
"dms_sent": 1500,
"responses": 180,
"response_rate": 12.0,
"positive": 120,
"negative": 15,
"neutral": 45
}
}`
)

// campaignWorld is workspace A with two accounts and a source of n leads
// (user ids 100, 101, ...).
type campaignWorld struct {
	*live
	accounts []store.Account
	source   string
	leads    []string
}

func newCampaignWorld(t testing.TB, n int) *campaignWorld {
	t.Helper()
	w := &campaignWorld{live: newLive(t)}
	for _, h := range []string{"account1", "account2"} {
		a, _, err := w.Svc.UpsertAccount(t.Context(), WorkspaceA, service.AccountInput{Handle: h})
		if err != nil {
			t.Fatal(err)
		}
		w.accounts = append(w.accounts, a)
		w.Clock.Advance(time.Second) // accounts are listed oldest first
	}
	w.source = w.createSource(t, w.KeyA).LeadSourceID
	w.update(t, func(tx storetest.Tx) error {
		w.leads = nil
		for i := range n {
			l := store.Lead{UserID: fmt.Sprint(100 + i), Workspace: WorkspaceA, Username: fmt.Sprint("lead", i), Name: "Pat Doe"}
			w.leads = append(w.leads, l.UserID)
			if _, err := tx.AddSourceLead(WorkspaceA, w.source, l); err != nil {
				return err
			}
		}
		return nil
	})
	return w
}

// launch launches the reference's example campaign over the world's
// source.
func (w *campaignWorld) launch(t *testing.T) []byte {
	t.Helper()
	status, body := w.do(t, w.KeyA, http.MethodPost, "/api/v1/campaigns", fmt.Sprintf(referenceLaunchRequest, `"`+w.source+`"`))
	if status != http.StatusOK {
		t.Fatalf("launch: %d %s", status, body)
	}
	return body
}

func (w *campaignWorld) campaign(t *testing.T) store.Campaign {
	t.Helper()
	list, _, err := w.Svc.ListCampaigns(t.Context(), WorkspaceA, 1, 0)
	if err != nil || len(list) == 0 {
		t.Fatalf("ListCampaigns: %v, %v", list, err)
	}
	return list[0].Campaign
}

func TestLaunchCampaign(t *testing.T) {
	w := newCampaignWorld(t, 4)
	body := w.launch(t)
	wantShape(t, referenceLaunch, body)
	type share struct {
		AccountID string `json:"account_id"`
		Handle    string `json:"handle"`
		Jobs      int    `json:"jobs"`
	}
	got := decode[struct {
		Success         bool    `json:"success"`
		CampaignName    string  `json:"campaign_name"`
		JobsCreated     int     `json:"jobs_created"`
		LeadsTargeted   int     `json:"leads_targeted"`
		MessageVariants int     `json:"message_variants"`
		AccountsUsed    int     `json:"accounts_used"`
		Distribution    []share `json:"distribution"`
	}](t, body)
	if !got.Success || got.CampaignName != "Outreach Campaign Q1" || got.JobsCreated != 4 || got.LeadsTargeted != 4 ||
		got.MessageVariants != 2 || got.AccountsUsed != 2 || len(got.Distribution) != 2 ||
		got.Distribution[0] != (share{w.accounts[0].ID, "account1", 2}) || got.Distribution[1] != (share{w.accounts[1].ID, "account2", 2}) {
		t.Errorf("launch = %+v", got)
	}
	// What was stored is what was asked: the variants, the first one's
	// follow-up three days on, the engagement before the DM.
	c := w.campaign(t)
	if len(c.Variants) != 2 || c.Variants[0].Message != "Hey {{firstName}}, I saw your work and wanted to connect!" ||
		len(c.Variants[0].Followups) != 1 || c.Variants[0].Followups[0].After != 72*time.Hour ||
		len(c.Variants[1].Followups) != 0 || !c.Follow || !c.Like || !c.Comment || c.CommentTemplate != "Great insights on {{topic}}!" {
		t.Errorf("stored campaign = %+v", c)
	}
	// A single message and the campaign-wide follow-ups, from one account.
	status, body := w.do(t, w.KeyA, http.MethodPost, "/api/v1/campaigns", map[string]any{
		"name": "Single", "message": "Hi {{first_name}}", "lead_source_ids": []string{w.source},
		"account_ids": []string{w.accounts[1].ID}, "max_leads": 3,
		"followups": []map[string]any{{"wait_time": 2, "wait_unit": "hours", "message": "Bump"}},
	})
	single := decode[struct {
		JobsCreated  int     `json:"jobs_created"`
		AccountsUsed int     `json:"accounts_used"`
		Distribution []share `json:"distribution"`
	}](t, body)
	if status != http.StatusOK || single.AccountsUsed != 1 || len(single.Distribution) != 1 || single.Distribution[0].Jobs != single.JobsCreated {
		t.Errorf("single message: %d %s", status, body)
	}
}

func TestLaunchCampaignBadInput(t *testing.T) {
	w := newCampaignWorld(t, 1)
	sourceB := w.createSource(t, w.KeyB).LeadSourceID
	good := func(change func(map[string]any)) map[string]any {
		m := map[string]any{"name": "c", "message": "Hey {{firstName}}", "lead_source_ids": []string{w.source}}
		change(m)
		return m
	}
	for _, tc := range []struct {
		name  string
		body  any
		field string
	}{
		{"no message", good(func(m map[string]any) { delete(m, "message") }), "message"},
		{"both forms", good(func(m map[string]any) { m["message_variants"] = []map[string]any{{"message": "a"}} }), "message"},
		{"six variants", good(func(m map[string]any) {
			delete(m, "message")
			m["message_variants"] = []map[string]any{{"message": "a"}, {"message": "b"}, {"message": "c"}, {"message": "d"}, {"message": "e"}, {"message": "f"}}
		}), "message_variants"},
		{"unknown placeholder", good(func(m map[string]any) {
			delete(m, "message")
			m["message_variants"] = []map[string]any{{"message": "Hi {{company}}"}}
		}), "message_variants[0].message"},
		{"no source", good(func(m map[string]any) { m["lead_source_ids"] = []string{} }), "lead_source_ids"},
		{"unknown source", good(func(m map[string]any) { m["lead_source_ids"] = []string{"nope"} }), "lead_source_ids[0]"},
		{"another workspace's source", good(func(m map[string]any) { m["lead_source_ids"] = []string{w.source, sourceB} }), "lead_source_ids[1]"},
		{"unknown account", good(func(m map[string]any) { m["account_ids"] = []string{"nope"} }), "account_ids[0]"},
		{"too many leads", good(func(m map[string]any) { m["max_leads"] = 25001 }), "max_leads"},
		{"bad wait unit", good(func(m map[string]any) {
			m["followups"] = []map[string]any{{"wait_time": 1, "wait_unit": "fortnights", "message": "x"}}
		}), "followups[0].wait_unit"},
		{"message too long", good(func(m map[string]any) { m["message"] = strings.Repeat("x", 10001) }), "message"},
		{"unknown field", good(func(m map[string]any) { m["status"] = "done" }), "status"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, body := w.do(t, w.KeyA, http.MethodPost, "/api/v1/campaigns", tc.body)
			if status != http.StatusBadRequest || !strings.Contains(decode[Error](t, body).Message, tc.field) {
				t.Errorf("%d %s; want 400 naming %s", status, body, tc.field)
			}
		})
	}
	// B cannot launch over A's source or from A's accounts.
	status, body := w.do(t, w.KeyB, http.MethodPost, "/api/v1/campaigns", map[string]any{
		"name": "c", "message": "Hi", "lead_source_ids": []string{w.source}, "account_ids": []string{w.accounts[0].ID},
	})
	if status != http.StatusBadRequest || !strings.Contains(string(body), "lead_source_ids[0]") {
		t.Errorf("B over A's source: %d %s", status, body)
	}
}

// settle marks the campaign's first DMs: the first sent ones done, the
// next ones failed; and puts replied conversations for the leads in
// replies with their sentiment.
func (w *campaignWorld) settle(t *testing.T, c store.Campaign, sent, failed int, replies map[string]string) {
	t.Helper()
	w.update(t, func(tx storetest.Tx) error {
		jobs, err := tx.Jobs(WorkspaceA, store.JobQuery{CampaignID: c.ID, Kind: store.JobDM})
		if err != nil {
			return err
		}
		for i, j := range jobs {
			switch {
			case i < sent:
				j.State, j.DoneAt = store.JobDone, liveStart
			case i < sent+failed:
				j.State = store.JobFailed
			default:
				continue
			}
			if err := tx.PutJob(j); err != nil {
				return err
			}
			if i < sent {
				if err := tx.AddSentOn(WorkspaceA, j.AccountID, "2030-03-04", 1); err != nil {
					return err
				}
			}
			if s, ok := replies[j.LeadID]; ok {
				conv := store.Conversation{
					ID: store.ConversationID("1", j.LeadID), Workspace: WorkspaceA, AccountID: j.AccountID, LeadID: j.LeadID,
					CampaignID: c.ID, Variant: j.Variant, Replied: true, RepliedAt: liveStart, Sentiment: s,
					LastAt: liveStart, LastText: "Sure", MessageCount: 2, CreatedAt: liveStart, UpdatedAt: liveStart,
				}
				if err := tx.PutConversation(conv); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

func TestListCampaigns(t *testing.T) {
	w := newCampaignWorld(t, 10)
	w.launch(t)
	w.settle(t, w.campaign(t), 4, 1, nil)
	status, body := w.do(t, w.KeyA, http.MethodGet, "/api/v1/campaigns?limit=10", nil)
	if status != http.StatusOK {
		t.Fatalf("%d %s", status, body)
	}
	wantShape(t, referenceListCampaigns, body)
	got := decode[struct {
		Campaigns  []campaignSummary `json:"campaigns"`
		Pagination offsetPage        `json:"pagination"`
	}](t, body)
	want := campaignSummary{Name: "Outreach Campaign Q1", Total: 10, Completed: 4, Pending: 5, Failed: 1, Progress: 40}
	if len(got.Campaigns) != 1 || got.Campaigns[0] != want || got.Pagination != (offsetPage{Limit: 10, Offset: 0, Count: 1, Total: 1}) {
		t.Errorf("list = %+v", got)
	}
	status, body = w.do(t, w.KeyA, http.MethodGet, "/api/v1/campaigns?limit=101", nil)
	if status != http.StatusBadRequest || !strings.Contains(decode[Error](t, body).Message, "limit") {
		t.Errorf("limit=101: %d %s", status, body)
	}
	status, body = w.do(t, w.KeyB, http.MethodGet, "/api/v1/campaigns", nil)
	if status != http.StatusOK || string(body) != `{"campaigns":[],"pagination":{"limit":20,"offset":0,"count":0,"total":0}}`+"\n" {
		t.Errorf("B lists A's campaigns: %d %s", status, body)
	}
}

func TestCampaignAnalytics(t *testing.T) {
	w := newCampaignWorld(t, 8)
	w.launch(t)
	c := w.campaign(t)
	// Leads alternate accounts (100: account1, 101: account2, ...) and each
	// account alternates variants (100: v0, 102: v1, 104: v0, ...).
	w.settle(t, c, 6, 1, map[string]string{
		"100": store.SentimentPositive, "104": store.SentimentNegative, "101": "", "102": store.SentimentPositive,
	})
	status, body := w.do(t, w.KeyA, http.MethodGet, "/api/v1/campaigns/analytics", nil)
	if status != http.StatusOK {
		t.Fatalf("%d %s", status, body)
	}
	wantShape(t, referenceAnalytics, body)
	got := decode[analyticsBody](t, body)
	if len(got.Accounts) != 2 || len(got.Campaigns) != 2 || len(got.CampaignSentimentStats) != 2 || len(got.CampaignVariantStats) != 2 {
		t.Fatalf("analytics = %s", body)
	}
	// account1 sent 100, 102, 104 (3 DMs), got replies from all three: two
	// positive, one negative; 106 failed. account2 sent 101, 103, 105; 101
	// replied, unclassified; 107 waits.
	a1, a2 := got.Accounts[0], got.Accounts[1]
	if a1.Handle != "account1" || a1.DMsSent != 3 || a1.DMsSent24hrs != 3 || a1.Responses != 3 || a1.ResponseRate != 100 ||
		a1.PendingCount != 0 || a1.Sentiment != (sentimentCounts{Positive: 2, Negative: 1}) {
		t.Errorf("account1 = %+v", a1)
	}
	if a2.Handle != "account2" || a2.DMsSent != 3 || a2.Responses != 1 || a2.ResponseRate != 33.3 || a2.PendingCount != 1 || a2.Sentiment != (sentimentCounts{}) {
		t.Errorf("account2 = %+v", a2)
	}
	c1 := got.Campaigns[0]
	if c1 != (campaignAnalytics{AccountID: w.accounts[0].ID, AccountHandle: "account1", CampaignName: "Outreach Campaign Q1",
		Total: 4, Completed: 3, Failed: 1, Progress: 75, ReplyCount: 3, ResponseRate: 100}) {
		t.Errorf("campaign for account1 = %+v", c1)
	}
	if c2 := got.Campaigns[1]; c2.Pending != 1 || c2.Remaining != 1 || c2.Completed != 3 || c2.ReplyCount != 1 || c2.ResponseRate != 33.3 {
		t.Errorf("campaign for account2 = %+v", c2)
	}
	if s := got.CampaignSentimentStats[0]; s.ReplyCount != 3 || s.Sentiment != (sentimentTotals{Positive: 2, Negative: 1, Total: 3}) {
		t.Errorf("sentiment for account1 = %+v", s)
	}
	v := got.CampaignVariantStats[0].Variants
	if len(v) != 2 || v[0].Message != c.Variants[0].Message || v[0].Sent != 2 || v[0].Replied != 2 || v[0].ReplyRate != 100 ||
		v[1].Sent != 1 || v[1].Replied != 1 {
		t.Errorf("variants for account1 = %+v", v)
	}
	if got.Totals != (analyticsTotals{DMsSent: 6, Responses: 4, ResponseRate: 66.7, Positive: 2, Negative: 1}) {
		t.Errorf("totals = %+v", got.Totals)
	}

	// Filters: one account, one campaign name; a name no campaign has.
	q := url.Values{"account_id": {w.accounts[1].ID}, "campaign_name": {"Outreach Campaign Q1"}}
	_, body = w.do(t, w.KeyA, http.MethodGet, "/api/v1/campaigns/analytics?"+q.Encode(), nil)
	f := decode[analyticsBody](t, body)
	if len(f.Accounts) != 1 || f.Accounts[0].Handle != "account2" || len(f.Campaigns) != 1 || f.Campaigns[0].AccountHandle != "account2" || f.Totals.DMsSent != 3 {
		t.Errorf("filtered by account = %s", body)
	}
	_, body = w.do(t, w.KeyA, http.MethodGet, "/api/v1/campaigns/analytics?campaign_name=Other", nil)
	if f := decode[analyticsBody](t, body); len(f.Campaigns) != 0 || len(f.Accounts) != 2 {
		t.Errorf("another name = %s", body)
	}

	// B sees none of it, even naming A's account.
	for _, path := range []string{"/api/v1/campaigns/analytics", "/api/v1/campaigns/analytics?account_id=" + w.accounts[0].ID} {
		status, body = w.do(t, w.KeyB, http.MethodGet, path, nil)
		if b := decode[analyticsBody](t, body); status != http.StatusOK || len(b.Accounts) != 0 || len(b.Campaigns) != 0 || b.Totals.DMsSent != 0 {
			t.Errorf("B: %s: %d %s", path, status, body)
		}
	}
}

func TestPauseResumeCampaign(t *testing.T) {
	w := newCampaignWorld(t, 2)
	w.launch(t)
	c := w.campaign(t)
	type state struct {
		Success  bool          `json:"success"`
		Campaign campaignState `json:"campaign"`
	}
	// By name, as the listings show campaigns; then by id.
	status, body := w.do(t, w.KeyA, http.MethodPost, "/api/v1/campaigns/"+url.PathEscape(c.Name)+"/pause", nil)
	if got := decode[state](t, body); status != http.StatusOK || !got.Success || got.Campaign != (campaignState{c.ID, c.Name, true}) {
		t.Errorf("pause: %d %s", status, body)
	}
	if !w.campaign(t).Paused {
		t.Error("the campaign is not paused")
	}
	// B can neither pause nor resume A's campaign, by id or name.
	for _, ref := range []string{c.ID, url.PathEscape(c.Name)} {
		if status, body := w.do(t, w.KeyB, http.MethodPost, "/api/v1/campaigns/"+ref+"/resume", nil); status != http.StatusNotFound {
			t.Errorf("B resumes %s: %d %s", ref, status, body)
		}
	}
	if !w.campaign(t).Paused {
		t.Error("B's request resumed the campaign")
	}
	status, body = w.do(t, w.KeyA, http.MethodPost, "/api/v1/campaigns/"+c.ID+"/resume", nil)
	if got := decode[state](t, body); status != http.StatusOK || got.Campaign.Paused || w.campaign(t).Paused {
		t.Errorf("resume: %d %s", status, body)
	}
	if status, body := w.do(t, w.KeyA, http.MethodPost, "/api/v1/campaigns/nope/pause", nil); status != http.StatusNotFound {
		t.Errorf("unknown campaign: %d %s", status, body)
	}
	// A name two campaigns share is ambiguous: use the id.
	w.launch(t)
	if status, body := w.do(t, w.KeyA, http.MethodPost, "/api/v1/campaigns/"+url.PathEscape(c.Name)+"/pause", nil); status != http.StatusConflict {
		t.Errorf("shared name: %d %s", status, body)
	}
}

func FuzzLaunchCampaign(f *testing.F) {
	f.Add(fmt.Sprintf(referenceLaunchRequest, `"x"`))
	f.Add(`{"name":"c","message":"Hi {{firstName","lead_source_ids":["a"],"max_leads":-1}`)
	f.Add(`{"name":"c","message_variants":[{"message":"a","followups":[{"wait_time":0,"wait_unit":"days","message":""}]}],"lead_source_ids":["a"]}`)
	w := newCampaignWorld(f, 2)
	f.Add(fmt.Sprintf(referenceLaunchRequest, `"`+w.source+`"`))
	f.Fuzz(func(t *testing.T, body string) {
		if status, resp := w.do(t, w.KeyA, http.MethodPost, "/api/v1/campaigns", body); status >= 500 {
			t.Errorf("%d %s for %s", status, resp, body)
		}
	})
}
