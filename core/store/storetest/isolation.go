package storetest

import (
	"encoding/json"
	"testing"

	"github.com/outreachhq/outreach/core/store"
)

// fill puts one record of every kind in workspace ws, with the same ids in
// every workspace (handles and key hashes, unique in the whole install,
// name the workspace).
func fill(t *testing.T, db store.Transactor[Tx], ws string) {
	t.Helper()
	update(t, db, func(tx Tx) error {
		acct := account(ws, "a1", "acme-"+ws, t0)
		acct.Address = "account.main"
		conv := conversation(ws, "100-200", "a1", "200", "k1", 10)
		conv.Replied, conv.CRM.Tag = true, "interested"
		in := intent(ws, "dm-k1-200", 0)
		steps := []error{
			tx.PutWorkspace(ws),
			tx.PutAccount(acct),
			tx.PutAccountState(store.AccountState{Workspace: ws, AccountID: "a1", DMCursor: "c"}),
			tx.AddSentOn(ws, "a1", "2026-03-02", 1),
			tx.PutFilter(store.Filter{ID: "f1", Workspace: ws, Address: "filter.f", CreatedAt: t0}),
			tx.PutSource(store.Source{ID: "s1", Workspace: ws, Address: "source.s", CreatedAt: t0}),
			tx.PutCampaign(store.Campaign{ID: "k1", Workspace: ws, Address: "campaign.c", CreatedAt: t0}),
			tx.PutWebhook(store.Webhook{ID: "h1", Workspace: ws, Address: "webhook.h", CreatedAt: t0}),
			tx.PutScheduledTweet(store.ScheduledTweet{ID: "t1", Workspace: ws, Address: "tweet.t", CreatedAt: t0}),
			tx.PutCustomTag(store.CustomTag{ID: "g1", Workspace: ws, Name: "vip", CreatedAt: t0}),
			tx.MarkContacted(ws, "200", "k1"),
			tx.AddDoNotContact(ws, "300", "asked"),
			tx.PutJob(dm(ws, "k1", "a1", "200", t0)),
			tx.PutJob(scrape(ws, "s1", "naval", t0)),
			tx.PutIntent(in),
			tx.PutEngagement(engagement(ws, "k1", "200", store.EngageFollow, "a1", store.EngageDone)),
			tx.AddEngagedOn(ws, "a1", store.EngageFollow, "2026-03-02", 1),
			tx.PutConversation(conv),
			tx.SetEventCursor("webhooks", 1),
			tx.PutDelivery(store.Delivery{ID: "d1", Workspace: ws, WebhookID: "h1", CreatedAt: t0}),
			tx.PutAPIKey(store.APIKey{ID: "k1", Workspace: ws, Hash: "hash-" + ws, CreatedAt: t0}),
		}
		if _, err := tx.AddSourceLead(ws, "s1", lead(ws, "100")); err != nil {
			return err
		}
		if _, err := tx.AddMessage(store.Message{ID: "m1", Workspace: ws, ConversationID: "100-200", At: t0}); err != nil {
			return err
		}
		if _, err := tx.AppendEvent(store.Event{ID: "e1", Workspace: ws, Type: store.EventNewReply, At: t0, Data: json.RawMessage(`{}`)}); err != nil {
			return err
		}
		for _, err := range steps {
			if err != nil {
				return err
			}
		}
		return nil
	})
}

