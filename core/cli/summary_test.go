package cli

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/outreachhq/outreach/core/clock"
	"github.com/outreachhq/outreach/core/store"
)

const engagementConfig = `
settings {
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
  max_leads = 6
  target "paulg" {
    followers = true
  }
}
campaign "warm" {
  sources   = [source.fans]
  max_leads = 6
  message   = "Hi {{firstName}}, loved your latest post."
  follow    = true
  like      = true
  comment {
    template = "Friendly, one sentence"
  }
}
`

// TestApplySummaryEngagement runs a campaign that follows, likes and
// comments before its first DMs on the simulated X, through the built-in
// x and ai plugins out of process: every lead's steps have an outcome,
// comments are on X (with X's ids), and apply's summary counts them.
func TestApplySummaryEngagement(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "warm.hcl")
	if err := os.WriteFile(file, []byte(engagementConfig), 0o600); err != nil {
		t.Fatal(err)
	}
	clk := clock.NewVirtual(time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC))
	code, out, errOut := runCLI(t, clk, "apply", "-auto-approve", "-data", filepath.Join(dir, "data"), file)
	if code != 0 {
		t.Fatalf("apply exited %d\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
	_, campaigns := stats(t, filepath.Join(dir, "data"))
	c := campaigns[0]
	dms := c.Totals().TotalSent() + c.Totals().Failed
	if dms != 6 {
		t.Fatalf("%d first DMs settled; want 6", dms)
	}
	if len(c.Engagement) != 3 {
		t.Fatalf("engagement figures %+v; want one per step", c.Engagement)
	}
	for _, st := range c.Engagement {
		if n := st.Done + st.Requested + st.Skipped + st.Failed; n != 6 || st.Failed != 0 || st.Done == 0 {
			t.Errorf("%s: %+v; want an outcome for each of the 6 leads, some done, none failed", st.Step, st)
		}
	}
	for _, want := range []string{"engagement", "follow", "like", "comment"} {
		if !strings.Contains(out[strings.Index(out, "campaign warm"):], want) {
			t.Errorf("the summary lacks %q:\n%s", want, out)
		}
	}
	b := openData(t, filepath.Join(dir, "data"))
	list, err := b.svc.Engagements(context.Background(), "default", c.ID, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range list {
		switch {
		case e.Step == store.EngageComment && e.State == store.EngageDone && (e.CommentID == "" || e.Text == ""):
			t.Errorf("a comment done without X's id or its text: %+v", e)
		case e.State == store.EngageSkipped && e.Reason != "no posts":
			t.Errorf("lead %s: %s skipped for %q; want only leads without posts skipped", e.LeadID, e.Step, e.Reason)
		}
	}
}
