//go:build linux

package cli

import (
	"context"
	"net/url"
	"testing"
	"time"

	"github.com/outreachhq/outreach/core/pluginhost/pluginhosttest"
	"github.com/outreachhq/outreach/core/store"
	"github.com/outreachhq/outreach/core/store/bunt"
)

// engageCrashConfig is a small campaign that follows, likes and comments
// before each of its 10 first DMs, fast enough that kills land among them.
const engageCrashConfig = `
settings {
  sandbox = true
}

account "sales" {
  handle = "acme_sales"
  pacing {
    min_gap = "1ms"
    max_gap = "2ms"
  }
}

source "fans" {
  max_leads = 10
  target "paulg" {
    followers = true
  }
}

campaign "warm" {
  sources   = [source.fans]
  max_leads = 10
  message   = "Hi {{firstName}}, loved your latest post."
  follow    = true
  like      = true
  comment {
    template = "One friendly sentence"
  }
}
`

// commentAccepted is the sandbox's log of a post (a comment) X accepted.
const commentAccepted = "/2/tweets status=201"

// TestCrashCommentsAtMostOnce kills `outreach apply` with SIGKILL as X
// accepts a follow, a like or a comment (between the step's intent and
// its outcome, or just after), then runs it to the end. X must show at
// most one comment from the account on any post, each comment recorded as
// done matching one on X, every lead at most one first DM, and the store
// no intent without an outcome.
func TestCrashCommentsAtMostOnce(t *testing.T) {
	if testing.Short() {
		t.Skip("crash test: builds outreach and runs it for a few seconds")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()

	bin := pluginhosttest.Build(t, "github.com/outreachhq/outreach/cmd/outreach", t.TempDir(), "outreach")
	sandbox, simURL := startSandbox(t, ctx, bin, "3")

	dir := t.TempDir()
	apply := []string{"apply", "-auto-approve", "--sandbox-url", simURL, "--data", dir, writeFile(t, "warm.hcl", engageCrashConfig)}
	kills := []killPoint{
		{true, commentAccepted, 1},
		{true, "/following status=200", 1},
		{true, commentAccepted, 2},
		{true, "/likes status=200", 1},
		{true, commentAccepted, 1},
	}
	for i, kp := range kills {
		before := sandbox.Stderr.Count(kp.text)
		p := startProcess(t, bin, apply...)
		if _, err := sandbox.Stderr.WaitFor(ctx, p.Exited(), kp.text, before+kp.n); err != nil {
			t.Fatalf("run %d: no %d-th %q line on X: %v\nstdout:\n%s\nstderr:\n%s", i+1, kp.n, kp.text, err, p.Stdout, p.Stderr)
		}
		p.Kill(t)
		t.Logf("run %d: killed at %q #%d; %d intent(s) left without outcome", i+1, kp.text, kp.n, intentsLeft(t, dir))
	}
	final := startProcess(t, bin, apply...)
	select {
	case <-final.Exited():
	case <-ctx.Done():
		t.Fatalf("the last run did not finish: %v\nstdout:\n%s", ctx.Err(), final.Stdout)
	}
	if final.Err() != nil {
		t.Fatalf("the last run: %v\nstdout:\n%s\nstderr:\n%s", final.Err(), final.Stdout, final.Stderr)
	}

	comments, dms, acct := engagementAfterCrashes(t, dir)
	token, err := sandboxLogin(ctx, simURL, acct.handle)
	if err != nil {
		t.Fatal(err)
	}
	var timeline struct {
		Data []struct {
			ID   string
			Refs []struct{ Type, ID string } `json:"referenced_tweets"`
		}
	}
	q := url.Values{"max_results": {"100"}, "tweet.fields": {"referenced_tweets"}}
	getJSON(t, ctx, simURL+"/2/users/"+acct.userID+"/tweets?"+q.Encode(), token, &timeline)
	repliesTo := map[string][]string{} // post id -> our replies
	for _, p := range timeline.Data {
		for _, r := range p.Refs {
			if r.Type == "replied_to" {
				repliesTo[r.ID] = append(repliesTo[r.ID], p.ID)
			}
		}
	}
	for post, ids := range repliesTo {
		if len(ids) > 1 {
			t.Errorf("X shows %d comments from @%s on post %s: %v", len(ids), acct.handle, post, ids)
		}
	}
	done := 0
	for _, c := range comments {
		switch {
		case c.State == store.EngageDone:
			done++
			if ids := repliesTo[c.PostID]; len(ids) != 1 || ids[0] != c.CommentID {
				t.Errorf("lead %s: comment recorded as %s on %s; X shows %v", c.LeadID, c.CommentID, c.PostID, ids)
			}
		case c.State == store.EngageFailed && !c.InDoubt:
			if ids := repliesTo[c.PostID]; len(ids) != 0 {
				t.Errorf("lead %s: comment failed (%s), yet X shows %v", c.LeadID, c.Reason, ids)
			}
		}
	}
	if done == 0 {
		t.Error("no comment recorded as done")
	}
	onX := dmsOnX(t, ctx, simURL, map[string]xAccount{"": acct})
	for _, lead := range dms {
		if n := len(sentBy(onX[lead], acct.userID)); n > 1 {
			t.Errorf("lead %s got %d first DMs", lead, n)
		}
	}
	t.Logf("%d comments done of %d outcomes; %d comments on X", done, len(comments), len(repliesTo))
	sandbox.Stop(t)
	if left := pluginhosttest.Children(bin); len(left) > 0 {
		t.Errorf("child processes left: %v", left)
	}
}

// sentBy keeps the DMs a user id sent.
func sentBy(dms []xDM, id string) []xDM {
	var out []xDM
	for _, dm := range dms {
		if dm.SenderID == id {
			out = append(out, dm)
		}
	}
	return out
}

// engagementAfterCrashes opens the store after the last run and checks
// that no intent is left without an outcome and no job is pending. It
// returns the comment outcomes, the leads of the first DMs and the
// account.
func engagementAfterCrashes(t *testing.T, dir string) ([]store.Engagement, []string, xAccount) {
	t.Helper()
	st, err := bunt.Open(dir, "crash test")
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var (
		comments []store.Engagement
		leads    []string
		acct     xAccount
	)
	err = st.View(context.Background(), func(tx *bunt.Tx) error {
		intents, err := tx.ExpiredIntents(farFuture, 0)
		if err != nil {
			return err
		}
		for _, in := range intents {
			t.Errorf("intent of job %s (%s %s) has no outcome after the last run", in.JobID, in.Kind, in.Engage)
		}
		if n, err := tx.PendingJobs("default"); err != nil || n != 0 {
			t.Errorf("%d jobs pending after the last run (%v)", n, err)
		}
		c, err := tx.CampaignByAddress("default", "campaign.warm")
		if err != nil {
			return err
		}
		all, err := tx.Engagements("default", c.ID, "")
		if err != nil {
			return err
		}
		for _, e := range all {
			if e.Step == store.EngageComment {
				comments = append(comments, e)
			}
		}
		jobs, err := tx.Jobs("default", store.JobQuery{CampaignID: c.ID, Kind: store.JobDM})
		if err != nil {
			return err
		}
		for _, j := range jobs {
			leads = append(leads, j.LeadID)
		}
		a, err := tx.AccountByAddress("default", "account.sales")
		acct = xAccount{a.Handle, a.XUserID}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return comments, leads, acct
}
