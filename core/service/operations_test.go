package service

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/outreachhq/outreach/core/filter"
	"github.com/outreachhq/outreach/core/message"
	"github.com/outreachhq/outreach/core/store"
	"github.com/outreachhq/outreach/core/store/storetest"
	"github.com/outreachhq/outreach/core/store/teststore"
)

// opsWorkspace is a workspace with two accounts, a source with six leads
// and a campaign over both accounts, made through the operations.
type opsWorkspace struct {
	svc      *Service
	st       teststore.Store
	accounts []store.Account
	source   SourceInfo
	launch   Launch
	leads    []string
}

func newOpsWorkspace(t *testing.T) *opsWorkspace {
	t.Helper()
	ctx := context.Background()
	w := &opsWorkspace{}
	w.svc, w.st = newService(t)
	for _, h := range []string{"acme_sales", "acme_growth"} {
		a, _, err := w.svc.UpsertAccount(ctx, "w", AccountInput{Handle: h})
		if err != nil {
			t.Fatal(err)
		}
		w.accounts = append(w.accounts, a)
	}
	var err error
	w.source, err = w.svc.CreateSource(ctx, "w", SourceInput{Name: "Founders", Targets: []store.Target{
		{Handle: "@paulg", Followers: true}, {Handle: "naval", Followers: true, Following: true},
	}})
	if err != nil {
		t.Fatal(err)
	}
	update(t, w.st, func(tx storetest.Tx) error {
		w.leads = nil // a store may run this again
		for i := range 6 {
			l := store.Lead{UserID: "10" + string(rune('0'+i)), Workspace: "w", Username: "lead" + string(rune('a'+i)), Name: "Pat Doe"}
			w.leads = append(w.leads, l.UserID)
			if _, err := tx.AddSourceLead("w", w.source.ID, l); err != nil {
				return err
			}
		}
		return nil
	})
	w.launch, err = w.svc.LaunchCampaign(ctx, "w", CampaignInput{
		Name: "Q1", Variants: []store.Variant{{Message: "Hey {{firstName}}"}, {Message: "Hi {{firstName}}"}},
		Followups: []store.Followup{{After: 72 * time.Hour, Message: "Bump"}}, LeadSourceIDs: []string{w.source.ID},
	})
	if err != nil {
		t.Fatal(err)
	}
	return w
}

