package web

import (
	"context"
	"fmt"
	"html"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/outreachhq/outreach/core/service"
	"github.com/outreachhq/outreach/core/store"
	"github.com/outreachhq/outreach/core/store/storetest"
)

// inboxFixture seeds a live dashboard's store as the engine fills it:
// accounts, leads, conversations and their messages.
type inboxFixture struct {
	t testing.TB
	l *live
}

func (f inboxFixture) update(fn func(tx storetest.Tx) error) {
	f.t.Helper()
	if err := f.l.Store.Update(context.Background(), fn); err != nil {
		f.t.Fatal(err)
	}
}

// account puts an account in workspace ws, as configuration would.
func (f inboxFixture) account(ws, id, handle, xUserID string) store.Account {
	f.t.Helper()
	a := store.Account{ID: id, Workspace: ws, Handle: handle, XUserID: xUserID, DailyDMLimit: 50, CreatedAt: liveStart}
	f.update(func(tx storetest.Tx) error { return tx.PutAccount(a) })
	return a
}

// inboxLead is a lead of a's workspace with a plain profile.
func inboxLead(a store.Account, userID, handle string) store.Lead {
	return store.Lead{UserID: userID, Workspace: a.Workspace, Username: handle, Name: "Lead " + handle,
		Bio: "Founder @ Startup", Location: "Lisbon", Website: "https://example.com/" + handle,
		Followers: 12345, Following: 67, FoundAt: liveStart}
}

// conversation puts lead, a conversation of a with it and its messages
// (oldest first, a minute apart, the last at lastAt), as the engine
// records them; edit, if not nil, changes the conversation before it is
// stored.
func (f inboxFixture) conversation(a store.Account, l store.Lead, lastAt time.Time, edit func(*store.Conversation), msgs ...store.Message) store.Conversation {
	f.t.Helper()
	c := store.Conversation{
		ID: store.ConversationID(a.XUserID, l.UserID), Workspace: a.Workspace, AccountID: a.ID, LeadID: l.UserID,
		LastAt: lastAt, CreatedAt: lastAt.Add(-time.Hour), UpdatedAt: lastAt,
	}
	f.update(func(tx storetest.Tx) error {
		if err := tx.PutLead(l); err != nil {
			return err
		}
		for i, m := range msgs {
			m.ID = fmt.Sprintf("%s-m%d", c.ID, i)
			m.Workspace, m.ConversationID = a.Workspace, c.ID
			m.SenderID = l.UserID
			if m.Sent {
				m.SenderID = a.XUserID
			}
			m.At = lastAt.Add(time.Duration(i-len(msgs)+1) * time.Minute)
			if _, err := tx.AddMessage(m); err != nil {
				return err
			}
			c.LastText, c.LastSent, c.MessageCount = m.Text, m.Sent, c.MessageCount+1
			if !m.Sent {
				c.Replied, c.Unread = true, true
			}
		}
		if edit != nil {
			edit(&c)
		}
		return tx.PutConversation(c)
	})
	return c
}

func sentMsg(text string) store.Message     { return store.Message{Text: text, Sent: true} }
func receivedMsg(text string) store.Message { return store.Message{Text: text} }

var conversationItemRE = regexp.MustCompile(`<li class="conversation( unread)?( current)?" data-conversation-id="([^"]+)"`)

// listedConversations are the ids of the conversations a page lists, in
// order, and which of them are marked unread.
func listedConversations(body string) (ids []string, unread []string) {
	for _, m := range conversationItemRE.FindAllStringSubmatch(body, -1) {
		ids = append(ids, m[3])
		if m[1] != "" {
			unread = append(unread, m[3])
		}
	}
	return ids, unread
}

var pollAttrRE = regexp.MustCompile(`id="(inbox-list|thread)"[^>]* hx-get="([^"]+)"`)

// pollURL is the URL the element id (inbox-list, thread) of a page polls.
func pollURL(t testing.TB, body, id string) string {
	t.Helper()
	for _, m := range pollAttrRE.FindAllStringSubmatch(body, -1) {
		if m[1] == id {
			return html.UnescapeString(m[2])
		}
	}
	t.Fatalf("no #%s polls in\n%s", id, body)
	return ""
}

// inboxWorld is two accounts of workspace A with three conversations, and
// one of workspace B's.
type inboxWorld struct {
	alice, bob           store.Account
	old, fresh, tagged   store.Conversation
	campaign             store.Campaign
	otherWorkspaceConvID string
}

