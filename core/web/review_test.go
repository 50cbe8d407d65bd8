package web

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/outreachhq/outreach/core/store"
	"github.com/outreachhq/outreach/core/store/storetest"
)

// xssName is a lead's name that would run a script if a page printed it
// as markup.
const xssName = `<img src=x onerror=alert(1)>`

// pagesParked parks sends for review as the engine does after a lookup on
// X that could not tell: n first DMs of a campaign of ws (their leads
// named xssName), a follow-up and a person's message. It returns the
// jobs, in job id order.
func pagesParked(t *testing.T, l *live, ws, name string, n int) (store.Campaign, []store.Job) {
	t.Helper()
	c := pagesCampaign(t, l, ws, name, n)
	var parked []store.Job
	pagesUpdate(t, l, func(tx storetest.Tx) error {
		jobs, err := tx.Jobs(ws, store.JobQuery{CampaignID: c.ID, Kind: store.JobDM})
		if err != nil {
			return err
		}
		for _, j := range jobs {
			lead, err := tx.Lead(ws, j.LeadID)
			if err != nil {
				return err
			}
			lead.Name, lead.Bio = xssName, "<script>alert(2)</script>"
			if err := tx.PutLead(lead); err != nil {
				return err
			}
			j.State, j.Attempts, j.UpdatedAt = store.JobNeedsReview, 1, liveStart
			j.LastError = "send in doubt: X shows a DM 1234 from this account since the send, with other text"
			if err := tx.PutJob(j); err != nil {
				return err
			}
			parked = append(parked, j)
		}
		return nil
	})
	return c, parked
}

