package service

import (
	"context"
	"maps"
	"testing"

	"github.com/outreachhq/outreach/core/store"
	"github.com/outreachhq/outreach/core/store/storetest"
)

// TestNeedsReviewByCampaign: the sends parked for review are counted per
// campaign, first DMs and follow-ups alike; failed ones, other states and
// another workspace's are not.
func TestNeedsReviewByCampaign(t *testing.T) {
	svc, st := newService(t)
	job := func(ws, campaign, id string, kind store.JobKind, state store.JobState) store.Job {
		return store.Job{ID: id, Workspace: ws, Kind: kind, State: state, CampaignID: campaign, AccountID: "acct",
			LeadID: id, DueAt: start, CreatedAt: start, UpdatedAt: start}
	}
	update(t, st, func(tx storetest.Tx) error {
		for _, c := range []store.Campaign{
			{ID: "c1", Workspace: "default", Name: "one", CreatedAt: start},
			{ID: "c2", Workspace: "default", Name: "two", CreatedAt: start},
			{ID: "c3", Workspace: "other", Name: "three", CreatedAt: start},
		} {
			if err := tx.PutCampaign(c); err != nil {
				return err
			}
		}
		for _, j := range []store.Job{
			job("default", "c1", "j1", store.JobDM, store.JobNeedsReview),
			job("default", "c1", "j2", store.JobFollowup, store.JobNeedsReview),
			job("default", "c1", "j3", store.JobDM, store.JobFailed),
			job("default", "c2", "j4", store.JobDM, store.JobPending),
			job("other", "c3", "j5", store.JobDM, store.JobNeedsReview),
		} {
			if err := tx.PutJob(j); err != nil {
				return err
			}
		}
		return nil
	})
	got, err := svc.NeedsReviewByCampaign(context.Background(), "default")
	if want := map[string]int{"c1": 2}; err != nil || !maps.Equal(got, want) {
		t.Errorf("NeedsReviewByCampaign = %v, %v; want %v", got, err, want)
	}
	if got, err := svc.NeedsReviewByCampaign(context.Background(), "nobody"); err != nil || len(got) != 0 {
		t.Errorf("a workspace without campaigns: %v, %v", got, err)
	}
}