func seedInbox(t *testing.T, l *live) inboxWorld {
	f := inboxFixture{t, l}
	w := inboxWorld{}
	w.alice = f.account(workspaceA, "acct-alice", "alice", "100")
	w.bob = f.account(workspaceA, "acct-bob", "bob", "200")
	w.campaign = store.Campaign{ID: "camp-q1", Workspace: workspaceA, Name: "Q1 founders", CreatedAt: liveStart}
	f.update(func(tx storetest.Tx) error { return tx.PutCampaign(w.campaign) })
	w.old = f.conversation(w.alice, inboxLead(w.alice, "701", "olive"), liveStart.Add(-3*time.Hour), nil,
		sentMsg("Hi Olive"), receivedMsg("Not now"))
	f.update(func(tx storetest.Tx) error { // read already
		c, err := tx.Conversation(workspaceA, w.old.ID)
		c.Unread = false
		if err != nil {
			return err
		}
		return tx.PutConversation(c)
	})
	w.fresh = f.conversation(w.alice, inboxLead(w.alice, "702", "fred"), liveStart.Add(-time.Hour), func(c *store.Conversation) {
		c.Sentiment = store.SentimentPositive
	}, sentMsg("Hi Fred"), receivedMsg("Tell me more!"))
	w.tagged = f.conversation(w.bob, inboxLead(w.bob, "703", "tara"), liveStart.Add(-2*time.Hour), func(c *store.Conversation) {
		c.CampaignID, c.CRM.Tag = w.campaign.ID, "booked"
	}, sentMsg("Hi Tara"))
	other := f.account(workspaceB, "acct-zed", "zed", "300")
	w.otherWorkspaceConvID = f.conversation(other, inboxLead(other, "704", "secretlead"), liveStart, nil, sentMsg("B's secret")).ID
	return w
}

func TestInboxListsConversationsNewestFirst(t *testing.T) {
	l := newLive(t)
	w := seedInbox(t, l)
	b := l.signIn(t, l.KeyA)
	status, body := b.get("/inbox")
	if status != http.StatusOK {
		t.Fatalf("/inbox: %d\n%s", status, body)
	}
	ids, unread := listedConversations(body)
	if want := []string{w.fresh.ID, w.tagged.ID, w.old.ID}; !slices.Equal(ids, want) {
		t.Errorf("listed %v, want newest first %v", ids, want)
	}
	if !slices.Equal(unread, []string{w.fresh.ID}) {
		t.Errorf("marked unread %v, want only %s", unread, w.fresh.ID)
	}
	for _, want := range []string{
		`<span class="sr-only">Unread: </span><span class="lead-name">Lead fred</span> <span class="handle">@fred</span>`,
		`Tell me more!`, `<span class="muted">You: </span>Hi Tara`, `via @alice`, `via @bob`,
		`<span class="badge ok">positive</span>`, `<span class="badge tag">Booked</span>`,
		`<a id="conversation-` + w.fresh.ID + `" href="/inbox/` + w.fresh.ID + `">`,
		`<ul id="conversations">`, `hx-trigger="every 3s"`,
		`<time datetime="2030-03-04T08:00:00Z">`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/inbox lacks %q", want)
		}
	}
	if strings.Contains(body, "secretlead") || strings.Contains(body, w.otherWorkspaceConvID) {
		t.Error("workspace A's inbox shows workspace B's conversation")
	}

	// Workspace B sees its own conversation only.
	bb := l.signIn(t, l.KeyB)
	_, body = bb.get("/inbox")
	if ids, _ := listedConversations(body); !slices.Equal(ids, []string{w.otherWorkspaceConvID}) {
		t.Errorf("workspace B lists %v, want only its own", ids)
	}
	for _, leak := range []string{"fred", "olive", "tara", "@alice", "Q1 founders"} {
		if strings.Contains(body, leak) {
			t.Errorf("workspace B's inbox shows %q of workspace A", leak)
		}
	}
}

func TestInboxFilters(t *testing.T) {
	l := newLive(t)
	w := seedInbox(t, l)
	b := l.signIn(t, l.KeyA)
	_, body := b.get("/inbox")
	for _, want := range []string{
		`<form class="filters" role="search"`,
		`<option value="acct-alice">@alice</option>`, `<option value="acct-bob">@bob</option>`,
		`<option value="camp-q1">Q1 founders</option>`,
		`<option value="interested_reply">Interested</option>`, `<option value="not_qualified">Not qualified</option>`,
		`<label for="filter-unread">Unread only</label>`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("the filter form lacks %q", want)
		}
	}
	for _, tc := range []struct {
		query string
		want  []string
	}{
		{"account=acct-alice", []string{w.fresh.ID, w.old.ID}},
		{"account=acct-bob", []string{w.tagged.ID}},
		{"campaign=camp-q1", []string{w.tagged.ID}},
		{"tag=booked", []string{w.tagged.ID}},
		{"tag=interested_reply", nil},
		{"unread=1", []string{w.fresh.ID}},
		{"account=acct-alice&unread=1", []string{w.fresh.ID}},
		{"account=acct-zed", nil}, // B's account: nothing of B's
	} {
		status, body := b.get("/inbox?" + tc.query)
		ids, _ := listedConversations(body)
		if status != http.StatusOK || !slices.Equal(ids, tc.want) {
			t.Errorf("/inbox?%s: %d, %v; want %v", tc.query, status, ids, tc.want)
		}
		// The filters stay: in the form, in the poll and in the links.
		q, _ := url.ParseQuery(tc.query)
		poll, _ := url.Parse(pollURL(t, body, "inbox-list"))
		for k := range q {
			if poll.Query().Get(k) != q.Get(k) {
				t.Errorf("/inbox?%s polls %s, without its filter %s", tc.query, poll, k)
			}
		}
		if len(tc.want) > 0 && !strings.Contains(body, `href="/inbox/`+tc.want[0]+`?`) {
			t.Errorf("/inbox?%s: its conversations' links lose the filters", tc.query)
		}
	}
	if _, body := b.get("/inbox?account=acct-bob"); !strings.Contains(body, `<option value="acct-bob" selected>@bob</option>`) {
		t.Error("the account chosen is not selected in the form")
	}
	if _, body := b.get("/inbox?tag=interested_reply"); !strings.Contains(body, "No conversations match these filters.") {
		t.Error("an empty filtered list does not say so")
	}
}

