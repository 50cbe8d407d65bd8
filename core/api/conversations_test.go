package api

import (
	"context"
	"encoding/base64"
	"encoding/csv"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/outreachhq/outreach/core/service"
	"github.com/outreachhq/outreach/core/store"
	"github.com/outreachhq/outreach/core/store/storetest"
)

// seedAccount puts an account in workspace ws, as configuration would.
func seedAccount(t testing.TB, l *live, ws, id, handle string, dailyCap int) store.Account {
	t.Helper()
	a := store.Account{ID: id, Workspace: ws, Handle: handle, XUserID: "1" + id, DailyDMLimit: dailyCap, CreatedAt: liveStart}
	l.update(t, func(tx storetest.Tx) error { return tx.PutAccount(a) })
	return a
}

// seedConversation puts a lead, a conversation with it and its messages in
// the store, as the engine records them; the last message is at lastAt.
func seedConversation(t testing.TB, l *live, a store.Account, leadID, handle string, lastAt time.Time, msgs ...string) store.Conversation {
	t.Helper()
	lead := store.Lead{UserID: leadID, Workspace: a.Workspace, Username: handle, Name: "Lead " + handle, Bio: "Founder @ Startup",
		Location: "San Francisco", Website: "https://example.com", Followers: 5000, Following: 12, FoundAt: liveStart}
	c := store.Conversation{
		ID: store.ConversationID(a.XUserID, leadID), Workspace: a.Workspace, AccountID: a.ID, LeadID: leadID,
		LastAt: lastAt, LastText: "hello", LastSent: true, Unread: true, CreatedAt: lastAt.Add(-time.Hour), UpdatedAt: lastAt,
	}
	l.update(t, func(tx storetest.Tx) error {
		if err := tx.PutLead(lead); err != nil {
			return err
		}
		for i, text := range msgs {
			sender := a.XUserID
			if i%2 == 1 {
				sender = leadID
			}
			at := lastAt.Add(time.Duration(i-len(msgs)+1) * time.Minute)
			if _, err := tx.AddMessage(store.Message{ID: fmt.Sprintf("%s-m%d", leadID, i), Workspace: a.Workspace,
				ConversationID: c.ID, SenderID: sender, Text: text, Sent: sender == a.XUserID, At: at}); err != nil {
				return err
			}
			c.LastText, c.LastSent, c.MessageCount = text, sender == a.XUserID, c.MessageCount+1
		}
		return tx.PutConversation(c)
	})
	return c
}

type convListing struct {
	Conversations []map[string]any `json:"conversations"`
	Pagination    struct {
		Limit   int  `json:"limit"`
		Count   int  `json:"count"`
		HasMore bool `json:"has_more"`
	} `json:"pagination"`
	NextCursor *string `json:"next_cursor"`
}

func conversationIDs(page convListing) []string {
	var ids []string
	for _, c := range page.Conversations {
		ids = append(ids, c["conversation_id"].(string))
	}
	return ids
}

// listAll pages through /conversations with limit, calling between after
// each page, and returns every id listed, in order.
func listAll(t *testing.T, l *live, key string, limit int, between func(page int)) []string {
	t.Helper()
	var all []string
	cursor := ""
	for page := 0; ; page++ {
		path := fmt.Sprintf("/api/v1/conversations?limit=%d", limit)
		if cursor != "" {
			path += "&cursor=" + url.QueryEscape(cursor)
		}
		status, body := l.do(t, key, "GET", path, nil)
		if status != http.StatusOK {
			t.Fatalf("GET %s: %d %s", path, status, body)
		}
		p := decode[convListing](t, body)
		if p.Pagination.Count != len(p.Conversations) || p.Pagination.Limit != limit {
			t.Fatalf("pagination %+v for %d conversations", p.Pagination, len(p.Conversations))
		}
		all = append(all, conversationIDs(p)...)
		if p.NextCursor == nil {
			if p.Pagination.HasMore {
				t.Fatal("has_more with a null next_cursor")
			}
			return all
		}
		if !p.Pagination.HasMore {
			t.Fatal("a next_cursor without has_more")
		}
		cursor = *p.NextCursor
		if between != nil {
			between(page)
		}
	}
}

