package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/outreachhq/outreach/core/service"
	"github.com/outreachhq/outreach/core/store"
	"github.com/outreachhq/outreach/core/store/storetest"
)

// The helpers of the pages' tests (campaigns, accounts, sources, tweets,
// webhooks, review) are named pages* so as not to collide with the other
// pages' tests in this package.

// pagesUpdate writes to the live store directly, as the engine would.
func pagesUpdate(t testing.TB, l *live, fn func(tx storetest.Tx) error) {
	t.Helper()
	if err := l.Store.Update(context.Background(), fn); err != nil {
		t.Fatal(err)
	}
}

// pagesAccount adds an account with a session's cookies to workspace ws
// through the service, as the API would.
func pagesAccount(t testing.TB, l *live, ws, handle string) store.Account {
	t.Helper()
	a, _, err := l.Svc.UpsertAccount(context.Background(), ws, service.AccountInput{
		Handle: handle,
		Cookies: []service.Cookie{
			{Name: "ct0", Value: "ct0-secret-" + handle, Domain: ".x.com"},
			{Name: "auth_token", Value: "auth-secret-" + handle, Domain: ".x.com"},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// pagesRefusedWithoutCSRF checks that each POST is refused: 403 without the
// session's CSRF token, whoever posts it.
func pagesRefusedWithoutCSRF(t *testing.T, b *browser, path string, form url.Values) {
	t.Helper()
	form = pagesForm(form)
	form.Set("csrf", "forged")
	if status, body := b.post(path, form); status != http.StatusForbidden {
		t.Errorf("POST %s with a forged CSRF token: %d, want 403\n%s", path, status, body)
	}
	form.Del("csrf")
	nob := *b
	nob.csrf = ""
	if status, body := nob.post(path, form); status != http.StatusForbidden {
		t.Errorf("POST %s without a CSRF token: %d, want 403\n%s", path, status, body)
	}
}

// pagesNotFound checks that a POST of another workspace's session is
// answered 404, and tells nothing of the object.
func pagesNotFound(t *testing.T, b *browser, path string, form url.Values) {
	t.Helper()
	if status, body := b.post(path, pagesForm(form)); status != http.StatusNotFound {
		t.Errorf("POST %s from workspace B: %d, want 404\n%s", path, status, body)
	}
}

func pagesForm(form url.Values) url.Values {
	out := url.Values{}
	for k, v := range form {
		out[k] = append([]string(nil), v...)
	}
	return out
}

// pagesCampaign launches a campaign of two variants over a source of n
// leads in workspace ws, from one account, and returns it.
func pagesCampaign(t testing.TB, l *live, ws, name string, n int) store.Campaign {
	t.Helper()
	ctx := context.Background()
	a := pagesAccount(t, l, ws, name+"_s")
	src, err := l.Svc.CreateSource(ctx, ws, service.SourceInput{Name: name + " leads", Targets: []store.Target{{Handle: name + "_t", Followers: true}}})
	if err != nil {
		t.Fatal(err)
	}
	pagesUpdate(t, l, func(tx storetest.Tx) error {
		for i := range n {
			lead := store.Lead{UserID: fmt.Sprintf("%s-%d", name, i), Workspace: ws, Username: fmt.Sprintf("%s_lead%d", name, i), Name: "Pat Doe", FoundAt: liveStart}
			if _, err := tx.AddSourceLead(ws, src.ID, lead); err != nil {
				return err
			}
		}
		return nil
	})
	launch, err := l.Svc.LaunchCampaign(ctx, ws, service.CampaignInput{
		Name: name, LeadSourceIDs: []string{src.ID}, AccountIDs: []string{a.ID},
		Variants: []store.Variant{{Message: "Hey {{firstName}}, variant one"}, {Message: "Hi {{firstName}}, variant two"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	return launch.Campaign
}

// pagesSettle sets the states of a campaign's first DMs, in job order:
// the first ones done (with a reply from the first replied), then failed,
// then parked for review; the rest wait.
func pagesSettle(t testing.TB, l *live, c store.Campaign, done, replied, failed, review int) {
	t.Helper()
	pagesUpdate(t, l, func(tx storetest.Tx) error {
		jobs, err := tx.Jobs(c.Workspace, store.JobQuery{CampaignID: c.ID, Kind: store.JobDM})
		if err != nil {
			return err
		}
		for i, j := range jobs {
			switch {
			case i < done:
				j.State, j.DoneAt = store.JobDone, liveStart
			case i < done+failed:
				j.State, j.LastError = store.JobFailed, "X refused the DM"
			case i < done+failed+review:
				j.State, j.LastError = store.JobNeedsReview, "send in doubt: X did not answer"
			default:
				continue
			}
			if err := tx.PutJob(j); err != nil {
				return err
			}
			if i < replied {
				conv := store.Conversation{
					ID: store.ConversationID("1", j.LeadID), Workspace: c.Workspace, AccountID: j.AccountID, LeadID: j.LeadID,
					CampaignID: c.ID, Variant: j.Variant, Replied: true, RepliedAt: liveStart, LastAt: liveStart,
					LastText: "Sure", MessageCount: 2, CreatedAt: liveStart, UpdatedAt: liveStart,
				}
				if err := tx.PutConversation(conv); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

// campaignSection is the <section> of one campaign on the page.
func campaignSection(t *testing.T, body, id string) string {
	t.Helper()
	start := strings.Index(body, `data-campaign-id="`+id+`"`)
	if start < 0 {
		t.Fatalf("no section of campaign %s on the page:\n%s", id, body)
	}
	end := strings.Index(body[start:], "</section>")
	return body[start : start+end]
}

// pagesFigure reads the figure a <dt> names in a section.
func pagesFigure(t *testing.T, section, name string) string {
	t.Helper()
	m := regexp.MustCompile(`<dt>` + regexp.QuoteMeta(name) + `</dt><dd[^>]*>(?:<a[^>]*>)?([^<]*)`).FindStringSubmatch(section)
	if m == nil {
		t.Fatalf("no figure %q in:\n%s", name, section)
	}
	return strings.TrimSpace(m[1])
}

func TestCampaignsPage(t *testing.T) {
	l := newLive(t)
	c := pagesCampaign(t, l, workspaceA, "spring", 8)
	pagesSettle(t, l, c, 4, 1, 1, 2)
	other := pagesCampaign(t, l, workspaceB, "secretplan", 2)
	b := l.signIn(t, l.KeyA)

	status, body := b.get("/campaigns")
	if status != http.StatusOK {
		t.Fatalf("GET /campaigns: %d\n%s", status, body)
	}
	if strings.Contains(body, "secretplan") || strings.Contains(body, other.ID) {
		t.Errorf("workspace A sees workspace B's campaign:\n%s", body)
	}
	sec := campaignSection(t, body, c.ID)
	for _, want := range []string{
		">spring</h2>", ">Active</span>",
		"4 of 8 sent", `<progress id="progress-` + c.ID + `" max="8" value="4">`,
		"Hey {{firstName}}, variant one", "Hi {{firstName}}, variant two",
		`action="/campaigns/` + c.ID + `/pause"`,
	} {
		if !strings.Contains(sec, want) {
			t.Errorf("the campaign's section lacks %q:\n%s", want, sec)
		}
	}
	for name, want := range map[string]string{"First DMs waiting": "1", "Failed": "1", "Needs review": "2", "Follow-ups sent": "0"} {
		if got := pagesFigure(t, sec, name); got != want {
			t.Errorf("%s: %q, want %q", name, got, want)
		}
	}
	// Per variant: leads alternate between the variants, so each sent two
	// first DMs; the one reply went to the first.
	rows := regexp.MustCompile(`(?s)<tr class="variant">.*?</tr>`).FindAllString(sec, -1)
	if len(rows) != 2 {
		t.Fatalf("%d variant rows, want 2:\n%s", len(rows), sec)
	}
	cells := regexp.MustCompile(`<td class="num">([^<]*)</td>`)
	var got []string
	for _, row := range rows {
		for _, m := range cells.FindAllStringSubmatch(row, -1) {
			got = append(got, m[1])
		}
	}
	if want := "2 1 50% 2 0 0%"; strings.Join(got, " ") != want {
		t.Errorf("variant figures (sent, replied, rate): %q, want %q", strings.Join(got, " "), want)
	}
}

func TestCampaignsPauseAndResume(t *testing.T) {
	l := newLive(t)
	c := pagesCampaign(t, l, workspaceA, "spring", 2)
	a := l.signIn(t, l.KeyA)
	bee := l.signIn(t, l.KeyB)
	form := url.Values{"back": {"/campaigns"}}
	paused := func() bool {
		t.Helper()
		list, _, err := l.Svc.ListCampaigns(context.Background(), workspaceA, 0, 0)
		if err != nil || len(list) != 1 {
			t.Fatalf("ListCampaigns: %v, %v", list, err)
		}
		return list[0].Paused
	}

	for _, action := range []string{"pause", "resume"} {
		pagesRefusedWithoutCSRF(t, a, "/campaigns/"+c.ID+"/"+action, form)
		pagesNotFound(t, bee, "/campaigns/"+c.ID+"/"+action, form)
	}
	if paused() {
		t.Fatal("refused posts paused the campaign")
	}

	status, _ := a.post("/campaigns/"+c.ID+"/pause", pagesForm(form))
	if status != http.StatusSeeOther || !paused() {
		t.Fatalf("pause: %d, paused %v; want 303 and the campaign paused", status, paused())
	}
	// B's resume of A's paused campaign does nothing.
	pagesNotFound(t, bee, "/campaigns/"+c.ID+"/resume", form)
	if !paused() {
		t.Error("workspace B resumed A's campaign")
	}
	_, body := a.get("/campaigns")
	sec := campaignSection(t, body, c.ID)
	if !strings.Contains(sec, ">Paused</span>") || !strings.Contains(sec, `action="/campaigns/`+c.ID+`/resume"`) {
		t.Errorf("a paused campaign shows:\n%s", sec)
	}

	if status, _ := a.post("/campaigns/"+c.ID+"/resume", pagesForm(form)); status != http.StatusSeeOther || paused() {
		t.Fatalf("resume: %d, paused %v", status, paused())
	}
	_, body = a.get("/campaigns")
	if sec := campaignSection(t, body, c.ID); !strings.Contains(sec, ">Active</span>") {
		t.Errorf("a resumed campaign shows:\n%s", sec)
	}
	if status, _ := a.post("/campaigns/no-such-campaign/pause", pagesForm(form)); status != http.StatusNotFound {
		t.Errorf("pause of an unknown campaign: %d, want 404", status)
	}
}