func TestInboxListPollsForNewConversations(t *testing.T) {
	l := newLive(t)
	w := seedInbox(t, l)
	b := l.signIn(t, l.KeyA)
	_, body := b.get("/inbox")
	poll := pollURL(t, body, "inbox-list")
	if status, body := b.get(poll); status != http.StatusNoContent {
		t.Fatalf("polling an unchanged list: %d, want 204 (nothing to swap)\n%s", status, body)
	}
	// A new conversation, and a reply in an old one.
	f := inboxFixture{t, l}
	newest := f.conversation(w.bob, inboxLead(w.bob, "705", "nina"), liveStart, nil, sentMsg("Hi Nina"))
	f.conversation(w.alice, inboxLead(w.alice, "701", "olive"), liveStart.Add(time.Minute), nil, sentMsg("Hi Olive"), receivedMsg("Not now"), receivedMsg("Actually, yes"))
	status, body := b.get(poll)
	if status != http.StatusOK {
		t.Fatalf("polling after new messages: %d\n%s", status, body)
	}
	ids, unread := listedConversations(body)
	if want := []string{w.old.ID, newest.ID, w.fresh.ID, w.tagged.ID}; !slices.Equal(ids, want) {
		t.Errorf("the polled list is %v, want %v", ids, want)
	}
	if !slices.Contains(unread, w.old.ID) || !strings.Contains(body, "Actually, yes") {
		t.Errorf("the reply in %s is not shown unread (unread: %v)", w.old.ID, unread)
	}
	if !strings.HasPrefix(strings.TrimSpace(body), `<div id="inbox-list"`) || strings.Contains(body, "<html") {
		t.Errorf("the poll answers more than the list:\n%s", body)
	}
	// The new list polls with its own version: unchanged again.
	if status, _ := b.get(pollURL(t, body, "inbox-list")); status != http.StatusNoContent {
		t.Errorf("polling the new list: %d, want 204", status)
	}
	// Without a session the poll is refused, not answered.
	anon := l.browser(t)
	if status, body := anon.do(http.MethodGet, poll, nil, http.Header{"HX-Request": {"true"}}); status != http.StatusUnauthorized || strings.Contains(body, "nina") {
		t.Errorf("the poll without a session: %d %s", status, body)
	}
}

func TestInboxPages(t *testing.T) {
	l := newLive(t)
	f := inboxFixture{t, l}
	a := f.account(workspaceA, "acct-alice", "alice", "100")
	var want []string
	for i := range inboxPageSize + 10 {
		c := f.conversation(a, inboxLead(a, fmt.Sprint(1000+i), fmt.Sprintf("lead%d", i)), liveStart.Add(-time.Duration(i)*time.Minute), nil, sentMsg("hi"))
		want = append(want, c.ID)
	}
	b := l.signIn(t, l.KeyA)
	_, body := b.get("/inbox")
	first, _ := listedConversations(body)
	older := regexp.MustCompile(`<a href="([^"]+)">Older</a>`).FindStringSubmatch(body)
	if len(first) != inboxPageSize || older == nil {
		t.Fatalf("the first page lists %d conversations, Older link %v; want %d and a link", len(first), older, inboxPageSize)
	}
	// A conversation that comes in meanwhile does not shift the next page.
	late := f.conversation(a, inboxLead(a, "999", "late"), liveStart.Add(time.Hour), nil, sentMsg("hi"))
	status, body := b.get(html.UnescapeString(older[1]))
	second, _ := listedConversations(body)
	if status != http.StatusOK || !slices.Equal(append(first, second...), want) {
		t.Errorf("pages %v + %v, want %v", first, second, want)
	}
	if strings.Contains(body, ">Older</a>") || !strings.Contains(body, `<a href="/inbox">Newest</a>`) {
		t.Error("the last page offers an older one, or no way back to the newest")
	}
	// Beside an open conversation, the list pages the same way.
	all := append([]string{late.ID}, want...)
	_, body = b.get("/inbox/" + want[0])
	older = regexp.MustCompile(`<a href="([^"]+)">Older</a>`).FindStringSubmatch(body)
	if older == nil || !strings.HasPrefix(html.UnescapeString(older[1]), "/inbox/"+want[0]+"?cursor=") {
		t.Fatalf("the conversation page's Older link: %v", older)
	}
	_, body = b.get(html.UnescapeString(older[1]))
	if ids, _ := listedConversations(body); !slices.Equal(ids, all[inboxPageSize:]) || !strings.Contains(body, `id="conversation-title"`) {
		t.Errorf("the older page beside a conversation lists %v, want %v", ids, all[inboxPageSize:])
	}
	if status, body := b.get("/inbox?cursor=bogus"); status != http.StatusBadRequest || !strings.Contains(body, "cursor") {
		t.Errorf("a forged cursor: %d, want 400 naming it\n%s", status, body)
	}
}