func TestConversationsPaging(t *testing.T) {
	l := newLive(t)
	a := seedAccount(t, l, WorkspaceA, "acct-a", "alice", 0)
	var want []string
	// Newest first; two pairs share a time, ordered then by id descending.
	for i := range 7 {
		at := liveStart.Add(-time.Duration(i/2) * time.Hour)
		c := seedConversation(t, l, a, fmt.Sprintf("90%d", i), fmt.Sprintf("lead%d", i), at, "hi", "hello back")
		want = append(want, c.ID)
	}
	slices.SortStableFunc(want, func(x, y string) int { return strings.Compare(y, x) }) // ties by id, descending
	// Stable sort by time descending keeps the id order within a time.
	byTime := map[string]int{}
	for i := range 7 {
		byTime[store.ConversationID(a.XUserID, fmt.Sprintf("90%d", i))] = i / 2
	}
	slices.SortStableFunc(want, func(x, y string) int { return byTime[x] - byTime[y] })

	if got := listAll(t, l, l.KeyA, 3, nil); !slices.Equal(got, want) {
		t.Errorf("paging by 3 listed\n%v\nwant\n%v", got, want)
	}
	if got := listAll(t, l, l.KeyA, 100, nil); !slices.Equal(got, want) {
		t.Errorf("one page listed\n%v\nwant\n%v", got, want)
	}
	if got := listAll(t, l, l.KeyB, 3, nil); len(got) != 0 {
		t.Errorf("workspace B listed A's conversations: %v", got)
	}
}

func TestConversationsStableUnderInserts(t *testing.T) {
	l := newLive(t)
	a := seedAccount(t, l, WorkspaceA, "acct-a", "alice", 0)
	var want []string
	for i := range 6 {
		c := seedConversation(t, l, a, fmt.Sprintf("80%d", i), fmt.Sprintf("lead%d", i), liveStart.Add(-time.Duration(i)*time.Minute))
		want = append(want, c.ID)
	}
	// Between pages, newer conversations come in: they are before the
	// cursor, so the listing goes on where it was.
	n := 0
	got := listAll(t, l, l.KeyA, 2, func(int) {
		n++
		seedConversation(t, l, a, fmt.Sprintf("70%d", n), fmt.Sprintf("new%d", n), liveStart.Add(time.Duration(n)*time.Minute))
	})
	if !slices.Equal(got, want) {
		t.Errorf("with inserts between pages, listed\n%v\nwant each of the first six exactly once, in order\n%v", got, want)
	}
}

func TestConversationsBadCursor(t *testing.T) {
	l := newLive(t)
	enc := func(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }
	for _, c := range []string{
		"not base64!",
		enc("not json"),
		enc(`{"t":1709234567000000000}`),
		enc(`{"t":1709234567000000000,"i":""}`),
		enc(`{"t":-5,"i":"1-2"}`),
		enc(`{"t":99999999999999999999,"i":"1-2"}`),
		enc(`{"t":1709234567000000000,"i":"1-2","x":1}`),
		enc(`{"t":1709234567000000000,"i":"1 2"}`),
		enc(`{"t":"yesterday","i":"1-2"}`),
		enc(`[]`),
		enc(`{"t":1709234567000000000,"i":"` + strings.Repeat("9", 300) + `"}`),
	} {
		status, body := l.do(t, l.KeyA, "GET", "/api/v1/conversations?cursor="+url.QueryEscape(c), nil)
		if status != http.StatusBadRequest || !strings.Contains(string(body), "cursor") {
			t.Errorf("cursor %q: %d %s, want 400 naming cursor", c, status, body)
		}
	}
	if status, body := l.do(t, l.KeyA, "GET", "/api/v1/conversations?limit=101", nil); status != http.StatusBadRequest || !strings.Contains(string(body), "limit") {
		t.Errorf("limit=101: %d %s, want 400 naming limit", status, body)
	}
}

