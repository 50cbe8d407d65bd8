package storetest

import (
	"testing"
	"time"

	"github.com/outreachhq/outreach/core/filter"
	"github.com/outreachhq/outreach/core/store"
)

// objectKind describes one kind of object for the tests every kind shares:
// its five methods, as method expressions, and a record of it.
type objectKind[T any] struct {
	make      func(ws, id, address string, created time.Time) T
	put       func(Objects, T) error
	get       func(Objects, string, string) (T, error)
	byAddress func(Objects, string, string) (T, error)
	list      func(Objects, string) ([]T, error)
	delete    func(Objects, string, string) error
	id        func(T) string
}

func testObjects(t *testing.T, open Opener) {
	t.Run("filter", func(t *testing.T) {
		testObjectKind(t, open, objectKind[store.Filter]{
			make: func(ws, id, address string, created time.Time) store.Filter {
				return store.Filter{ID: id, Workspace: ws, Address: address, Name: "founders " + id, CreatedAt: created, UpdatedAt: created,
					Spec: filter.Spec{IncludeKeywords: [][]string{{"founder", "ceo"}}, Where: "followers > 100"}}
			},
			put: Objects.PutFilter, get: Objects.Filter, byAddress: Objects.FilterByAddress, list: Objects.Filters, delete: Objects.DeleteFilter,
			id: func(f store.Filter) string { return f.ID },
		})
	})
	t.Run("source", func(t *testing.T) {
		testObjectKind(t, open, objectKind[store.Source]{
			make: func(ws, id, address string, created time.Time) store.Source {
				return store.Source{ID: id, Workspace: ws, Address: address, Name: "s " + id, MaxLeads: 500, Schedule: "@daily",
					Targets: []store.Target{{Handle: "naval", Followers: true}}, FilterID: "f1", CreatedAt: created, UpdatedAt: created}
			},
			put: Objects.PutSource, get: Objects.Source, byAddress: Objects.SourceByAddress, list: Objects.Sources, delete: Objects.DeleteSource,
			id: func(s store.Source) string { return s.ID },
		})
	})
	t.Run("campaign", func(t *testing.T) {
		testObjectKind(t, open, objectKind[store.Campaign]{
			make: func(ws, id, address string, created time.Time) store.Campaign {
				return store.Campaign{ID: id, Workspace: ws, Address: address, Name: "c " + id, SourceIDs: []string{"s1"}, AccountIDs: []string{"a1", "a2"},
					Variants: []store.Variant{{Message: "hi {{name}}", Weight: 2, Followups: []store.Followup{{After: 48 * time.Hour, Message: "ping"}}}},
					MaxLeads: 100, Dedupe: true, Follow: true, Policy: store.PolicyStrict, Window: &store.Window{Start: time.Hour, End: 2 * time.Hour, TimeZone: "UTC", Days: []string{"mon"}},
					Assigned: 7, Offsets: map[string]int{"s1": 9}, ExhaustedAt: created.Add(time.Hour), CreatedAt: created, UpdatedAt: created}
			},
			put: Objects.PutCampaign, get: Objects.Campaign, byAddress: Objects.CampaignByAddress, list: Objects.Campaigns, delete: Objects.DeleteCampaign,
			id: func(c store.Campaign) string { return c.ID },
		})
	})
	t.Run("webhook", func(t *testing.T) {
		testObjectKind(t, open, objectKind[store.Webhook]{
			make: func(ws, id, address string, created time.Time) store.Webhook {
				return store.Webhook{ID: id, Workspace: ws, Address: address, URL: "https://example.com/" + id, Events: []string{store.EventNewReply},
					Secret: []byte("sealed"), SecretDigest: "d", CreatedAt: created, UpdatedAt: created}
			},
			put: Objects.PutWebhook, get: Objects.Webhook, byAddress: Objects.WebhookByAddress, list: Objects.Webhooks, delete: Objects.DeleteWebhook,
			id: func(w store.Webhook) string { return w.ID },
		})
	})
	t.Run("scheduled tweet", func(t *testing.T) {
		testObjectKind(t, open, objectKind[store.ScheduledTweet]{
			make: func(ws, id, address string, created time.Time) store.ScheduledTweet {
				return store.ScheduledTweet{ID: id, Workspace: ws, Address: address, AccountID: "a1", Text: "hello " + id,
					ScheduledAt: created.Add(time.Hour), Status: store.TweetPending, CreatedAt: created, UpdatedAt: created}
			},
			put: Objects.PutScheduledTweet, get: Objects.ScheduledTweet, byAddress: Objects.ScheduledTweetByAddress,
			list: Objects.ScheduledTweets, delete: Objects.DeleteScheduledTweet,
			id: func(s store.ScheduledTweet) string { return s.ID },
		})
	})
	t.Run("custom tag", func(t *testing.T) {
		db := store.Narrow(open(t), func(tx Tx) Objects { return tx })
		tag := func(ws, id string, created time.Time) store.CustomTag {
			return store.CustomTag{ID: id, Workspace: ws, Name: "tag " + id, Color: "#ff0000", CreatedAt: created}
		}
		update(t, db, func(tx Objects) error {
			for _, c := range []store.CustomTag{tag("w", "t2", at(1)), tag("w", "t3", at(0)), tag("w", "t1", at(1)), tag("v", "t9", at(0))} {
				if err := tx.PutCustomTag(c); err != nil {
					return err
				}
			}
			return nil
		})
		list := func(ws string) []store.CustomTag {
			return read(t, db, func(tx Objects) ([]store.CustomTag, error) { return tx.CustomTags(ws) })
		}
		same(t, "CustomTags", list("w"), []store.CustomTag{tag("w", "t3", at(0)), tag("w", "t1", at(1)), tag("w", "t2", at(1))})
		update(t, db, func(tx Objects) error {
			if err := tx.DeleteCustomTag("w", "t1"); err != nil {
				return err
			}
			return tx.DeleteCustomTag("w", "t9") // another workspace's: nothing to delete here
		})
		same(t, "CustomTags after a delete", list("w"), []store.CustomTag{tag("w", "t3", at(0)), tag("w", "t2", at(1))})
		same(t, "CustomTags of the other workspace", list("v"), []store.CustomTag{tag("v", "t9", at(0))})
	})
}

