package engine

import (
	"strings"
	"testing"
	"time"

	"github.com/outreachhq/outreach/core/store"
	"github.com/outreachhq/outreach/core/store/storetest"
)

// TestStrictPolicy: of two leads, one has written to the account before the
// campaign starts, on an account that has never read its DMs. Under the
// strict policy only that lead gets the first DM; the other's job ends
// skipped with the policy's reason, and no follow-up goes to anyone.
// Under the standard policy both get it, and the silent one a follow-up.
func TestStrictPolicy(t *testing.T) {
	tests := []struct {
		policy store.Policy
		// firstDMs and followups are what the lead who wrote first and the
		// other one receive.
		firstDMs, followups [2]int
	}{
		{policy: store.PolicyStrict, firstDMs: [2]int{1, 0}, followups: [2]int{0, 0}},
		// The one who wrote first has replied, so gets no follow-up.
		{policy: store.PolicyStandard, firstDMs: [2]int{1, 1}, followups: [2]int{0, 1}},
	}
	for _, tt := range tests {
		t.Run(string(tt.policy), func(t *testing.T) {
			t.Parallel()
			h := newHarness(t)
			acct := h.account("sales", func(a *store.Account) { a.DailyFollowLimit, a.DailyLikeLimit = 10, 10 })
			src := h.source("s")
			leads := h.leads(src, 2)
			h.x.deliver(leads[0].UserID, h.x.byName["sales"], "Hi, I saw your post: do you do audits?")
			h.clk.Advance(time.Minute)
			c := h.campaign("launch", []store.Source{src}, []store.Account{acct}, variants(1, true), func(c *store.Campaign) {
				c.Policy, c.Follow, c.Like = tt.policy, true, true
			})
			e := h.engine()
			h.runFor(e, 3*24*time.Hour, 10*time.Minute)

			for i, l := range leads {
				followups := 0
				for _, text := range h.x.dmsTo(l.UserID) {
					if strings.HasPrefix(text, "F") {
						followups++
					}
				}
				if got := h.x.firstDMsTo(l.UserID); got != tt.firstDMs[i] || followups != tt.followups[i] {
					t.Errorf("lead %d received %d first DMs and %d follow-ups; want %d and %d", i, got, followups, tt.firstDMs[i], tt.followups[i])
				}
			}
			// The lead who wrote first is engaged only under standard: strict
			// refuses automated follows and likes, with the reason stored.
			for _, step := range []store.EngageStep{store.EngageFollow, store.EngageLike} {
				got := h.engagements(c)[leads[0].UserID][step]
				want := "policy strict refuses " + map[store.EngageStep]string{store.EngageFollow: "follows", store.EngageLike: "likes"}[step]
				switch {
				case tt.policy == store.PolicyStrict && (got.State != store.EngageSkipped || !strings.HasPrefix(got.Reason, want)):
					t.Errorf("%s under strict: %s (%q); want skipped, %q...", step, got.State, got.Reason, want)
				case tt.policy == store.PolicyStandard && strings.HasPrefix(got.Reason, "policy"):
					t.Errorf("%s under standard: %s (%q)", step, got.State, got.Reason)
				case tt.policy == store.PolicyStandard && step == store.EngageFollow && got.State != store.EngageDone:
					t.Errorf("follow under standard: %s (%q), want done", got.State, got.Reason)
				}
			}
			if tt.policy != store.PolicyStrict {
				return
			}
			cold := h.job(store.DMJobID(c.ID, leads[1].UserID))
			if cold.State != store.JobSkipped || cold.LastError != "policy strict refuses cold DMs: first DMs go only to leads who messaged the account first" {
				t.Errorf("the cold lead's first DM is %s (%q); want skipped, with the policy's reason", cold.State, cold.LastError)
			}
			fu := h.job(store.FollowupJobID(c.ID, leads[0].UserID, 1))
			if fu.State != store.JobSkipped || !strings.HasPrefix(fu.LastError, "policy strict refuses follow-ups: ") {
				t.Errorf("the follow-up after the allowed first DM is %s (%q); want skipped, with the policy's reason", fu.State, fu.LastError)
			}
			if n, err := h.idle(); !n || err != nil {
				t.Errorf("jobs still pending (%v): a refused send must end, not wait", err)
			}
		})
	}
}

// TestStrictPolicyRefusesQueuedFollowup: a follow-up queued while the
// campaign was standard is skipped, not sent, once the campaign is strict.
func TestStrictPolicyRefusesQueuedFollowup(t *testing.T) {
	h := newHarness(t)
	acct := h.account("sales")
	src := h.source("s")
	lead := h.leads(src, 1)[0]
	c := h.campaign("launch", []store.Source{src}, []store.Account{acct}, variants(1, true))
	e := h.engine()
	h.runDue(e)
	id := store.FollowupJobID(c.ID, lead.UserID, 1)
	if j := h.job(id); j.State != store.JobPending {
		t.Fatalf("follow-up %s after the first DM; want pending", j.State)
	}
	h.update(func(tx storetest.Tx) error {
		cur, err := tx.Campaign(ws, c.ID)
		if err != nil {
			return err
		}
		cur.Policy = store.PolicyStrict
		return tx.PutCampaign(cur)
	})
	h.runFor(e, 2*24*time.Hour, 10*time.Minute)

	if got := h.x.dmsTo(lead.UserID); len(got) != 1 {
		t.Errorf("the lead received %q; want only the first DM", got)
	}
	if j := h.job(id); j.State != store.JobSkipped || !strings.HasPrefix(j.LastError, "policy strict refuses follow-ups: ") {
		t.Errorf("follow-up %s (%q); want skipped, with the policy's reason", j.State, j.LastError)
	}
}
