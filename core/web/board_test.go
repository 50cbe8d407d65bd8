package web

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/outreachhq/outreach/core/store"
)

var (
	boardColumnRE = regexp.MustCompile(`(?s)<section class="column" data-tag="([^"]+)".*?</section>`)
	boardCardRE   = regexp.MustCompile(`<li class="card" data-conversation-id="([^"]+)"`)
	boardCountRE  = regexp.MustCompile(`<span class="count">([^<]*)</span>`)
)

// boardColumns are the cards of each column of a board page, by tag, and
// the columns' tags in order.
func boardColumns(t *testing.T, body string) (map[string][]string, []string) {
	t.Helper()
	cols := map[string][]string{}
	var order []string
	for _, m := range boardColumnRE.FindAllStringSubmatch(body, -1) {
		var ids []string
		for _, c := range boardCardRE.FindAllStringSubmatch(m[0], -1) {
			ids = append(ids, c[1])
		}
		if count := boardCountRE.FindStringSubmatch(m[0]); count == nil || count[1] != strconv.Itoa(len(ids)) {
			t.Errorf("column %s counts %v, shows %d cards", m[1], count, len(ids))
		}
		cols[m[1]] = ids
		order = append(order, m[1])
	}
	return cols, order
}

func TestBoardColumns(t *testing.T) {
	l := newLive(t)
	f := inboxFixture{t, l}
	ctx := context.Background()
	a := f.account(workspaceA, "acct-alice", "alice", "100")
	hot, err := l.Svc.CreateCustomTag(ctx, workspaceA, "Hot lead", "#ff0000")
	if err != nil {
		t.Fatal(err)
	}
	deal := 5000.0
	booked := f.conversation(a, inboxLead(a, "701", "bea"), liveStart.Add(-time.Hour), func(c *store.Conversation) {
		c.CRM = store.CRM{Tag: "booked", DealValue: &deal, DealCurrency: "EUR"}
	}, sentMsg("Hi Bea"), receivedMsg("Booked a slot for Tuesday"))
	hotOne := f.conversation(a, inboxLead(a, "702", "hank"), liveStart, func(c *store.Conversation) {
		c.CRM.Tag = hot.Key()
	}, sentMsg("Hi Hank"))
	f.conversation(a, inboxLead(a, "703", "nora"), liveStart.Add(-2*time.Hour), nil, sentMsg("Hi Nora")) // no tag, read: on no column
	other := f.account(workspaceB, "acct-zed", "zed", "300")
	f.conversation(other, inboxLead(other, "704", "secretlead"), liveStart, func(c *store.Conversation) { c.CRM.Tag = "booked" }, sentMsg("B's"))

	b := l.signIn(t, l.KeyA)
	status, body := b.get("/board")
	if status != http.StatusOK {
		t.Fatalf("/board: %d\n%s", status, body)
	}
	cols, order := boardColumns(t, body)
	wantOrder := []string{"unread", "interested_reply", "negative_reply", "neutral_reply", "engaged", "calendlyd", "booked", "not_interested", "not_qualified", hot.Key()}
	if !slices.Equal(order, wantOrder) {
		t.Errorf("columns %v, want %v", order, wantOrder)
	}
	if !slices.Equal(cols["unread"], []string{booked.ID}) || !slices.Equal(cols["booked"], []string{booked.ID}) || !slices.Equal(cols[hot.Key()], []string{hotOne.ID}) {
		t.Errorf("cards by column: %v", cols)
	}
	for _, want := range []string{
		`<section class="column" data-tag="booked" aria-labelledby="column-booked" data-target="true">`,
		`<section class="column" data-tag="unread" aria-labelledby="column-unread">`, // no drop target
		`<h2 id="column-booked"><span class="label">Booked</span> <span class="count">1</span></h2>`,
		`<circle cx="5" cy="5" r="5" fill="#ff0000"/></svg> <span class="label">Hot lead</span>`,
		`<li class="card" data-conversation-id="` + booked.ID + `" data-tag="booked" data-last="` + strconv.FormatInt(booked.LastAt.UnixMilli(), 10) + `" draggable="true" tabindex="0">`,
		`<a class="lead-name" href="/inbox/` + booked.ID + `">Lead bea</a> <span class="handle">@bea</span>`,
		`<p class="snippet">Booked a slot for Tuesday</p>`, `<p class="deal">Deal: 5,000 EUR</p>`,
		`<form class="move" method="post" action="/board/move">`, `<label class="sr-only" for="move-booked-` + booked.ID + `">Move to</label>`,
		`<option value="booked" selected>Booked</option>`, `<option value="` + hot.Key() + `">Hot lead</option>`,
		`<input type="hidden" name="csrf" value="` + b.csrf + `">`, `>Move</button>`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/board lacks %q", want)
		}
	}
	if strings.Contains(body, `<option value="unread"`) {
		t.Error("a card can be moved to Unread, which is not a tag")
	}
	if strings.Contains(body, "secretlead") {
		t.Error("workspace A's board shows workspace B's conversation")
	}
	bb := l.signIn(t, l.KeyB)
	_, body = bb.get("/board")
	if cols, _ := boardColumns(t, body); len(cols["booked"]) != 1 || strings.Contains(body, "bea") || strings.Contains(body, "Hot lead") {
		t.Errorf("workspace B's board: %v", cols)
	}
}

