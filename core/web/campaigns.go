package web

import (
	"context"
	"net/http"
	"time"

	"github.com/outreachhq/outreach/core/service"
	"github.com/outreachhq/outreach/core/store"
)

// campaignsService is what the campaigns page needs from the service layer.
type campaignsService interface {
	// ListCampaigns returns a page of the workspace's campaigns, newest
	// first, with their first DMs' figures as the API lists them.
	ListCampaigns(ctx context.Context, ws string, limit, offset int) ([]service.CampaignSummary, int, error)
	// Stats returns each campaign's figures per account and variant, by
	// campaign id (Analytics has the same figures, by campaign name).
	Stats(ctx context.Context, ws string) ([]service.SourceInfo, []service.CampaignStats, error)
	// NeedsReviewByCampaign counts each campaign's sends parked for review.
	NeedsReviewByCampaign(ctx context.Context, ws string) (map[string]int, error)
	PauseCampaign(ctx context.Context, ws, ref string) (store.Campaign, error)
	ResumeCampaign(ctx context.Context, ws, ref string) (store.Campaign, error)
}

func (d *Dashboard) registerCampaigns() {
	d.handle("GET /campaigns", d.campaigns)
	d.handle("POST /campaigns/{id}/pause", d.pauseCampaign)
	d.handle("POST /campaigns/{id}/resume", d.resumeCampaign)
}

// campaignCard is one campaign as the page shows it.
type campaignCard struct {
	ID, Name string
	// Address is the configuration block that manages it, if one does.
	Address string
	// Status is active, paused or completed.
	Status    string
	Paused    bool
	CreatedAt time.Time
	// Total counts the leads given a first DM, Sent the first DMs sent,
	// Waiting those still to send (as the API's campaign figures).
	Total, Sent, Waiting int
	// FollowupsSent counts follow-ups sent; Failed the sends (first DMs
	// and follow-ups) that failed, and NeedsReview those parked for a
	// person, which the API counts among the failed.
	FollowupsSent, Failed, NeedsReview int
	Variants                           []campaignVariantLine
}

// campaignVariantLine is one message variant's A/B figures over every account.
type campaignVariantLine struct {
	Label, Message string
	Sent, Replied  int
	ReplyRate      float64
}

// ProgressMax is the max of the campaign's <progress>, which must be
// above zero.
func (c campaignCard) ProgressMax() int { return max(c.Total, 1) }

// StatusClass is the badge style of its status.
func (c campaignCard) StatusClass() string {
	switch c.Status {
	case "active":
		return "ok"
	case "paused":
		return "warn"
	}
	return ""
}

type campaignsData struct {
	Campaigns []campaignCard
}

func (d *Dashboard) campaigns(w http.ResponseWriter, r *request) {
	list, _, err := d.svc.ListCampaigns(r.ctx(), r.ws, 0, 0)
	if err != nil {
		d.fail(w, r, err)
		return
	}
	_, stats, err := d.svc.Stats(r.ctx(), r.ws)
	if err != nil {
		d.fail(w, r, err)
		return
	}
	review, err := d.svc.NeedsReviewByCampaign(r.ctx(), r.ws)
	if err != nil {
		d.fail(w, r, err)
		return
	}
	byID := make(map[string]service.CampaignStats, len(stats))
	for _, cs := range stats {
		byID[cs.ID] = cs
	}
	data := campaignsData{Campaigns: make([]campaignCard, 0, len(list))}
	for _, c := range list {
		data.Campaigns = append(data.Campaigns, campaignCardOf(c, byID[c.ID], review[c.ID]))
	}
	d.render(w, r, http.StatusOK, "campaigns", view{Title: "Campaigns", Nav: "campaigns", Data: data})
}

func campaignCardOf(c service.CampaignSummary, cs service.CampaignStats, review int) campaignCard {
	card := campaignCard{
		ID: c.ID, Name: c.Name, Address: c.Address, Status: "active", Paused: c.Paused, CreatedAt: c.CreatedAt,
		Total: c.Total, Sent: c.Completed, Waiting: c.Pending, NeedsReview: review,
	}
	switch {
	case c.Paused:
		card.Status = "paused"
	case !c.CompletedAt.IsZero():
		card.Status = "completed"
	}
	t := cs.Totals()
	card.FollowupsSent = t.Followups
	card.Failed = max(t.Failed-review, 0)
	for i, v := range c.Variants {
		line := campaignVariantLine{Label: variantLabel(i), Message: v.Message}
		if i < len(t.Sent) {
			line.Sent, line.Replied = t.Sent[i], t.Replied[i]
		}
		line.ReplyRate = service.Rate(line.Replied, line.Sent)
		card.Variants = append(card.Variants, line)
	}
	return card
}

func (d *Dashboard) pauseCampaign(w http.ResponseWriter, r *request) {
	if _, err := d.svc.PauseCampaign(r.ctx(), r.ws, r.PathValue("id")); err != nil {
		d.fail(w, r, err)
		return
	}
	back(w, r, "/campaigns")
}

func (d *Dashboard) resumeCampaign(w http.ResponseWriter, r *request) {
	if _, err := d.svc.ResumeCampaign(r.ctx(), r.ws, r.PathValue("id")); err != nil {
		d.fail(w, r, err)
		return
	}
	back(w, r, "/campaigns")
}