func TestConversationsFilters(t *testing.T) {
	l := newLive(t)
	a := seedAccount(t, l, WorkspaceA, "acct-a", "alice", 0)
	b := seedAccount(t, l, WorkspaceA, "acct-b", "bob", 0)
	c1 := seedConversation(t, l, a, "501", "Prospect", liveStart, "hi", "thanks")
	c2 := seedConversation(t, l, b, "502", "other", liveStart.Add(-time.Minute), "yo")
	for _, tc := range []struct{ query, want string }{
		{"account_id=acct-b", c2.ID},
		{"handle=%40prospect", c1.ID},
		{"handle=other&account_id=acct-a", ""},
	} {
		status, body := l.do(t, l.KeyA, "GET", "/api/v1/conversations?"+tc.query, nil)
		if status != http.StatusOK {
			t.Fatalf("%s: %d %s", tc.query, status, body)
		}
		if got := strings.Join(conversationIDs(decode[convListing](t, body)), ","); got != tc.want {
			t.Errorf("%s listed %q, want %q", tc.query, got, tc.want)
		}
	}
	// include_messages adds every message to each item; without it there
	// is no messages field.
	_, body := l.do(t, l.KeyA, "GET", "/api/v1/conversations?account_id=acct-a&include_messages=true", nil)
	p := decode[convListing](t, body)
	msgs, _ := p.Conversations[0]["messages"].([]any)
	if len(msgs) != 2 || msgs[1].(map[string]any)["text"] != "thanks" || msgs[1].(map[string]any)["isSent"] != false {
		t.Errorf("include_messages: messages %v, want hi then thanks (the lead's)", msgs)
	}
	last := p.Conversations[0]["last_message"].(map[string]any)
	if last["time"] != float64(liveStart.UnixMilli()) || last["text"] != "thanks" || last["is_sent"] != false {
		t.Errorf("last_message %v, want the lead's thanks at %d ms", last, liveStart.UnixMilli())
	}
	_, body = l.do(t, l.KeyA, "GET", "/api/v1/conversations?account_id=acct-a", nil)
	if _, ok := decode[convListing](t, body).Conversations[0]["messages"]; ok {
		t.Error("messages listed without include_messages")
	}
}

func TestConversationByID(t *testing.T) {
	l := newLive(t)
	a := seedAccount(t, l, WorkspaceA, "acct-a", "alice", 0)
	c := seedConversation(t, l, a, "601", "prospect", liveStart, "Hey! Saw your work on...", "Thanks for reaching out!")
	status, body := l.do(t, l.KeyA, "GET", "/api/v1/conversations?conversation_id="+c.ID, nil)
	if status != http.StatusOK {
		t.Fatalf("%d %s", status, body)
	}
	got := decode[map[string]any](t, body)
	if len(got) != 1 {
		t.Errorf("body has %d fields, want conversation alone: %s", len(got), body)
	}
	conv := got["conversation"].(map[string]any)
	if conv["conversation_id"] != c.ID || conv["account_handle"] != "alice" ||
		conv["created_at"] != "2030-03-04T08:00:00.000Z" || conv["updated_at"] != "2030-03-04T09:00:00.000Z" {
		t.Errorf("conversation %v", conv)
	}
	if lead := conv["lead"].(map[string]any); lead["screen_name"] != "prospect" || lead["user_id"] != "601" || lead["following_count"] != float64(12) {
		t.Errorf("lead %v", lead)
	}
	if crm := conv["crm"].(map[string]any); crm["deal_currency"] != "USD" || crm["deal_value"] != float64(0) {
		t.Errorf("crm %v, want no deal in USD", crm)
	}
	stats := conv["stats"].(map[string]any)
	if stats["message_count"] != float64(2) || stats["last_message_time"] != float64(liveStart.UnixMilli()) {
		t.Errorf("stats %v", stats)
	}
	msgs := conv["messages"].([]any)
	if m := msgs[0].(map[string]any); len(msgs) != 2 || m["sender"] != a.XUserID || m["isSent"] != true ||
		m["time"] != float64(liveStart.Add(-time.Minute).UnixMilli()) {
		t.Errorf("messages %v", msgs)
	}
	if status, body := l.do(t, l.KeyB, "GET", "/api/v1/conversations?conversation_id="+c.ID, nil); status != http.StatusNotFound {
		t.Errorf("workspace B got A's conversation: %d %s", status, body)
	}
}

