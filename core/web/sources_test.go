package web

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/outreachhq/outreach/core/service"
	"github.com/outreachhq/outreach/core/store"
	"github.com/outreachhq/outreach/core/store/storetest"
)

// pagesSection is the <section> whose opening tag holds marker.
func pagesSection(t *testing.T, body, marker string) string {
	t.Helper()
	start := strings.Index(body, marker)
	if start < 0 {
		t.Fatalf("no %s on the page:\n%s", marker, body)
	}
	end := strings.Index(body[start:], "</section>")
	return body[start : start+end]
}

var (
	pagesTag   = regexp.MustCompile(`<[^>]*>`)
	pagesSpace = regexp.MustCompile(`\s+`)
)

// pagesText is the text of markup, as a browser shows it: tags out,
// spaces collapsed, entities left as they are.
func pagesText(markup string) string {
	return strings.TrimSpace(pagesSpace.ReplaceAllString(pagesTag.ReplaceAllString(markup, " "), " "))
}

func TestSourcesPage(t *testing.T) {
	l := newLive(t)
	ctx := context.Background()
	src, err := l.Svc.CreateSource(ctx, workspaceA, service.SourceInput{Name: "Founders", MaxLeads: 60, Targets: []store.Target{
		{Handle: "paulg", Followers: true, Following: true}, {Handle: "naval", Followers: true},
	}})
	if err != nil {
		t.Fatal(err)
	}
	list, err := l.Svc.CreateLeadList(ctx, workspaceA, "Conference list", []store.Listed{{Handle: "ann"}, {Handle: "bo"}, {Handle: "cy"}, {Handle: "di"}, {Handle: "ed"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := l.Svc.CreateSource(ctx, workspaceB, service.SourceInput{Name: "Bsecretsource", Targets: []store.Target{{Handle: "jack", Followers: true}}}); err != nil {
		t.Fatal(err)
	}
	// paulg's followers are being read, his following is done, naval's
	// followers failed; the list has looked up three users of five.
	pagesUpdate(t, l, func(tx storetest.Tx) error {
		set := func(id string, change func(j *store.Job)) error {
			j, err := tx.Job(workspaceA, id)
			if err != nil {
				return err
			}
			change(&j)
			return tx.PutJob(j)
		}
		if err := set(store.ScrapeJobID(src.ID, store.RelationFollowers, "paulg"), func(j *store.Job) {
			j.Seen, j.Kept, j.Attempts, j.Cursor = 40, 10, 1, "next"
		}); err != nil {
			return err
		}
		if err := set(store.ScrapeJobID(src.ID, store.RelationFollowing, "paulg"), func(j *store.Job) {
			j.State, j.Seen, j.Kept, j.DoneAt = store.JobDone, 30, 12, liveStart
		}); err != nil {
			return err
		}
		if err := set(store.ScrapeJobID(src.ID, store.RelationFollowers, "naval"), func(j *store.Job) {
			j.State, j.LastError = store.JobFailed, "X says @naval is protected"
		}); err != nil {
			return err
		}
		for _, j := range list.Jobs {
			if err := set(j.ID, func(j *store.Job) { j.Seen, j.Kept, j.Attempts = 3, 2, 1 }); err != nil {
				return err
			}
		}
		for i := range 22 {
			lead := store.Lead{UserID: fmt.Sprint(500 + i), Workspace: workspaceA, Username: fmt.Sprint("lead", i), FoundAt: liveStart}
			if _, err := tx.AddSourceLead(workspaceA, src.ID, lead); err != nil {
				return err
			}
		}
		return nil
	})

	b := l.signIn(t, l.KeyA)
	status, body := b.get("/sources")
	if status != http.StatusOK {
		t.Fatalf("GET /sources: %d\n%s", status, body)
	}
	if strings.Contains(body, "Bsecretsource") || strings.Contains(body, "@jack") {
		t.Errorf("workspace A sees workspace B's source:\n%s", body)
	}
	sec := pagesSection(t, body, `data-source-id="`+src.ID+`"`)
	for _, want := range []string{
		">Founders</h2>", ">Processing</span>",
		"22 of 60 leads kept", `<progress id="kept-` + src.ID + `" max="60" value="22">`,
		"<dt>Scrapes ended</dt><dd>2 of 3</dd>", "<dt>Users read</dt><dd>70</dd>",
		"X says @naval is protected",
	} {
		if !strings.Contains(sec, want) {
			t.Errorf("the source's section lacks %q:\n%s", want, sec)
		}
	}
	// One row per handle and list, in the order the source declares them,
	// with each one's own progress.
	var rows []string
	for _, row := range strings.Split(sec, `<tr class="scrape">`)[1:] {
		rows = append(rows, pagesText(row[:strings.Index(row, "</tr>")]))
	}
	want := []string{
		"@paulg followers Processing 40 10 4 Mar 2030 09:00 UTC",
		"@paulg following Completed 30 12 4 Mar 2030 09:00 UTC",
		"@naval followers Failed X says @naval is protected 0 0 4 Mar 2030 09:00 UTC",
	}
	if strings.Join(rows, "\n") != strings.Join(want, "\n") {
		t.Errorf("scrapes:\n%s\nwant:\n%s", strings.Join(rows, "\n"), strings.Join(want, "\n"))
	}
	if !strings.Contains(sec, `<progress class="running" aria-label="Scraping the followers of @paulg">`) {
		t.Errorf("a running scrape has no progress bar:\n%s", sec)
	}

	sec = pagesSection(t, body, `data-source-id="`+list.ID+`"`)
	for _, want := range []string{">Conference list</h2>", "3 of 5 users looked up, 2 kept", `<progress id="list-` + list.ID + `" max="5" value="3">`} {
		if !strings.Contains(sec, want) {
			t.Errorf("the lead list's section lacks %q:\n%s", want, sec)
		}
	}
}
