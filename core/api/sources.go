package api

import (
	"context"
	"encoding/json"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/outreachhq/outreach/core/filter"
	"github.com/outreachhq/outreach/core/service"
	"github.com/outreachhq/outreach/core/store"
)

// sourcesService is what the operations of /scraping-sources call.
type sourcesService interface {
	// CreateSource creates a lead source and queues its scrapes.
	CreateSource(ctx context.Context, ws string, in service.SourceInput) (service.SourceInfo, error)
	// ListSources returns a page of the workspace's sources, newest first,
	// and how many there are.
	ListSources(ctx context.Context, ws string, limit, offset int) ([]service.SourceInfo, int, error)
	// Source returns one source of the workspace, or service.ErrNotFound.
	Source(ctx context.Context, ws, id string) (service.SourceInfo, error)
}

// scrapeTarget is one handle a new source scrapes.
type scrapeTarget struct {
	Handle    string `json:"handle" minLength:"1" maxLength:"50" doc:"X handle to scrape, with or without the @." example:"paulg"`
	Followers bool   `json:"followers,omitempty" doc:"Scrape the handle's followers." example:"true"`
	Following bool   `json:"following,omitempty" doc:"Scrape the accounts the handle follows." example:"false"`
}

// countRange bounds a lead's own follower or following count.
type countRange struct {
	Min *int `json:"min,omitempty" minimum:"0" doc:"Lowest count kept, inclusive." example:"100"`
	Max *int `json:"max,omitempty" minimum:"0" doc:"Highest count kept, inclusive." example:"50000"`
}

// sourceFilters is the hosted API's Filters Object.
type sourceFilters struct {
	IncludeKeywords         [][]string  `json:"includeKeywords,omitempty" maxItems:"100" doc:"Keyword groups a lead's bio must match: keywords within a group combine by includeWithinLogic, groups by includeBetweenLogic." example:"[[\"founder\",\"ceo\"],[\"startup\"]]"`
	ExcludeKeywords         [][]string  `json:"excludeKeywords,omitempty" maxItems:"100" doc:"Keyword groups whose match drops a lead." example:"[[\"hiring\",\"recruiter\"]]"`
	IncludeWithinLogic      string      `json:"includeWithinLogic,omitempty" enum:"AND,OR" doc:"Logic within each include group. Default AND." example:"AND"`
	IncludeBetweenLogic     string      `json:"includeBetweenLogic,omitempty" enum:"AND,OR" doc:"Logic between include groups. Default OR." example:"OR"`
	ExcludeWithinLogic      string      `json:"excludeWithinLogic,omitempty" enum:"AND,OR" doc:"Logic within each exclude group. Default AND." example:"AND"`
	ExcludeBetweenLogic     string      `json:"excludeBetweenLogic,omitempty" enum:"AND,OR" doc:"Logic between exclude groups. Default OR." example:"OR"`
	LocationExcludeKeywords []string    `json:"locationExcludeKeywords,omitempty" maxItems:"100" doc:"Leads whose location contains any of these are dropped." example:"[\"antarctica\"]"`
	Followers               *countRange `json:"followers,omitempty" doc:"Only keep leads with this many followers themselves."`
	Following               *countRange `json:"following,omitempty" doc:"Only keep leads who follow this many accounts."`
	HasWebsite              *bool       `json:"hasWebsite,omitempty" nullable:"true" doc:"true keeps only leads with a website, false only leads without one, null does not filter." example:"true"`
}

// spec converts the filters to the filter package's Spec.
func (f *sourceFilters) spec() *filter.Spec {
	if f == nil {
		return nil
	}
	s := &filter.Spec{
		IncludeKeywords: f.IncludeKeywords, ExcludeKeywords: f.ExcludeKeywords,
		IncludeWithin: filter.Logic(f.IncludeWithinLogic), IncludeBetween: filter.Logic(f.IncludeBetweenLogic),
		ExcludeWithin: filter.Logic(f.ExcludeWithinLogic), ExcludeBetween: filter.Logic(f.ExcludeBetweenLogic),
		LocationExclude: f.LocationExcludeKeywords, HasWebsite: f.HasWebsite,
	}
	if f.Followers != nil {
		s.Followers = filter.Range{Min: f.Followers.Min, Max: f.Followers.Max}
	}
	if f.Following != nil {
		s.Following = filter.Range{Min: f.Following.Min, Max: f.Following.Max}
	}
	return s
}

type createSourceInput struct {
	Body struct {
		Name    string         `json:"name" minLength:"1" maxLength:"200" doc:"Name for the lead source." example:"Tech Founders Q1"`
		Sources []scrapeTarget `json:"sources" minItems:"1" maxItems:"100" nullable:"false" doc:"Handles to scrape; each needs followers or following (or both) set to true."`
		Filters *sourceFilters `json:"filters,omitempty" doc:"Filter applied to scraped leads as they come: only leads that match are kept."`
	}
}

