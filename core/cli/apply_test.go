package cli

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/outreachhq/outreach/core/clock"
	"github.com/outreachhq/outreach/core/service"
	"github.com/outreachhq/outreach/core/store"
)

const quickstart = "../../examples/quickstart.hcl"

// runCLI runs the command line in-process with a virtual clock (so a
// one-minute follow-up takes no real time) and the test binary as the
// plugin executable (so plugins run out of process over go-plugin).
func runCLI(t *testing.T, clk clock.Clock, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := Run(context.Background(), args, Options{
		Stdin: strings.NewReader(""), Stdout: &stdout, Stderr: &stderr,
		Clock: clk, PluginCommand: testPluginCommand, Seed: 42,
	})
	return code, stdout.String(), stderr.String()
}

// openData opens a store (a data dir or a postgres:// URL) as the
// commands do, for a test to look into.
func openData(t *testing.T, spec string) *backend {
	t.Helper()
	g := &global{opts: &Options{Clock: clock.Real{}}, store: spec}
	b, err := g.open("test")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	return b
}

// stats are the figures of a store (a data dir or a postgres:// URL), as
// the commands open it.
func stats(t *testing.T, spec string) ([]service.SourceInfo, []service.CampaignStats) {
	t.Helper()
	b := openData(t, spec)
	defer b.Close()
	sources, campaigns, err := b.svc.Stats(context.Background(), "default")
	if err != nil {
		t.Fatal(err)
	}
	return sources, campaigns
}

