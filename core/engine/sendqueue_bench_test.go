package engine

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/outreachhq/outreach/core/store"
	"github.com/outreachhq/outreach/core/store/storetest"
	"github.com/outreachhq/outreach/core/store/teststore"
)

// BenchmarkSendQueue runs a campaign of N first DMs over two accounts paced
// a second apart, on the virtual clock against an instant X, and reports
// the store commits (synced writes) and the time per DM sent. Commits per
// send must not grow with N: a queue of 25,000 leads must cost what a
// queue of 1,000 does per DM. The baseline is one commit of a small record
// to the same kind of store in the same run, the floor of what a durable
// send can cost. It runs on the store teststore picks:
//
//	go test -run '^$' -bench SendQueue -benchtime 1x ./core/engine
//	OUTREACH_TEST_STORE=postgres go test -run '^$' -bench SendQueue -benchtime 1x ./core/engine
func BenchmarkSendQueue(b *testing.B) {
	for _, n := range []int{1_000, 10_000} {
		b.Run(fmt.Sprintf("N=%d", n), func(b *testing.B) {
			var commits, sends uint64
			var took time.Duration
			for range b.N {
				b.StopTimer()
				h := newHarness(b)
				h.poll = 1000 * time.Hour // replies are not what is measured
				gap := func(a *store.Account) { a.MinGap, a.MaxGap = time.Second, time.Second }
				accts := []store.Account{h.account("one", gap, h.known), h.account("two", gap, h.known)}
				src := h.source("s")
				h.leads(src, n)
				h.campaign("c", []store.Source{src}, accts, variants(1, false))
				e := h.engine()
				before := h.st.Commits()
				b.StartTimer()
				start := time.Now()
				for {
					next, err := e.RunDue(context.Background())
					if err != nil {
						b.Fatal(err)
					}
					if idle, err := h.idle(); err != nil || idle {
						break
					}
					if !next.After(h.clk.Now()) {
						b.Fatalf("RunDue returned %s, not after now (%s): it would spin", next, h.clk.Now())
					}
					h.clk.Advance(next.Sub(h.clk.Now()))
				}
				took += time.Since(start)
				b.StopTimer()
				commits += h.st.Commits() - before
				sends += uint64(len(h.x.sendCalls))
				if len(h.x.sendCalls) != n {
					b.Fatalf("%d DMs sent, want %d", len(h.x.sendCalls), n)
				}
				h.st.Close()
			}
			b.ReportMetric(float64(commits)/float64(sends), "commits/send")
			b.ReportMetric(float64(took.Nanoseconds())/float64(sends), "ns/send")
			b.ReportMetric(float64(rawCommit(b, min(n, 2_000)).Nanoseconds()), "baseline-ns/commit")
		})
	}
}

// rawCommit returns the mean time of one commit of a fresh store of the
// kind under test that writes one small record, over n commits: the floor
// of any write.
func rawCommit(b *testing.B, n int) time.Duration {
	b.Helper()
	st := teststore.New(b).Open(b, "baseline")
	defer st.Close()
	start := time.Now()
	for i := range n {
		err := st.Update(context.Background(), func(tx storetest.Tx) error { return tx.PutWorkspace(fmt.Sprintf("w%08d", i)) })
		if err != nil {
			b.Fatal(err)
		}
	}
	return time.Since(start) / time.Duration(n)
}
