//go:build linux

package cli

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/outreachhq/outreach/core/message"
	"github.com/outreachhq/outreach/core/pluginhost/pluginhosttest"
	"github.com/outreachhq/outreach/core/store"
)

// stepsVariants and stepsFollowup are the messages of stepsConfig.
var (
	stepsVariants = []string{
		"Hey {{firstName}}, I saw you're building something.",
		"Hi {{firstName}}! What's the hardest part of building right now?",
	}
	stepsFollowup = "Just bumping this, {{firstName}}."
)

// stepsLeads is how many leads stepsConfig's campaign takes.
const stepsLeads = 100

// stepsConfig is a campaign of every step: it follows each lead, likes
// their latest post, sends a first DM and, a minute later, a follow-up,
// from two accounts with gaps of milliseconds.
var stepsConfig = fmt.Sprintf(`
settings {
  sandbox = true
}

account "sales" {
  handle         = "acme_sales"
  daily_dm_limit = 200
  pacing {
    min_gap = "1ms"
    max_gap = "2ms"
  }
}

account "founder" {
  handle         = "acme_founder"
  daily_dm_limit = 200
  pacing {
    min_gap = "1ms"
    max_gap = "2ms"
  }
}

source "people" {
  max_leads = %d
  target "paulg" {
    followers = true
  }
}

campaign "steps" {
  sources   = [source.people]
  max_leads = %d
  follow    = true
  like      = true
  variant {
    message = %q
  }
  variant {
    message = %q
  }
  followup {
    after   = "1m"
    message = %q
  }
}
`, stepsLeads+20, stepsLeads, stepsVariants[0], stepsVariants[1], stepsFollowup)

// xWrite is in the sandbox's log line of every write to X: a follow, a
// like, a DM.
const xWrite = "method=POST path=/2/"

// TestCrashEveryStep runs a campaign of every step (follow, like, first
// DM, a follow-up a minute later) with the built binary against `outreach
// sandbox --error-rate 0.05`, on rehearsal limits, with a 429 storm started
// mid-run, and SIGKILLs apply 20 times along the way before a last run
// goes to the end. Then it audits X through the simulator's own X
// endpoints: each account's DM events and following list.
func TestCrashEveryStep(t *testing.T) {
	if testing.Short() {
		t.Skip("crash test: builds outreach and runs it for a few minutes")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 8*time.Minute)
	defer cancel()

	bin := pluginhosttest.Build(t, "github.com/outreachhq/outreach/cmd/outreach", t.TempDir(), "outreach")
	sandbox, simURL := startSandbox(t, ctx, bin, "11",
		"--error-rate", "0.05", "--limits", "rehearsal", "--reply-rate", "0.3", "--reply-delay", "2s-90s")

	dir := t.TempDir()
	apply := []string{"apply", "-auto-approve", "--sandbox-url", simURL, "--data", dir, writeFile(t, "steps.hcl", stepsConfig)}
	const kills = 20
	inDoubt := 0
	for i := range kills {
		if i == kills/3 {
			// Every X call answers 429 for a while, from now: the accounts
			// hold until X's reset, then go on.
			postFaults(t, ctx, simURL, `{"rate_limit_storm": {"for": "4s"}}`)
		}
		// Kill as X takes the n-th write of the run, a different n each
		// time, so that kills land among follows, likes, first DMs and
		// follow-ups, between an intent and its outcome or just after.
		n := 2 + (i*7)%13
		before := sandbox.Stderr.Count(xWrite)
		p := startProcess(t, bin, apply...)
		if _, err := sandbox.Stderr.WaitFor(ctx, p.Exited(), xWrite, before+n); err != nil {
			t.Fatalf("run %d exited (or hung) before its %d-th write to X: %v\nstdout:\n%s\nstderr:\n%s", i+1, n, err, p.Stdout, p.Stderr)
		}
		p.Kill(t)
		if intentsLeft(t, dir) > 0 {
			inDoubt++
		}
	}
	t.Logf("%d of %d kills left an effect in doubt for the next run to settle", inDoubt, kills)
	final := runToEnd(t, ctx, bin, apply...)
	if out := final.Stdout.String(); strings.Contains(out, "Summary") {
		t.Logf("the last run's summary:\n%s", out[strings.Index(out, "Summary"):])
	}

	// The audit reads X without the faults.
	postFaults(t, ctx, simURL, `{"error_rate": 0}`)
	cs := storeAfterCrashes(t, dir, "campaign.steps", stepsLeads)
	checkEveryStep(t, cs, dmsOnX(t, ctx, simURL, cs.accounts), followingOnX(t, ctx, simURL, cs.accounts))
	sandbox.Stop(t)
}

