package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"time"

	"github.com/outreachhq/outreach/core/service"
	"github.com/outreachhq/outreach/core/store"
)

// reviewService is what the review page needs from the service layer.
type reviewService interface {
	// NeedsReview returns up to limit sends parked for review, by job id
	// after afterID.
	NeedsReview(ctx context.Context, ws, afterID string, limit int) ([]service.ReviewItem, error)
	// ResolveReview settles a send parked for review as a person says.
	ResolveReview(ctx context.Context, ws, jobID string, r service.Resolution) (store.Job, error)
	// ListCampaigns gives the campaigns the sends belong to: their names
	// and messages.
	ListCampaigns(ctx context.Context, ws string, limit, offset int) ([]service.CampaignSummary, int, error)
}

func (d *Dashboard) registerReview() {
	d.handle("GET /review", d.review)
	d.handle("POST /review/{id}/resolve", d.resolveReview)
}

// reviewPerPage is how many sends in doubt a page shows.
const reviewPerPage = 50

// reviewCard is one send in doubt as the page shows it: what it was, and
// what the lookup on X saw.
type reviewCard struct {
	JobID string
	// Kind says what the send was: a first DM, a follow-up, a person's
	// message or an AI answer.
	Kind          string
	AccountHandle string
	// Lead is who it was for; LeadURL their profile on X.
	LeadID, LeadName, LeadHandle string
	LeadURL                      string
	CampaignName                 string
	// Text is what the send said: the job's own text, or the campaign's
	// message as written (Template), whose placeholders were filled from
	// the lead when it was sent.
	Text     string
	Template bool
	Variant  string
	// Reason is what the lookup on X saw, and why the send was parked.
	Reason              string
	Attempts            int
	CreatedAt, ParkedAt time.Time
}

type reviewData struct {
	Items []reviewCard
	// After is where this page starts; NextURL the next page, if any.
	After   string
	NextURL string
	// Back is this page, where a resolved item's form returns.
	Back string
}

func (d *Dashboard) review(w http.ResponseWriter, r *request) {
	after := r.URL.Query().Get("after")
	items, err := d.svc.NeedsReview(r.ctx(), r.ws, after, reviewPerPage)
	if err != nil {
		d.fail(w, r, err)
		return
	}
	campaigns, _, err := d.svc.ListCampaigns(r.ctx(), r.ws, 0, 0)
	if err != nil {
		d.fail(w, r, err)
		return
	}
	byID := make(map[string]store.Campaign, len(campaigns))
	for _, c := range campaigns {
		byID[c.ID] = c.Campaign
	}
	data := reviewData{After: after, Back: "/review"}
	if after != "" {
		data.Back = "/review?after=" + url.QueryEscape(after)
	}
	for _, it := range items {
		data.Items = append(data.Items, reviewCardOf(it, byID[it.Job.CampaignID]))
	}
	if len(items) == reviewPerPage {
		data.NextURL = "/review?after=" + url.QueryEscape(items[len(items)-1].Job.ID)
	}
	d.render(w, r, http.StatusOK, "review", view{Title: "Needs review", Nav: "review", Data: data})
}

func reviewCardOf(it service.ReviewItem, c store.Campaign) reviewCard {
	j := it.Job
	card := reviewCard{
		JobID: j.ID, AccountHandle: it.Account.Handle, LeadID: j.LeadID, LeadName: it.Lead.Name, LeadHandle: it.Lead.Username,
		CampaignName: c.Name, Text: j.Text, Reason: j.LastError, Attempts: j.Attempts, CreatedAt: j.CreatedAt, ParkedAt: j.UpdatedAt,
	}
	if card.AccountHandle == "" {
		card.AccountHandle = j.AccountID
	}
	if card.LeadHandle != "" {
		card.LeadURL = "https://x.com/" + url.PathEscape(card.LeadHandle)
	}
	switch j.Kind {
	case store.JobDM:
		card.Kind = "First DM"
	case store.JobFollowup:
		card.Kind = fmt.Sprintf("Follow-up %d", j.Step)
	case store.JobMessage:
		card.Kind = "A person's message"
	case store.JobAnswer:
		card.Kind = "AI setter's answer"
	default:
		card.Kind = string(j.Kind)
	}
	// A campaign's send keeps no text of its own: it is the campaign's
	// message for its variant and step.
	if card.Text == "" && j.Variant >= 0 && j.Variant < len(c.Variants) {
		v := c.Variants[j.Variant]
		card.Variant = variantLabel(j.Variant)
		switch {
		case j.Step == 0:
			card.Text, card.Template = v.Message, true
		case j.Step <= len(v.Followups):
			card.Text, card.Template = v.Followups[j.Step-1].Message, true
		}
	}
	return card
}

// resolveReview settles a send in doubt as the person found it on X: the
// form's resolution is sent, not_sent or skip.
func (d *Dashboard) resolveReview(w http.ResponseWriter, r *request) {
	res := service.Resolution(r.PostFormValue("resolution"))
	if _, err := d.svc.ResolveReview(r.ctx(), r.ws, r.PathValue("id"), res); err != nil {
		d.fail(w, r, err)
		return
	}
	back(w, r, "/review")
}
