package service

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/outreachhq/outreach/core/store"
	"github.com/outreachhq/outreach/core/store/storetest"
)

func TestRotation(t *testing.T) {
	tests := []struct {
		weights []int
		want    string
	}{
		{[]int{1}, "[0]"},
		{[]int{1, 1, 1}, "[0 1 2]"}, // the even rotation, as before weights
		{[]int{0, 0}, "[0 1]"},
		{[]int{2, 2}, "[0 1 0 1]"},
		{[]int{3, 1}, "[0 0 1 0]"},
		{[]int{1, 2, 1}, "[1 0 2 1]"},
		{[]int{5, 1, 1}, "[0 0 1 0 2 0 0]"},
	}
	for _, tt := range tests {
		vs := make([]store.Variant, len(tt.weights))
		for i, w := range tt.weights {
			vs[i].Weight = w
		}
		if got := fmt.Sprint(rotation(vs)); got != tt.want {
			t.Errorf("rotation of weights %v = %s, want %s", tt.weights, got, tt.want)
		}
	}
}

// BenchmarkFill queues first DM jobs for 1,000 leads over 3 accounts,
// against a baseline that writes the same jobs and claims with no
// assignment logic. Each iteration's transaction is rolled back so the
// store does not grow.
func BenchmarkFill(b *testing.B) {
	const n = 1000
	_, st := newService(b)
	src := store.Source{ID: "s", Workspace: "w", Name: "s"}
	var ids []string
	update(b, st, func(tx storetest.Tx) error {
		ids = nil // a store may run this again
		for i := range n {
			l := store.Lead{UserID: fmt.Sprint(100000 + i), Workspace: "w", Username: fmt.Sprint("u", i)}
			ids = append(ids, l.UserID)
			if _, err := tx.AddSourceLead("w", src.ID, l); err != nil {
				return err
			}
		}
		return tx.PutSource(src)
	})
	c := store.Campaign{ID: "c", Workspace: "w", SourceIDs: []string{"s"}, AccountIDs: []string{"a", "b", "c"},
		Variants: []store.Variant{{Message: "A"}, {Message: "B"}}, Dedupe: true}
	b.Run("Fill", func(b *testing.B) {
		for b.Loop() {
			err := st.Update(context.Background(), func(tx storetest.Tx) error {
				cc := c
				cc.Offsets = nil
				if q, err := Fill(tx, &cc, start); err != nil || q != n {
					return fmt.Errorf("queued %d: %v", q, err)
				}
				return errRollback
			})
			if !errors.Is(err, errRollback) {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/lead")
	})
	b.Run("baseline-PutJob", func(b *testing.B) {
		for b.Loop() {
			err := st.Update(context.Background(), func(tx storetest.Tx) error {
				for i, id := range ids {
					j := store.Job{ID: store.DMJobID(c.ID, id), Workspace: "w", Kind: store.JobDM, State: store.JobPending, DueAt: start, CampaignID: c.ID, AccountID: c.AccountIDs[i%3], LeadID: id}
					if err := tx.PutJob(j); err != nil {
						return err
					}
					if err := tx.MarkContacted("w", id, c.ID); err != nil {
						return err
					}
				}
				return errRollback
			})
			if !errors.Is(err, errRollback) {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/lead")
	})
}

var errRollback = errors.New("roll back")
