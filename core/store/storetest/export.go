package storetest

import (
	"encoding/json"
	"testing"

	"github.com/outreachhq/outreach/core/store"
)

func testSettings(t *testing.T, open Opener) {
	db := store.Narrow(open(t), func(tx Tx) Settings { return tx })
	get := func(name string) string {
		return read(t, db, func(tx Settings) (string, error) { return tx.Setting(name) })
	}
	if got := get("key_check"); got != "" {
		t.Errorf("Setting of a name never put = %q, want \"\"", got)
	}
	update(t, db, func(tx Settings) error { return tx.PutSetting("key_check", "abc") })
	update(t, db, func(tx Settings) error { return tx.PutSetting("other", "1") })
	if got := get("key_check"); got != "abc" {
		t.Errorf("Setting after PutSetting = %q, want abc", got)
	}
	update(t, db, func(tx Settings) error { return tx.PutSetting("key_check", "def") })
	if got := get("key_check"); got != "def" {
		t.Errorf("Setting after a second PutSetting = %q, want def", got)
	}
}

func testExport(t *testing.T, open Opener) {
	db := store.Narrow(open(t), func(tx Tx) Tx { return tx })
	update(t, db, func(tx Tx) error {
		for _, ws := range []string{"w", "v"} {
			for _, id := range []string{"30", "10", "20"} {
				if _, err := tx.AddSourceLead(ws, "s1", lead(ws, id)); err != nil {
					return err
				}
			}
			for _, m := range [][2]string{{"20", "c2"}, {"10", "c1"}} {
				if err := tx.MarkContacted(ws, m[0], m[1]); err != nil {
					return err
				}
			}
			if err := tx.AddDoNotContact(ws, "30", "opted out"); err != nil {
				return err
			}
			if err := tx.AddSentOn(ws, "a1", "2026-03-02", 3); err != nil {
				return err
			}
			if err := tx.AddSentOn(ws, "a1", "2026-03-01", 2); err != nil {
				return err
			}
			if err := tx.AddSentOn(ws, "a2", "2026-03-01", 9); err != nil {
				return err
			}
			for _, c := range []store.EngageCount{
				{Step: store.EngageLike, Day: "2026-03-02", N: 4},
				{Step: store.EngageFollow, Day: "2026-03-02", N: 1},
				{Step: store.EngageFollow, Day: "2026-03-01", N: 2},
			} {
				if err := tx.AddEngagedOn(ws, "a1", c.Step, c.Day, c.N); err != nil {
					return err
				}
			}
			for _, id := range []string{"j2", "j1"} {
				if err := tx.PutIntent(intent(ws, id, 5)); err != nil {
					return err
				}
			}
		}
		if err := tx.SetEventCursor("webhook:h1", 7); err != nil {
			return err
		}
		return tx.SetEventCursor("sink:s", 3)
	})

	t.Run("leads page in user id order", func(t *testing.T) {
		page := func(after string, limit int) []string {
			ls := read(t, db, func(tx Tx) ([]store.Lead, error) { return tx.LeadsAfter("w", after, limit) })
			return ids(ls, func(l store.Lead) string { return l.UserID })
		}
		same(t, "LeadsAfter(\"\", 2)", page("", 2), []string{"10", "20"})
		same(t, "LeadsAfter(20, 2)", page("20", 2), []string{"30"})
		same(t, "LeadsAfter(30, 2)", page("30", 2), nil)
		same(t, "LeadsAfter(\"\", 0)", page("", 0), []string{"10", "20", "30"})
		got := read(t, db, func(tx Tx) ([]store.Lead, error) { return tx.LeadsAfter("w", "", 1) })
		same(t, "LeadsAfter's lead", got, []store.Lead{lead("w", "10")})

		// PutLead stores a lead no source keeps, and replaces one.
		orphan, renamed := lead("w", "25"), lead("w", "10")
		renamed.Name = "Renamed"
		update(t, db, func(tx Tx) error {
			if err := tx.PutLead(orphan); err != nil {
				return err
			}
			return tx.PutLead(renamed)
		})
		same(t, "leads after PutLead", page("", 0), []string{"10", "20", "25", "30"})
		same(t, "Lead after PutLead", read(t, db, func(tx Tx) (store.Lead, error) { return tx.Lead("w", "10") }), renamed)
		same(t, "SourceLeadCount after PutLead", read(t, db, func(tx Tx) (int, error) { return tx.SourceLeadCount("w", "s1") }), 3)
	})
	t.Run("lists", func(t *testing.T) {
		same(t, "Contacts", read(t, db, func(tx Tx) ([]store.Contact, error) { return tx.Contacts("w") }),
			[]store.Contact{{UserID: "10", CampaignID: "c1"}, {UserID: "20", CampaignID: "c2"}})
		same(t, "DoNotContacts", read(t, db, func(tx Tx) ([]store.DoNotContact, error) { return tx.DoNotContacts("w") }),
			[]store.DoNotContact{{UserID: "30", Reason: "opted out"}})
		same(t, "SentDays", read(t, db, func(tx Tx) ([]store.DayCount, error) { return tx.SentDays("w", "a1") }),
			[]store.DayCount{{Day: "2026-03-01", N: 2}, {Day: "2026-03-02", N: 3}})
		same(t, "EngagedDays", read(t, db, func(tx Tx) ([]store.EngageCount, error) { return tx.EngagedDays("w", "a1") }),
			[]store.EngageCount{
				{Step: store.EngageFollow, Day: "2026-03-01", N: 2},
				{Step: store.EngageFollow, Day: "2026-03-02", N: 1},
				{Step: store.EngageLike, Day: "2026-03-02", N: 4},
			})
		same(t, "EngagedDays of an account without any", read(t, db, func(tx Tx) ([]store.EngageCount, error) { return tx.EngagedDays("w", "a2") }),
			[]store.EngageCount{})
		same(t, "Intents", read(t, db, func(tx Tx) ([]store.Intent, error) { return tx.Intents("w") }),
			[]store.Intent{intent("w", "j1", 5), intent("w", "j2", 5)})
		same(t, "EventCursors", read(t, db, func(tx Tx) (map[string]int64, error) { return tx.EventCursors() }),
			map[string]int64{"webhook:h1": 7, "sink:s": 3})
		same(t, "Contacts of an empty workspace", read(t, db, func(tx Tx) ([]store.Contact, error) { return tx.Contacts("x") }),
			[]store.Contact{})
	})
	t.Run("PutEvent keeps Seq and moves the sequence past it", func(t *testing.T) {
		e := store.Event{Seq: 41, ID: "e41", Workspace: "w", Type: store.EventNewReply, At: t0, Data: json.RawMessage(`{"a":1}`)}
		update(t, db, func(tx Tx) error { return tx.PutEvent(e) })
		same(t, "Events after PutEvent", read(t, db, func(tx Tx) ([]store.Event, error) { return tx.Events("w", 0, 0) }),
			[]store.Event{e})
		next := write(t, db, func(tx Tx) (store.Event, error) {
			return tx.AppendEvent(store.Event{ID: "e-next", Workspace: "v", Type: store.EventNewReply, At: t0, Data: json.RawMessage(`{}`)})
		})
		if next.Seq <= 41 {
			t.Errorf("AppendEvent after PutEvent(Seq 41) gave Seq %d, want more than 41", next.Seq)
		}
	})
}
