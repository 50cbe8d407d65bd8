package engine

import (
	"strings"
	"testing"

	"github.com/outreachhq/outreach/core/store"
	"github.com/outreachhq/outreach/core/store/storetest"
)

// TestLeadWithoutAName: a lead whose display name is empty gets the
// neutral greeting, from {{firstName}} and from {{first_name}} alike.
func TestLeadWithoutAName(t *testing.T) {
	h := newHarness(t)
	acct := h.account("sales", h.known)
	src := h.source("s")
	nameless := h.x.addUser("nameless", "", 10)
	h.update(func(tx storetest.Tx) error {
		_, err := tx.AddSourceLead(ws, src.ID, leadFromUser(ws, nameless, h.clk.Now()))
		return err
	})
	h.campaign("c", []store.Source{src}, []store.Account{acct}, []store.Variant{{Message: "Hey {{first_name}}, quick question."}})
	h.runUntilIdle(h.engine())
	if got := h.x.dmsTo(nameless.ID); len(got) != 1 || got[0] != "Hey there, quick question." {
		t.Errorf("the nameless lead got %q; want one DM, \"Hey there, quick question.\"", got)
	}
}

// TestUnfilledPlaceholderIsNotSent: a campaign stored with a placeholder no
// lead fills (configuration and the API refuse one, but a record may
// predate that check) sends nothing with braces in it: each of its first
// DMs fails, saying why, and the rest of the engine goes on.
func TestUnfilledPlaceholderIsNotSent(t *testing.T) {
	h := newHarness(t)
	acct := h.account("sales", h.known)
	src := h.source("s")
	h.leads(src, 3)
	bad := h.campaign("bad", []store.Source{src}, []store.Account{acct}, []store.Variant{{Message: "Hi {{firstName}}, how is {{company}}?"}})
	other := h.source("other")
	h.leads(other, 2)
	good := h.campaign("good", []store.Source{other}, []store.Account{acct}, variants(1, false))
	h.runUntilIdle(h.engine())
	for _, c := range h.x.sendCalls {
		if strings.Contains(c.Text, "{{") {
			t.Errorf("sent %q", c.Text)
		}
	}
	for _, j := range h.campaignJobs(bad, store.JobDM) {
		if j.State != store.JobFailed || !strings.Contains(j.LastError, "{{company}}") {
			t.Errorf("job %s: %s (%q); want failed, naming {{company}}", j.ID, j.State, j.LastError)
		}
	}
	if n := len(h.eventsOf(Failed)); n != 3 {
		t.Errorf("%d Failed events; want 3", n)
	}
	for _, j := range h.campaignJobs(good, store.JobDM) {
		if j.State != store.JobDone {
			t.Errorf("job %s of the other campaign: %s; want done", j.ID, j.State)
		}
	}
}