// scrapeJob is one scrape of a new source.
type scrapeJob struct {
	ID     string `json:"id" doc:"Scrape job id." example:"job-uuid-1"`
	Type   string `json:"type" enum:"followers,following" doc:"What the job scrapes." example:"followers"`
	Handle string `json:"handle" doc:"The handle it scrapes." example:"paulg"`
	Status string `json:"status" enum:"pending,processing,completed,failed" doc:"pending: queued; processing: scraping; completed; failed." example:"pending"`
}

type createSourceOutput struct {
	Body struct {
		Success      bool        `json:"success" doc:"Always true." example:"true"`
		LeadSourceID string      `json:"lead_source_id" doc:"Id of the new lead source; use it in lead_source_ids when launching a campaign." example:"uuid-here"`
		Name         string      `json:"name" doc:"The source's name." example:"Tech Founders Q1"`
		JobsCreated  int         `json:"jobs_created" doc:"Scrape jobs queued: one per handle and relation." example:"3"`
		Message      string      `json:"message" doc:"What happens next." example:"Scraping all followers/following. Credits deducted as leads are imported."`
		Jobs         []scrapeJob `json:"jobs" nullable:"false" doc:"The scrape jobs queued."`
	}
}

// relationStatus is the progress of one handle's scrape of one relation.
type relationStatus struct {
	Status        string `json:"status" enum:"pending,processing,completed,failed" doc:"pending: queued; processing: scraping; completed; failed." example:"completed"`
	LeadsImported int    `json:"leads_imported" doc:"Leads this scrape kept." example:"5000"`
	MaxLeads      int    `json:"max_leads" doc:"The most leads the source keeps (0: no limit)." example:"5000"`
}

// handleStatus is one scraped handle's progress.
type handleStatus struct {
	Handle    string          `json:"handle" doc:"The scraped handle." example:"paulg"`
	Followers *relationStatus `json:"followers" doc:"Its followers' scrape; null when not scraped."`
	Following *relationStatus `json:"following" doc:"Its following's scrape; null when not scraped."`
}

// scrapingSource is a lead source and its progress.
type scrapingSource struct {
	ID            string         `json:"id" doc:"Lead source id." example:"uuid-here"`
	Name          string         `json:"name" doc:"The source's name." example:"Tech Founders Q1"`
	Status        string         `json:"status" enum:"pending,processing,completed,failed" doc:"pending: no scrape started; processing: scraping; completed: every scrape ended and one succeeded; failed: every scrape failed." example:"processing"`
	LeadsImported int            `json:"leads_imported" doc:"Leads the source kept (passed its filter)." example:"4200"`
	TotalLeads    int            `json:"total_leads" doc:"Users its scrapes have read so far, kept or not." example:"9000"`
	Progress      int            `json:"progress" minimum:"0" maximum:"100" doc:"Share of its scrapes that have ended, in percent." example:"47"`
	Handles       []handleStatus `json:"handles" nullable:"false" doc:"Progress per scraped handle."`
	CreatedAt     string         `json:"created_at" format:"date-time" doc:"When the source was created, RFC 3339 in UTC." example:"2024-01-15T10:30:00Z"`
}

type listSourcesInput struct {
	ID     string `query:"id" maxLength:"100" doc:"Get this source only; the answer is then {scraping_source}." example:"uuid-here"`
	Limit  int    `query:"limit" default:"20" minimum:"1" maximum:"100" doc:"Results per page." example:"20"`
	Offset int    `query:"offset" default:"0" minimum:"0" doc:"Pagination offset." example:"0"`
}

// sourcesBody is the answer of list-scraping-sources: the list fields, or
// the one source, as optional siblings.
type sourcesBody struct {
	ScrapingSources []scrapingSource `json:"scraping_sources,omitempty" doc:"The page of sources, newest first. Absent when id is given."`
	Pagination      *offsetPage      `json:"pagination,omitempty" doc:"Where the page lies. Absent when id is given."`
	ScrapingSource  *scrapingSource  `json:"scraping_source,omitempty" doc:"The source named by id. Absent without id."`
}

// MarshalJSON keeps an empty page's scraping_sources as [] rather than
// leaving it out: omitempty is there for the single-source form only.
func (b sourcesBody) MarshalJSON() ([]byte, error) {
	type plain sourcesBody
	if b.Pagination == nil {
		return json.Marshal(plain(b))
	}
	return json.Marshal(struct {
		ScrapingSources []scrapingSource `json:"scraping_sources"`
		Pagination      *offsetPage      `json:"pagination"`
	}{append(make([]scrapingSource, 0, len(b.ScrapingSources)), b.ScrapingSources...), b.Pagination})
}

type listSourcesOutput struct {
	Body sourcesBody
}

