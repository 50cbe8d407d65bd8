package api

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/outreachhq/outreach/core/store"
	"github.com/outreachhq/outreach/core/store/storetest"
)

// The reference's Create Scraping Source request and response, verbatim.
const (
	referenceCreateSourceRequest = `{
"name": "Tech Founders Q1",
"sources": [
{
"handle": "paulg",
"followers": true
},
{
"handle": "naval",
"followers": true,
"following": true
}
],
"filters": {
"includeKeywords": [["founder", "ceo"], ["startup"]],
"includeBetweenLogic": "OR",
"includeWithinLogic": "AND",
"excludeKeywords": [["hiring", "recruiter"]],
"followers": { "min": 100, "max": 50000 },
"hasWebsite": true
}
}`
	referenceCreateSource = `{
"success": true,
"lead_source_id": "uuid-here",
"name": "Tech Founders Q1",
"jobs_created": 3,
"message": "Scraping all followers/following. Credits deducted as leads are imported.",
"jobs": [
{
"id": "job-uuid-1",
"type": "followers",
"handle": "paulg",
"status": "pending"
}
]
}`
	referenceSourceStatus = `{
"scraping_source": {
"id": "uuid-here",
"name": "Tech Founders Q1",
"status": "processing",
"leads_imported": 4200,
"total_leads": 9000,
"progress": 47,
"handles": [
{
"handle": "paulg",
"followers": {
"status": "completed",
"leads_imported": 5000,
"max_leads": 5000
},
"following": null
}
],
"created_at": "2024-01-15T10:30:00Z"
}
}`
)

type createdSource struct {
	LeadSourceID string `json:"lead_source_id"`
	JobsCreated  int    `json:"jobs_created"`
	Jobs         []struct {
		ID, Type, Handle, Status string
	} `json:"jobs"`
}

// createSource creates the reference's example source with key.
func (l *live) createSource(t testing.TB, key string) createdSource {
	t.Helper()
	status, body := l.do(t, key, http.MethodPost, "/api/v1/scraping-sources", referenceCreateSourceRequest)
	if status != http.StatusOK {
		t.Fatalf("create source: %d %s", status, body)
	}
	return decode[createdSource](t, body)
}

func TestCreateScrapingSource(t *testing.T) {
	l := newLive(t)
	status, body := l.do(t, l.KeyA, http.MethodPost, "/api/v1/scraping-sources", referenceCreateSourceRequest)
	if status != http.StatusOK {
		t.Fatalf("status %d: %s", status, body)
	}
	wantShape(t, referenceCreateSource, body)
	got := decode[createdSource](t, body)
	// One job per handle and relation, in the request's order.
	var jobs []string
	for _, j := range got.Jobs {
		jobs = append(jobs, j.Type+" "+j.Handle+" "+j.Status)
	}
	if want := "followers paulg pending,followers naval pending,following naval pending"; strings.Join(jobs, ",") != want || got.JobsCreated != 3 {
		t.Errorf("jobs = %q (%d created), want %q", jobs, got.JobsCreated, want)
	}
	// The filter is the one the source keeps leads through.
	info, err := l.Svc.Source(t.Context(), WorkspaceA, got.LeadSourceID)
	if err != nil {
		t.Fatal(err)
	}
	if f := info.Filter; f == nil || len(f.IncludeKeywords) != 2 || f.HasWebsite == nil || !*f.HasWebsite ||
		f.Followers.Min == nil || *f.Followers.Min != 100 || *f.Followers.Max != 50000 || f.IncludeBetween != "OR" {
		t.Errorf("stored filter = %+v", f)
	}
}

