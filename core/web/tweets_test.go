package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/outreachhq/outreach/core/service"
	"github.com/outreachhq/outreach/core/store"
)

// pagesTweets lists workspace ws's tweets through the service.
func pagesTweets(t *testing.T, l *live, ws string) []service.TweetInfo {
	t.Helper()
	list, _, err := l.Svc.ListTweets(context.Background(), ws, service.TweetFilter{}, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	return list
}

func TestTweetsScheduleAndCancel(t *testing.T) {
	l := newLive(t)
	a := pagesAccount(t, l, workspaceA, "poster")
	theirs := pagesAccount(t, l, workspaceB, "bposter")
	me := l.signIn(t, l.KeyA)
	bee := l.signIn(t, l.KeyB)
	schedule := url.Values{"account": {a.ID}, "text": {"Launch day <b>is</b> here"}, "at": {"2030-03-05T10:00"}}

	pagesRefusedWithoutCSRF(t, me, "/tweets", schedule)
	pagesNotFound(t, bee, "/tweets", schedule) // B cannot post from A's account
	if got := pagesTweets(t, l, workspaceA); len(got) != 0 {
		t.Fatalf("refused forms scheduled %+v", got)
	}

	status, _ := me.post("/tweets", pagesForm(schedule))
	list := pagesTweets(t, l, workspaceA)
	if status != http.StatusSeeOther || len(list) != 1 {
		t.Fatalf("schedule: %d, tweets %+v", status, list)
	}
	tw := list[0]
	if tw.Text != "Launch day <b>is</b> here" || !tw.ScheduledAt.Equal(time.Date(2030, 3, 5, 10, 0, 0, 0, time.UTC)) || tw.AccountID != a.ID || tw.Status != store.TweetPending {
		t.Errorf("the scheduled tweet: %+v; want it at 10:00 UTC from @poster", tw)
	}
	status, body := me.get("/tweets?status=pending&done=scheduled")
	if status != http.StatusOK {
		t.Fatalf("GET /tweets: %d\n%s", status, body)
	}
	row := pagesSection(t, body, `data-tweet-id="`+tw.ID+`"`)
	row = row[:strings.Index(row, "</tr>")]
	for _, want := range []string{
		"Tweet scheduled.", // the flash, above the row
	} {
		if !strings.Contains(body, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
	for _, want := range []string{
		`<time datetime="2030-03-05T10:00:00Z">`, "@poster", "Launch day &lt;b&gt;is&lt;/b&gt; here", ">Scheduled</span>",
		`action="/tweets/` + tw.ID + `/cancel"`,
	} {
		if !strings.Contains(row, want) {
			t.Errorf("the tweet's row lacks %q:\n%s", want, row)
		}
	}
	if strings.Contains(body, "<b>is</b>") {
		t.Error("the tweet's text is not escaped")
	}

	// B neither sees nor cancels it.
	_, body = bee.get("/tweets")
	if strings.Contains(body, tw.ID) || strings.Contains(body, "Launch day") || strings.Contains(body, a.ID) {
		t.Errorf("workspace B sees A's tweet or account:\n%s", body)
	}
	if !strings.Contains(body, theirs.ID) {
		t.Errorf("workspace B cannot pick its own account:\n%s", body)
	}
	cancel := url.Values{"back": {"/tweets"}}
	pagesRefusedWithoutCSRF(t, me, "/tweets/"+tw.ID+"/cancel", cancel)
	pagesNotFound(t, bee, "/tweets/"+tw.ID+"/cancel", cancel)
	if got := pagesTweets(t, l, workspaceA); got[0].Status != store.TweetPending {
		t.Fatalf("refused cancels cancelled it: %s", got[0].Status)
	}

	if status, _ := me.post("/tweets/"+tw.ID+"/cancel", pagesForm(cancel)); status != http.StatusSeeOther {
		t.Fatalf("cancel: %d", status)
	}
	if got := pagesTweets(t, l, workspaceA); got[0].Status != store.TweetCancelled {
		t.Errorf("after cancel: %s, want cancelled", got[0].Status)
	}
	_, body = me.get("/tweets?status=cancelled")
	row = pagesSection(t, body, `data-tweet-id="`+tw.ID+`"`)
	row = row[:strings.Index(row, "</tr>")]
	if !strings.Contains(row, ">Cancelled</span>") || strings.Contains(row, "/cancel") {
		t.Errorf("a cancelled tweet's row:\n%s", row)
	}
	if _, body = me.get("/tweets?status=pending"); strings.Contains(body, tw.ID) {
		t.Error("the list of scheduled tweets shows a cancelled one")
	}
	if status, body := me.post("/tweets/"+tw.ID+"/cancel", pagesForm(cancel)); status != http.StatusConflict || !strings.Contains(body, "cancelled") {
		t.Errorf("cancel again: %d, want 409 naming its status\n%s", status, body)
	}
	if status, _ := me.get("/tweets?status=lost"); status != http.StatusBadRequest {
		t.Errorf("an unknown status filter: %d, want 400", status)
	}
}

func TestTweetsScheduleRefusals(t *testing.T) {
	l := newLive(t)
	a := pagesAccount(t, l, workspaceA, "poster")
	me := l.signIn(t, l.KeyA)
	for _, tc := range []struct {
		name, text, at, control, says string
	}{
		{"in the past", "Hello", "2030-03-04T08:59", "tweet-at", "Post at: 2030-03-04T08:59:00Z is not in the future."},
		{"not a time", "Hello", "tomorrow", "tweet-at", "Post at: give a date and time"},
		{"empty", "  ", "2030-03-05T10:00", "tweet-text", "Tweet: the tweet is empty."},
		{"too long", strings.Repeat("é", 281), "2030-03-05T10:00", "tweet-text", "Tweet: 281 characters; a tweet has at most 280."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, body := me.post("/tweets", url.Values{"account": {a.ID}, "text": {tc.text}, "at": {tc.at}})
			if status != http.StatusBadRequest || !strings.Contains(body, tc.says) {
				t.Errorf("%d, want 400 saying %q\n%s", status, tc.says, body)
			}
			if !strings.Contains(body, `id="`+tc.control+`"`) || !strings.Contains(body[strings.Index(body, `id="`+tc.control+`"`):], `aria-invalid="true"`) {
				t.Errorf("the control %s is not marked invalid", tc.control)
			}
			// What was typed is kept.
			if tc.name == "in the past" && (!strings.Contains(body, `value="2030-03-04T08:59"`) || !strings.Contains(body, ">Hello</textarea>")) {
				t.Errorf("the form lost what was typed:\n%s", body)
			}
		})
	}
	// A 280-character tweet is fine, whatever its characters.
	if status, body := me.post("/tweets", url.Values{"account": {a.ID}, "text": {strings.Repeat("é", 280)}, "at": {"2030-03-05T10:00"}}); status != http.StatusSeeOther {
		t.Errorf("a 280-character tweet: %d\n%s", status, body)
	}
	if len(pagesTweets(t, l, workspaceA)) != 1 {
		t.Error("a refused form scheduled a tweet")
	}
}

// TestTweetsInTheBrowsersZone: the time typed is in the browser's zone,
// whose offset app.js sends beside it; the tweet is scheduled at that
// instant.
func TestTweetsInTheBrowsersZone(t *testing.T) {
	l := newLive(t)
	a := pagesAccount(t, l, workspaceA, "poster")
	me := l.signIn(t, l.KeyA)
	// 11:00 in Paris in March (UTC+1) is 10:00 UTC.
	status, _ := me.post("/tweets", pagesForm(url.Values{"account": {a.ID}, "text": {"Bonjour"}, "at": {"2030-03-05T11:00"}, "at_offset": {"60"}}))
	list := pagesTweets(t, l, workspaceA)
	if status != http.StatusSeeOther || len(list) != 1 || !list[0].ScheduledAt.Equal(time.Date(2030, 3, 5, 10, 0, 0, 0, time.UTC)) {
		t.Fatalf("schedule at 11:00 UTC+1: %d, tweets %+v; want one at 10:00 UTC", status, list)
	}
	for _, bad := range []string{"x", "9999"} {
		status, body := me.post("/tweets", pagesForm(url.Values{"account": {a.ID}, "text": {"Hi"}, "at": {"2030-03-05T11:00"}, "at_offset": {bad}}))
		if status != http.StatusBadRequest || !strings.Contains(body, "Post at: give a date and time") {
			t.Errorf("offset %q: %d", bad, status)
		}
	}
}