// TestApplyQuickstartEndToEnd runs the quick start the way `make demo`
// does: scrape through the filter, DM every kept lead once from both
// accounts in both variants, read replies, follow up only the silent ones.
// Then it runs it again and checks nothing is resent.
func TestApplyQuickstartEndToEnd(t *testing.T) {
	dir := t.TempDir()
	clk := clock.NewVirtual(time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC))

	code, out, errOut := runCLI(t, clk, "apply", "-auto-approve", "-data", dir, quickstart)
	if code != 0 {
		t.Fatalf("apply exited %d\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
	for _, want := range []string{"+ account \"sales\"", "+ campaign \"hello\"", "Apply complete.", "Summary"} {
		if !strings.Contains(out, want) {
			t.Errorf("apply output lacks %q:\n%s", want, out)
		}
	}
	sources, campaigns := stats(t, dir)
	if len(sources) != 1 || sources[0].Kept == 0 || sources[0].Kept >= sources[0].Scraped() {
		t.Fatalf("source stats %+v: want leads kept by the filter, fewer than scraped", sources)
	}
	if len(campaigns) != 1 || len(campaigns[0].Accounts) != 2 {
		t.Fatalf("campaign stats %+v: want one campaign over two accounts", campaigns)
	}
	c := campaigns[0]
	var sent, failed, replies, followups int
	for _, a := range c.Accounts {
		for v, n := range a.Sent {
			if n == 0 {
				t.Errorf("@%s sent no DM of variant %s", a.Handle, service.VariantLabel(v))
			}
		}
		if a.Pending != 0 {
			t.Errorf("@%s: %d jobs pending after apply returned", a.Handle, a.Pending)
		}
		sent += a.TotalSent()
		failed += a.Failed
		replies += a.TotalReplied()
		followups += a.Followups
	}
	// Some simulated users do not accept DMs: those fail, for good.
	if sent+failed != 24 || failed > sent/4 {
		t.Errorf("first DMs sent = %d, failed = %d; want 24 leads targeted (the campaign's max_leads), few failed", sent, failed)
	}
	if replies == 0 || followups == 0 {
		t.Errorf("replies = %d, follow-ups = %d; want at least one of each", replies, followups)
	}
	// Follow-ups go only to leads who did not reply (one follow-up step).
	if followups+replies < sent || followups > sent-replies {
		t.Errorf("follow-ups = %d with %d sent and %d replies: follow-ups must go to exactly the silent leads", followups, sent, replies)
	}

	code, out, errOut = runCLI(t, clk, "apply", "-auto-approve", "-data", dir, quickstart)
	if code != 0 {
		t.Fatalf("second apply exited %d\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
	if !strings.Contains(out, "No changes.") {
		t.Errorf("second plan is not empty:\n%s", out)
	}
	_, again := stats(t, dir)
	for i, a := range again[0].Accounts {
		if a.TotalSent() != c.Accounts[i].TotalSent() || a.Followups != c.Accounts[i].Followups {
			t.Errorf("@%s: second run sent more: %d first DMs / %d follow-ups, then %d / %d",
				a.Handle, c.Accounts[i].TotalSent(), c.Accounts[i].Followups, a.TotalSent(), a.Followups)
		}
	}
}

// TestApplyEditShowsOneChange edits one attribute after an apply and
// expects exactly that change in the plan.
func TestApplyEditShowsOneChange(t *testing.T) {
	dir := t.TempDir()
	clk := clock.NewVirtual(time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC))
	if code, out, errOut := runCLI(t, clk, "apply", "-auto-approve", "-detach", "-data", dir, quickstart); code != 0 {
		t.Fatalf("apply exited %d\n%s\n%s", code, out, errOut)
	}
	src, err := readFile(quickstart)
	if err != nil {
		t.Fatal(err)
	}
	edited := strings.Replace(src, "max_leads = 24", "max_leads = 30", 1)
	if edited == src {
		t.Fatal("quickstart has no `max_leads = 24` to edit")
	}
	path := writeFile(t, "quickstart.hcl", edited)
	code, out, errOut := runCLI(t, clk, "plan", "-detailed-exitcode", "-data", dir, path)
	if code != 2 {
		t.Fatalf("plan -detailed-exitcode exited %d, want 2\n%s\n%s", code, out, errOut)
	}
	if !strings.Contains(out, "~ campaign \"hello\"") || !strings.Contains(out, "max_leads = 24 -> 30") ||
		!strings.Contains(out, "Plan: 0 to add, 1 to change, 0 to destroy.") {
		t.Errorf("plan does not show exactly the one change:\n%s", out)
	}
}

// TestApplyRunsSchedules: a foreground apply does the work due now and
// exits, saying when each schedule runs next; the plan shows the next
// three runs; an apply after a missed run catches it up once, at start.
func TestApplyRunsSchedules(t *testing.T) {
	dir := t.TempDir()
	clk := clock.NewVirtual(time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC))
	cfg := writeFile(t, "scheduled.hcl", `settings {
  sandbox = true
}
account "sales" {
  handle = "acme_sales"
  pacing {
    min_gap = "1s"
    max_gap = "2s"
  }
}
source "fans" {
  max_leads = 5
  schedule  = "0 6 * * *"
  target "paulg" {
    followers = true
  }
}
campaign "hello" {
  sources  = [source.fans]
  message  = "Hi {{firstName}}"
  schedule = "CRON_TZ=Europe/Paris 30 8 * * *"
}
`)
	code, out, errOut := runCLI(t, clk, "plan", "-data", dir, cfg)
	if code != 0 {
		t.Fatalf("plan exited %d\n%s\n%s", code, out, errOut)
	}
	for _, want := range []string{
		"scraped again at 2026-11-03 06:00 UTC, 2026-11-04 06:00 UTC, 2026-11-05 06:00 UTC, ...",
		// 8:30 in Paris is 07:30 UTC in winter.
		"takes in new leads at 2026-11-03 07:30 UTC, 2026-11-04 07:30 UTC, 2026-11-05 07:30 UTC, ...",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("plan does not say %q:\n%s", want, out)
		}
	}

	code, out, errOut = runCLI(t, clk, "apply", "-auto-approve", "-data", dir, cfg)
	if code != 0 {
		t.Fatalf("apply exited %d\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
	for _, want := range []string{
		"source.fans scrapes again next at 2026-11-03 06:00 UTC",
		"campaign.hello takes in new leads next at 2026-11-03 07:30 UTC",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("apply does not say %q:\n%s", want, out)
		}
	}
	// The campaign's schedule has not run: the leads wait for it.
	_, campaigns := stats(t, dir)
	if n := campaigns[0].Totals().TotalSent(); n != 0 {
		t.Errorf("%d DMs sent before the campaign's schedule ran; want none", n)
	}

	// Two days later: each schedule missed two runs, and catches up once.
	clk.Advance(48 * time.Hour)
	restart := clk.Now()
	code, out, errOut = runCLI(t, clk, "apply", "-auto-approve", "-data", dir, cfg)
	if code != 0 {
		t.Fatalf("apply exited %d\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
	if strings.Contains(out, "failed:") {
		t.Errorf("the runs caught up failed:\n%s", out)
	}
	sources, campaigns := stats(t, dir)
	if !sources[0].ScheduleRanAt.Equal(restart) || !campaigns[0].ScheduleRanAt.Equal(restart) {
		t.Errorf("schedules last ran at %s (source) and %s (campaign); want both at start, %s",
			sources[0].ScheduleRanAt, campaigns[0].ScheduleRanAt, restart)
	}
	if n := campaigns[0].Totals().TotalSent(); n == 0 {
		t.Errorf("no DM sent once the campaign's schedule ran:\n%s", out)
	}
}

// TestWarmOutreachExample runs examples/warm-outreach.hcl to the end on
// the virtual clock, the way its header says: the scrape, the engagement
// before each first DM (follow, like, comment), the DMs, the tweet at its
// time; and apply says when the source's schedule runs next.
func TestWarmOutreachExample(t *testing.T) {
	dir := t.TempDir()
	// A Monday, 09:00 UTC: the schedule's next run is 08:00 in New York,
	// 13:00 UTC.
	clk := clock.NewVirtual(time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC))
	launch := clk.Now().Add(3 * time.Hour).Format(time.RFC3339)
	code, out, errOut := runCLI(t, clk, "apply", "-auto-approve", "-data", dir, "-var", "launch_at="+launch, "../../examples/warm-outreach.hcl")
	if code != 0 {
		t.Fatalf("apply exited %d\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
	if !strings.Contains(out, "2026-11-02 13:00 UTC") {
		t.Errorf("apply does not say when source.founders is scraped again (2026-11-02 13:00 UTC):\n%s", out)
	}
	_, campaigns := stats(t, dir)
	if len(campaigns) != 1 {
		t.Fatalf("campaigns: %+v", campaigns)
	}
	c := campaigns[0]
	var sent, pending int
	for _, a := range c.Accounts {
		sent += a.TotalSent()
		pending += a.Waiting
	}
	if sent < 10 || pending != 0 {
		t.Errorf("%d first DMs sent, %d waiting; want most of the 12, none waiting", sent, pending)
	}
	// Every lead got each step, or a reason why not; and the account's
	// caps hold: 5 comments at most, the rest skipped.
	steps := map[store.EngageStep]service.EngageStats{}
	for _, e := range c.Engagement {
		steps[e.Step] = e
	}
	for _, step := range store.EngageSteps {
		e := steps[step]
		if total := e.Done + e.Requested + e.Skipped + e.Failed; total != 12 {
			t.Errorf("%s: %+v, want an outcome for each of the 12 leads", step, e)
		}
	}
	if f := steps[store.EngageFollow]; f.Done+f.Requested < 10 {
		t.Errorf("follows: %+v, want most leads followed", f)
	}
	if cm := steps[store.EngageComment]; cm.Done == 0 || cm.Done > 5 || cm.Skipped < 7 {
		t.Errorf("comments: %+v, want some, at most the account's daily_comment_limit of 5, the rest skipped", cm)
	}
	b := openData(t, dir)
	defer b.Close()
	tweets, _, err := b.svc.ListTweets(context.Background(), "default", service.TweetFilter{}, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(tweets) != 1 || tweets[0].Status != store.TweetPosted {
		t.Errorf("tweets: %+v, want the launch tweet posted", tweets)
	}
}