func TestCreateScrapingSourceBadInput(t *testing.T) {
	l := newLive(t)
	for _, tc := range []struct {
		name, body, field string
	}{
		{"no relation", `{"name":"s","sources":[{"handle":"paulg","followers":true},{"handle":"naval"}]}`, "sources[1]"},
		{"no name", `{"sources":[{"handle":"paulg","followers":true}]}`, "name"},
		{"no sources", `{"name":"s","sources":[]}`, "sources"},
		{"bad handle", `{"name":"s","sources":[{"handle":"no spaces","followers":true}]}`, "sources[0].handle"},
		{"bad logic", `{"name":"s","sources":[{"handle":"paulg","followers":true}],"filters":{"includeWithinLogic":"XOR"}}`, "filters.includeWithinLogic"},
		{"empty group", `{"name":"s","sources":[{"handle":"paulg","followers":true}],"filters":{"includeKeywords":[[]]}}`, "filters.includeKeywords"},
		{"negative min", `{"name":"s","sources":[{"handle":"paulg","followers":true}],"filters":{"followers":{"min":-1}}}`, "filters.followers.min"},
		{"unknown field", `{"name":"s","sources":[{"handle":"paulg","followers":true}],"id":"x"}`, "id"},
		{"wrong type", `{"name":"s","sources":[{"handle":"paulg","followers":"yes"}]}`, "sources[0].followers"},
		{"long name", `{"name":"` + strings.Repeat("n", 201) + `","sources":[{"handle":"paulg","followers":true}]}`, "name"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, body := l.do(t, l.KeyA, http.MethodPost, "/api/v1/scraping-sources", tc.body)
			e := decode[Error](t, body)
			if status != http.StatusBadRequest || !strings.Contains(e.Message, tc.field) {
				t.Errorf("%d %s; want 400 naming %s", status, body, tc.field)
			}
		})
	}
	// hasWebsite may be null: no filter on websites.
	status, body := l.do(t, l.KeyA, http.MethodPost, "/api/v1/scraping-sources",
		`{"name":"s","sources":[{"handle":"paulg","followers":true}],"filters":{"hasWebsite":null}}`)
	if status != http.StatusOK {
		t.Errorf("hasWebsite null: %d %s", status, body)
	}
}

func TestScrapingSourceStatus(t *testing.T) {
	l := newLive(t)
	src := l.createSource(t, l.KeyA)
	// The engine has finished paulg's followers, keeping two of five users,
	// and started on naval's followers.
	l.update(t, func(tx storetest.Tx) error {
		for i := range 2 {
			if _, err := tx.AddSourceLead(WorkspaceA, src.LeadSourceID, store.Lead{UserID: fmt.Sprint(100 + i), Workspace: WorkspaceA, Username: fmt.Sprint("lead", i)}); err != nil {
				return err
			}
		}
		for _, j := range src.Jobs {
			job, err := tx.Job(WorkspaceA, j.ID)
			if err != nil {
				return err
			}
			switch {
			case j.Handle == "paulg":
				job.State, job.Seen, job.Kept = store.JobDone, 5, 2
			case j.Type == "followers":
				job.Seen, job.Cursor = 3, "c1"
			}
			if err := tx.PutJob(job); err != nil {
				return err
			}
		}
		return nil
	})
	status, body := l.do(t, l.KeyA, http.MethodGet, "/api/v1/scraping-sources?id="+src.LeadSourceID, nil)
	if status != http.StatusOK {
		t.Fatalf("status %d: %s", status, body)
	}
	wantShape(t, referenceSourceStatus, body)
	type relation struct {
		Status        string `json:"status"`
		LeadsImported int    `json:"leads_imported"`
	}
	got := decode[struct {
		ScrapingSource struct {
			Status        string `json:"status"`
			LeadsImported int    `json:"leads_imported"`
			TotalLeads    int    `json:"total_leads"`
			Progress      int    `json:"progress"`
			Handles       []struct {
				Handle    string    `json:"handle"`
				Followers *relation `json:"followers"`
				Following *relation `json:"following"`
			} `json:"handles"`
			CreatedAt string `json:"created_at"`
		} `json:"scraping_source"`
	}](t, body).ScrapingSource
	if got.Status != "processing" || got.LeadsImported != 2 || got.TotalLeads != 8 || got.Progress != 33 || got.CreatedAt != "2030-03-04T09:00:00Z" {
		t.Errorf("source = %+v", got)
	}
	if len(got.Handles) != 2 || got.Handles[0].Handle != "paulg" || got.Handles[0].Followers == nil ||
		*got.Handles[0].Followers != (relation{"completed", 2}) || got.Handles[0].Following != nil ||
		got.Handles[1].Followers == nil || got.Handles[1].Followers.Status != "processing" ||
		got.Handles[1].Following == nil || got.Handles[1].Following.Status != "pending" {
		t.Errorf("handles = %+v", got.Handles)
	}
	// Only the single form: no list fields beside it.
	if strings.Contains(string(body), "scraping_sources") || strings.Contains(string(body), "pagination") {
		t.Errorf("single form carries list fields: %s", body)
	}
}

