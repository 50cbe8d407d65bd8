package api

import (
	"net/url"
	"testing"
	"time"

	"github.com/outreachhq/outreach/core/store/storetest"
)

// FuzzConversationsBodies sends generated bodies to the operations of
// conversations.go, crm.go and review.go that take one, and to the
// query strings of their listings, and fails on any 5xx. The account is at
// its daily cap, so a well-formed send-dm is refused at once (429) rather
// than waiting for an engine that does not run here.
func FuzzConversationsBodies(f *testing.F) {
	l := newLive(f)
	a := seedAccount(f, l, WorkspaceA, "acct-a", "myhandle", 1)
	c := seedConversation(f, l, a, "789012", "lead_handle", liveStart, "hi")
	j := parkForReview(f, l, a, "555")
	l.update(f, func(tx storetest.Tx) error { return tx.AddSentOn(WorkspaceA, a.ID, liveStart.Format(time.DateOnly), 1) })
	routes := []struct{ method, path string }{
		{"POST", "/api/v1/dm/send"},
		{"PATCH", "/api/v1/crm/update"},
		{"POST", "/api/v1/crm/tags"},
		{"POST", "/api/v1/review/" + j.ID + "/resolve"},
		{"GET", "/api/v1/conversations?"},
		{"GET", "/api/v1/crm/conversations?"},
		{"GET", "/api/v1/review?"},
		{"GET", "/api/v1/conversations.csv?"},
	}
	seeds := []struct {
		route int
		body  string
	}{
		{0, `{"conversation_id":"` + c.ID + `","message":"Hey! Just following up.","account_id":"acct-a"}`},
		{0, `{"conversation_id":"` + c.ID + `","message":"","account_id":"acct-a"}`},
		{0, `{"conversation_id":null,"message":["x"],"account_id":{}}`},
		{1, `{"conversation_id":"` + c.ID + `","account_handle":"myhandle","notes":"n","deal_value":10000,"deal_currency":"USD","tag":"interested_reply"}`},
		{1, `{"conversation_id":"` + c.ID + `","account_handle":"myhandle","tag":null,"deal_value":1e308}`},
		{1, `{"conversation_id":"` + c.ID + `","account_handle":"myhandle","deal_value":-0,"tag":"custom_x"}`},
		{2, `{"name":"Hot Lead","color":"#ff0000"}`},
		{2, `{"name":"\u0000","color":"#FFFFFF"}`},
		{3, `{"resolution":"not_sent"}`},
		{3, `{"resolution":"sent"}`},
		{4, `limit=100&cursor=eyJ0IjoxNzA5MjM0NTY3MDAwLCJpIjoiYWJjMTIzIn0&include_messages=true`},
		{4, `conversation_id=` + c.ID},
		{4, `handle=%40lead_handle&account_id=acct-a&limit=0`},
		{5, `tag=unread&limit=1&include_messages=1`},
		{6, `after_id=%ff&limit=-1`},
		{7, `account_id=acct-a`},
		{1, `{"conversation_id":"` + c.ID + `","account_handle":"myhandle","tag":"x"`},
	}
	for _, s := range seeds {
		f.Add(s.route, s.body)
	}
	f.Fuzz(func(t *testing.T, route int, body string) {
		if route < 0 {
			route = -route
		}
		r := routes[route%len(routes)]
		var status int
		var resp []byte
		if r.method == "GET" {
			if _, err := url.Parse(l.URL + r.path + body); err != nil {
				t.Skip("not a URL a client can send")
			}
			status, resp = l.do(t, l.KeyA, r.method, r.path+body, nil)
		} else {
			status, resp = l.do(t, l.KeyA, r.method, r.path, body)
		}
		if status >= 500 {
			t.Fatalf("%s %s with %q: %d %s", r.method, r.path, body, status, resp)
		}
	})
}
