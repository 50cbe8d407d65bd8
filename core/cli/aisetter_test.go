package cli

import (
	"context"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/outreachhq/outreach/core/service"
	"github.com/outreachhq/outreach/core/store"
	"github.com/outreachhq/outreach/plugins/x/xsim"
)

// TestAISetterOnSandbox runs examples/ai-setter.hcl, as a user would, on a
// simulated X whose first prospects play scripted conversations, with the
// built-in ai plugin working offline out of process. Each apply runs what
// is due and reads the replies; the clock then moves on, as a day of
// `outreach serve` would. It checks, from the simulator itself, that every
// lead's post got a comment (a reply to the post), that interested and
// curious leads got automatic answers, that nothing followed a no, an
// opt-out or a request for a call, a price or a demo, and, from the store,
// that those requests left their conversations tagged engaged.
func TestAISetterOnSandbox(t *testing.T) {
	clk := newClock()
	sim := xsim.New(xsim.Options{Clock: clk})
	if err := sim.Start("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sim.Close() })
	ctx := context.Background()
	token, err := sandboxLogin(ctx, sim.URL(), "acme_sales")
	if err != nil {
		t.Fatal(err)
	}
	leads := firstFollowers(t, sim, token, "paulg", 8)

	type script = []xsim.Intent
	scripts := map[string]script{
		// Interested, then asks for a call: one answer, then a hand-off.
		leads[0]: {xsim.IntentInterested, xsim.IntentAskCall, xsim.IntentInterested},
		// Curious, interested, then asks the price: two answers (the
		// most), then a hand-off.
		leads[1]: {xsim.IntentQuestion, xsim.IntentInterested, xsim.IntentAskPrice},
		// The scripts play on after a no or an opt-out if anyone wrote:
		// a second reply would show that someone did.
		leads[2]: {xsim.IntentNo, xsim.IntentInterested},
		leads[3]: {xsim.IntentOptOut, xsim.IntentInterested},
		leads[4]: {xsim.IntentInterested, xsim.IntentNo, xsim.IntentInterested},
		// Keeps being interested: max_answers = 2 answers, no more.
		leads[5]: {xsim.IntentInterested, xsim.IntentInterested, xsim.IntentInterested, xsim.IntentInterested},
		// Asks for a demo at once: handed off with no answer.
		leads[6]: {xsim.IntentAskDemo, xsim.IntentInterested},
	}
	faults := xsim.Faults{Prospects: map[string]xsim.ProspectScript{}, ReplyRate: new(float64)}
	for h, s := range scripts {
		faults.Prospects[h] = xsim.ProspectScript{Intents: s, Delay: 30 * time.Second}
	}
	if err := sim.SetFaults(faults); err != nil {
		t.Fatal(err)
	}

	dir := t.TempDir()
	for run := range 5 {
		code, out, errOut := runCLI(t, clk, "apply", "-auto-approve", "--data", dir, "--sandbox-url", sim.URL(), "../../examples/ai-setter.hcl")
		if code != 0 {
			t.Fatalf("apply %d exited %d\nstdout:\n%s\nstderr:\n%s", run+1, code, out, errOut)
		}
		if run == 4 && !strings.Contains(out, "AI setter") {
			t.Errorf("apply's summary has no AI setter section:\n%s", out)
		}
		clk.Advance(10 * time.Minute)
	}

	// What the prospects said, and what the account sent after it.
	byLead := map[string][]xsim.ProspectReply{}
	for _, r := range sim.ProspectReplies() {
		if r.AccountUsername == "acme_sales" {
			byLead[r.ProspectUsername] = append(byLead[r.ProspectUsername], r)
		}
	}
	for h, s := range scripts {
		for _, r := range byLead[h] {
			switch r.Intent {
			case xsim.IntentNo, xsim.IntentOptOut, xsim.IntentAskCall, xsim.IntentAskPrice, xsim.IntentAskDemo:
				if r.LaterMessagesFromAccount != 0 {
					t.Errorf("@%s (script %v) said %q (%s); the account sent %d messages after it, want none", h, s, r.Text, r.Intent, r.LaterMessagesFromAccount)
				}
			}
		}
	}
	// Replies to the account's messages, turn by turn: how far each
	// script got tells how many answers went out.
	wantTurns := map[string]int{leads[0]: 2, leads[1]: 3, leads[2]: 1, leads[3]: 1, leads[4]: 2, leads[5]: 3, leads[6]: 1}
	for h, want := range wantTurns {
		if got := len(byLead[h]); got != want {
			t.Errorf("@%s (script %v) replied %d times; want %d: %+v", h, scripts[h], got, want, byLead[h])
		}
	}

	b := openData(t, dir)
	defer b.Close()
	page, err := b.svc.ListConversations(ctx, "default", store.ConversationQuery{}, false)
	if err != nil {
		t.Fatal(err)
	}
	convs := map[string]store.Conversation{}
	for _, c := range page.Conversations {
		convs[c.Lead.Username] = c.Conversation
	}
	want := map[string]struct {
		answers int
		engaged bool
	}{
		leads[0]: {1, true}, leads[1]: {2, true}, leads[2]: {0, false}, leads[3]: {0, false},
		leads[4]: {1, false}, leads[5]: {2, false}, leads[6]: {0, true},
	}
	for h, w := range want {
		c, ok := convs[h]
		if !ok {
			t.Errorf("no conversation with @%s: the campaign did not reach the scripted lead", h)
			continue
		}
		if c.AutoAnswers != w.answers || c.HandedOff != w.engaged || (c.CRM.Tag == "engaged") != w.engaged {
			t.Errorf("@%s (script %v): %d automatic answers, handed off %v, tag %q; want %d answers, handed off and tagged engaged: %v",
				h, scripts[h], c.AutoAnswers, c.HandedOff, c.CRM.Tag, w.answers, w.engaged)
		}
	}
	entries, _, err := b.svc.DoNotContacts(ctx, "default", 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(entries, func(e service.DoNotContactEntry) bool { return e.UserID == convs[leads[3]].LeadID }) {
		t.Errorf("@%s opted out, but is not on the do-not-contact list: %+v", leads[3], entries)
	}

	// Comments: the account's replies to each lead's latest post, on X.
	replies := repliedTo(t, sim, token, "acme_sales")
	for _, c := range page.Conversations {
		if post := latestPost(t, sim, token, c.LeadID); post == "" || !slices.Contains(replies, post) {
			t.Errorf("no comment by @acme_sales on the latest post (%q) of @%s", post, c.Lead.Username)
		}
	}
	if len(replies) != len(page.Conversations) {
		t.Errorf("@acme_sales replied to %d posts; want one per lead, %d", len(replies), len(page.Conversations))
	}
}

// firstFollowers returns the usernames of the first n followers of handle,
// in the order a scrape reads them.
func firstFollowers(t *testing.T, sim *xsim.Sim, token, handle string, n int) []string {
	t.Helper()
	u, ok := sim.UserByUsername(handle)
	if !ok {
		t.Fatalf("no simulated @%s", handle)
	}
	var page struct {
		Data []struct{ Username string } `json:"data"`
	}
	getJSON(t, context.Background(), sim.URL()+"/2/users/"+u.ID+"/followers?max_results="+strconv.Itoa(n), token, &page)
	if len(page.Data) < n {
		t.Fatalf("@%s has %d followers; want %d", handle, len(page.Data), n)
	}
	var out []string
	for _, f := range page.Data[:n] {
		out = append(out, f.Username)
	}
	return out
}

// repliedTo returns the ids of the posts the account's posts reply to, on
// the simulated X.
func repliedTo(t *testing.T, sim *xsim.Sim, token, handle string) []string {
	t.Helper()
	me, _ := sim.UserByUsername(handle)
	var page struct {
		Data []struct {
			ReferencedTweets []struct{ Type, ID string } `json:"referenced_tweets"`
		} `json:"data"`
	}
	q := url.Values{"max_results": {"100"}, "tweet.fields": {"referenced_tweets"}}
	getJSON(t, context.Background(), sim.URL()+"/2/users/"+me.ID+"/tweets?"+q.Encode(), token, &page)
	var out []string
	for _, p := range page.Data {
		for _, r := range p.ReferencedTweets {
			if r.Type == "replied_to" {
				out = append(out, r.ID)
			}
		}
	}
	return out
}

// latestPost returns the id of a user's latest post on the simulated X.
func latestPost(t *testing.T, sim *xsim.Sim, token, userID string) string {
	t.Helper()
	var page struct {
		Data []struct{ ID string } `json:"data"`
	}
	getJSON(t, context.Background(), sim.URL()+"/2/users/"+userID+"/tweets?max_results=5", token, &page)
	if len(page.Data) == 0 {
		return ""
	}
	return page.Data[0].ID
}
