//go:build linux

package cli

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/outreachhq/outreach/core/message"
	"github.com/outreachhq/outreach/core/pluginhost/pluginhosttest"
	"github.com/outreachhq/outreach/core/store"
	"github.com/outreachhq/outreach/core/store/bunt"
)

// crashVariants are the campaign's messages in crashConfig, in order.
var crashVariants = []string{
	"Hey {{firstName}}, I saw you're building something.",
	"Hi {{firstName}}! What's the hardest part of building right now?",
}

// crashConfig is a small campaign that sends its 20 first DMs in well under
// a second, so that kills land among them. It has no follow-up: the
// shortest one the config accepts waits a minute of real time, more than
// this test may take.
var crashConfig = fmt.Sprintf(`
settings {
  sandbox = true
}

account "sales" {
  handle         = "acme_sales"
  daily_dm_limit = 50
  pacing {
    min_gap = "1ms"
    max_gap = "2ms"
  }
}

account "founder" {
  handle         = "acme_founder"
  daily_dm_limit = 50
  pacing {
    min_gap = "1ms"
    max_gap = "2ms"
  }
}

filter "builders" {
  include_keywords = [["founder"], ["ceo"], ["building"]]
  followers        = { min = 50, max = 100000 }
}

source "founders" {
  filter    = filter.builders
  max_leads = 30
  target "paulg" {
    followers = true
  }
}

campaign "crash" {
  sources   = [source.founders]
  max_leads = %d
  variant {
    message = %q
  }
  variant {
    message = %q
  }
}
`, crashLeads, crashVariants[0], crashVariants[1])

const crashLeads = 20

// killPoint is where a run of apply is killed: as soon as the run has made
// its n-th line containing text appear, on its own stdout or, with onX, in
// the simulated X's request log. A DM that X has just answered is one apply
// has not recorded yet: the kill lands between intent and outcome, or just
// after the outcome.
type killPoint struct {
	onX  bool
	text string
	n    int
}

// dmAccepted is the sandbox's log of a DM that X accepted.
const dmAccepted = "/messages status=201"