func TestConversationPage(t *testing.T) {
	l := newLive(t)
	f := inboxFixture{t, l}
	a := f.account(workspaceA, "acct-alice", "alice", "100")
	ld := inboxLead(a, "702", "fred")
	ld.Name, ld.Bio, ld.Location = "Fred Founder", "Building rockets", "Porto"
	auto := store.Message{Text: "Happy to share a demo.", Sent: true, Auto: true}
	c := f.conversation(a, ld, liveStart.Add(-time.Hour), nil,
		sentMsg("Hi Fred"), store.Message{Text: "Tell me more!", Sentiment: store.SentimentPositive}, auto)
	b := l.signIn(t, l.KeyA)
	status, body := b.get("/inbox/" + c.ID)
	if status != http.StatusOK {
		t.Fatalf("/inbox/%s: %d\n%s", c.ID, status, body)
	}
	thread := regexp.MustCompile(`(?s)<ol id="thread".*?</ol>`).FindString(body)
	msgs := regexp.MustCompile(`(?s)<li class="message (sent|received)">.*?<p class="text">(.*?)</p>`).FindAllStringSubmatch(thread, -1)
	var got []string
	for _, m := range msgs {
		got = append(got, m[1]+": "+m[2])
	}
	if want := []string{"sent: Hi Fred", "received: Tell me more!", "sent: Happy to share a demo."}; !slices.Equal(got, want) {
		t.Errorf("the thread shows %v, want oldest first %v", got, want)
	}
	for _, want := range []string{
		`<h1 id="conversation-title">Fred Founder <span class="handle">@fred</span></h1>`,
		`Conversation with @alice`,
		`<aside id="lead-profile" class="lead-profile" aria-label="Lead">`,
		`<p class="lead-name">Fred Founder</p>`, `<p class="lead-bio">Building rockets</p>`,
		`<dd class="lead-location">Porto</dd>`, `<dd class="lead-followers">12,345</dd>`,
		`<a href="https://example.com/fred" rel="noopener noreferrer" target="_blank">https://example.com/fred</a>`,
		`<a class="lead-x" href="https://x.com/fred" rel="noopener noreferrer" target="_blank">Profile on X</a>`,
		`You <span class="badge ai" title="Written by the AI setter">AI</span>`,
		`<span class="badge ok">positive</span>`,
		`<form id="reply-form" class="reply" method="post" action="/inbox/` + c.ID + `/reply"`,
		`<label for="reply-text">Reply</label>`, `<textarea id="reply-text" name="text"`, `>Send</button>`,
		`<form id="crm-form" method="post" action="/inbox/` + c.ID + `/crm"`,
		`<input id="crm-deal-value" name="deal_value" type="number" step="0.01" min="0"`,
		`<a href="/inbox">Back to inbox</a>`,
		`<li class="conversation current" data-conversation-id="` + c.ID + `">`, // the list beside it
	} {
		if !strings.Contains(body, want) {
			t.Errorf("the conversation page lacks %q", want)
		}
	}
	if n := strings.Count(body, "<h1"); n != 1 {
		t.Errorf("%d h1 on the page, want 1", n)
	}
	// Opening it marked it read.
	info, err := l.Svc.Conversation(context.Background(), workspaceA, c.ID)
	if err != nil || info.Unread {
		t.Errorf("after opening: unread %v, %v; want read", info.Unread, err)
	}
	// The thread polls: nothing new is a 204, a reply shows (and is read:
	// the person is looking at it).
	poll := pollURL(t, body, "thread")
	if status, _ := b.get(poll); status != http.StatusNoContent {
		t.Errorf("polling an unchanged thread: %d, want 204", status)
	}
	f.conversation(a, ld, liveStart, nil, sentMsg("Hi Fred"), receivedMsg("Tell me more!"), auto, receivedMsg("When can we talk?"))
	status, body = b.get(poll)
	if status != http.StatusOK || !strings.Contains(body, `<p class="text">When can we talk?</p>`) || !strings.HasPrefix(strings.TrimSpace(body), `<ol id="thread"`) {
		t.Errorf("polling after a reply: %d\n%s", status, body)
	}
	if info, _ := l.Svc.Conversation(context.Background(), workspaceA, c.ID); info.Unread {
		t.Error("a reply shown in the open thread stays unread")
	}

	// Workspace B gets 404 for A's conversation, on every route.
	bb := l.signIn(t, l.KeyB)
	for _, path := range []string{"/inbox/" + c.ID, "/inbox/" + c.ID + "/thread"} {
		if status, body := bb.get(path); status != http.StatusNotFound || strings.Contains(body, "Fred") {
			t.Errorf("workspace B, GET %s: %d, want 404 without A's data", path, status)
		}
	}
	for _, path := range []string{"/inbox/" + c.ID + "/reply", "/inbox/" + c.ID + "/crm"} {
		if status, _ := bb.post(path, url.Values{"text": {"hi"}, "tag": {"booked"}}); status != http.StatusNotFound {
			t.Errorf("workspace B, POST %s: %d, want 404", path, status)
		}
	}
	if status, _ := b.get("/inbox/nope-nope"); status != http.StatusNotFound {
		t.Errorf("an unknown conversation: %d, want 404", status)
	}
}