func TestSendDM(t *testing.T) {
	l := newLive(t)
	a := seedAccount(t, l, WorkspaceA, "acct-a", "alice", 2)
	c := seedConversation(t, l, a, "701", "prospect", liveStart, "hi")
	send := map[string]any{"conversation_id": c.ID, "message": "Hey! Just following up.", "account_id": a.ID}

	engine := fakeEngine(l, func(tx storetest.Tx, job store.Job) error {
		if job.Text != "Hey! Just following up." || job.ConversationID != c.ID || job.AccountID != a.ID {
			return fmt.Errorf("queued %+v", job)
		}
		return recordSent(tx, job, a, "1234567890123456789", l.Clock.Now())
	})
	status, body := l.do(t, l.KeyA, "POST", "/api/v1/dm/send", send)
	if err := <-engine; err != nil {
		t.Fatal(err)
	}
	if status != http.StatusOK {
		t.Fatalf("send: %d %s", status, body)
	}
	want := `{"success":true,"message_id":"1234567890123456789","conversation_id":"` + c.ID + `","account_handle":"alice"}`
	if got := strings.TrimSpace(string(body)); got != want {
		t.Errorf("send answered\n%s\nwant\n%s", got, want)
	}

	// One sent already today; the cap is 2: one more fills it.
	l.update(t, func(tx storetest.Tx) error { return tx.AddSentOn(WorkspaceA, a.ID, liveStart.Format(time.DateOnly), 1) })
	status, body = l.do(t, l.KeyA, "POST", "/api/v1/dm/send", send)
	if status != http.StatusTooManyRequests || !strings.Contains(string(body), `"retry_after":54000`) {
		t.Errorf("at the cap: %d %s, want 429 with retry_after until midnight UTC (15 h)", status, body)
	}

	// Workspace B cannot send in A's conversation, nor from A's account.
	if status, body := l.do(t, l.KeyB, "POST", "/api/v1/dm/send", send); status != http.StatusNotFound {
		t.Errorf("workspace B sent in A's conversation: %d %s", status, body)
	}
}

func TestSendDMRateLimited(t *testing.T) {
	l := newLive(t)
	a := seedAccount(t, l, WorkspaceA, "acct-a", "alice", 0)
	c := seedConversation(t, l, a, "701", "prospect", liveStart, "hi")
	l.update(t, func(tx storetest.Tx) error {
		return tx.PutAccountState(store.AccountState{Workspace: WorkspaceA, AccountID: a.ID, Holds: []store.Hold{
			{Scope: store.HoldAll, By: "x", Reason: "rate limited by X: 88", Since: liveStart, Until: liveStart.Add(90 * time.Second)},
		}})
	})
	send := map[string]any{"conversation_id": c.ID, "message": "Hey!", "account_id": a.ID}
	status, body := l.do(t, l.KeyA, "POST", "/api/v1/dm/send", send)
	if status != http.StatusTooManyRequests || !strings.Contains(string(body), `"retry_after":90`) {
		t.Errorf("rate limited: %d %s, want 429 retry_after 90", status, body)
	}
	l.Clock.Advance(91 * time.Second)
	// Once the hold lifts the message is queued (and, no engine running
	// here, the request would wait): check it is queued, not refused, with
	// a request that gives up at once.
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	if _, err := l.Svc.SendDM(ctx, WorkspaceA, c.ID, a.ID, "Hey!"); err != nil {
		t.Errorf("after the hold: %v", err)
	}
}

func TestSendDMBadInput(t *testing.T) {
	l := newLive(t)
	a := seedAccount(t, l, WorkspaceA, "acct-a", "alice", 0)
	c := seedConversation(t, l, a, "701", "prospect", liveStart, "hi")
	for _, tc := range []struct {
		body  any
		field string
	}{
		{map[string]any{"conversation_id": c.ID, "message": strings.Repeat("x", 10001), "account_id": a.ID}, "message"},
		{map[string]any{"conversation_id": c.ID, "message": "", "account_id": a.ID}, "message"},
		{map[string]any{"conversation_id": c.ID, "message": "   ", "account_id": a.ID}, "message"},
		{map[string]any{"conversation_id": c.ID, "account_id": a.ID}, "message"},
		{map[string]any{"conversation_id": c.ID, "message": "x", "account_id": a.ID, "status": "done"}, "status"},
		{map[string]any{"conversation_id": 5, "message": "x", "account_id": a.ID}, "conversation_id"},
		{`{"conversation_id":`, "body"},
	} {
		status, body := l.do(t, l.KeyA, "POST", "/api/v1/dm/send", tc.body)
		if status != http.StatusBadRequest || !strings.Contains(string(body), tc.field) {
			t.Errorf("%v: %d %s, want 400 naming %s", tc.body, status, body, tc.field)
		}
	}
}