// registerSources registers the operations of /scraping-sources.
func registerSources(api huma.API, svc Service) {
	huma.Register(api, huma.Operation{
		OperationID: "create-scraping-source",
		Method:      http.MethodPost,
		Path:        "/scraping-sources",
		Summary:     "Create a scraping source",
		Description: "Creates a lead source by scraping the followers and/or following of X accounts, " +
			"with an optional filter applied as leads are scraped. One scrape job is queued per handle and relation. " +
			"A source with neither followers nor following is a 400 naming sources[i].",
		Tags: []string{"Scraping sources"},
	}, func(ctx context.Context, in *createSourceInput) (*createSourceOutput, error) {
		targets := make([]store.Target, len(in.Body.Sources))
		for i, t := range in.Body.Sources {
			targets[i] = store.Target{Handle: t.Handle, Followers: t.Followers, Following: t.Following}
		}
		info, err := svc.CreateSource(ctx, workspaceFrom(ctx), service.SourceInput{
			Name: in.Body.Name, Targets: targets, Filter: in.Body.Filters.spec(),
		})
		if err != nil {
			return nil, serviceError(ctx, err)
		}
		out := &createSourceOutput{}
		b := &out.Body
		b.Success, b.LeadSourceID, b.Name = true, info.ID, info.Name
		b.Message = "Scraping all followers/following. Credits deducted as leads are imported."
		b.Jobs = make([]scrapeJob, 0, len(info.Jobs))
		// In the order of the request's handles, followers before following,
		// as the reference lists them (the store lists jobs by id).
		for _, t := range info.Targets {
			for _, rel := range t.Relations() {
				if j, ok := scrapeOf(info, t.Handle, rel); ok {
					b.Jobs = append(b.Jobs, scrapeJob{ID: j.ID, Type: rel, Handle: t.Handle, Status: service.ScrapeStatus(j)})
				}
			}
		}
		b.JobsCreated = len(b.Jobs)
		return out, nil
	})

	huma.Register(api, huma.Operation{
		OperationID: "list-scraping-sources",
		Method:      http.MethodGet,
		Path:        "/scraping-sources",
		Summary:     "List scraping sources or get one's status",
		Description: "Without id, lists the workspace's lead sources, newest first, as {scraping_sources, pagination}. " +
			"With id, answers {scraping_source} with that source's progress per handle; " +
			"an id that is not the workspace's is a 404.",
		Tags:      []string{"Scraping sources"},
		Responses: errorResponses(http.StatusNotFound),
	}, func(ctx context.Context, in *listSourcesInput) (*listSourcesOutput, error) {
		ws := workspaceFrom(ctx)
		out := &listSourcesOutput{}
		if in.ID != "" {
			info, err := svc.Source(ctx, ws, in.ID)
			if err != nil {
				return nil, serviceError(ctx, err)
			}
			src := scrapingSourceFrom(info)
			out.Body.ScrapingSource = &src
			return out, nil
		}
		infos, total, err := svc.ListSources(ctx, ws, in.Limit, in.Offset)
		if err != nil {
			return nil, serviceError(ctx, err)
		}
		out.Body.ScrapingSources = make([]scrapingSource, 0, len(infos))
		for _, info := range infos {
			out.Body.ScrapingSources = append(out.Body.ScrapingSources, scrapingSourceFrom(info))
		}
		out.Body.Pagination = &offsetPage{Limit: in.Limit, Offset: in.Offset, Count: len(infos), Total: total}
		return out, nil
	})
}

// scrapeOf finds a source's scrape of one handle and relation.
func scrapeOf(info service.SourceInfo, handle, rel string) (store.Job, bool) {
	id := store.ScrapeJobID(info.ID, rel, handle)
	for _, j := range info.Jobs {
		if j.ID == id {
			return j, true
		}
	}
	return store.Job{}, false
}

// scrapingSourceFrom converts the service's source to the wire type.
func scrapingSourceFrom(info service.SourceInfo) scrapingSource {
	src := scrapingSource{
		ID: info.ID, Name: info.Name, Status: info.Status(), LeadsImported: info.Kept, TotalLeads: info.Scraped(),
		Progress: info.Progress(), Handles: make([]handleStatus, 0, len(info.Targets)),
		CreatedAt: wireTime(info.CreatedAt),
	}
	for _, t := range info.Targets {
		h := handleStatus{Handle: t.Handle}
		for _, rel := range t.Relations() {
			j, ok := scrapeOf(info, t.Handle, rel)
			if !ok {
				continue
			}
			st := &relationStatus{Status: service.ScrapeStatus(j), LeadsImported: j.Kept, MaxLeads: info.MaxLeads}
			if rel == store.RelationFollowers {
				h.Followers = st
			} else {
				h.Following = st
			}
		}
		src.Handles = append(src.Handles, h)
	}
	return src
}
