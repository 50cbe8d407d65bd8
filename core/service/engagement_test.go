package service

import (
	"context"
	"errors"
	"testing"

	"github.com/outreachhq/outreach/core/store"
	"github.com/outreachhq/outreach/core/store/storetest"
)

const engagementConfig = `
account "sales" {
  handle              = "acme_sales"
  daily_follow_limit  = 30
  daily_comment_limit = 0
}
account "other" {
  handle = "acme_other"
}
source "fans" {
  target "paulg" {
    followers = true
  }
}
campaign "warm" {
  sources = [source.fans]
  message = "Hi {{firstName}}"
  follow  = true
  like    = true
  comment {
    template = "Be brief and kind"
  }
}
`

// TestApplyStoresEngagementSettings: what configuration says about
// engagement reaches the records the engine reads: each account's daily
// caps (declared, or the defaults), and the campaign's steps and template.
func TestApplyStoresEngagementSettings(t *testing.T) {
	svc, st := newService(t)
	cfg := load(t, engagementConfig)
	planAndApply(t, svc, cfg)
	ws := cfg.Workspace()
	view(t, st, func(tx storetest.Tx) error {
		for address, want := range map[string][3]int{"account.sales": {30, 100, 0}, "account.other": {50, 100, 20}} {
			a, err := tx.AccountByAddress(ws, address)
			if err != nil {
				return err
			}
			if got := [3]int{a.DailyFollowLimit, a.DailyLikeLimit, a.DailyCommentLimit}; got != want {
				t.Errorf("%s: daily follow, like and comment limits %v; want %v", address, got, want)
			}
		}
		c, err := tx.CampaignByAddress(ws, "campaign.warm")
		if err != nil {
			return err
		}
		if !c.Follow || !c.Like || !c.Comment || c.CommentTemplate != "Be brief and kind" {
			t.Errorf("campaign engagement: follow %v, like %v, comment %v %q; want all, with the template", c.Follow, c.Like, c.Comment, c.CommentTemplate)
		}
		return nil
	})
}

// TestEngagementsRead: a campaign's engagement outcomes read by lead and
// step, and counted per step in its figures.
func TestEngagementsRead(t *testing.T) {
	svc, st := newService(t)
	cfg := load(t, engagementConfig)
	planAndApply(t, svc, cfg)
	ws := cfg.Workspace()
	var c store.Campaign
	var a store.Account
	update(t, st, func(tx storetest.Tx) (err error) {
		if c, err = tx.CampaignByAddress(ws, "campaign.warm"); err != nil {
			return err
		}
		if a, err = tx.AccountByAddress(ws, "account.sales"); err != nil {
			return err
		}
		for _, e := range []store.Engagement{
			{LeadID: "100", Step: store.EngageFollow, State: store.EngageDone},
			{LeadID: "100", Step: store.EngageLike, State: store.EngageSkipped, Reason: "no posts"},
			{LeadID: "200", Step: store.EngageFollow, State: store.EngageRequested},
			{LeadID: "200", Step: store.EngageComment, State: store.EngageFailed, Reason: "503"},
		} {
			e.Workspace, e.CampaignID, e.AccountID, e.At = ws, c.ID, a.ID, start
			if err := tx.PutEngagement(e); err != nil {
				return err
			}
		}
		return nil
	})

	one, err := svc.Engagements(context.Background(), ws, c.ID, "100")
	if err != nil || len(one) != 2 || one[0].Step != store.EngageFollow || one[1].Reason != "no posts" {
		t.Errorf("Engagements of lead 100 = %+v, %v; want its follow and its skipped like", one, err)
	}
	all, err := svc.Engagements(context.Background(), ws, c.ID, "")
	if err != nil || len(all) != 4 {
		t.Errorf("Engagements of the campaign = %d outcomes, %v; want 4", len(all), err)
	}
	if _, err := svc.Engagements(context.Background(), ws, "no-such-campaign", ""); !errors.Is(err, ErrNotFound) {
		t.Errorf("Engagements of a missing campaign: %v; want not found", err)
	}
	var verr *ValidationError
	if _, err := svc.Engagements(context.Background(), ws, "", ""); !errors.As(err, &verr) || verr.Field != "campaign_id" {
		t.Errorf("Engagements without a campaign: %v; want a validation error on campaign_id", err)
	}

	_, campaigns, err := svc.Stats(context.Background(), ws)
	if err != nil {
		t.Fatal(err)
	}
	want := []EngageStats{
		{Step: store.EngageFollow, Done: 1, Requested: 1},
		{Step: store.EngageLike, Skipped: 1},
		{Step: store.EngageComment, Failed: 1},
	}
	if got := campaigns[0].Engagement; len(got) != len(want) || got[0] != want[0] || got[1] != want[1] || got[2] != want[2] {
		t.Errorf("campaign figures %+v; want %+v", got, want)
	}
}
