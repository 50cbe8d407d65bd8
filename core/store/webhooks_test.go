package store

import (
	"testing"
	"time"
)

// TestWebhooksAndTweets stores, finds, lists and deletes the two kinds of
// objects added for config, by id and by block name, per workspace.
func TestWebhooksAndTweets(t *testing.T) {
	st := open(t, t.TempDir())
	at := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	err := st.Update(func(tx *Tx) error {
		for i, name := range []string{"b", "a"} {
			w := Webhook{ID: "w" + name, Workspace: "ws", Name: name, URL: "https://example.com/" + name, Events: []string{"new_reply"}, CreatedAt: at.Add(time.Duration(i))}
			if err := tx.PutWebhook(w); err != nil {
				return err
			}
			s := ScheduledTweet{ID: "t" + name, Workspace: "ws", Name: name, Text: name, ScheduledAt: at, Status: TweetPending, CreatedAt: at.Add(time.Duration(i))}
			if err := tx.PutScheduledTweet(s); err != nil {
				return err
			}
		}
		// An API-made webhook has no name and no name index.
		return tx.PutWebhook(Webhook{ID: "wapi", Workspace: "ws", URL: "https://example.com/api", CreatedAt: at.Add(time.Hour)})
	})
	if err != nil {
		t.Fatal(err)
	}
	err = st.Update(func(tx *Tx) error {
		ws, err := tx.Webhooks("ws")
		if err != nil || len(ws) != 3 || ws[0].Name != "b" || ws[2].ID != "wapi" {
			t.Errorf("Webhooks = %+v, %v; want oldest first", ws, err)
		}
		w, err := tx.WebhookByName("ws", "a")
		if err != nil || w.ID != "wa" {
			t.Errorf("WebhookByName = %+v, %v", w, err)
		}
		if _, err := tx.WebhookByName("other", "a"); !IsNotFound(err) {
			t.Errorf("another workspace's webhook: %v", err)
		}
		if err := tx.DeleteWebhook(w); err != nil {
			return err
		}
		if _, err := tx.Webhook("ws", "wa"); !IsNotFound(err) {
			t.Errorf("deleted webhook: %v", err)
		}
		if _, err := tx.WebhookByName("ws", "a"); !IsNotFound(err) {
			t.Errorf("deleted webhook's name: %v", err)
		}
		s, err := tx.ScheduledTweetByName("ws", "b")
		if err != nil || s.ID != "tb" || s.Status != TweetPending {
			t.Errorf("ScheduledTweetByName = %+v, %v", s, err)
		}
		if err := tx.DeleteScheduledTweet(s); err != nil {
			return err
		}
		all, err := tx.ScheduledTweets("ws")
		if err != nil || len(all) != 1 || all[0].ID != "ta" {
			t.Errorf("ScheduledTweets after a delete = %+v, %v", all, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
