package storetest

import (
	"cmp"
	"slices"
	"testing"

	"github.com/outreachhq/outreach/core/store"
)

func engagement(ws, campaignID, leadID string, step store.EngageStep, accountID string, state store.EngageState) store.Engagement {
	return store.Engagement{Workspace: ws, CampaignID: campaignID, LeadID: leadID, Step: step, AccountID: accountID, State: state, At: t0}
}

// sortEngageTallies puts tallies in one order: the contract leaves theirs
// open.
func sortEngageTallies(ts []store.EngageTally) []store.EngageTally {
	slices.SortFunc(ts, func(a, b store.EngageTally) int {
		return cmp.Or(cmp.Compare(a.AccountID, b.AccountID), cmp.Compare(a.Step, b.Step), cmp.Compare(a.State, b.State))
	})
	return ts
}

func testEngagements(t *testing.T, open Opener) {
	db := store.Narrow(open(t), func(tx Tx) Engagements { return tx })
	put := func(es ...store.Engagement) {
		t.Helper()
		update(t, db, func(tx Engagements) error {
			for _, e := range es {
				if err := tx.PutEngagement(e); err != nil {
					return err
				}
			}
			return nil
		})
	}
	list := func(ws, campaignID, leadID string) []string {
		t.Helper()
		es := read(t, db, func(tx Engagements) ([]store.Engagement, error) { return tx.Engagements(ws, campaignID, leadID) })
		return ids(es, func(e store.Engagement) string { return e.CampaignID + "/" + e.LeadID + "/" + string(e.Step) })
	}
	tallies := func(ws, campaignID string) []store.EngageTally {
		t.Helper()
		return sortEngageTallies(read(t, db, func(tx Engagements) ([]store.EngageTally, error) { return tx.EngageTallies(ws, campaignID) }))
	}
	same(t, "Engagements of an empty workspace", list("w", "", ""), nil)
	same(t, "EngageTallies of a campaign without engagement", tallies("w", "c1"), nil)

	commented := engagement("w", "c1", "100", store.EngageComment, "a1", store.EngageDone)
	commented.PostID, commented.CommentID, commented.Text = "p1", "p2", "Great thread!"
	skipped := engagement("w", "c1", "100", store.EngageLike, "a1", store.EngageSkipped)
	skipped.Reason = "no posts"
	put(
		engagement("w", "c1", "100", store.EngageFollow, "a1", store.EngageDone),
		skipped, commented,
		engagement("w", "c1", "200", store.EngageFollow, "a2", store.EngageRequested),
		engagement("w", "c2", "100", store.EngageFollow, "a1", store.EngageDone),
		engagement("v", "c1", "100", store.EngageFollow, "a1", store.EngageDone),
	)

	same(t, "Engagements of a lead", read(t, db, func(tx Engagements) ([]store.Engagement, error) { return tx.Engagements("w", "c1", "100") }),
		[]store.Engagement{commented, engagement("w", "c1", "100", store.EngageFollow, "a1", store.EngageDone), skipped})
	same(t, "Engagements of a campaign", list("w", "c1", ""), []string{"c1/100/comment", "c1/100/follow", "c1/100/like", "c1/200/follow"})
	same(t, "Engagements of a workspace", list("w", "", ""),
		[]string{"c1/100/comment", "c1/100/follow", "c1/100/like", "c1/200/follow", "c2/100/follow"})
	same(t, "Engagements of a lead in every campaign", list("w", "", "100"),
		[]string{"c1/100/comment", "c1/100/follow", "c1/100/like", "c2/100/follow"})
	same(t, "Engagements of the other workspace", list("v", "", ""), []string{"c1/100/follow"})
	same(t, "Engagements of a missing lead", list("w", "c1", "999"), nil)

	same(t, "EngageTallies", tallies("w", "c1"), []store.EngageTally{
		{CampaignID: "c1", AccountID: "a1", Step: store.EngageComment, State: store.EngageDone, N: 1},
		{CampaignID: "c1", AccountID: "a1", Step: store.EngageFollow, State: store.EngageDone, N: 1},
		{CampaignID: "c1", AccountID: "a1", Step: store.EngageLike, State: store.EngageSkipped, N: 1},
		{CampaignID: "c1", AccountID: "a2", Step: store.EngageFollow, State: store.EngageRequested, N: 1},
	})

	// A step put again replaces its outcome and moves its tally; one put
	// unchanged counts once.
	redone := engagement("w", "c1", "100", store.EngageFollow, "a3", store.EngageFailed)
	redone.Reason, redone.InDoubt = "503", true
	put(redone, engagement("w", "c1", "200", store.EngageFollow, "a2", store.EngageRequested))
	same(t, "a step put again", read(t, db, func(tx Engagements) ([]store.Engagement, error) { return tx.Engagements("w", "c1", "100") })[1], redone)
	same(t, "EngageTallies after changes", tallies("w", "c1"), []store.EngageTally{
		{CampaignID: "c1", AccountID: "a1", Step: store.EngageComment, State: store.EngageDone, N: 1},
		{CampaignID: "c1", AccountID: "a1", Step: store.EngageLike, State: store.EngageSkipped, N: 1},
		{CampaignID: "c1", AccountID: "a2", Step: store.EngageFollow, State: store.EngageRequested, N: 1},
		{CampaignID: "c1", AccountID: "a3", Step: store.EngageFollow, State: store.EngageFailed, N: 1},
	})
	same(t, "EngageTallies of the other workspace", tallies("v", "c1"), []store.EngageTally{
		{CampaignID: "c1", AccountID: "a1", Step: store.EngageFollow, State: store.EngageDone, N: 1},
	})

	// A rolled back put leaves the outcome and the tallies as they were.
	rolledBack(t, db, func(tx Engagements) error {
		return tx.PutEngagement(engagement("w", "c1", "200", store.EngageFollow, "a2", store.EngageDone))
	})
	same(t, "EngageTallies after a rollback", tallies("w", "c1")[2],
		store.EngageTally{CampaignID: "c1", AccountID: "a2", Step: store.EngageFollow, State: store.EngageRequested, N: 1})

	update(t, db, func(tx Engagements) error {
		if err := tx.PutEngagement(store.Engagement{Workspace: "w", CampaignID: "c1", Step: store.EngageLike}); err == nil {
			t.Error("PutEngagement of a record without a lead succeeded")
		}
		return nil
	})

	t.Run("daily counts", func(t *testing.T) {
		on := func(ws, account string, step store.EngageStep, day string) int {
			t.Helper()
			return read(t, db, func(tx Engagements) (int, error) { return tx.EngagedOn(ws, account, step, day) })
		}
		same(t, "EngagedOn of a day without any", on("w", "a1", store.EngageFollow, "2026-03-02"), 0)
		update(t, db, func(tx Engagements) error {
			for _, add := range []struct {
				ws   string
				step store.EngageStep
				day  string
				n    int
			}{
				{"w", store.EngageFollow, "2026-03-02", 1},
				{"w", store.EngageFollow, "2026-03-02", 2},
				{"w", store.EngageLike, "2026-03-02", 5},
				{"w", store.EngageFollow, "2026-03-03", 1},
				{"v", store.EngageFollow, "2026-03-02", 7},
			} {
				if err := tx.AddEngagedOn(add.ws, "a1", add.step, add.day, add.n); err != nil {
					return err
				}
			}
			return nil
		})
		same(t, "EngagedOn", on("w", "a1", store.EngageFollow, "2026-03-02"), 3)
		same(t, "EngagedOn of another step", on("w", "a1", store.EngageLike, "2026-03-02"), 5)
		same(t, "EngagedOn of another day", on("w", "a1", store.EngageFollow, "2026-03-03"), 1)
		same(t, "EngagedOn of another step with no count", on("w", "a1", store.EngageComment, "2026-03-02"), 0)
		same(t, "EngagedOn of another account", on("w", "a2", store.EngageFollow, "2026-03-02"), 0)
		same(t, "EngagedOn of the other workspace", on("v", "a1", store.EngageFollow, "2026-03-02"), 7)
	})
}
