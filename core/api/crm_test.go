package api

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/outreachhq/outreach/core/service"
)

type crmBoard struct {
	Columns map[string]struct {
		Conversations []map[string]any `json:"conversations"`
		Count         int              `json:"count"`
	} `json:"columns"`
	CustomTags []map[string]string `json:"custom_tags"`
	BaseTags   []string            `json:"base_tags"`
}

func TestCRMUpdateAndBoard(t *testing.T) {
	l := newLive(t)
	a := seedAccount(t, l, WorkspaceA, "acct-a", "myhandle", 0)
	c := seedConversation(t, l, a, "789012", "lead_handle", liveStart, "hi", "Yes, I'd love to learn more!")
	patch := func(key string, body any) (int, map[string]any) {
		t.Helper()
		status, b := l.do(t, key, "PATCH", "/api/v1/crm/update", body)
		if status != http.StatusOK {
			return status, map[string]any{"raw": string(b)}
		}
		return status, decode[map[string]any](t, b)
	}

	status, got := patch(l.KeyA, map[string]any{
		"conversation_id": c.ID, "account_handle": "@MyHandle", "notes": "Interested in enterprise plan. Follow up Monday.",
		"deal_value": 10000, "deal_currency": "USD", "tag": "interested_reply",
	})
	if status != http.StatusOK {
		t.Fatalf("update: %d %v", status, got)
	}
	want := map[string]any{"conversation_id": c.ID, "account_handle": "myhandle", "notes": "Interested in enterprise plan. Follow up Monday.",
		"deal_value": float64(10000), "deal_currency": "USD", "tag": "interested_reply"}
	if got["success"] != true || !mapsEqual(got["updated"].(map[string]any), want) {
		t.Errorf("update answered %v, want updated %v", got, want)
	}

	// The board shows it in its column, with the reference's time string.
	status, body := l.do(t, l.KeyA, "GET", "/api/v1/crm/conversations", nil)
	if status != http.StatusOK {
		t.Fatalf("board: %d %s", status, body)
	}
	board := decode[crmBoard](t, body)
	if !slices.Equal(board.BaseTags, service.BaseTags) || len(board.Columns) != len(service.BaseTags) || len(board.CustomTags) != 0 {
		t.Errorf("board tags %v, %d columns, custom %v", board.BaseTags, len(board.Columns), board.CustomTags)
	}
	col := board.Columns["interested_reply"]
	if col.Count != 1 || len(col.Conversations) != 1 {
		t.Fatalf("interested_reply column %+v", col)
	}
	conv := col.Conversations[0]
	if conv["tag"] != "interested_reply" || conv["last_message"].(map[string]any)["time"] != "2030-03-04T09:00:00Z" ||
		conv["crm"].(map[string]any)["deal_value"] != float64(10000) || conv["receiver"].(map[string]any)["screen_name"] != "lead_handle" {
		t.Errorf("board card %v", conv)
	}
	if _, ok := conv["messages"]; ok {
		t.Error("messages without include_messages")
	}
	if neg := board.Columns["negative_reply"]; neg.Conversations == nil || neg.Count != 0 {
		t.Errorf("an empty column %+v, want an empty list", neg)
	}
	_, body = l.do(t, l.KeyA, "GET", "/api/v1/crm/conversations?tag=interested_reply&include_messages=true", nil)
	board = decode[crmBoard](t, body)
	if len(board.Columns) != 1 || len(board.Columns["interested_reply"].Conversations[0]["messages"].([]any)) != 2 {
		t.Errorf("one column with messages: %s", body)
	}

	// Absent fields stay; null removes the tag.
	_, got = patch(l.KeyA, map[string]any{"conversation_id": c.ID, "account_handle": "myhandle", "notes": "Call on Monday"})
	if u := got["updated"].(map[string]any); u["tag"] != "interested_reply" || u["notes"] != "Call on Monday" || u["deal_value"] != float64(10000) {
		t.Errorf("notes only: %v", u)
	}
	_, got = patch(l.KeyA, map[string]any{"conversation_id": c.ID, "account_handle": "myhandle", "tag": nil})
	if u := got["updated"].(map[string]any); u["tag"] != nil || u["notes"] != "Call on Monday" {
		t.Errorf("tag null: %v, want the tag removed and the notes kept", u)
	}
	if _, ok := got["updated"].(map[string]any)["tag"]; !ok {
		t.Error("updated has no tag field; want null")
	}
	_, body = l.do(t, l.KeyA, "GET", "/api/v1/crm/conversations?tag=interested_reply", nil)
	if n := decode[crmBoard](t, body).Columns["interested_reply"].Count; n != 0 {
		t.Errorf("after removing the tag the column has %d", n)
	}

	for _, tc := range []struct {
		body  map[string]any
		field string
	}{
		{map[string]any{"conversation_id": c.ID, "account_handle": "someoneelse"}, "account_handle"},
		{map[string]any{"conversation_id": c.ID, "account_handle": "myhandle", "tag": "nonsense"}, "tag"},
		{map[string]any{"conversation_id": c.ID, "account_handle": "myhandle", "tag": 5}, "tag"},
		{map[string]any{"conversation_id": c.ID, "account_handle": "myhandle", "deal_value": -1}, "deal_value"},
		{map[string]any{"conversation_id": c.ID, "account_handle": "myhandle", "deal_currency": "dollars"}, "deal_currency"},
		{map[string]any{"conversation_id": c.ID, "account_handle": "myhandle", "notes": strings.Repeat("n", 10001)}, "notes"},
		{map[string]any{"conversation_id": c.ID, "account_handle": "myhandle", "workspace": "ws-b"}, "workspace"},
		{map[string]any{"account_handle": "myhandle"}, "conversation_id"},
	} {
		status, body := l.do(t, l.KeyA, "PATCH", "/api/v1/crm/update", tc.body)
		if status != http.StatusBadRequest || !strings.Contains(string(body), tc.field) {
			t.Errorf("%v: %d %s, want 400 naming %s", tc.body, status, body, tc.field)
		}
	}
	if status, _ := l.do(t, l.KeyA, "GET", "/api/v1/crm/conversations?limit=101", nil); status != http.StatusBadRequest {
		t.Errorf("limit=101: %d", status)
	}

	// Workspace B neither changes nor sees A's card.
	if status, got := patch(l.KeyB, map[string]any{"conversation_id": c.ID, "account_handle": "myhandle", "notes": "mine"}); status != http.StatusNotFound {
		t.Errorf("workspace B updated A's card: %d %v", status, got)
	}
	_, body = l.do(t, l.KeyB, "GET", "/api/v1/crm/conversations", nil)
	for tag, col := range decode[crmBoard](t, body).Columns {
		if col.Count != 0 {
			t.Errorf("workspace B's %s column lists %v", tag, col.Conversations)
		}
	}
}