func testIsolation(t *testing.T, open Opener) {
	db := open(t)
	fill(t, db, "a")

	for name, fn := range getters("b") {
		wantNotFound(t, name+" of another workspace's record", readErr(t, db, fn))
	}

	// What a workspace without records answers: counts, empty lists, the
	// zero state.
	counts := map[string]func(Tx) (int, error){
		"Accounts":        func(tx Tx) (int, error) { return size(tx.Accounts("b")) },
		"Filters":         func(tx Tx) (int, error) { return size(tx.Filters("b")) },
		"Sources":         func(tx Tx) (int, error) { return size(tx.Sources("b")) },
		"Campaigns":       func(tx Tx) (int, error) { return size(tx.Campaigns("b")) },
		"Webhooks":        func(tx Tx) (int, error) { return size(tx.Webhooks("b")) },
		"ScheduledTweets": func(tx Tx) (int, error) { return size(tx.ScheduledTweets("b")) },
		"CustomTags":      func(tx Tx) (int, error) { return size(tx.CustomTags("b")) },
		"SentOn":          func(tx Tx) (int, error) { return tx.SentOn("b", "a1", "2026-03-02") },
		"SourceLeadCount": func(tx Tx) (int, error) { return tx.SourceLeadCount("b", "s1") },
		"SourceLeads":     func(tx Tx) (int, error) { return size(tx.SourceLeads("b", "s1", 0, 10)) },
		"ContactedBy":     func(tx Tx) (int, error) { s, err := tx.ContactedBy("b", "200"); return len(s), err },
		"DoNotContact":    func(tx Tx) (int, error) { return flag(tx.DoNotContact("b", "300")) },
		"Jobs by campaign": func(tx Tx) (int, error) {
			return size(tx.Jobs("b", store.JobQuery{CampaignID: "k1"}))
		},
		"Jobs by campaign and lead": func(tx Tx) (int, error) {
			return size(tx.Jobs("b", store.JobQuery{CampaignID: "k1", LeadID: "200"}))
		},
		"Jobs by source":  func(tx Tx) (int, error) { return size(tx.Jobs("b", store.JobQuery{SourceID: "s1"})) },
		"Jobs by account": func(tx Tx) (int, error) { return size(tx.Jobs("b", store.JobQuery{AccountID: "a1"})) },
		"Jobs by state":   func(tx Tx) (int, error) { return size(tx.Jobs("b", store.JobQuery{State: store.JobPending})) },
		"QueueHeads":      func(tx Tx) (int, error) { return size(tx.QueueHeads("b", "a1")) },
		"PendingJobs":     func(tx Tx) (int, error) { return tx.PendingJobs("b") },
		"CampaignTallies": func(tx Tx) (int, error) { return size(tx.CampaignTallies("b", "k1")) },
		"AccountTallies":  func(tx Tx) (int, error) { return size(tx.AccountTallies("b", "a1")) },
		"Conversations":   func(tx Tx) (int, error) { return size(tx.Conversations("b", store.ConversationQuery{})) },
		"Conversations by account": func(tx Tx) (int, error) {
			return size(tx.Conversations("b", store.ConversationQuery{AccountID: "a1"}))
		},
		"EachConversationWithLead": func(tx Tx) (int, error) {
			return size(collectWithLeads(tx, "b", store.ConversationQuery{}))
		},
		"Conversations by tag": func(tx Tx) (int, error) {
			return size(tx.Conversations("b", store.ConversationQuery{Tag: "interested"}))
		},
		"ReplyTallies":     func(tx Tx) (int, error) { return size(tx.ReplyTallies("b", "k1")) },
		"SentimentTallies": func(tx Tx) (int, error) { return size(tx.SentimentTallies("b", "a1")) },
		"Engagements":      func(tx Tx) (int, error) { return size(tx.Engagements("b", "", "")) },
		"EngageTallies":    func(tx Tx) (int, error) { return size(tx.EngageTallies("b", "k1")) },
		"EngagedOn": func(tx Tx) (int, error) {
			return tx.EngagedOn("b", "a1", store.EngageFollow, "2026-03-02")
		},
		"Messages":   func(tx Tx) (int, error) { return size(tx.Messages("b", "100-200")) },
		"Events":     func(tx Tx) (int, error) { return size(tx.Events("b", 0, 10)) },
		"Deliveries": func(tx Tx) (int, error) { return size(tx.Deliveries("b", "h1", 10)) },
		"APIKeys":    func(tx Tx) (int, error) { return size(tx.APIKeys("b")) },
	}
	for name, fn := range counts {
		if n := read(t, db, fn); n != 0 {
			t.Errorf("%s of a workspace without records = %d, want 0 (another workspace's records leak)", name, n)
		}
	}
	state := read(t, db, func(tx Tx) (store.AccountState, error) { return tx.AccountState("b", "a1") })
	same(t, "AccountState of another workspace's account", state, store.AccountState{Workspace: "b", AccountID: "a1"})

	// Deleting another workspace's ids deletes nothing here.
	update(t, db, func(tx Tx) error {
		for _, del := range []func(string, string) error{
			tx.DeleteAccount, tx.DeleteFilter, tx.DeleteSource, tx.DeleteCampaign, tx.DeleteWebhook,
			tx.DeleteScheduledTweet, tx.DeleteCustomTag, tx.DeleteIntent,
		} {
			for _, id := range []string{"a1", "f1", "s1", "k1", "h1", "t1", "g1", store.DMJobID("k1", "200")} {
				if err := del("b", id); err != nil {
					return err
				}
			}
		}
		return nil
	})
	fill(t, db, "b") // and b's own records, of the same ids, leave a's alone
	for name, fn := range getters("a") {
		if err := readErr(t, db, fn); err != nil {
			t.Errorf("%s of workspace a after b's deletes and puts: %v", name, err)
		}
	}
	if n := read(t, db, func(tx Tx) (int, error) { return tx.PendingJobs("a") }); n != 2 {
		t.Errorf("PendingJobs(a) = %d after b's writes, want 2", n)
	}
}

