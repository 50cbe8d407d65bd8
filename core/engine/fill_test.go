package engine

import (
	"fmt"
	"testing"

	"github.com/outreachhq/outreach/core/message"
	"github.com/outreachhq/outreach/core/store"
	"github.com/outreachhq/outreach/core/store/storetest"
)

func TestFillAssignsEvenly(t *testing.T) {
	tests := []struct {
		name                      string
		leads, accounts, variants int
		maxLeads                  int
		// batch is how many leads arrive between fills (a scrape page).
		batch int
	}{
		{name: "25 leads over 3 accounts and 2 variants", leads: 25, accounts: 3, variants: 2, batch: 25},
		{name: "one account cycles 3 variants", leads: 10, accounts: 1, variants: 3, batch: 10},
		{name: "more accounts than leads", leads: 3, accounts: 5, variants: 2, batch: 3},
		{name: "max_leads stops assignment", leads: 40, accounts: 2, variants: 2, maxLeads: 15, batch: 40},
		{name: "leads arriving a page at a time", leads: 23, accounts: 3, variants: 2, batch: 4},
		{name: "no leads", leads: 0, accounts: 2, variants: 2, batch: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			var accounts []store.Account
			for i := range tt.accounts {
				accounts = append(accounts, h.account(fmt.Sprintf("acct%d", i)))
			}
			src := h.source("s")
			c := h.campaign("c", []store.Source{src}, accounts, variants(tt.variants, false), func(c *store.Campaign) { c.MaxLeads = tt.maxLeads })
			var leads []store.Lead
			queued := 0
			for len(leads) < tt.leads {
				leads = append(leads, h.leads(src, min(tt.batch, tt.leads-len(leads)))...)
				queued += h.fill(c.ID)
			}
			want := tt.leads
			if tt.maxLeads > 0 {
				want = min(want, tt.maxLeads)
			}
			jobs := h.campaignJobs(c, store.JobDM)
			if queued != want || len(jobs) != want {
				t.Fatalf("queued %d, %d first DM jobs; want %d", queued, len(jobs), want)
			}
			perLead := map[string]int{}
			perAccount := map[string]int{}
			perVariant := map[string]map[int]int{}
			for _, j := range jobs {
				perLead[j.LeadID]++
				perAccount[j.AccountID]++
				if perVariant[j.AccountID] == nil {
					perVariant[j.AccountID] = map[int]int{}
				}
				perVariant[j.AccountID][j.Variant]++
			}
			for id, n := range perLead {
				if n != 1 {
					t.Errorf("lead %s has %d first DM jobs", id, n)
				}
			}
			if tt.maxLeads == 0 && len(perLead) != tt.leads {
				t.Errorf("%d of %d leads got a first DM job", len(perLead), tt.leads)
			}
			for _, a := range accounts {
				if n := perAccount[a.ID]; n < want/tt.accounts || n > want/tt.accounts+1 {
					t.Errorf("@%s got %d leads of %d over %d accounts", a.Handle, n, want, tt.accounts)
				}
				lo, hi := want, 0
				for v := range tt.variants {
					lo, hi = min(lo, perVariant[a.ID][v]), max(hi, perVariant[a.ID][v])
				}
				if hi-lo > 1 {
					t.Errorf("@%s sends variants unevenly: %v", a.Handle, perVariant[a.ID])
				}
			}
			if n := h.fill(c.ID); n != 0 {
				t.Errorf("a second fill queued %d more jobs", n)
			}

			// What the leads see: each assigned lead gets exactly one first
			// DM, from the account and in the variant it was assigned.
			h.runUntilIdle(h.engine())
			byID := map[string]store.Lead{}
			for _, l := range leads {
				byID[l.UserID] = l
			}
			for _, j := range jobs {
				got := h.x.dmsTo(j.LeadID)
				wantText := message.Render(c.Variants[j.Variant].Message, byID[j.LeadID])
				if len(got) != 1 || got[0] != wantText {
					t.Errorf("lead %s received %q; want exactly %q", j.LeadID, got, wantText)
				}
			}
			for _, a := range accounts {
				if n := len(h.sendsBy(a.Handle)); n != perAccount[a.ID] {
					t.Errorf("@%s sent %d DMs; assigned %d", a.Handle, n, perAccount[a.ID])
				}
			}
			if n := len(h.x.sendCalls); n != want {
				t.Errorf("%d DMs sent in all; want %d", n, want)
			}
		})
	}
}

