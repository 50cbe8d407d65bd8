package api

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/outreachhq/outreach/core/service"
	"github.com/outreachhq/outreach/core/store"
)

// The route walk: every registered operation, called with workspace A's
// key at workspace B's objects, must answer 404 (or, for a listing or a
// create, answer without any of B's data) and change nothing of B's. A
// route added without a case here fails the walk.

// tenant holds workspace B's objects, by the placeholder that stands for
// each in the walk's requests ({account}, ...), and strings only B's data
// contains.
type tenant struct {
	ids     map[string]string
	markers []string
}

// seedTenant gives workspace B one object of every kind the API serves.
func seedTenant(t *testing.T, l *live) tenant {
	t.Helper()
	ctx := context.Background()
	b := tenant{ids: map[string]string{}}
	acct, _, err := l.Svc.UpsertAccount(ctx, WorkspaceB, service.AccountInput{
		Handle:  "b_private_hdl",
		Cookies: []service.Cookie{{Name: "auth_token", Value: "b-secret-token", Domain: ".x.com"}, {Name: "ct0", Value: "b-secret-ct0", Domain: ".x.com"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	b.ids["account"], b.ids["handle"] = acct.ID, acct.Handle
	hook, _, err := l.Svc.CreateWebhook(ctx, WorkspaceB, service.WebhookInput{URL: "https://b-private.example.com/hook"})
	if err != nil {
		t.Fatal(err)
	}
	b.ids["webhook"] = hook.ID
	job, err := l.Svc.StartCredentialJob(ctx, WorkspaceB, service.AccountRef{ID: acct.ID})
	if err != nil {
		t.Fatal(err)
	}
	b.ids["credjob"] = job.ID
	tweet, err := l.Svc.ScheduleTweet(ctx, WorkspaceB, acct.ID, "b private tweet", liveStart.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	b.ids["tweet"] = tweet.ID
	tag, err := l.Svc.CreateCustomTag(ctx, WorkspaceB, "B Private Tag", "#123456")
	if err != nil {
		t.Fatal(err)
	}
	b.ids["tag"], b.ids["tagkey"] = tag.ID, tag.Key()
	sender := seedAccount(t, l, WorkspaceB, "b-sender-id", "b_sender_hdl", 50)
	conv := seedConversation(t, l, sender, "777000111", "b_lead_hdl", liveStart, "b private hello", "b private reply")
	b.ids["sender"], b.ids["sender_handle"], b.ids["conversation"] = sender.ID, sender.Handle, conv.ID
	b.ids["review"] = parkForReview(t, l, sender, "777000222").ID
	src, err := l.Svc.CreateSource(ctx, WorkspaceB, service.SourceInput{Name: "B Private Source", Targets: []store.Target{{Handle: "bprivtarget", Followers: true}}})
	if err != nil {
		t.Fatal(err)
	}
	b.ids["source"] = src.ID
	launch, err := l.Svc.LaunchCampaign(ctx, WorkspaceB, service.CampaignInput{Name: "B Private Campaign", Message: "hi", LeadSourceIDs: []string{src.ID}})
	if err != nil {
		t.Fatal(err)
	}
	b.ids["campaign"] = launch.Campaign.ID
	if _, err := l.Svc.AddDoNotContacts(ctx, WorkspaceB, service.DoNotContactRefs{UserIDs: []string{"777000333"}, Reason: "b private reason"}); err != nil {
		t.Fatal(err)
	}
	for _, id := range b.ids {
		b.markers = append(b.markers, id)
	}
	b.markers = append(b.markers, "b-private.example.com", "b-secret", "b private", "B Private", "b_lead_hdl", "777000", "bprivtarget")
	return b
}

// fill puts B's ids in place of the placeholders in s.
func (b tenant) fill(s string) string {
	for name, id := range b.ids {
		s = strings.ReplaceAll(s, "{"+name+"}", id)
	}
	return s
}

// walkCase is how the walk calls one operation at B's objects.
type walkCase struct {
	// target is the path and query under /api/v1 (placeholders filled),
	// body the body, if any: JSON unless contentType says otherwise.
	target, body, contentType string
	// listing: the operation lists or creates in the caller's own
	// workspace, so it may succeed, but must show nothing of B's.
	listing bool
	// refused: a create in the caller's workspace that names B's object
	// (a lead source, an account): any 4xx that shows nothing of B's.
	refused bool
}

// walkCases covers every operation under /api/v1, by operation id: each
// of its forms.
var walkCases = map[string][]walkCase{
	"list-accounts": {{target: "/accounts", listing: true}},
	// Adding B's handle is refused (one X account, one workspace), and
	// shows nothing of B's account.
	"add-account": {{target: "/accounts", body: `{"handle": "{handle}", "cookies": [{"name": "auth_token", "value": "a", "domain": ".x.com"}, {"name": "ct0", "value": "b", "domain": ".x.com"}]}`, listing: true}},
	"remove-account": {
		{target: "/accounts", body: `{"account_id": "{account}"}`},
		{target: "/accounts", body: `{"handle": "{handle}"}`},
	},
	"update-account-cookies": {
		{target: "/accounts/cookies", body: `{"account_id": "{account}", "cookies": [{"name": "auth_token", "value": "a", "domain": ".x.com"}, {"name": "ct0", "value": "b", "domain": ".x.com"}]}`},
		{target: "/accounts/cookies", body: `{"handle": "{handle}", "cookies": [{"name": "auth_token", "value": "a", "domain": ".x.com"}, {"name": "ct0", "value": "b", "domain": ".x.com"}]}`},
	},
	"update-account":       {{target: "/accounts/{account}", body: `{"is_paused": true}`}},
	"get-account-health":   {{target: "/accounts/{account}/health"}},
	"start-credential-job": {{target: "/get-cookies", body: `{"account_id": "{account}"}`}, {target: "/get-cookies", body: `{"handle": "{handle}"}`}},
	"get-credential-job":   {{target: "/get-cookies/status?job_id={credjob}"}},

	"list-conversations": {
		{target: "/conversations", listing: true},
		{target: "/conversations?account_id={sender}", listing: true},
		{target: "/conversations?handle=b_lead_hdl", listing: true},
		{target: "/conversations?conversation_id={conversation}"},
	},
	"export-conversations":   {{target: "/conversations.csv", listing: true}},
	"send-dm":                {{target: "/dm/send", body: `{"conversation_id": "{conversation}", "message": "hi", "account_id": "{sender}"}`}},
	"list-crm-conversations": {{target: "/crm/conversations", listing: true}, {target: "/crm/conversations?tag={tagkey}", listing: true}},
	"update-crm":             {{target: "/crm/update", body: `{"conversation_id": "{conversation}", "account_handle": "{sender_handle}", "notes": "mine now"}`}},
	"list-crm-tags":          {{target: "/crm/tags", listing: true}},
	"create-crm-tag":         {{target: "/crm/tags", body: `{"name": "Hot Lead"}`, listing: true}},
	"delete-crm-tag":         {{target: "/crm/tags/{tag}"}},
	"list-needs-review":      {{target: "/review", listing: true}},
	"resolve-needs-review":   {{target: "/review/{review}/resolve", body: `{"resolution": "skip"}`}},

	"schedule-tweet":         {{target: "/scheduled-tweets", body: `{"account_id": "{account}", "tweet_text": "hi", "scheduled_at": "2031-01-01T00:00:00Z"}`, refused: true}},
	"list-scheduled-tweets":  {{target: "/scheduled-tweets", listing: true}, {target: "/scheduled-tweets?account_id={account}", listing: true}},
	"cancel-scheduled-tweet": {{target: "/scheduled-tweets", body: `{"tweet_id": "{tweet}"}`}},

	"list-webhooks":           {{target: "/webhooks", listing: true}},
	"create-webhook":          {{target: "/webhooks", body: `{"url": "https://a.example.com/hook"}`, listing: true}},
	"delete-webhook":          {{target: "/webhooks/{webhook}"}},
	"list-webhook-deliveries": {{target: "/webhooks/{webhook}/deliveries"}},
	"replay-webhook-deliveries": {
		{target: "/webhooks/{webhook}/replay", body: `{"since": "2020-01-01T00:00:00Z"}`},
	},
	// A's plan: nothing of B's, whatever the configuration declares.
	"plan-configuration": {{target: "/plan", body: "account \"main\" {\n  handle = \"a_main\"\n}\n", contentType: "text/plain", listing: true}},

	"create-scraping-source": {{target: "/scraping-sources", body: `{"name": "A source", "sources": [{"handle": "paulg", "followers": true}]}`, listing: true}},
	"list-scraping-sources":  {{target: "/scraping-sources", listing: true}, {target: "/scraping-sources?id={source}"}},
	"import-lead-list":       {{target: "/lead-lists?name=A%20list", body: "handle\nbprivtarget\n", contentType: "text/csv", listing: true}},
	"launch-campaign":        {{target: "/campaigns", body: `{"name": "A campaign", "message": "hi", "lead_source_ids": ["{source}"]}`, refused: true}},
	"list-campaigns":         {{target: "/campaigns", listing: true}},
	"get-campaign-analytics": {
		{target: "/campaigns/analytics", listing: true},
		{target: "/campaigns/analytics?account_id={account}", listing: true},
		{target: "/campaigns/analytics?campaign_name=B%20Private%20Campaign", listing: true},
	},
	"pause-campaign":  {{target: "/campaigns/{campaign}/pause"}, {target: "/campaigns/B%20Private%20Campaign/pause"}},
	"resume-campaign": {{target: "/campaigns/{campaign}/resume"}, {target: "/campaigns/B%20Private%20Campaign/resume"}},

	"list-do-not-contact":   {{target: "/do-not-contact", listing: true}},
	"add-do-not-contact":    {{target: "/do-not-contact", body: `{"user_ids": ["123"]}`, listing: true}},
	"remove-do-not-contact": {{target: "/do-not-contact", body: `{"user_ids": ["777000333"]}`, listing: true}},
	"export-do-not-contact": {{target: "/do-not-contact.csv", listing: true}},
	"import-do-not-contact": {{target: "/do-not-contact.csv", body: "user_id\n124\n", contentType: "text/csv", listing: true}},
}

// TestRouteWalk walks every route with A's key at B's objects.
func TestRouteWalk(t *testing.T) {
	l := newLive(t)
	b := seedTenant(t, l)
	before := tenantSnapshot(t, l)
	for _, op := range operations(l.Server) {
		if !underAPI(op.Path) {
			continue // /healthz and the documents: no workspace's data
		}
		cases, ok := walkCases[op.ID]
		if !ok {
			t.Errorf("%s (%s %s) has no case in the route walk: add one to walkCases", op.ID, op.Method, op.Path)
			continue
		}
		for _, c := range cases {
			walk(t, l, b, op, c)
		}
	}
	if after := tenantSnapshot(t, l); after != before {
		t.Errorf("B's data changed under A's key:\nbefore %s\nafter  %s", before, after)
	}
	for id := range walkCases {
		if !hasOperation(l.Server, id) {
			t.Errorf("walkCases has %s, which no route registers", id)
		}
	}
}

// walk makes one call of the walk and checks its answer.
func walk(t *testing.T, l *live, b tenant, op operationRef, c walkCase) {
	t.Helper()
	var body any
	if c.body != "" {
		body = b.fill(c.body)
		if c.contentType != "" {
			body = rawBody{c.contentType, b.fill(c.body)}
		}
	}
	target := b.fill(c.target)
	status, got := l.do(t, l.KeyA, op.Method, "/api/v1"+target, body)
	{
		for _, m := range b.markers {
			// An id the request named may be echoed ("webhook ...: not
			// found"); anything else of B's is a leak.
			plain, _ := url.PathUnescape(target)
			sent := strings.Contains(plain, m) || strings.Contains(b.fill(c.body), m)
			if !sent && strings.Contains(string(got), m) {
				t.Errorf("%s: A's key got B's data (%q): %d %s", op.ID, m, status, got)
			}
		}
		switch {
		case status >= 500:
			t.Errorf("%s: status %d %s", op.ID, status, got)
		case c.refused && (status < 400 || status >= 500):
			t.Errorf("%s %s naming B's object: status %d, want a 4xx: %s", op.ID, target, status, got)
		case !c.listing && !c.refused && status != http.StatusNotFound:
			t.Errorf("%s %s at B's object: status %d, want 404: %s", op.ID, target, status, got)
		}
	}
}

func hasOperation(s *Server, id string) bool {
	for _, op := range operations(s) {
		if op.ID == id {
			return true
		}
	}
	return false
}

// tenantSnapshot is what B's key sees of B's data through every listing.
func tenantSnapshot(t *testing.T, l *live) string {
	t.Helper()
	var b strings.Builder
	for _, op := range operations(l.Server) {
		for _, c := range walkCases[op.ID] {
			if !c.listing || op.Method != http.MethodGet || strings.Contains(c.target, "{") {
				continue
			}
			_, got := l.do(t, l.KeyB, http.MethodGet, "/api/v1"+c.target, nil)
			b.WriteString(op.ID + ": ")
			b.Write(got)
			b.WriteString("\n")
		}
	}
	return b.String()
}