// pagesJob reads a job back.
func pagesJob(t *testing.T, l *live, ws, id string) store.Job {
	t.Helper()
	var j store.Job
	err := l.Store.View(context.Background(), func(tx storetest.Tx) (err error) {
		j, err = tx.Job(ws, id)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return j
}

func TestReviewPage(t *testing.T) {
	l := newLive(t)
	c, parked := pagesParked(t, l, workspaceA, "spring", 3)
	// A person's message in doubt, and a follow-up.
	pagesUpdate(t, l, func(tx storetest.Tx) error {
		msg := parked[0]
		msg.ID, msg.Kind, msg.CampaignID, msg.Text = "msg-1", store.JobMessage, "", "Sure, <b>Tuesday</b> works"
		fu := parked[1]
		fu.ID, fu.Kind, fu.Step = store.FollowupJobID(c.ID, fu.LeadID, 1), store.JobFollowup, 1
		pagesCampaignFollowup(t, tx, c)
		if err := tx.PutJob(fu); err != nil {
			return err
		}
		return tx.PutJob(msg)
	})
	_, theirs := pagesParked(t, l, workspaceB, "bsecret", 1)
	me := l.signIn(t, l.KeyA)

	status, body := me.get("/review")
	if status != http.StatusOK {
		t.Fatalf("GET /review: %d\n%s", status, body)
	}
	if strings.Contains(body, "bsecret") || strings.Contains(body, theirs[0].ID) {
		t.Errorf("workspace A sees B's sends in doubt:\n%s", body)
	}
	// Lead-controlled text is shown as text, never as markup, and no
	// message is shown unfilled.
	if strings.Contains(body, "<img") || strings.Contains(body, "<script>alert") || strings.Contains(body, "<b>Tuesday") {
		t.Errorf("the page prints a lead's text as markup:\n%s", body)
	}
	if strings.Contains(body, "{{") {
		t.Errorf("the page shows a message with its placeholders unfilled:\n%s", body)
	}
	first := parked[0]
	sec := pagesSection(t, body, `data-job-id="`+first.ID+`"`)
	for _, want := range []string{
		"First DM to &lt;img src=x onerror=alert(1)&gt;",
		"@spring_s", "spring_lead0", `href="https://x.com/spring_lead0" rel="noopener noreferrer" target="_blank"`,
		"spring, variant " + string(rune('A'+first.Variant)),
		// The message as it went out: filled from the lead, whose first
		// word of letters is "img".
		"The campaign's message, filled from the lead:", "Hey img, variant one",
		"X shows a DM 1234 from this account since the send, with other text",
		`<button type="submit" name="resolution" value="sent" class="primary">It was sent</button>`,
		`<button type="submit" name="resolution" value="not_sent">It was not sent: send it again</button>`,
		`action="/review/` + first.ID + `/resolve"`,
	} {
		if !strings.Contains(sec, want) {
			t.Errorf("the first DM's section lacks %q:\n%s", want, sec)
		}
	}
	sec = pagesSection(t, body, `data-job-id="msg-1"`)
	if !strings.Contains(sec, "A person&#39;s message to") || !strings.Contains(sec, "Sure, &lt;b&gt;Tuesday&lt;/b&gt; works") {
		t.Errorf("the message's section:\n%s", sec)
	}
	sec = pagesSection(t, body, `data-job-id="`+store.FollowupJobID(c.ID, parked[1].LeadID, 1)+`"`)
	if !strings.Contains(sec, "Follow-up 1 to") || !strings.Contains(sec, "Just bumping this, img") {
		t.Errorf("the follow-up's section:\n%s", sec)
	}

	// Pages go by job id.
	_, body = me.get("/review?after=" + url.QueryEscape(first.ID))
	if strings.Contains(body, `data-job-id="`+first.ID+`"`) || !strings.Contains(body, `data-job-id="`+parked[2].ID+`"`) {
		t.Errorf("the page after the first job:\n%s", body)
	}
}

// pagesCampaignFollowup gives every variant of c a follow-up.
func pagesCampaignFollowup(t *testing.T, tx storetest.Tx, c store.Campaign) {
	t.Helper()
	c, err := tx.Campaign(c.Workspace, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	for i := range c.Variants {
		c.Variants[i].Followups = []store.Followup{{After: time.Hour, Message: "Just bumping this, {{firstName}}"}}
	}
	if err := tx.PutCampaign(c); err != nil {
		t.Fatal(err)
	}
}

func TestReviewResolve(t *testing.T) {
	l := newLive(t)
	_, parked := pagesParked(t, l, workspaceA, "spring", 4)
	me := l.signIn(t, l.KeyA)
	bee := l.signIn(t, l.KeyB)
	path := func(j store.Job) string { return "/review/" + j.ID + "/resolve" }
	form := func(res string) url.Values { return url.Values{"resolution": {res}, "back": {"/review"}} }

	pagesRefusedWithoutCSRF(t, me, path(parked[0]), form("sent"))
	pagesNotFound(t, bee, path(parked[0]), form("sent"))
	if got := pagesJob(t, l, workspaceA, parked[0].ID); got.State != store.JobNeedsReview {
		t.Fatalf("refused forms resolved it: %s", got.State)
	}

	for i, tc := range []struct {
		resolution string
		state      store.JobState
	}{{"sent", store.JobDone}, {"not_sent", store.JobPending}, {"skip", store.JobSkipped}} {
		status, _ := me.post(path(parked[i]), form(tc.resolution))
		if got := pagesJob(t, l, workspaceA, parked[i].ID); status != http.StatusSeeOther || got.State != tc.state {
			t.Errorf("resolve %s: %d, %s; want 303 and %s", tc.resolution, status, got.State, tc.state)
		}
	}
	_, body := me.get("/review")
	for i, j := range parked {
		if shown := strings.Contains(body, `data-job-id="`+j.ID+`"`); shown != (i == 3) {
			t.Errorf("after resolving three, job %d shown: %v", i, shown)
		}
	}
	if status, body := me.post(path(parked[3]), form("maybe")); status != http.StatusBadRequest || !strings.Contains(body, "resolution:") {
		t.Errorf("an unknown resolution: %d, want 400 naming resolution\n%s", status, body)
	}
	if status, _ := me.post(path(parked[0]), form("sent")); status != http.StatusConflict {
		t.Errorf("resolving a resolved send: %d, want 409", status)
	}
}

// TestPagesHaveNoInlineCode: with data on each, none of these pages has
// what the Content-Security-Policy would block or htmx would evaluate (an
// inline script or style, a handler attribute, hx-on), and every link
// that leaves the site opens apart from it.
func TestPagesHaveNoInlineCode(t *testing.T) {
	l := newLive(t)
	c, _ := pagesParked(t, l, workspaceA, "spring", 2)
	pagesWebhook(t, l, workspaceA, "https://crm.example.com/hooks", pagesDeliverySpec{"evt": {store.DeliveryFailed, 1}})
	w, _, _ := pagesWebhook(t, l, workspaceA, "https://other.example.com/hooks", nil)
	me := l.signIn(t, l.KeyA)
	if status, _ := me.post("/tweets", url.Values{"account": {c.AccountIDs[0]}, "text": {"Hello"}, "at": {"2030-03-05T10:00"}}); status != http.StatusSeeOther {
		t.Fatalf("schedule: %d", status)
	}
	inline := regexp.MustCompile(`(?i)<[^>]*\s(on[a-z]+|style|hx-on[^=]*)\s*=|<script(\s[^>]*)?>[^<]|<style`)
	external := regexp.MustCompile(`<a [^>]*href="https?://[^"]*"[^>]*>`)
	for _, path := range []string{"/campaigns", "/accounts", "/sources", "/tweets", "/webhooks", "/webhooks/" + w.ID, "/review"} {
		status, body := me.get(path)
		if status != http.StatusOK {
			t.Errorf("GET %s: %d", path, status)
			continue
		}
		if m := inline.FindString(body); m != "" {
			t.Errorf("%s has inline code: %s", path, m)
		}
		for _, a := range external.FindAllString(body, -1) {
			if !strings.Contains(a, `rel="noopener noreferrer"`) || !strings.Contains(a, `target="_blank"`) {
				t.Errorf("%s links out without rel and target: %s", path, a)
			}
		}
		if n := strings.Count(body, "<h1"); n != 1 {
			t.Errorf("%s has %d <h1>, want one", path, n)
		}
	}
}
