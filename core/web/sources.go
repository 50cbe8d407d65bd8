package web

import (
	"context"
	"net/http"
	"time"

	"github.com/outreachhq/outreach/core/service"
	"github.com/outreachhq/outreach/core/store"
)

// sourcesService is what the sources page needs from the service layer.
type sourcesService interface {
	// ListSources returns a page of the workspace's lead sources, newest
	// first, with their scrapes.
	ListSources(ctx context.Context, ws string, limit, offset int) ([]service.SourceInfo, int, error)
}

func (d *Dashboard) registerSources() {
	d.handle("GET /sources", d.sources)
}

// sourcesCard is one lead source as the page shows it.
type sourcesCard struct {
	ID, Name, Address string
	// Status sums up its scrapes as the API does: pending, processing,
	// completed or failed.
	Status string
	// Kept counts the leads it kept, Scraped the users its scrapes read;
	// MaxLeads is the most it keeps (0: no limit).
	Kept, Scraped, MaxLeads int
	// Ended and Scrapes count its scrapes that have ended, and all.
	Ended, Scrapes int
	CreatedAt      time.Time
	// Targets are the scrapes of its handles, one per relation; List is
	// the lookup of a lead list's users.
	Targets []sourcesScrape
	List    *sourcesScrape
}

// sourcesScrape is one scrape: of one handle's followers or following, or
// of a lead list.
type sourcesScrape struct {
	Handle, Relation string
	// Status is pending, processing, completed or failed.
	Status     string
	Seen, Kept int
	// Total is how many users there are to read, when known (a lead
	// list's); 0 otherwise.
	Total int
	// Error is why it failed, or why it waits to try again.
	Error     string
	UpdatedAt time.Time
}

// stateBadge is the badge style of a status of a scrape, tweet or
// delivery.
func stateBadge(status string) string {
	switch status {
	case "completed", "posted", "delivered":
		return "ok"
	case "failed":
		return "bad"
	case "processing", "retrying":
		return "warn"
	}
	return ""
}

// StatusClass is the badge style of the source's status.
func (s sourcesCard) StatusClass() string { return stateBadge(s.Status) }

// StatusClass is the badge style of the scrape's status.
func (l sourcesScrape) StatusClass() string { return stateBadge(l.Status) }

// Running reports whether the scrape is under way, for an indeterminate
// <progress> when its total is unknown.
func (l sourcesScrape) Running() bool { return l.Status == "processing" }

type sourcesData struct {
	Sources []sourcesCard
}

func (d *Dashboard) sources(w http.ResponseWriter, r *request) {
	infos, _, err := d.svc.ListSources(r.ctx(), r.ws, 0, 0)
	if err != nil {
		d.fail(w, r, err)
		return
	}
	data := sourcesData{Sources: make([]sourcesCard, 0, len(infos))}
	for _, info := range infos {
		data.Sources = append(data.Sources, sourcesCardOf(info))
	}
	d.render(w, r, http.StatusOK, "sources", view{Title: "Sources", Nav: "sources", Data: data})
}

func sourcesCardOf(info service.SourceInfo) sourcesCard {
	c := sourcesCard{
		ID: info.ID, Name: info.Name, Address: info.Address, Status: info.Status(),
		Kept: info.Kept, Scraped: info.Scraped(), MaxLeads: info.MaxLeads, Scrapes: len(info.Jobs), CreatedAt: info.CreatedAt,
	}
	for _, j := range info.Jobs {
		if j.State.Final() {
			c.Ended++
		}
	}
	line := func(j store.Job) sourcesScrape {
		l := sourcesScrape{Handle: j.Handle, Relation: j.Relation, Status: service.ScrapeStatus(j), Seen: j.Seen, Kept: j.Kept, UpdatedAt: j.UpdatedAt}
		if l.Status != "completed" {
			l.Error = j.LastError
		}
		return l
	}
	// In the order the source declares its targets, as the API lists them.
	for _, t := range info.Targets {
		for _, rel := range t.Relations() {
			id := store.ScrapeJobID(info.ID, rel, t.Handle)
			for _, j := range info.Jobs {
				if j.ID == id {
					c.Targets = append(c.Targets, line(j))
				}
			}
		}
	}
	for _, j := range info.Jobs {
		if j.Relation == store.RelationList {
			l := line(j)
			l.Total = len(info.Listed)
			c.List = &l
		}
	}
	return c
}

// ProgressMax is the max of a lead list's <progress>, which must be above
// zero.
func (l sourcesScrape) ProgressMax() int { return max(l.Total, 1) }
