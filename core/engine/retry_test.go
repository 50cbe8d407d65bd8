package engine

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/outreachhq/outreach/core/store"
	"github.com/outreachhq/outreach/core/store/storetest"
	"github.com/outreachhq/outreach/sdk"
)

// rerunning is a store that runs each Update's fn twice, as a store that
// retries a transaction which lost a race does: first in a transaction it
// rolls back, then in the one it commits.
type rerunning struct{ store.Transactor[storetest.Tx] }

var errRunAgain = errors.New("rolled back, to run again")

func (s rerunning) Update(ctx context.Context, fn func(storetest.Tx) error) error {
	err := s.Transactor.Update(ctx, func(tx storetest.Tx) error {
		if err := fn(tx); err != nil {
			return err
		}
		return errRunAgain
	})
	if !errors.Is(err, errRunAgain) {
		return err
	}
	return s.Transactor.Update(ctx, fn)
}

// TestRerunTransactionsReportOneRun runs the engine on a store that runs
// every transaction twice: what it records, reports and logs is what one
// run of each gives.
func TestRerunTransactionsReportOneRun(t *testing.T) {
	t.Run("scrape", func(t *testing.T) {
		h := newHarness(t)
		h.rerun = true
		src, j, c := scrapeSetup(h, 10, nil) // 4 pages of 3
		h.runDue(h.engine())
		got := h.job(j.ID)
		if got.State != store.JobDone || got.Seen != 10 || got.Kept != 10 {
			t.Errorf("scrape %s, seen %d, kept %d; want done, 10, 10", got.State, got.Seen, got.Kept)
		}
		if n := len(h.sourceLeads(src)); n != 10 {
			t.Errorf("%d leads kept; want 10", n)
		}
		if n := len(h.campaignJobs(c, store.JobDM)); n != 10 {
			t.Errorf("%d first DM jobs; want 10", n)
		}
		var pages, seen, kept, queued int
		for _, ev := range h.eventsOf(Scraped) {
			pages, seen, kept = pages+1, seen+ev.Seen, kept+ev.Kept
		}
		for _, ev := range h.eventsOf(Queued) {
			queued += ev.Count
		}
		if pages != 4 || seen != 10 || kept != 10 || queued != 10 {
			t.Errorf("observed %d pages, %d seen, %d kept, %d queued; want 4, 10, 10, 10", pages, seen, kept, queued)
		}
	})
	t.Run("send retried until it fails", func(t *testing.T) {
		h := newHarness(t)
		h.rerun = true
		acct := h.account("sales")
		src := h.source("s")
		lead := h.leads(src, 1)[0]
		c := h.campaign("c", []store.Source{src}, []store.Account{acct}, variants(1, false))
		h.net.SendDMF = func(context.Context, sdk.Session, string, string) (sdk.SentDM, error) {
			return sdk.SentDM{}, sdk.Errorf(sdk.Retryable, "503")
		}
		var logged bytes.Buffer
		e := h.engine()
		e.log = hclog.New(&hclog.LoggerOptions{Output: &logged})
		h.runFor(e, 48*time.Hour, 5*time.Minute)
		j := h.job(store.DMJobID(c.ID, lead.UserID))
		if j.State != store.JobFailed || j.Attempts != maxAttempts {
			t.Errorf("job %s after %d attempts; want failed after %d", j.State, j.Attempts, maxAttempts)
		}
		if n := len(h.eventsOf(Failed)); n != 1 {
			t.Errorf("Failed observed %d times; want once", n)
		}
		if n := strings.Count(logged.String(), "job failed; will retry"); n != maxAttempts-1 {
			t.Errorf("logged %d retries; want %d", n, maxAttempts-1)
		}
	})
}