func TestOperations(t *testing.T) {
	ctx := context.Background()
	w := newOpsWorkspace(t)

	// A source queues one scrape per handle and list, as the hosted API's
	// jobs show.
	if n := len(w.source.Jobs); n != 3 || w.source.Status() != "pending" {
		t.Errorf("source jobs %d, status %s; want 3 pending", n, w.source.Status())
	}
	// A launch spreads the leads over every account, variants over each.
	if w.launch.Queued != 6 || len(w.launch.Distribution) != 2 ||
		w.launch.Distribution[0].Jobs != 3 || w.launch.Distribution[1].Jobs != 3 || w.launch.Distribution[0].Handle == "" {
		t.Errorf("launch = %+v; want 6 leads, 3 per account", w.launch)
	}
	list, total, err := w.svc.ListCampaigns(ctx, "w", 10, 0)
	if err != nil || total != 1 || list[0].Total != 6 || list[0].Pending != 6 || list[0].Progress() != 0 {
		t.Errorf("ListCampaigns = %+v, %d, %v", list, total, err)
	}
	// Pausing a campaign is operational: its jobs wait, resume lets them go.
	c, err := w.svc.PauseCampaign(ctx, "w", w.launch.Campaign.ID)
	if err != nil || !c.Paused {
		t.Errorf("PauseCampaign = %+v, %v", c, err)
	}
	if c, err = w.svc.ResumeCampaign(ctx, "w", w.launch.Campaign.ID); err != nil || c.Paused {
		t.Errorf("ResumeCampaign = %+v, %v", c, err)
	}

	// A conversation, as a first DM leaves it, then a person's message in it
	// and the CRM card.
	conv := store.Conversation{ID: "1-" + w.leads[0], Workspace: "w", AccountID: w.accounts[0].ID, LeadID: w.leads[0],
		CampaignID: w.launch.Campaign.ID, LastAt: start, LastText: "Hey Pat", LastSent: true}
	update(t, w.st, func(tx storetest.Tx) error { return tx.PutConversation(conv) })
	j, err := w.svc.SendDM(ctx, "w", conv.ID, w.accounts[0].ID, "Following up by hand")
	if err != nil || j.Kind != store.JobMessage || j.State != store.JobPending || j.AccountID != w.accounts[0].ID || j.LeadID != w.leads[0] {
		t.Errorf("SendDM = %+v, %v; want a pending message job of the conversation's account", j, err)
	}
	notes, value := "Wants a demo", 5000.0
	tag := "interested_reply"
	if _, err := w.svc.UpdateCRM(ctx, "w", CRMUpdate{ConversationID: conv.ID, AccountHandle: "@acme_sales", Notes: &notes, DealValue: &value, Tag: &tag}); err != nil {
		t.Fatal(err)
	}
	cols, _, err := w.svc.CRMBoard(ctx, "w", tag, 10, false)
	if err != nil || len(cols) != 1 || len(cols[0].Conversations) != 1 || cols[0].Conversations[0].CRM.DealCurrency != "USD" {
		t.Errorf("CRMBoard(%s) = %+v, %v", tag, cols, err)
	}
	page, err := w.svc.ListConversations(ctx, "w", store.ConversationQuery{AccountID: w.accounts[0].ID}, false)
	if err != nil || len(page.Conversations) != 1 || page.Conversations[0].Lead.Username != "leada" || page.Next != nil {
		t.Errorf("ListConversations = %+v, %v", page, err)
	}

	// Tweets: scheduled in the future, listed, cancelled once.
	tw, err := w.svc.ScheduleTweet(ctx, "w", w.accounts[1].ID, "Launch day", start.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if tweets, total, err := w.svc.ListTweets(ctx, "w", TweetFilter{Status: store.TweetPending}, 10, 0); err != nil || total != 1 || tweets[0].Account.Handle != "acme_growth" {
		t.Errorf("ListTweets = %+v, %d, %v", tweets, total, err)
	}
	tweetJob := func() store.Job {
		var j store.Job
		view(t, w.st, func(tx storetest.Tx) (err error) {
			j, err = tx.Job("w", store.TweetJobID(tw.ID))
			return err
		})
		return j
	}
	if j := tweetJob(); j.Kind != store.JobTweet || j.State != store.JobPending || !j.DueAt.Equal(tw.ScheduledAt) || j.AccountID != w.accounts[1].ID {
		t.Errorf("the tweet's job = %+v; want pending, due at its time, of its account", j)
	}
	if _, err := w.svc.CancelTweet(ctx, "w", tw.ID); err != nil {
		t.Fatal(err)
	}
	if j := tweetJob(); j.State != store.JobCancelled {
		t.Errorf("the cancelled tweet's job is %s; want cancelled", j.State)
	}
	var ce *ConflictError
	if _, err := w.svc.CancelTweet(ctx, "w", tw.ID); !errors.As(err, &ce) || ce.Field != "tweet_id" || !strings.Contains(ce.Reason, "cancelled") {
		t.Errorf("cancelling twice: %v; want a ConflictError on tweet_id naming the status", err)
	}

	// A send parked for review, resolved by a person as sent: recorded, and
	// its follow-up queued.
	dm := store.DMJobID(w.launch.Campaign.ID, w.leads[1])
	update(t, w.st, func(tx storetest.Tx) error {
		j, err := tx.Job("w", dm)
		j.State, j.LastError = store.JobNeedsReview, "send in doubt: X did not answer"
		return errors.Join(err, tx.PutJob(j))
	})
	items, err := w.svc.NeedsReview(ctx, "w", "", 10)
	if err != nil || len(items) != 1 || items[0].Job.ID != dm {
		t.Fatalf("NeedsReview = %+v, %v", items, err)
	}
	// It says what the send said: the campaign's message, filled from the
	// lead as the engine fills it.
	it := items[0]
	tmpl, _ := message.Template(it.Campaign, it.Job)
	if it.Campaign.ID != w.launch.Campaign.ID || !strings.Contains(tmpl, "{{") || it.Text != message.Render(tmpl, it.Lead) || strings.Contains(it.Text, "{{") {
		t.Errorf("the item's campaign %q and text %q; want %q's message %q filled from the lead", it.Campaign.ID, it.Text, w.launch.Campaign.ID, tmpl)
	}
	if got, err := w.svc.ResolveReview(ctx, "w", dm, ResolvedSent); err != nil || got.State != store.JobDone {
		t.Errorf("ResolveReview = %+v, %v", got, err)
	}
	view(t, w.st, func(tx storetest.Tx) error {
		fus, err := tx.Jobs("w", store.JobQuery{CampaignID: w.launch.Campaign.ID, LeadID: w.leads[1], Kind: store.JobFollowup})
		if len(fus) != 1 {
			t.Errorf("%d follow-ups queued after resolving as sent; want 1", len(fus))
		}
		return err
	})

	// Removing an account moves its waiting first DMs to the campaign's
	// other account (core/engine's TestAccountRemovedMidRun runs that) and
	// leaves nothing pending on it; its history stays.
	if _, err := w.svc.RemoveAccount(ctx, "w", AccountRef{Handle: "@ACME_GROWTH"}); err != nil {
		t.Fatal(err)
	}
	view(t, w.st, func(tx storetest.Tx) error {
		left, err := tx.Jobs("w", store.JobQuery{AccountID: w.accounts[1].ID, State: store.JobPending})
		if len(left) != 0 {
			t.Errorf("%d jobs of the removed account still pending", len(left))
		}
		return err
	})
	if _, err := w.svc.RemoveAccount(ctx, "w", AccountRef{ID: w.accounts[1].ID}); !errors.Is(err, ErrNotFound) {
		t.Errorf("removing it again: %v; want ErrNotFound", err)
	}
}

// TestOperationsNameTheField: bad input to an operation is refused with a
// ValidationError that names the field, and writes nothing.
func TestOperationsNameTheField(t *testing.T) {
	ctx := context.Background()
	w := newOpsWorkspace(t)
	neg := -1
	tooMany := make([]store.Variant, 6)
	for i := range tooMany {
		tooMany[i].Message = "hi"
	}
	tests := []struct {
		name  string
		call  func() error
		field string
	}{
		{"handle", func() error {
			_, _, err := w.svc.UpsertAccount(ctx, "w", AccountInput{Handle: "not a handle!"})
			return err
		}, "handle"},
		{"cookies", func() error {
			_, _, err := w.svc.UpsertAccount(ctx, "w", AccountInput{Handle: "x1", Cookies: []Cookie{{Name: "ct0", Value: "v"}}})
			return err
		}, "cookies"},
		{"proxy", func() error {
			_, _, err := w.svc.UpsertAccount(ctx, "w", AccountInput{Handle: "x1", Proxy: "ftp://p:1"})
			return err
		}, "proxy"},
		{"proxy_auth", func() error {
			_, _, err := w.svc.UpsertAccount(ctx, "w", AccountInput{Handle: "x1", ProxyAuth: "nopassword"})
			return err
		}, "proxy_auth"},
		{"xchat_pin", func() error {
			_, _, err := w.svc.UpsertAccount(ctx, "w", AccountInput{Handle: "x1", XChatPIN: "12"})
			return err
		}, "xchat_pin"},
		{"source name", func() error {
			_, err := w.svc.CreateSource(ctx, "w", SourceInput{Targets: []store.Target{{Handle: "a", Followers: true}}})
			return err
		}, "name"},
		{"source handle", func() error {
			_, err := w.svc.CreateSource(ctx, "w", SourceInput{Name: "s", Targets: []store.Target{{Handle: "a", Followers: true}, {Handle: "b c", Followers: true}}})
			return err
		}, "sources[1].handle"},
		{"source lists", func() error {
			_, err := w.svc.CreateSource(ctx, "w", SourceInput{Name: "s", Targets: []store.Target{{Handle: "a"}}})
			return err
		}, "sources[0]"},
		{"source filter", func() error {
			_, err := w.svc.CreateSource(ctx, "w", SourceInput{Name: "s", Targets: []store.Target{{Handle: "a", Followers: true}},
				Filter: &filter.Spec{Followers: filter.Range{Min: &neg}}})
			return err
		}, "filters.followers"},
		{"campaign message", func() error {
			_, err := w.svc.LaunchCampaign(ctx, "w", CampaignInput{Name: "c", LeadSourceIDs: []string{w.source.ID}})
			return err
		}, "message"},
		{"campaign variants", func() error {
			_, err := w.svc.LaunchCampaign(ctx, "w", CampaignInput{Name: "c", Variants: tooMany, LeadSourceIDs: []string{w.source.ID}})
			return err
		}, "message_variants"},
		{"campaign placeholder", func() error {
			_, err := w.svc.LaunchCampaign(ctx, "w", CampaignInput{Name: "c", Message: "Hi {{company}}", LeadSourceIDs: []string{w.source.ID}})
			return err
		}, "message"},
		{"variant placeholder", func() error {
			_, err := w.svc.LaunchCampaign(ctx, "w", CampaignInput{Name: "c", LeadSourceIDs: []string{w.source.ID},
				Variants: []store.Variant{{Message: "Hi {{first_name}}"}, {Message: "Hey {{firstname}}"}}})
			return err
		}, "message_variants[1].message"},
		{"follow-up placeholder", func() error {
			_, err := w.svc.LaunchCampaign(ctx, "w", CampaignInput{Name: "c", Message: "Hi", LeadSourceIDs: []string{w.source.ID},
				Followups: []store.Followup{{After: time.Hour, Message: "Still there {{name}"}}})
			return err
		}, "message.followups[0].message"},
		{"campaign source", func() error {
			_, err := w.svc.LaunchCampaign(ctx, "w", CampaignInput{Name: "c", Message: "hi", LeadSourceIDs: []string{w.source.ID, "nope"}})
			return err
		}, "lead_source_ids[1]"},
		{"campaign account", func() error {
			_, err := w.svc.LaunchCampaign(ctx, "w", CampaignInput{Name: "c", Message: "hi", LeadSourceIDs: []string{w.source.ID}, AccountIDs: []string{"nope"}})
			return err
		}, "account_ids[0]"},
		{"campaign max_leads", func() error {
			_, err := w.svc.LaunchCampaign(ctx, "w", CampaignInput{Name: "c", Message: "hi", LeadSourceIDs: []string{w.source.ID}, MaxLeads: 25001})
			return err
		}, "max_leads"},
		{"dm text", func() error {
			_, err := w.svc.SendDM(ctx, "w", "c1", w.accounts[0].ID, strings.Repeat("x", MaxMessageLength+1))
			return err
		}, "message"},
		{"crm currency", func() error {
			cur := "dollars"
			_, err := w.svc.UpdateCRM(ctx, "w", CRMUpdate{ConversationID: "c1", DealCurrency: &cur})
			return err
		}, "deal_currency"},
		{"crm notes", func() error {
			notes := strings.Repeat("é", MaxCRMNotes+1)
			_, err := w.svc.UpdateCRM(ctx, "w", CRMUpdate{ConversationID: "c1", Notes: &notes})
			return err
		}, "notes"},
		{"crm deal value", func() error {
			v := MaxCRMDealValue * 10
			_, err := w.svc.UpdateCRM(ctx, "w", CRMUpdate{ConversationID: "c1", DealValue: &v})
			return err
		}, "deal_value"},
		{"tweet text", func() error {
			_, err := w.svc.ScheduleTweet(ctx, "w", w.accounts[0].ID, strings.Repeat("x", 281), start.Add(time.Hour))
			return err
		}, "tweet_text"},
		{"tweet time", func() error {
			_, err := w.svc.ScheduleTweet(ctx, "w", w.accounts[0].ID, "hi", start.Add(-time.Hour))
			return err
		}, "scheduled_at"},
		{"webhook url", func() error {
			_, _, err := w.svc.CreateWebhook(ctx, "w", WebhookInput{URL: "mailto:me@example.com"})
			return err
		}, "url"},
		{"webhook events", func() error {
			_, _, err := w.svc.CreateWebhook(ctx, "w", WebhookInput{URL: "https://example.com/h", Events: []string{"new_reply", "everything"}})
			return err
		}, "events"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := records(t, w.st)
			err := tt.call()
			var ve *ValidationError
			if !errors.As(err, &ve) || ve.Field != tt.field || ve.Reason == "" {
				t.Fatalf("error %v; want a ValidationError on %s", err, tt.field)
			}
			if records(t, w.st) != before {
				t.Error("a refused operation wrote something")
			}
		})
	}
	// Another workspace's objects are not found.
	if _, err := w.svc.Source(ctx, "other", w.source.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("another workspace's source: %v; want ErrNotFound", err)
	}
	if _, err := w.svc.UpdateCampaign(ctx, "other", w.launch.Campaign.ID, CampaignUpdate{}); !errors.Is(err, ErrNotFound) {
		t.Errorf("another workspace's campaign: %v; want ErrNotFound", err)
	}
}