func TestCRMCustomTags(t *testing.T) {
	l := newLive(t)
	a := seedAccount(t, l, WorkspaceA, "acct-a", "myhandle", 0)
	c := seedConversation(t, l, a, "789012", "lead_handle", liveStart, "hi")
	status, body := l.do(t, l.KeyA, "POST", "/api/v1/crm/tags", map[string]any{"name": "Hot Lead", "color": "#ff0000"})
	if status != http.StatusOK {
		t.Fatalf("create: %d %s", status, body)
	}
	tag := decode[struct {
		Success   bool              `json:"success"`
		CustomTag map[string]string `json:"custom_tag"`
	}](t, body).CustomTag
	if tag["name"] != "Hot Lead" || tag["color"] != "#ff0000" || tag["key"] != "custom_"+tag["id"] {
		t.Fatalf("created %v", tag)
	}
	for _, bad := range []map[string]any{{"name": "Hot Lead"}, {"name": "x", "color": "red"}, {"name": ""}, {"name": strings.Repeat("n", 201)}} {
		if status, body := l.do(t, l.KeyA, "POST", "/api/v1/crm/tags", bad); status != http.StatusBadRequest {
			t.Errorf("create %v: %d %s, want 400", bad, status, body)
		}
	}
	if status, body := l.do(t, l.KeyA, "PATCH", "/api/v1/crm/update", map[string]any{"conversation_id": c.ID, "account_handle": "myhandle", "tag": tag["key"]}); status != http.StatusOK {
		t.Fatalf("tag with the custom key: %d %s", status, body)
	}
	_, body = l.do(t, l.KeyA, "GET", "/api/v1/crm/conversations", nil)
	board := decode[crmBoard](t, body)
	if len(board.CustomTags) != 1 || board.Columns[tag["key"]].Count != 1 {
		t.Errorf("board with a custom tag: %s", body)
	}
	_, body = l.do(t, l.KeyA, "GET", "/api/v1/crm/tags", nil)
	if !strings.Contains(string(body), tag["id"]) {
		t.Errorf("list: %s", body)
	}

	// Workspace B neither sees nor deletes it.
	if _, body := l.do(t, l.KeyB, "GET", "/api/v1/crm/tags", nil); strings.TrimSpace(string(body)) != `{"custom_tags":[]}` {
		t.Errorf("workspace B lists %s", body)
	}
	if status, _ := l.do(t, l.KeyB, "DELETE", "/api/v1/crm/tags/"+tag["id"], nil); status != http.StatusNotFound {
		t.Errorf("workspace B deleted A's tag: %d", status)
	}
	if status, body := l.do(t, l.KeyB, "PATCH", "/api/v1/crm/update", map[string]any{"conversation_id": c.ID, "account_handle": "myhandle", "tag": tag["key"]}); status != http.StatusNotFound {
		t.Errorf("workspace B tagged A's conversation: %d %s", status, body)
	}

	if status, body := l.do(t, l.KeyA, "DELETE", "/api/v1/crm/tags/"+tag["id"], nil); status != http.StatusOK {
		t.Fatalf("delete: %d %s", status, body)
	}
	_, body = l.do(t, l.KeyA, "GET", "/api/v1/crm/tags", nil)
	if strings.TrimSpace(string(body)) != `{"custom_tags":[]}` {
		t.Errorf("after delete: %s", body)
	}
	if status, _ := l.do(t, l.KeyA, "DELETE", "/api/v1/crm/tags/"+tag["id"], nil); status != http.StatusNotFound {
		t.Errorf("deleting twice: %d, want 404", status)
	}
}

func mapsEqual(a, b map[string]any) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}