func TestBoardMove(t *testing.T) {
	l := newLive(t)
	f := inboxFixture{t, l}
	ctx := context.Background()
	a := f.account(workspaceA, "acct-alice", "alice", "100")
	hot, err := l.Svc.CreateCustomTag(ctx, workspaceA, "Hot lead", "#ff0000")
	if err != nil {
		t.Fatal(err)
	}
	c := f.conversation(a, inboxLead(a, "701", "bea"), liveStart, func(c *store.Conversation) {
		c.CRM.Tag, c.CRM.Notes = "interested_reply", "keep these notes"
	}, sentMsg("Hi Bea"))
	b := l.signIn(t, l.KeyA)

	// The card's form (no script): the tag changes, nothing else, and the
	// board comes back with the card in its new column.
	status, _ := b.post("/board/move", url.Values{"conversation_id": {c.ID}, "tag": {"booked"}, "back": {"/board"}})
	if status != http.StatusSeeOther {
		t.Fatalf("move: %d, want 303 back to the board", status)
	}
	info, err := l.Svc.Conversation(ctx, workspaceA, c.ID)
	if err != nil || info.CRM.Tag != "booked" || info.CRM.Notes != "keep these notes" {
		t.Errorf("after the move the card is %+v, %v", info.CRM, err)
	}
	// As the API reports it.
	cols, _, err := l.Svc.CRMBoard(ctx, workspaceA, "booked", 20, false)
	if err != nil || len(cols) != 1 || len(cols[0].Conversations) != 1 || cols[0].Conversations[0].ID != c.ID {
		t.Errorf("the API's booked column: %+v, %v", cols, err)
	}
	_, body := b.get("/board")
	if got, _ := boardColumns(t, body); !slices.Equal(got["booked"], []string{c.ID}) || len(got["interested_reply"]) != 0 {
		t.Errorf("the board after the move: %v", got)
	}

	// board.js's request (htmx's header): 204, nothing to redirect to.
	form := url.Values{"conversation_id": {c.ID}, "tag": {hot.Key()}}
	status, _ = b.do(http.MethodPost, "/board/move", strings.NewReader(form.Encode()), http.Header{
		"Content-Type": {"application/x-www-form-urlencoded"}, "Origin": {b.base}, "HX-Request": {"true"}, "X-CSRF-Token": {b.csrf},
	})
	if info, _ := l.Svc.Conversation(ctx, workspaceA, c.ID); status != http.StatusNoContent || info.CRM.Tag != hot.Key() {
		t.Errorf("a scripted move: %d, tag %q; want 204 and %q", status, info.CRM.Tag, hot.Key())
	}

	// Refusals name the problem and change nothing.
	for _, tc := range []struct {
		form url.Values
		want string
	}{
		{url.Values{"conversation_id": {c.ID}}, "tag: choose the column"},
		{url.Values{"conversation_id": {c.ID}, "tag": {"vip"}}, "tag: &#34;vip&#34; is neither"},
		{url.Values{"conversation_id": {"100-999"}, "tag": {"booked"}}, "Not found"},
	} {
		status, body := b.post("/board/move", tc.form)
		if status < 400 || !strings.Contains(body, tc.want) {
			t.Errorf("move %v: %d, want a refusal saying %q\n%s", tc.form, status, tc.want, body)
		}
	}
	// Workspace B cannot move A's card: 404, and the tag stays.
	bb := l.signIn(t, l.KeyB)
	if status, _ := bb.post("/board/move", url.Values{"conversation_id": {c.ID}, "tag": {"not_interested"}}); status != http.StatusNotFound {
		t.Errorf("workspace B moving A's card: %d, want 404", status)
	}
	if info, _ := l.Svc.Conversation(ctx, workspaceA, c.ID); info.CRM.Tag != hot.Key() {
		t.Errorf("after workspace B's try the tag is %q", info.CRM.Tag)
	}
}