// checkEveryStep compares X with the store:
//   - no lead got its first DM twice, and each DM came from the lead's
//     account, rendered from a variant or the follow-up for the lead;
//   - no follow-up went twice, before its first DM, or after the lead wrote
//     (a reply, an opt-out);
//   - every lead that got a DM is followed by the account that sent it, or
//     the store says why not (a cap, a protected lead's pending request).
//
// storeAfterCrashes has checked that every first DM has an outcome.
func checkEveryStep(t *testing.T, s crashStore, onX map[string][]xDM, following map[string]map[string]bool) {
	t.Helper()
	ours := map[string]bool{}
	for _, a := range s.accounts {
		ours[a.userID] = true
	}
	states := map[store.JobState]int{}
	var followups, followed int
	why := map[string]int{} // the reasons the store gives for leads not followed
	for _, j := range s.jobs {
		states[j.State]++
		lead, acct := s.leads[j.LeadID], s.accounts[j.AccountID]
		conv := onX[j.LeadID]
		delete(onX, j.LeadID)
		checkNothingAfterReply(t, j.LeadID, conv, ours)
		var firsts, ups int
		for _, dm := range conv {
			if !ours[dm.SenderID] {
				continue
			}
			if dm.SenderID != acct.userID {
				t.Errorf("lead %s: DM %s sent by %s, but the lead's account is @%s (%s)", j.LeadID, dm.ID, dm.SenderID, acct.handle, acct.userID)
			}
			switch {
			case isVariantOf(dm.Text, stepsVariants, lead):
				firsts++
			case dm.Text == message.Render(stepsFollowup, lead):
				if firsts == 0 {
					t.Errorf("lead %s: follow-up %s came before any first DM", j.LeadID, dm.ID)
				}
				ups++
			default:
				t.Errorf("lead %s: DM %q is neither a variant nor the follow-up rendered for the lead", j.LeadID, dm.Text)
			}
		}
		followups += ups
		if firsts > 1 || ups > 1 {
			t.Errorf("lead %s: X shows %d first DMs and %d follow-ups, want at most one each", j.LeadID, firsts, ups)
		}
		if want := map[store.JobState]int{store.JobDone: 1}[j.State]; firsts != want && (j.State != store.JobNeedsReview || firsts > 1) {
			t.Errorf("lead %s: first DM job %s, but X shows %d first DMs", j.LeadID, j.State, firsts)
		}
		if firsts == 0 {
			continue
		}
		if following[j.AccountID][j.LeadID] {
			followed++
			continue
		}
		e, ok := s.follows[j.LeadID]
		why[string(e.State)+": "+e.Reason]++
		switch {
		case !ok:
			t.Errorf("lead %s got a DM from @%s, who does not follow them, and the store says nothing of a follow", j.LeadID, acct.handle)
		case e.State == store.EngageDone:
			t.Errorf("lead %s: the store says @%s followed them, but X's following list does not show it", j.LeadID, acct.handle)
		case e.State != store.EngageRequested && e.Reason == "":
			t.Errorf("lead %s: follow %s with no reason", j.LeadID, e.State)
		}
	}
	for lead, dms := range onX {
		for _, dm := range dms {
			if ours[dm.SenderID] {
				t.Errorf("X shows DM %q to %s, who has no first-DM job", dm.Text, lead)
			}
		}
	}
	t.Logf("first DMs: %d done, %d skipped, %d failed, %d needs_review; %d follow-ups; %d leads followed; not followed: %v",
		states[store.JobDone], states[store.JobSkipped], states[store.JobFailed], states[store.JobNeedsReview], followups, followed, why)
	if followups == 0 {
		t.Error("no follow-up went out: the test did not exercise them")
	}
}

// followingOnX lists, through X's following endpoint, whom each account
// follows: by account id, the set of user ids.
func followingOnX(t *testing.T, ctx context.Context, base string, accounts map[string]xAccount) map[string]map[string]bool {
	t.Helper()
	out := map[string]map[string]bool{}
	for id, acct := range accounts {
		token, err := sandboxLogin(ctx, base, acct.handle)
		if err != nil {
			t.Fatal(err)
		}
		out[id] = map[string]bool{}
		var page struct {
			Data []struct{ ID string }
			Meta struct {
				NextToken string `json:"next_token"`
			}
		}
		for next := "start"; next != ""; next = page.Meta.NextToken {
			q := url.Values{"max_results": {"1000"}}
			if next != "start" {
				q.Set("pagination_token", next)
			}
			page.Data, page.Meta.NextToken = nil, ""
			getJSON(t, ctx, base+"/2/users/"+acct.userID+"/following?"+q.Encode(), token, &page)
			for _, u := range page.Data {
				out[id][u.ID] = true
			}
		}
	}
	return out
}

// postFaults changes the sandbox's faults in force.
func postFaults(t *testing.T, ctx context.Context, base, body string) {
	t.Helper()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, base+"/sandbox/v1/faults", bytes.NewBufferString(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("POST %s %s: status %d", req.URL, body, resp.StatusCode)
	}
}