func size[T any](xs []T, err error) (int, error) { return len(xs), err }

func flag(b bool, err error) (int, error) {
	if b {
		return 1, err
	}
	return 0, err
}

// getters reads, in workspace ws, each record fill puts.
func getters(ws string) map[string]func(Tx) error {
	return map[string]func(Tx) error{
		"Account":                 func(tx Tx) error { _, err := tx.Account(ws, "a1"); return err },
		"AccountByAddress":        func(tx Tx) error { _, err := tx.AccountByAddress(ws, "account.main"); return err },
		"Filter":                  func(tx Tx) error { _, err := tx.Filter(ws, "f1"); return err },
		"FilterByAddress":         func(tx Tx) error { _, err := tx.FilterByAddress(ws, "filter.f"); return err },
		"Source":                  func(tx Tx) error { _, err := tx.Source(ws, "s1"); return err },
		"SourceByAddress":         func(tx Tx) error { _, err := tx.SourceByAddress(ws, "source.s"); return err },
		"Campaign":                func(tx Tx) error { _, err := tx.Campaign(ws, "k1"); return err },
		"CampaignByAddress":       func(tx Tx) error { _, err := tx.CampaignByAddress(ws, "campaign.c"); return err },
		"Webhook":                 func(tx Tx) error { _, err := tx.Webhook(ws, "h1"); return err },
		"WebhookByAddress":        func(tx Tx) error { _, err := tx.WebhookByAddress(ws, "webhook.h"); return err },
		"ScheduledTweet":          func(tx Tx) error { _, err := tx.ScheduledTweet(ws, "t1"); return err },
		"ScheduledTweetByAddress": func(tx Tx) error { _, err := tx.ScheduledTweetByAddress(ws, "tweet.t"); return err },
		"Lead":                    func(tx Tx) error { _, err := tx.Lead(ws, "100"); return err },
		"Job":                     func(tx Tx) error { _, err := tx.Job(ws, store.DMJobID("k1", "200")); return err },
		"Intent":                  func(tx Tx) error { _, err := tx.Intent(ws, store.DMJobID("k1", "200")); return err },
		"Conversation":            func(tx Tx) error { _, err := tx.Conversation(ws, "100-200"); return err },
	}
}
