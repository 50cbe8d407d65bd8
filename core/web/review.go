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
	// message filled from the lead (FromCampaign), as both read now.
	Text         string
	FromCampaign bool
	Variant      string
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
	data := reviewData{After: after, Back: "/review"}
	if after != "" {
		data.Back = "/review?after=" + url.QueryEscape(after)
	}
	for _, it := range items {
		data.Items = append(data.Items, reviewCardOf(it))
	}
	if len(items) == reviewPerPage {
		data.NextURL = "/review?after=" + url.QueryEscape(items[len(items)-1].Job.ID)
	}
	d.render(w, r, http.StatusOK, "review", view{Title: "Needs review", Nav: "review", Data: data})
}

func reviewCardOf(it service.ReviewItem) reviewCard {
	j := it.Job
	card := reviewCard{
		JobID: j.ID, AccountHandle: it.Account.Handle, LeadID: j.LeadID, LeadName: it.Lead.Name, LeadHandle: it.Lead.Username,
		CampaignName: it.Campaign.Name, Text: it.Text, FromCampaign: j.Text == "" && it.Text != "", Reason: j.LastError, Attempts: j.Attempts, CreatedAt: j.CreatedAt, ParkedAt: j.UpdatedAt,
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
	if card.FromCampaign {
		card.Variant = variantLabel(j.Variant)
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
