package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// fuzzRoutes are the dashboard's forms and filtered pages, by the route a
// fuzzed body or query goes to; {id} is replaced by one of the seeded
// objects' ids, or by a fuzzed one. A reply is fuzzed only at an id that
// is no conversation: a valid one would wait for the engine to send it.
var fuzzRoutes = []struct{ method, path string }{
	{http.MethodPost, "/inbox/{id}/crm"},
	{http.MethodPost, "/inbox/nowhere-{id}/reply"},
	{http.MethodPost, "/board/move"},
	{http.MethodPost, "/accounts/{id}/pause"},
	{http.MethodPost, "/campaigns/{id}/pause"},
	{http.MethodPost, "/campaigns/{id}/resume"},
	{http.MethodPost, "/tweets"},
	{http.MethodPost, "/tweets/{id}/cancel"},
	{http.MethodPost, "/webhooks/{id}/replay"},
	{http.MethodPost, "/webhooks/{id}/enable"},
	{http.MethodPost, "/review/{id}/resolve"},
	{http.MethodGet, "/inbox"},
	{http.MethodGet, "/inbox/list"},
	{http.MethodGet, "/inbox/{id}"},
	{http.MethodGet, "/tweets"},
	{http.MethodGet, "/webhooks/{id}"},
	{http.MethodGet, "/review"},
}

// FuzzForms sends any body to every form, and any query to every page
// that reads one: the answer is a page or a refusal that names the
// problem, never a 500 or a dropped connection (a panic).
func FuzzForms(f *testing.F) {
	l := newLive(f)
	fx := inboxFixture{f, l}
	a := fx.account(workspaceA, "acct-fuzz", "fuzzer", "100")
	c := fx.conversation(a, inboxLead(a, "200", "lead"), liveStart, nil)
	b := l.signIn(f, l.KeyA)
	ids := []string{c.ID, a.ID}

	f.Add(0, 0, "tag=interested_reply&notes=hi&deal_value=12.5&deal_currency=usd")
	f.Add(0, 0, "deal_value=1e400&notes=%00%ff")
	f.Add(2, 0, "conversation_id=100-200&tag=not_interested&back=//evil")
	f.Add(3, 1, "field=paused&value=maybe&back=/accounts")
	f.Add(6, 1, "account_id=acct-fuzz&text=hello&at=2031-01-02T03:04")
	f.Add(6, 1, "account_id=acct-fuzz&text=&at=yesterday")
	f.Add(8, 0, "delivery_id=x&failed_since=2030-01-01T00:00")
	f.Add(10, 0, "resolution=sent")
	f.Add(11, 0, "account=%ff&campaign=x&tag=unread&unread=1&cursor=eyJ0IjoxLCJpIjoiIn0")
	f.Add(12, 0, "cursor=!!!&v=1&current=x")
	f.Add(15, 0, "status=failed&limit=-1")
	f.Fuzz(func(t *testing.T, route, id int, input string) {
		b := *b // the same session, failing t
		b.t = t
		r := fuzzRoutes[uint(route)%uint(len(fuzzRoutes))]
		path := strings.ReplaceAll(r.path, "{id}", url.PathEscape(pick(ids, id, input)))
		var status int
		var body string
		if r.method == http.MethodPost {
			status, body = b.do(http.MethodPost, path, strings.NewReader(input+"&csrf="+url.QueryEscape(b.csrf)), http.Header{
				"Content-Type": {"application/x-www-form-urlencoded"},
				"Origin":       {b.base},
			})
		} else {
			// A browser sends what it can put in a URL: the fields, escaped.
			q, _ := url.ParseQuery(input)
			status, body = b.get(path + "?" + q.Encode())
		}
		if status >= 500 {
			t.Fatalf("%s %s with %q: %d\n%s", r.method, path, input, status, body)
		}
	})
}

// pick is ids[i] for a seeded object, or, past them, the fuzzed text as
// an id.
func pick(ids []string, i int, fuzzed string) string {
	if i >= 0 && i < len(ids) {
		return ids[i]
	}
	if fuzzed == "" {
		return "x"
	}
	return fuzzed
}
