package service

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/outreachhq/outreach/core/store"
	"github.com/outreachhq/outreach/core/store/storetest"
)

// BenchmarkCampaignStats times the stats of a campaign (per account and
// variant: sent, replied, follow-ups, pending, failed) at 100 and at
// 100,000 leads in the same run, and reports the ratio of the two, which
// must stay near 1 (the goal is at most 2): stores keep the tallies with
// every change, so stats read the same few records at any size.
//
//	go test -run '^$' -bench CampaignStats -count 5 ./core/service
func BenchmarkCampaignStats(b *testing.B) {
	sizes := []int{100, 100_000}
	svcs := make([]*Service, len(sizes))
	for i, n := range sizes {
		svcs[i] = statsWorkspace(b, n)
	}
	per := make([]float64, len(sizes))
	ctx := context.Background()
	b.ResetTimer()
	for b.Loop() {
		// Alternate the sizes so that both see the same machine.
		for i, svc := range svcs {
			start := time.Now()
			_, campaigns, err := svc.Stats(ctx, "w")
			per[i] += float64(time.Since(start).Nanoseconds())
			if err != nil || len(campaigns) != 1 || campaigns[0].Totals().TotalSent() == 0 {
				b.Fatalf("Stats at %d leads: %v, %+v", sizes[i], err, campaigns)
			}
		}
	}
	for i, n := range sizes {
		b.ReportMetric(per[i]/float64(b.N), fmt.Sprintf("ns/stats@%d", n))
	}
	b.ReportMetric(per[1]/per[0], "ratio")
}

// statsWorkspace is a workspace whose one campaign over two accounts and
// two variants has n leads: 60% sent (a tenth of those replied), 5%
// failed, the rest pending.
func statsWorkspace(b *testing.B, n int) *Service {
	b.Helper()
	ctx := context.Background()
	svc, st := newService(b)
	for _, h := range []string{"sales", "growth"} {
		if _, _, err := svc.UpsertAccount(ctx, "w", AccountInput{Handle: h}); err != nil {
			b.Fatal(err)
		}
	}
	src, err := svc.CreateSource(ctx, "w", SourceInput{Name: "s", Targets: []store.Target{{Handle: "paulg", Followers: true}}})
	if err != nil {
		b.Fatal(err)
	}
	update(b, st, func(tx storetest.Tx) error {
		for i := range n {
			l := store.Lead{UserID: fmt.Sprint(1_000_000 + i), Workspace: "w", Username: fmt.Sprint("lead", i)}
			if _, err := tx.AddSourceLead("w", src.ID, l); err != nil {
				return err
			}
		}
		return nil
	})
	launch, err := svc.LaunchCampaign(ctx, "w", CampaignInput{
		Name: "c", Variants: []store.Variant{{Message: "A"}, {Message: "B"}}, LeadSourceIDs: []string{src.ID},
	})
	if err != nil || launch.Queued != n {
		b.Fatalf("launch queued %d of %d: %v", launch.Queued, n, err)
	}
	update(b, st, func(tx storetest.Tx) error {
		jobs, err := tx.Jobs("w", store.JobQuery{CampaignID: launch.Campaign.ID})
		if err != nil {
			return err
		}
		for i, j := range jobs {
			switch {
			case i%20 == 0:
				j.State = store.JobFailed
			case i%10 < 6:
				j.State = store.JobDone
				conv := store.Conversation{ID: fmt.Sprint("c", i), Workspace: "w", AccountID: j.AccountID, LeadID: j.LeadID,
					CampaignID: j.CampaignID, Variant: j.Variant, Replied: i%100 < 6, LastAt: start}
				if err := tx.PutConversation(conv); err != nil {
					return err
				}
			default:
				continue
			}
			if err := tx.PutJob(j); err != nil {
				return err
			}
		}
		return nil
	})
	return svc
}