func TestExportConversations(t *testing.T) {
	l := newLive(t)
	a := seedAccount(t, l, WorkspaceA, "acct-a", "alice", 0)
	for i := range 150 {
		seedConversation(t, l, a, fmt.Sprintf("9%03d", i), fmt.Sprintf("lead%d", i), liveStart.Add(-time.Duration(i)*time.Minute), "hi")
	}
	evil := seedConversation(t, l, a, "8000", "evil", liveStart.Add(time.Hour), "hi", "=HYPERLINK(\"http://x\"),\n\"two\"")
	status, body := l.do(t, l.KeyA, "GET", "/api/v1/conversations.csv", nil)
	if status != http.StatusOK {
		t.Fatalf("%d %s", status, body)
	}
	rows, err := csv.NewReader(strings.NewReader(string(body))).ReadAll()
	if err != nil {
		t.Fatalf("not CSV: %v\n%s", err, body)
	}
	if len(rows) != 152 || !slices.Equal(rows[0], conversationsCSVHeader) {
		t.Fatalf("%d rows, header %v; want a header and 151 conversations", len(rows), rows[0])
	}
	first := rows[1]
	if first[0] != evil.ID || first[15] != "'=HYPERLINK(\"http://x\"),\n\"two\"" || first[3] != "evil" {
		t.Errorf("first row %q", first)
	}
	if service.CSVCell(`=HYPERLINK("http://x")`) != `'=HYPERLINK("http://x")` || service.CSVCell("-1") != "'-1" || service.CSVCell("@a") != "'@a" || service.CSVCell("ok") != "ok" {
		t.Error("csvSafe does not defuse formulas")
	}
	status, body = l.do(t, l.KeyB, "GET", "/api/v1/conversations.csv", nil)
	if rows, _ := csv.NewReader(strings.NewReader(string(body))).ReadAll(); status != http.StatusOK || len(rows) != 1 {
		t.Errorf("workspace B's export: %d, %d rows, want the header alone", status, len(rows))
	}
}

// recordSent records a message job as sent, as the engine does once X has
// taken it.
func recordSent(tx storetest.Tx, j store.Job, a store.Account, eventID string, now time.Time) error {
	lead, _ := tx.Lead(j.Workspace, j.LeadID)
	return service.RecordSent(tx, service.Sent{
		Job: j, Account: a, Lead: lead, SenderID: a.XUserID, RecipientID: j.LeadID, Text: j.Text,
		ConversationID: j.ConversationID, EventID: eventID, At: now, Answered: now,
	}, now)
}

// fakeEngine plays the engine's part in another goroutine, as another
// process would: it waits for a message job to be queued in workspace A,
// then settles it in the store with settle. The channel gives its error.
func fakeEngine(l *live, settle func(tx storetest.Tx, job store.Job) error) <-chan error {
	done := make(chan error, 1)
	go func() {
		done <- func() error {
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			for ctx.Err() == nil {
				var job *store.Job
				err := l.Store.View(ctx, func(tx storetest.Tx) error {
					jobs, err := tx.Jobs(WorkspaceA, store.JobQuery{State: store.JobPending})
					for _, j := range jobs {
						if j.Kind == store.JobMessage {
							job = &j
						}
					}
					return err
				})
				if err != nil {
					return err
				}
				if job == nil {
					time.Sleep(time.Millisecond) // polling the store for the job, as the engine's process would
					continue
				}
				return l.Store.Update(ctx, func(tx storetest.Tx) error { return settle(tx, *job) })
			}
			return ctx.Err()
		}()
	}()
	return done
}

func TestSendDMFailed(t *testing.T) {
	l := newLive(t)
	a := seedAccount(t, l, WorkspaceA, "acct-a", "alice", 0)
	c := seedConversation(t, l, a, "701", "prospect", liveStart, "hi")
	engine := fakeEngine(l, func(tx storetest.Tx, j store.Job) error {
		j.State, j.LastError, j.DoneAt = store.JobFailed, "the recipient does not take DMs from you", l.Clock.Now()
		return tx.PutJob(j)
	})
	status, body := l.do(t, l.KeyA, "POST", "/api/v1/dm/send", map[string]any{"conversation_id": c.ID, "message": "Hey!", "account_id": a.ID})
	if err := <-engine; err != nil {
		t.Fatal(err)
	}
	if status != http.StatusBadGateway || !strings.Contains(string(body), "the recipient does not take DMs from you") {
		t.Errorf("failed send: %d %s, want 502 with the reason", status, body)
	}
}