// TestLeadTextIsEscaped: what a lead writes on X (name, bio, location,
// website, messages) is shown as text on every page, never as markup.
func TestLeadTextIsEscaped(t *testing.T) {
	l := newLive(t)
	f := inboxFixture{t, l}
	a := f.account(workspaceA, "acct-alice", "alice", "100")
	const (
		name = `<img src=x onerror=alert(1)>`
		bio  = `<script>alert(2)</script>`
	)
	ld := inboxLead(a, "702", "evil")
	ld.Name, ld.Bio, ld.Location = name, bio, `"><svg onload=alert(3)>`
	c := f.conversation(a, ld, liveStart, func(c *store.Conversation) { c.CRM.Tag = "interested_reply" },
		sentMsg("Hi"), receivedMsg(`</p><script>alert(4)</script>`))
	b := l.signIn(t, l.KeyA)
	for _, path := range []string{"/inbox", "/inbox/" + c.ID, "/board"} {
		status, body := b.get(path)
		if status != http.StatusOK {
			t.Fatalf("%s: %d", path, status)
		}
		if !strings.Contains(body, "&lt;img src=x onerror=alert(1)&gt;") {
			t.Errorf("%s does not show the lead's name as text", path)
		}
		for _, raw := range []string{"<img src=x", "<script>alert", "<svg onload", "onerror=alert(1)>"} {
			if strings.Contains(body, raw) {
				t.Errorf("%s holds the lead's %q as markup", path, raw)
			}
		}
	}
	_, body := b.get("/inbox/" + c.ID)
	for _, want := range []string{
		`<p class="lead-bio">&lt;script&gt;alert(2)&lt;/script&gt;</p>`,
		`<p class="lead-name">&lt;img src=x onerror=alert(1)&gt;</p>`,
		`<p class="text">&lt;/p&gt;&lt;script&gt;alert(4)&lt;/script&gt;</p>`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("the conversation page lacks %q", want)
		}
	}
}

func TestLeadWebsiteLinks(t *testing.T) {
	l := newLive(t)
	f := inboxFixture{t, l}
	a := f.account(workspaceA, "acct-alice", "alice", "100")
	b := l.signIn(t, l.KeyA)
	for i, tc := range []struct {
		website, want string
	}{
		{"https://example.com/a?b=1&c=2", `<dd class="lead-website"><a href="https://example.com/a?b=1&amp;c=2" rel="noopener noreferrer" target="_blank">https://example.com/a?b=1&amp;c=2</a></dd>`},
		{"example.org", `<dd class="lead-website"><a href="https://example.org" rel="noopener noreferrer" target="_blank">example.org</a></dd>`},
		{"javascript:alert(1)", `<dd class="lead-website">javascript:alert(1)</dd>`},
		{"JavaScript:alert(1)//example.com", `<dd class="lead-website">JavaScript:alert(1)//example.com</dd>`},
		{"data:text/html,<b>x</b>", `<dd class="lead-website">data:text/html,&lt;b&gt;x&lt;/b&gt;</dd>`},
		{"", `<dd class="lead-website"><span class="muted">—</span></dd>`},
	} {
		ld := inboxLead(a, fmt.Sprint(800+i), fmt.Sprintf("site%d", i))
		ld.Website = tc.website
		c := f.conversation(a, ld, liveStart, nil, sentMsg("Hi"))
		_, body := b.get("/inbox/" + c.ID)
		if !strings.Contains(body, tc.want) {
			t.Errorf("website %q: the profile lacks\n%s", tc.website, tc.want)
		}
		if strings.Contains(strings.ToLower(body), `href="javascript:`) || strings.Contains(body, `href="data:`) {
			t.Errorf("website %q is a live link", tc.website)
		}
	}
}