// TestCrashFirstDMsAtMostOnce runs `outreach apply` against `outreach
// sandbox` (the simulated X in a process of its own, so that it outlives
// the crashes), kills apply with SIGKILL at several points of a campaign,
// then runs it to the end. X must show every lead at most one first DM,
// rendered from a campaign variant, and the store no intent without an
// outcome (invariants 1 and 2).
func TestCrashFirstDMsAtMostOnce(t *testing.T) {
	if testing.Short() {
		t.Skip("crash test: builds outreach and runs it for a few seconds")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()

	bin := pluginhosttest.Build(t, "github.com/outreachhq/outreach/cmd/outreach", t.TempDir(), "outreach")
	sandbox, simURL := startSandbox(t, ctx, bin, "3")

	dir := t.TempDir()
	apply := []string{"apply", "-auto-approve", "--sandbox-url", simURL, "--data", dir, writeFile(t, "crash.hcl", crashConfig)}
	kills := []killPoint{
		{false, "scrape founders:", 1}, // while leads are queued
		{true, dmAccepted, 1},
		{false, "first DM", 2}, // an outcome was just recorded
		{true, dmAccepted, 3},
		{true, dmAccepted, 2},
	}
	inDoubt := 0
	for i, kp := range kills {
		before := sandbox.Stderr.Count(kp.text)
		p := startProcess(t, bin, apply...)
		var err error
		if kp.onX {
			_, err = sandbox.Stderr.WaitFor(ctx, p.Exited(), kp.text, before+kp.n)
		} else {
			_, err = p.Stdout.WaitFor(ctx, p.Exited(), kp.text, kp.n)
		}
		if err != nil {
			t.Fatalf("run %d: no %d-th %q line: %v\nstdout:\n%s\nstderr:\n%s", i+1, kp.n, kp.text, err, p.Stdout, p.Stderr)
		}
		p.Kill(t)
		where := "apply's output"
		if kp.onX {
			where = "X's log"
		}
		n := intentsLeft(t, dir)
		if n > 0 {
			inDoubt++
		}
		t.Logf("run %d: killed at %q #%d in %s; %d intent(s) left without outcome", i+1, kp.text, kp.n, where, n)
	}
	// Timing decides whether a kill lands inside a send; say so when none
	// did, since recovery then went untested.
	t.Logf("%d of %d kills left a send in doubt for the next run to resolve", inDoubt, len(kills))
	runToEnd(t, ctx, bin, apply...)

	cs := storeAfterCrashes(t, dir, "campaign.crash", crashLeads)
	jobs, leads, accounts := cs.jobs, cs.leads, cs.accounts
	sent := dmsOnX(t, ctx, simURL, accounts)
	checkFirstDMs(t, jobs, leads, accounts, sent)

	sandbox.Stop(t)
	if left := pluginhosttest.Children(bin); len(left) > 0 {
		t.Errorf("child processes left: %v", left)
	}
}

// runToEnd runs apply (args) until it exits, and checks that it ended
// well, with its summary.
func runToEnd(t *testing.T, ctx context.Context, bin string, args ...string) *pluginhosttest.Process {
	t.Helper()
	final := startProcess(t, bin, args...)
	select {
	case <-final.Exited():
	case <-ctx.Done():
		t.Fatalf("the last run did not finish: %v\nstdout:\n%s", ctx.Err(), final.Stdout)
	}
	if final.Err() != nil || !strings.Contains(final.Stdout.String(), "Summary") {
		t.Fatalf("the last run: %v\nstdout:\n%s\nstderr:\n%s", final.Err(), final.Stdout, final.Stderr)
	}
	return final
}

// startSandbox starts `outreach sandbox` on a loopback port (the simulated
// X in a process of its own, so that it outlives apply's crashes), logging
// every request, with seed and args, and returns it and its URL.
func startSandbox(t *testing.T, ctx context.Context, bin, seed string, args ...string) (*pluginhosttest.Process, string) {
	t.Helper()
	p := startProcess(t, bin, append([]string{"sandbox", "--addr", "127.0.0.1:0", "--seed", seed, "--log-level", "debug"}, args...)...)
	return p, p.Address(t, ctx, "http://127.0.0.1:")
}

// isolatedEnv keeps the built binary the tests run from the machine's
// data dir, store and key.
var isolatedEnv = []string{"OUTREACH_DATA=", "OUTREACH_STORE=", "OUTREACH_SECRET_KEY="}

// startProcess starts the built binary with args, as pluginhosttest.Start
// does, in isolatedEnv.
func startProcess(t testing.TB, bin string, args ...string) *pluginhosttest.Process {
	t.Helper()
	return pluginhosttest.Start(t, bin, isolatedEnv, args...)
}

// xAccount is a sending account as X knows it.
type xAccount struct{ handle, userID string }

// crashStore is what the store holds after the last run of a crash test:
// a campaign's first-DM jobs, their leads and accounts by id, and the
// outcome of each lead's follow (if the campaign follows), by lead id.
type crashStore struct {
	jobs     []store.Job
	leads    map[string]store.Lead
	accounts map[string]xAccount
	follows  map[string]store.Engagement
}

// storeAfterCrashes opens the store after the last run and checks that no
// intent is left without an outcome, no job is pending, the campaign at
// address has want first-DM jobs, and each has an outcome: done, failed
// or skipped with its reason, or parked for review.
func storeAfterCrashes(t *testing.T, dir, address string, want int) crashStore {
	t.Helper()
	st, err := bunt.Open(dir, "crash test")
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	out := crashStore{leads: map[string]store.Lead{}, accounts: map[string]xAccount{}, follows: map[string]store.Engagement{}}
	err = st.View(context.Background(), func(tx *bunt.Tx) error {
		intents, err := tx.ExpiredIntents(farFuture, 0)
		if err != nil {
			return err
		}
		for _, in := range intents {
			t.Errorf("intent of job %s (%s to %s) has no outcome after the last run", in.JobID, in.Kind, in.RecipientID)
		}
		pending, err := tx.Jobs("default", store.JobQuery{State: store.JobPending})
		if err != nil {
			return err
		}
		for _, j := range pending {
			t.Errorf("job %s (%s) is still pending after the last run", j.ID, j.Kind)
		}
		c, err := tx.CampaignByAddress("default", address)
		if err != nil {
			return err
		}
		if out.jobs, err = tx.Jobs("default", store.JobQuery{CampaignID: c.ID, Kind: store.JobDM}); err != nil {
			return err
		}
		for _, j := range out.jobs {
			if out.leads[j.LeadID], err = tx.Lead(j.Workspace, j.LeadID); err != nil {
				return err
			}
			a, err := tx.Account(j.Workspace, j.AccountID)
			if err != nil {
				return err
			}
			out.accounts[a.ID] = xAccount{a.Handle, a.XUserID}
			es, err := tx.Engagements(j.Workspace, c.ID, j.LeadID)
			if err != nil {
				return err
			}
			for _, e := range es {
				if e.Step == store.EngageFollow {
					out.follows[j.LeadID] = e
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.jobs) != want {
		t.Errorf("%d first-DM jobs, want the campaign's max_leads, %d", len(out.jobs), want)
	}
	for _, j := range out.jobs {
		switch j.State {
		case store.JobDone, store.JobNeedsReview:
		case store.JobSkipped, store.JobFailed:
			if j.LastError == "" {
				t.Errorf("first DM %s ended %s with no reason", j.ID, j.State)
			}
		default:
			t.Errorf("first DM %s ended %s, want done, skipped, failed or needs_review", j.ID, j.State)
		}
	}
	return out
}

// xDM is a DM as the simulated X lists it, with when X took it.
type xDM struct {
	ID, Text, SenderID, Conversation string
	At                               time.Time
}

// dmsOnX signs every account in to the simulated X through its login
// endpoint and lists, through X's own endpoints, its conversations by the
// other participant (the lead), each oldest first, replies included.
func dmsOnX(t *testing.T, ctx context.Context, base string, accounts map[string]xAccount) map[string][]xDM {
	t.Helper()
	out := map[string][]xDM{}
	for _, acct := range accounts {
		token, err := sandboxLogin(ctx, base, acct.handle)
		if err != nil {
			t.Fatal(err)
		}
		var page struct {
			Data []struct {
				ID, Text  string
				SenderID  string `json:"sender_id"`
				ConvID    string `json:"dm_conversation_id"`
				CreatedAt string `json:"created_at"`
			}
			Meta struct {
				NextToken string `json:"next_token"`
			}
		}
		for next := "start"; next != ""; next = page.Meta.NextToken {
			q := url.Values{"dm_event.fields": {"id,text,sender_id,dm_conversation_id,created_at"}, "max_results": {"100"}}
			if next != "start" {
				q.Set("pagination_token", next)
			}
			page.Data, page.Meta.NextToken = nil, ""
			getJSON(t, ctx, base+"/2/dm_events?"+q.Encode(), token, &page)
			for _, ev := range page.Data {
				at, err := time.Parse(time.RFC3339Nano, ev.CreatedAt)
				if err != nil {
					t.Fatalf("DM %s: created_at %q: %v", ev.ID, ev.CreatedAt, err)
				}
				a, b, _ := strings.Cut(ev.ConvID, "-")
				lead := a
				if a == acct.userID {
					lead = b
				}
				out[lead] = append(out[lead], xDM{ev.ID, ev.Text, ev.SenderID, ev.ConvID, at})
			}
		}
	}
	// X lists newest first, and events of one millisecond in either order:
	// sort by time, keeping X's order (reversed) within a millisecond.
	for _, conv := range out {
		slices.Reverse(conv)
		slices.SortStableFunc(conv, func(a, b xDM) int { return a.At.Compare(b.At) })
	}
	return out
}

// checkFirstDMs compares what X shows with the store: a lead whose first DM
// is done got exactly one DM, from its account, in one of the campaign's
// variants rendered for it; a failed one got none; one parked for review
// got at most one; nobody else got any; and nothing was sent to a lead
// after they replied.
func checkFirstDMs(t *testing.T, jobs []store.Job, leads map[string]store.Lead, accounts map[string]xAccount, onX map[string][]xDM) {
	t.Helper()
	ours := map[string]bool{}
	for _, acct := range accounts {
		ours[acct.userID] = true
	}
	states := map[store.JobState]int{}
	replied := 0
	for _, j := range jobs {
		states[j.State]++
		if slices.ContainsFunc(onX[j.LeadID], func(dm xDM) bool { return !ours[dm.SenderID] }) {
			replied++
		}
		var sent []xDM
		for _, dm := range onX[j.LeadID] {
			if ours[dm.SenderID] {
				sent = append(sent, dm)
			}
		}
		checkNothingAfterReply(t, j.LeadID, onX[j.LeadID], ours)
		delete(onX, j.LeadID)
		want := map[store.JobState]int{store.JobDone: 1, store.JobFailed: 0}[j.State]
		if len(sent) != want && (j.State != store.JobNeedsReview || len(sent) > 1) {
			t.Errorf("lead %s (job %s): X shows %d DMs from our accounts: %+v", j.LeadID, j.State, len(sent), sent)
		}
		for _, dm := range sent {
			if acct := accounts[j.AccountID]; dm.SenderID != acct.userID {
				t.Errorf("lead %s: DM %s sent by %s, but the job's account is @%s (%s)", j.LeadID, dm.ID, dm.SenderID, acct.handle, acct.userID)
			}
			if !isVariantOf(dm.Text, crashVariants, leads[j.LeadID]) {
				t.Errorf("lead %s: DM %q is no campaign variant rendered for the lead", j.LeadID, dm.Text)
			}
		}
	}
	for lead, dms := range onX {
		for _, dm := range dms {
			if ours[dm.SenderID] {
				t.Errorf("X shows DM %q to %s, who has no first-DM job", dm.Text, lead)
			}
		}
	}
	t.Logf("first DMs: %d done, %d failed, %d needs_review; %d leads replied on X",
		states[store.JobDone], states[store.JobFailed], states[store.JobNeedsReview], replied)
}

// checkNothingAfterReply fails if an account sent anything to the lead
// after the lead's first reply (a follow-up a reply should have stopped).
func checkNothingAfterReply(t *testing.T, lead string, conv []xDM, ours map[string]bool) {
	t.Helper()
	replied := false
	for _, dm := range conv {
		switch {
		case !ours[dm.SenderID]:
			replied = true
		case replied:
			t.Errorf("lead %s: DM %s %q was sent after the lead replied", lead, dm.ID, dm.Text)
		}
	}
}

// isVariantOf reports whether text is one of variants rendered for l.
func isVariantOf(text string, variants []string, l store.Lead) bool {
	for _, v := range variants {
		if text == message.Render(v, l) {
			return true
		}
	}
	return false
}

// farFuture is a time every lease has expired by: intents whose lease
// expired by then are every intent.
var farFuture = time.Date(9000, 1, 1, 0, 0, 0, 0, time.UTC)

// intentsLeft counts the intents a killed run left without an outcome.
func intentsLeft(t *testing.T, dir string) int {
	t.Helper()
	st, err := bunt.Open(dir, "crash test")
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var n int
	err = st.View(context.Background(), func(tx *bunt.Tx) error {
		in, err := tx.ExpiredIntents(farFuture, 0)
		n = len(in)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}
