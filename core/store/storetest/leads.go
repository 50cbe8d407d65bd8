package storetest

import (
	"fmt"
	"testing"

	"github.com/outreachhq/outreach/core/store"
)

func lead(ws, userID string) store.Lead {
	return store.Lead{UserID: userID, Workspace: ws, Username: "user" + userID, Name: "User " + userID, Bio: "founder",
		Location: "Paris", Website: "https://example.com", Followers: 1200, Following: 300, Verified: true, FoundAt: t0}
}

func testLeads(t *testing.T, open Opener) {
	t.Run("sources keep leads in order, once each", func(t *testing.T) {
		db := store.Narrow(open(t), func(tx Tx) Leads { return tx })
		var added []bool
		update(t, db, func(tx Leads) error {
			for i := range 5 {
				ok, err := tx.AddSourceLead("w", "s1", lead("w", fmt.Sprint(100+i)))
				if err != nil {
					return err
				}
				added = append(added, ok)
			}
			return nil
		})
		same(t, "AddSourceLead reports", added, []bool{true, true, true, true, true})

		// A repeat reports false and writes nothing: the lead stays as kept.
		changed := lead("w", "102")
		changed.Name = "Renamed"
		again := write(t, db, func(tx Leads) (bool, error) { return tx.AddSourceLead("w", "s1", changed) })
		if again {
			t.Errorf("AddSourceLead of a lead the source has = true, want false")
		}
		same(t, "Lead after a repeat", read(t, db, func(tx Leads) (store.Lead, error) { return tx.Lead("w", "102") }), lead("w", "102"))

		count := func(ws, src string) int {
			return read(t, db, func(tx Leads) (int, error) { return tx.SourceLeadCount(ws, src) })
		}
		if got := count("w", "s1"); got != 5 {
			t.Errorf("SourceLeadCount = %d, want 5", got)
		}
		tests := []struct {
			from, limit int
			want        []string
		}{
			{0, 10, []string{"100", "101", "102", "103", "104"}},
			{0, 2, []string{"100", "101"}},
			{2, 2, []string{"102", "103"}},
			{4, 10, []string{"104"}},
			{5, 10, nil},
		}
		for _, tt := range tests {
			got := read(t, db, func(tx Leads) ([]string, error) { return tx.SourceLeads("w", "s1", tt.from, tt.limit) })
			same(t, fmt.Sprintf("SourceLeads(from %d, limit %d)", tt.from, tt.limit), got, tt.want)
		}

		// Another source keeps the same user: the lead record is replaced,
		// and each source counts its own.
		newer := lead("w", "101")
		newer.Followers = 5000
		ok := write(t, db, func(tx Leads) (bool, error) { return tx.AddSourceLead("w", "s2", newer) })
		if !ok {
			t.Errorf("AddSourceLead to a second source = false, want true")
		}
		same(t, "Lead kept by a second source", read(t, db, func(tx Leads) (store.Lead, error) { return tx.Lead("w", "101") }), newer)
		same(t, "SourceLeads(s2)", read(t, db, func(tx Leads) ([]string, error) { return tx.SourceLeads("w", "s2", 0, 10) }), []string{"101"})
		if got := count("w", "s2"); got != 1 {
			t.Errorf("SourceLeadCount(s2) = %d, want 1", got)
		}
		if got := count("v", "s1"); got != 0 {
			t.Errorf("SourceLeadCount of another workspace's source = %d, want 0", got)
		}
		same(t, "SourceLeads of another workspace's source", read(t, db, func(tx Leads) ([]string, error) { return tx.SourceLeads("v", "s1", 0, 10) }), nil)
		wantNotFound(t, "Lead of another workspace", readErr(t, db, func(tx Leads) error { _, err := tx.Lead("v", "101"); return err }))
	})

	t.Run("contacted and do not contact", func(t *testing.T) {
		db := store.Narrow(open(t), func(tx Tx) Leads { return tx })
		update(t, db, func(tx Leads) error {
			if err := tx.MarkContacted("w", "100", "c1"); err != nil {
				return err
			}
			return tx.AddDoNotContact("w", "200", "asked to stop")
		})
		// The first campaign that cold-messaged the lead is the one kept.
		update(t, db, func(tx Leads) error { return tx.MarkContacted("w", "100", "c2") })
		tests := []struct {
			ws, user     string
			contactedBy  string
			doNotContact bool
		}{
			{"w", "100", "c1", false},
			{"w", "200", "", true},
			{"w", "300", "", false},
			{"v", "100", "", false},
			{"v", "200", "", false},
		}
		for _, tt := range tests {
			by := read(t, db, func(tx Leads) (string, error) { return tx.ContactedBy(tt.ws, tt.user) })
			dnc := read(t, db, func(tx Leads) (bool, error) { return tx.DoNotContact(tt.ws, tt.user) })
			if by != tt.contactedBy || dnc != tt.doNotContact {
				t.Errorf("%s/%s: ContactedBy = %q, DoNotContact = %v; want %q, %v", tt.ws, tt.user, by, dnc, tt.contactedBy, tt.doNotContact)
			}
		}

		// Removing an entry takes the user off this workspace's list only;
		// removing one not on the list is no error.
		update(t, db, func(tx Leads) error { return tx.AddDoNotContact("v", "200", "theirs") })
		update(t, db, func(tx Leads) error { return tx.RemoveDoNotContact("w", "200") })
		update(t, db, func(tx Leads) error { return tx.RemoveDoNotContact("w", "999") })
		if read(t, db, func(tx Leads) (bool, error) { return tx.DoNotContact("w", "200") }) {
			t.Error("DoNotContact after RemoveDoNotContact = true")
		}
		if !read(t, db, func(tx Leads) (bool, error) { return tx.DoNotContact("v", "200") }) {
			t.Error("RemoveDoNotContact took the user off another workspace's list")
		}
	})
}