func TestListScrapingSources(t *testing.T) {
	l := newLive(t)
	// An empty workspace lists [] (never null), with its pagination.
	status, body := l.do(t, l.KeyA, http.MethodGet, "/api/v1/scraping-sources", nil)
	if status != http.StatusOK || string(body) != `{"scraping_sources":[],"pagination":{"limit":20,"offset":0,"count":0,"total":0}}`+"\n" {
		t.Errorf("empty list: %d %s", status, body)
	}
	var ids []string
	for range 3 {
		ids = append(ids, l.createSource(t, l.KeyA).LeadSourceID)
		l.Clock.Advance(time.Second) // sources are listed by creation time
	}
	type page struct {
		ScrapingSources []struct {
			ID string `json:"id"`
		} `json:"scraping_sources"`
		Pagination offsetPage `json:"pagination"`
	}
	status, body = l.do(t, l.KeyA, http.MethodGet, "/api/v1/scraping-sources?limit=2&offset=1", nil)
	got := decode[page](t, body)
	// Newest first: the second page of two starts with the second newest.
	if status != http.StatusOK || len(got.ScrapingSources) != 2 || got.ScrapingSources[0].ID != ids[1] || got.ScrapingSources[1].ID != ids[0] ||
		got.Pagination != (offsetPage{Limit: 2, Offset: 1, Count: 2, Total: 3}) {
		t.Errorf("page: %d %s", status, body)
	}
	if strings.Contains(string(body), `"scraping_source"`) {
		t.Errorf("list form carries the single field: %s", body)
	}
	status, body = l.do(t, l.KeyA, http.MethodGet, "/api/v1/scraping-sources?limit=101", nil)
	if status != http.StatusBadRequest || !strings.Contains(decode[Error](t, body).Message, "limit") {
		t.Errorf("limit=101: %d %s", status, body)
	}
}

func TestScrapingSourcesOtherWorkspace(t *testing.T) {
	l := newLive(t)
	src := l.createSource(t, l.KeyA)
	status, body := l.do(t, l.KeyB, http.MethodGet, "/api/v1/scraping-sources?id="+src.LeadSourceID, nil)
	if status != http.StatusNotFound {
		t.Errorf("B gets A's source: %d %s", status, body)
	}
	status, body = l.do(t, l.KeyB, http.MethodGet, "/api/v1/scraping-sources", nil)
	if status != http.StatusOK || strings.Contains(string(body), src.LeadSourceID) || !strings.Contains(string(body), `"total":0`) {
		t.Errorf("B lists A's sources: %d %s", status, body)
	}
	// B's own source is B's: A does not see it.
	srcB := l.createSource(t, l.KeyB)
	if status, body = l.do(t, l.KeyA, http.MethodGet, "/api/v1/scraping-sources?id="+srcB.LeadSourceID, nil); status != http.StatusNotFound {
		t.Errorf("A gets B's source: %d %s", status, body)
	}
}

func FuzzCreateScrapingSource(f *testing.F) {
	f.Add(referenceCreateSourceRequest)
	f.Add(`{"name":"s","sources":[{"handle":"a"}]}`)
	f.Add(`{"name":"s","sources":[{"handle":"a","followers":true}],"filters":{"followers":{"min":5,"max":1},"hasWebsite":null}}`)
	f.Add(`{"name":"s","sources":[{"handle":"a","following":true}],"filters":{"includeKeywords":[[" "]],"locationExcludeKeywords":[""]}}`)
	l := newLive(f)
	f.Fuzz(func(t *testing.T, body string) {
		if status, resp := l.do(t, l.KeyA, http.MethodPost, "/api/v1/scraping-sources", body); status >= 500 {
			t.Errorf("%d %s for %s", status, resp, body)
		}
	})
}