func TestFillDedupeAcrossCampaigns(t *testing.T) {
	tests := []struct {
		name string
		// secondDedupe is campaign B's Dedupe setting.
		secondDedupe bool
		// dnc puts the first lead on the do-not-contact list before filling.
		dnc           bool
		wantA, wantB  int
		wantFirstDMs  int // per lead that is not on the list
		wantDNCFirsts int
	}{
		{name: "B skips leads A claimed", secondDedupe: true, wantA: 6, wantB: 0, wantFirstDMs: 1},
		{name: "B opts out of dedupe", secondDedupe: false, wantA: 6, wantB: 6, wantFirstDMs: 2},
		{name: "do-not-contact leads are skipped", secondDedupe: false, dnc: true, wantA: 5, wantB: 5, wantFirstDMs: 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			acct := h.account("sales")
			src := h.source("s")
			leads := h.leads(src, 6)
			if tt.dnc {
				h.update(func(tx storetest.Tx) error { return tx.AddDoNotContact(ws, leads[0].UserID, "asked") })
			}
			a := h.campaign("a", []store.Source{src}, []store.Account{acct}, variants(1, false))
			b := h.campaign("b", []store.Source{src}, []store.Account{acct}, variants(1, false), func(c *store.Campaign) { c.Dedupe = tt.secondDedupe })
			if n := len(h.campaignJobs(a, store.JobDM)); n != tt.wantA {
				t.Errorf("campaign a queued %d; want %d", n, tt.wantA)
			}
			if n := len(h.campaignJobs(b, store.JobDM)); n != tt.wantB {
				t.Errorf("campaign b queued %d; want %d", n, tt.wantB)
			}
			h.runUntilIdle(h.engine())
			for i, l := range leads {
				want := tt.wantFirstDMs
				if tt.dnc && i == 0 {
					want = 0
				}
				if got := h.x.firstDMsTo(l.UserID); got != want {
					t.Errorf("lead %d got %d first DMs; want %d", i, got, want)
				}
			}
		})
	}
}

// TestDedupeKeepsTheFirstClaim: a lead DMed by a campaign that opts out of
// dedupe still counts as claimed by the first campaign; a third campaign
// that dedupes skips it either way.
func TestDedupeKeepsTheFirstClaim(t *testing.T) {
	h := newHarness(t)
	acct := h.account("sales")
	src := h.source("s")
	leads := h.leads(src, 2)
	h.campaign("a", []store.Source{src}, []store.Account{acct}, variants(1, false))
	h.campaign("b", []store.Source{src}, []store.Account{acct}, variants(1, false), func(c *store.Campaign) { c.Dedupe = false })
	c := h.campaign("c", []store.Source{src}, []store.Account{acct}, variants(1, false))
	if n := len(h.campaignJobs(c, store.JobDM)); n != 0 {
		t.Errorf("campaign c queued %d leads already cold-messaged", n)
	}
	h.view(func(tx storetest.Tx) error {
		for _, l := range leads {
			if by, err := tx.ContactedBy(ws, l.UserID); err != nil || by != "camp-a" {
				t.Errorf("lead %s contacted by %q (%v); want the first campaign, camp-a", l.UserID, by, err)
			}
		}
		return nil
	})
}

// TestFillFollowsWeights: each account sends each variant in
// proportion to its weight, without randomness, spread through the
// campaign rather than bunched; a weight of 0 (a record from before
// weights) counts as 1.
func TestFillFollowsWeights(t *testing.T) {
	tests := []struct {
		name    string
		weights []int
		leads   int
		// want is each account's leads per variant, give or take one.
		want []int
	}{
		{name: "3:1 over 400 leads", weights: []int{3, 1}, leads: 400, want: []int{150, 50}},
		{name: "70:30", weights: []int{70, 30}, leads: 400, want: []int{140, 60}},
		{name: "1:2:1", weights: []int{1, 2, 1}, leads: 80, want: []int{10, 20, 10}},
		{name: "0 counts as 1", weights: []int{0, 1}, leads: 40, want: []int{10, 10}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t)
			accounts := []store.Account{h.account("sales"), h.account("growth")}
			src := h.source("s")
			h.leads(src, tt.leads)
			vs := variants(len(tt.weights), false)
			for i, w := range tt.weights {
				vs[i].Weight = w
			}
			c := h.campaign("c", []store.Source{src}, accounts, vs)
			total := 0
			for _, w := range tt.weights {
				total += max(w, 1)
			}
			// Lead ids have as many digits each, so jobs come in the order
			// their leads were assigned.
			got := map[string][]int{}
			for _, j := range h.campaignJobs(c, store.JobDM) {
				if got[j.AccountID] == nil {
					got[j.AccountID] = make([]int, len(tt.weights))
				}
				got[j.AccountID][j.Variant]++
				// At any point of the campaign the split so far is within
				// one lead of the weights: variants are spread, not bunched.
				n := 0
				for _, k := range got[j.AccountID] {
					n += k
				}
				for v, k := range got[j.AccountID] {
					if exact := float64(n*max(tt.weights[v], 1)) / float64(total); float64(k) < exact-1 || float64(k) > exact+1 {
						t.Fatalf("after %d leads an account has sent variants %v; want within one of the weights %v", n, got[j.AccountID], tt.weights)
					}
				}
			}
			for _, a := range accounts {
				for v, want := range tt.want {
					if n := got[a.ID][v]; n < want-1 || n > want+1 {
						t.Errorf("@%s: variants %v; want %v, each give or take one", a.Handle, got[a.ID], tt.want)
						break
					}
				}
			}
		})
	}
}