// sendWatch is the service, telling the test of each message it queues:
// the test plays the engine and settles it.
type sendWatch struct {
	*service.Service
	queued chan store.Job
}

func (s sendWatch) SendDM(ctx context.Context, ws, conversationID, accountID, text string) (store.Job, error) {
	j, err := s.Service.SendDM(ctx, ws, conversationID, accountID, text)
	if err == nil {
		s.queued <- j
	}
	return j, err
}

// inboxEngine serves l's dashboard on a service whose queued messages go to
// the returned channel, where the test settles them as the engine would.
func inboxEngine(t *testing.T, l *live) <-chan store.Job {
	queued := make(chan store.Job, 1)
	l.Dash = New(Options{Service: sendWatch{l.Svc, queued}, Now: l.Clock.Now, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	l.URL = serveLoopback(t, l.Dash)
	return queued
}

// settleNext plays the engine for the next queued message, in another
// goroutine: it checks the job and records its outcome with fn.
func settleNext(t *testing.T, l *live, queued <-chan store.Job, fn func(tx storetest.Tx, j store.Job) error) <-chan error {
	done := make(chan error, 1)
	go func() {
		select {
		case j := <-queued:
			done <- l.Store.Update(context.Background(), func(tx storetest.Tx) error { return fn(tx, j) })
		case <-time.After(20 * time.Second):
			done <- fmt.Errorf("no message was queued")
		}
	}()
	return done
}

func recordSentDM(a store.Account, now time.Time) func(tx storetest.Tx, j store.Job) error {
	return func(tx storetest.Tx, j store.Job) error {
		lead, _ := tx.Lead(j.Workspace, j.LeadID)
		return service.RecordSent(tx, service.Sent{
			Job: j, Account: a, Lead: lead, SenderID: a.XUserID, RecipientID: j.LeadID, Text: j.Text,
			ConversationID: j.ConversationID, EventID: "event-" + j.ID, At: now, Answered: now,
		}, now)
	}
}

func TestReply(t *testing.T) {
	l := newLive(t)
	queued := inboxEngine(t, l)
	f := inboxFixture{t, l}
	a := f.account(workspaceA, "acct-alice", "alice", "100")
	c := f.conversation(a, inboxLead(a, "702", "fred"), liveStart.Add(-time.Hour), nil, sentMsg("Hi Fred"), receivedMsg("Tell me more!"))
	b := l.signIn(t, l.KeyA)

	// A form post: the message is queued as the API's dm/send queues it,
	// sent, and the page comes back with it.
	var job store.Job
	engine := settleNext(t, l, queued, func(tx storetest.Tx, j store.Job) error {
		job = j
		return recordSentDM(a, l.Clock.Now())(tx, j)
	})
	status, _ := b.post("/inbox/"+c.ID+"/reply", url.Values{"text": {"Sure: here is a link."}, "back": {"/inbox/" + c.ID}})
	if err := <-engine; err != nil {
		t.Fatal(err)
	}
	if status != http.StatusSeeOther {
		t.Fatalf("reply: %d, want 303 back to the conversation", status)
	}
	if job.Kind != store.JobMessage || job.Text != "Sure: here is a link." || job.ConversationID != c.ID || job.AccountID != a.ID {
		t.Errorf("queued %+v", job)
	}
	if j, err := l.Svc.Job(context.Background(), workspaceA, job.ID); err != nil || j.State != store.JobDone {
		t.Errorf("the message job is %v, %v; want done", j.State, err)
	}
	_, body := b.get("/inbox/" + c.ID)
	if !regexp.MustCompile(`(?s)<li class="message sent">\s*<p class="who">You</p>\s*<p class="text">Sure: here is a link.</p>`).MatchString(body) {
		t.Errorf("the thread does not show the reply as sent:\n%s", body)
	}

	// With htmx: the thread and an empty reply box come back.
	engine = settleNext(t, l, queued, recordSentDM(a, l.Clock.Now()))
	form := url.Values{"text": {"And a second one."}, "csrf": {b.csrf}, "back": {"/inbox/" + c.ID}}
	status, body = b.do(http.MethodPost, "/inbox/"+c.ID+"/reply", strings.NewReader(form.Encode()), http.Header{
		"Content-Type": {"application/x-www-form-urlencoded"}, "Origin": {b.base}, "HX-Request": {"true"},
	})
	if err := <-engine; err != nil {
		t.Fatal(err)
	}
	if status != http.StatusOK || !strings.HasPrefix(strings.TrimSpace(body), `<div id="conversation"`) ||
		!strings.Contains(body, `<p class="text">And a second one.</p>`) || !strings.Contains(body, `name="text" rows="3" maxlength="10000" required></textarea>`) {
		t.Errorf("an htmx reply: %d\n%s", status, body)
	}
}

func TestReplyRefused(t *testing.T) {
	l := newLive(t)
	queued := inboxEngine(t, l)
	f := inboxFixture{t, l}
	a := f.account(workspaceA, "acct-alice", "alice", "100")
	c := f.conversation(a, inboxLead(a, "702", "fred"), liveStart.Add(-time.Hour), nil, sentMsg("Hi Fred"), receivedMsg("Tell me more!"))
	b := l.signIn(t, l.KeyA)
	reply := "/inbox/" + c.ID + "/reply"
	for _, tc := range []struct {
		text, want string
		status     int
	}{
		{"", "Not sent: the reply is empty.", http.StatusBadRequest},
		{"  \n ", "Not sent: the reply is empty.", http.StatusBadRequest},
		{strings.Repeat("x", service.MaxMessageLength+1), "Not sent: the reply has 10001 characters; X takes at most 10000.", http.StatusBadRequest},
	} {
		status, body := b.post(reply, url.Values{"text": {tc.text}})
		if status != tc.status || !strings.Contains(body, `<p id="reply-error" class="flash error" role="alert">`+tc.want+`</p>`) {
			t.Errorf("reply %.20q: %d, want %d and %q", tc.text, status, tc.status, tc.want)
		}
	}
	// At the account's daily cap: refused, with the text kept to send later.
	f.update(func(tx storetest.Tx) error {
		return tx.AddSentOn(workspaceA, a.ID, liveStart.Format(time.DateOnly), 50)
	})
	status, body := b.post(reply, url.Values{"text": {"Let's talk tomorrow"}})
	if status != http.StatusTooManyRequests || !strings.Contains(body, "Not sent: @alice has sent 50 DMs today, its daily cap of 50.") ||
		!strings.Contains(body, `aria-describedby="reply-error">Let&#39;s talk tomorrow</textarea>`) {
		t.Errorf("at the cap: %d\n%s", status, body)
	}
	a.DailyDMLimit = 1000
	f.update(func(tx storetest.Tx) error { return tx.PutAccount(a) })
	// X refuses it: its reason is shown.
	engine := settleNext(t, l, queued, func(tx storetest.Tx, j store.Job) error {
		j.State, j.LastError, j.DoneAt = store.JobFailed, "the recipient does not take DMs from you", l.Clock.Now()
		return tx.PutJob(j)
	})
	status, body = b.post(reply, url.Values{"text": {"Hello?"}})
	if err := <-engine; err != nil {
		t.Fatal(err)
	}
	if status != http.StatusBadGateway || !strings.Contains(body, "X did not take the message: the recipient does not take DMs from you") {
		t.Errorf("refused by X: %d\n%s", status, body)
	}
	// Only the message X refused was ever queued.
	var jobs []store.Job
	if err := l.Store.View(context.Background(), func(tx storetest.Tx) (err error) {
		jobs, err = tx.Jobs(workspaceA, store.JobQuery{Kind: store.JobMessage})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if len(jobs) != 1 || jobs[0].Text != "Hello?" {
		t.Errorf("queued %+v, want only the message X refused", jobs)
	}
	// With htmx a refusal is shown in the box (a 200: htmx swaps no 4xx).
	form := url.Values{"text": {" "}, "csrf": {b.csrf}}
	status, body = b.do(http.MethodPost, reply, strings.NewReader(form.Encode()), http.Header{
		"Content-Type": {"application/x-www-form-urlencoded"}, "Origin": {b.base}, "HX-Request": {"true"},
	})
	if status != http.StatusOK || !strings.Contains(body, "Not sent: the reply is empty.") || strings.Contains(body, "<html") {
		t.Errorf("an htmx refusal: %d\n%s", status, body)
	}
}

func TestCRMPanel(t *testing.T) {
	l := newLive(t)
	f := inboxFixture{t, l}
	a := f.account(workspaceA, "acct-alice", "alice", "100")
	c := f.conversation(a, inboxLead(a, "702", "fred"), liveStart, nil, sentMsg("Hi Fred"), receivedMsg("Tell me more!"))
	hot, err := l.Svc.CreateCustomTag(context.Background(), workspaceA, "Hot lead", "#ff0000")
	if err != nil {
		t.Fatal(err)
	}
	b := l.signIn(t, l.KeyA)
	_, body := b.get("/inbox/" + c.ID)
	for _, want := range []string{
		`<option value="" selected>No tag</option>`, `<option value="booked">Booked</option>`,
		`<option value="` + hot.Key() + `">Hot lead</option>`, `name="deal_currency" value="USD"`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("the CRM panel lacks %q", want)
		}
	}
	crm := "/inbox/" + c.ID + "/crm"
	status, _ := b.post(crm, url.Values{"tag": {hot.Key()}, "notes": {"Call on Monday\r\nabout <pricing>"}, "deal_value": {"5000.5"}, "deal_currency": {"eur"}, "back": {"/inbox/" + c.ID}})
	if status != http.StatusSeeOther {
		t.Fatalf("save: %d, want 303", status)
	}
	info, err := l.Svc.Conversation(context.Background(), workspaceA, c.ID)
	if err != nil || info.CRM.Tag != hot.Key() || info.CRM.Notes != "Call on Monday\nabout <pricing>" ||
		info.CRM.DealValue == nil || *info.CRM.DealValue != 5000.5 || info.CRM.DealCurrency != "EUR" {
		t.Fatalf("after saving, the card is %+v, %v", info.CRM, err)
	}
	_, body = b.get("/inbox/" + c.ID)
	for _, want := range []string{
		`<option value="` + hot.Key() + `" selected>Hot lead</option>`, ">Call on Monday\nabout &lt;pricing&gt;</textarea>",
		`value="5000.5"`, `value="EUR"`, `<span class="badge tag">Hot lead</span>`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("after saving, the page lacks %q", want)
		}
	}
	// Refusals name the field, and change nothing.
	for _, tc := range []struct {
		form  url.Values
		field string
	}{
		{url.Values{"deal_currency": {"EURO"}}, "deal_currency"},
		{url.Values{"deal_value": {"-3"}}, "deal_value"},
		{url.Values{"deal_value": {"lots"}}, "deal_value"},
		{url.Values{"deal_value": {"NaN"}}, "deal_value"},
		{url.Values{"tag": {"vip"}}, "tag"},
		{url.Values{"notes": {strings.Repeat("n", service.MaxCRMNotes+1)}}, "notes"},
	} {
		status, body := b.post(crm, tc.form)
		if status != http.StatusBadRequest || !strings.Contains(body, `<p id="crm-error" class="flash error" role="alert">Not saved: `+tc.field+":") {
			t.Errorf("%v: %d, want 400 naming %s", tc.form, status, tc.field)
		}
	}
	if after, _ := l.Svc.Conversation(context.Background(), workspaceA, c.ID); after.CRM.Tag != hot.Key() || *after.CRM.DealValue != 5000.5 {
		t.Errorf("a refused save changed the card: %+v", after.CRM)
	}
	// With htmx the panel comes back, saying so.
	form := url.Values{"tag": {"booked"}, "notes": {""}, "csrf": {b.csrf}}
	status, body = b.do(http.MethodPost, crm, strings.NewReader(form.Encode()), http.Header{
		"Content-Type": {"application/x-www-form-urlencoded"}, "Origin": {b.base}, "HX-Request": {"true"},
	})
	if status != http.StatusOK || !strings.HasPrefix(strings.TrimSpace(body), `<section id="crm-panel"`) || !strings.Contains(body, `role="status">Saved.</p>`) ||
		!strings.Contains(body, `<option value="booked" selected>Booked</option>`) {
		t.Errorf("an htmx save: %d\n%s", status, body)
	}
	if after, _ := l.Svc.Conversation(context.Background(), workspaceA, c.ID); after.CRM.Tag != "booked" || after.CRM.Notes != "" || *after.CRM.DealValue != 5000.5 {
		t.Errorf("after the htmx save the card is %+v", after.CRM)
	}
}

func TestInboxFormsNeedTheCSRFToken(t *testing.T) {
	l := newLive(t)
	queued := inboxEngine(t, l)
	f := inboxFixture{t, l}
	a := f.account(workspaceA, "acct-alice", "alice", "100")
	c := f.conversation(a, inboxLead(a, "702", "fred"), liveStart, nil, sentMsg("Hi Fred"))
	b := l.signIn(t, l.KeyA)
	for _, tc := range []struct {
		path string
		form url.Values
	}{
		{"/inbox/" + c.ID + "/reply", url.Values{"text": {"forged"}}},
		{"/inbox/" + c.ID + "/crm", url.Values{"tag": {"booked"}, "notes": {"forged"}}},
		{"/board/move", url.Values{"conversation_id": {c.ID}, "tag": {"booked"}}},
	} {
		for _, token := range []string{"forged", ""} {
			tc.form.Set("csrf", token)
			if status, _ := b.post(tc.path, tc.form); status != http.StatusForbidden {
				t.Errorf("POST %s with token %q: %d, want 403", tc.path, token, status)
			}
		}
	}
	select {
	case j := <-queued:
		t.Errorf("a forged reply was queued: %+v", j)
	default:
	}
	if info, _ := l.Svc.Conversation(context.Background(), workspaceA, c.ID); info.CRM.Tag != "" || info.CRM.Notes != "" {
		t.Errorf("a forged form changed the card: %+v", info.CRM)
	}
}