func testObjectKind[T any](t *testing.T, open Opener, k objectKind[T]) {
	db := store.Narrow(open(t), func(tx Tx) Objects { return tx })
	get := func(ws, id string) (T, error) {
		var v T
		err := readErr(t, db, func(tx Objects) error {
			var err error
			v, err = k.get(tx, ws, id)
			return err
		})
		return v, err
	}
	byAddress := func(ws, address string) (T, error) {
		var v T
		err := readErr(t, db, func(tx Objects) error {
			var err error
			v, err = k.byAddress(tx, ws, address)
			return err
		})
		return v, err
	}
	list := func(ws string) []string {
		return ids(read(t, db, func(tx Objects) ([]T, error) { return k.list(tx, ws) }), k.id)
	}
	put := func(vs ...T) {
		t.Helper()
		update(t, db, func(tx Objects) error {
			for _, v := range vs {
				if err := k.put(tx, v); err != nil {
					return err
				}
			}
			return nil
		})
	}

	one := k.make("w", "o1", "x.main", t0)
	put(one, k.make("w", "o3", "", at(0)), k.make("w", "o2", "x.other", at(-1)), k.make("w", "o0", "", at(0)), k.make("v", "o9", "x.main", t0))

	got, err := get("w", "o1")
	if err != nil {
		t.Fatalf("get: %v", err)
	}
	same(t, "get", got, one)
	got, err = byAddress("w", "x.main")
	if err != nil {
		t.Fatalf("by address: %v", err)
	}
	same(t, "by address", got, one)
	_, err = get("w", "o9")
	wantNotFound(t, "get of another workspace's id", err)
	_, err = get("w", "nope")
	wantNotFound(t, "get of a missing id", err)
	_, err = byAddress("w", "x.none")
	wantNotFound(t, "by a missing address", err)
	for range 2 {
		same(t, "list (by CreatedAt, then ID)", list("w"), []string{"o2", "o0", "o1", "o3"})
	}
	same(t, "list of the other workspace", list("v"), []string{"o9"})

	// Moving the address moves the index.
	moved := k.make("w", "o1", "x.moved", t0)
	put(moved)
	_, err = byAddress("w", "x.main")
	wantNotFound(t, "by the old address", err)
	got, _ = byAddress("w", "x.moved")
	same(t, "by the new address", got, moved)
	got, _ = byAddress("v", "x.main")
	same(t, "the other workspace's object at the old address", got, k.make("v", "o9", "x.main", t0))

	update(t, db, func(tx Objects) error {
		if err := k.delete(tx, "w", "o1"); err != nil {
			return err
		}
		return k.delete(tx, "w", "never-existed")
	})
	_, err = get("w", "o1")
	wantNotFound(t, "get after delete", err)
	_, err = byAddress("w", "x.moved")
	wantNotFound(t, "by address after delete", err)
	same(t, "list after delete", list("w"), []string{"o2", "o0", "o3"})
}
