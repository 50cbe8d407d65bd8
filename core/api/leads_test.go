package api

import (
	"net/http"
	"strings"
	"testing"

	"github.com/outreachhq/outreach/core/store"
	"github.com/outreachhq/outreach/core/store/storetest"
)

// doCSV sends a text/csv body with key.
func (l *live) doCSV(t testing.TB, key, method, path, body string) (int, http.Header, []byte) {
	t.Helper()
	return l.send(t, key, method, path, "text/csv", body)
}

func TestImportLeadList(t *testing.T) {
	w := newCampaignWorld(t, 0)
	csv := "handle,name\n@alice,Alice Smith\nbob,\n\nALICE,dup\ncarol,Carol\n"
	status, _, body := w.doCSV(t, w.KeyA, http.MethodPost, "/api/v1/lead-lists?name=Attendees", csv)
	if status != http.StatusOK {
		t.Fatalf("%d %s", status, body)
	}
	got := decode[struct {
		Success      bool   `json:"success"`
		LeadSourceID string `json:"lead_source_id"`
		Name         string `json:"name"`
		Handles      int    `json:"handles"`
	}](t, body)
	if !got.Success || got.Name != "Attendees" || got.Handles != 3 {
		t.Errorf("import = %s", body)
	}
	// The list is a lead source: its status shows, pending its lookup.
	status, body = w.do(t, w.KeyA, http.MethodGet, "/api/v1/scraping-sources?id="+got.LeadSourceID, nil)
	if status != http.StatusOK || !strings.Contains(string(body), `"status":"pending"`) {
		t.Errorf("status of the list: %d %s", status, body)
	}
	info, err := w.Svc.Source(t.Context(), WorkspaceA, got.LeadSourceID)
	if err != nil || len(info.Listed) != 3 || info.Listed[0] != (store.Listed{Handle: "alice", Name: "Alice Smith"}) || info.Listed[1].Name != "" {
		t.Errorf("stored list = %+v, %v", info.Listed, err)
	}
	// Once its lookup has kept a lead (as the engine does), a campaign over
	// it targets the lead.
	w.update(t, func(tx storetest.Tx) error {
		_, err := tx.AddSourceLead(WorkspaceA, got.LeadSourceID, store.Lead{UserID: "500", Workspace: WorkspaceA, Username: "alice", Name: "Alice Smith"})
		return err
	})
	status, body = w.do(t, w.KeyA, http.MethodPost, "/api/v1/campaigns", map[string]any{
		"name": "From the list", "message": "Hi {{firstName}}", "lead_source_ids": []string{got.LeadSourceID},
	})
	if status != http.StatusOK || !strings.Contains(string(body), `"leads_targeted":1`) {
		t.Errorf("campaign over the list: %d %s", status, body)
	}
	// B does not see A's list.
	if status, body := w.do(t, w.KeyB, http.MethodGet, "/api/v1/scraping-sources?id="+got.LeadSourceID, nil); status != http.StatusNotFound {
		t.Errorf("B gets A's list: %d %s", status, body)
	}
}

func TestImportLeadListBadInput(t *testing.T) {
	l := newLive(t)
	for _, tc := range []struct {
		name, path, body, field string
	}{
		{"no name", "/api/v1/lead-lists", "handle\nalice\n", "name"},
		{"long name", "/api/v1/lead-lists?name=" + strings.Repeat("n", 201), "handle\nalice\n", "name"},
		{"empty", "/api/v1/lead-lists?name=x", "", "body"},
		{"no handle column", "/api/v1/lead-lists?name=x", "user,name\nalice,A\n", "line 1"},
		{"bad handle", "/api/v1/lead-lists?name=x", "handle,name\nalice,A\nnot a handle,B\n", "line 3"},
		{"bad quoting", "/api/v1/lead-lists?name=x", "handle,name\nalice,\"A\nbob,B\n", "line"},
		{"header only", "/api/v1/lead-lists?name=x", "handle\n", "csv"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, _, body := l.doCSV(t, l.KeyA, http.MethodPost, tc.path, tc.body)
			if status != http.StatusBadRequest || !strings.Contains(decode[Error](t, body).Message, tc.field) {
				t.Errorf("%d %s; want 400 naming %s", status, body, tc.field)
			}
		})
	}
	// Nothing was created.
	if _, total, _ := l.Svc.ListSources(t.Context(), WorkspaceA, 10, 0); total != 0 {
		t.Errorf("%d sources after bad imports", total)
	}
}

func TestDoNotContact(t *testing.T) {
	w := newCampaignWorld(t, 3) // leads 100 (lead0), 101 (lead1), 102 (lead2)
	// By id and by a known lead's handle.
	status, body := w.do(t, w.KeyA, http.MethodPost, "/api/v1/do-not-contact", map[string]any{
		"user_ids": []string{"999"}, "handles": []string{"@Lead1"}, "reason": "asked to stop",
	})
	if status != http.StatusOK || !strings.Contains(string(body), `"added":2`) {
		t.Fatalf("add: %d %s", status, body)
	}
	status, body = w.do(t, w.KeyA, http.MethodGet, "/api/v1/do-not-contact", nil)
	want := `{"do_not_contact":[{"user_id":"101","handle":"lead1","reason":"asked to stop"},{"user_id":"999","handle":"","reason":"asked to stop"}],"pagination":{"limit":20,"offset":0,"count":2,"total":2}}` + "\n"
	if status != http.StatusOK || string(body) != want {
		t.Errorf("list: %d %s\nwant %s", status, body, want)
	}
	// A campaign launched now leaves lead1 out.
	status, body = w.do(t, w.KeyA, http.MethodPost, "/api/v1/campaigns", map[string]any{
		"name": "c", "message": "Hi", "lead_source_ids": []string{w.source},
	})
	if status != http.StatusOK || !strings.Contains(string(body), `"leads_targeted":2`) {
		t.Errorf("launch after do-not-contact: %d %s", status, body)
	}
	// Bad input names the field.
	for _, tc := range []struct {
		body  any
		field string
	}{
		{map[string]any{"handles": []string{"unknown_person"}}, "handles[0]"},
		{map[string]any{"user_ids": []string{"12", "abc"}}, "user_ids[1]"},
		{map[string]any{}, "user_ids"},
		{map[string]any{"user_ids": []string{"1"}, "reason": strings.Repeat("r", 1001)}, "reason"},
		{map[string]any{"user_ids": []string{"1"}, "workspace": "ws-b"}, "workspace"},
	} {
		status, body := w.do(t, w.KeyA, http.MethodPost, "/api/v1/do-not-contact", tc.body)
		if status != http.StatusBadRequest || !strings.Contains(decode[Error](t, body).Message, tc.field) {
			t.Errorf("%v: %d %s; want 400 naming %s", tc.body, status, body, tc.field)
		}
	}
	// B's key neither sees A's list nor changes it; B's own entries are B's.
	status, body = w.do(t, w.KeyB, http.MethodGet, "/api/v1/do-not-contact", nil)
	if status != http.StatusOK || !strings.Contains(string(body), `"do_not_contact":[]`) {
		t.Errorf("B lists A's entries: %d %s", status, body)
	}
	status, body = w.do(t, w.KeyB, http.MethodDelete, "/api/v1/do-not-contact", map[string]any{"user_ids": []string{"101", "999"}})
	if status != http.StatusOK || !strings.Contains(string(body), `"removed":0`) {
		t.Errorf("B removes A's entries: %d %s", status, body)
	}
	if status, body = w.do(t, w.KeyB, http.MethodPost, "/api/v1/do-not-contact", map[string]any{"handles": []string{"lead0"}}); status != http.StatusBadRequest {
		t.Errorf("B resolves A's lead by handle: %d %s", status, body)
	}
	_, _, body = w.doCSV(t, w.KeyB, http.MethodGet, "/api/v1/do-not-contact.csv", "")
	if string(body) != "user_id,handle,reason\n" {
		t.Errorf("B exports: %s", body)
	}
	// Removal by handle and by id.
	status, body = w.do(t, w.KeyA, http.MethodDelete, "/api/v1/do-not-contact", map[string]any{"handles": []string{"lead1"}, "user_ids": []string{"12345"}})
	if status != http.StatusOK || !strings.Contains(string(body), `"removed":1`) {
		t.Errorf("remove: %d %s", status, body)
	}
	if _, total, _ := w.Svc.DoNotContacts(t.Context(), WorkspaceA, 0, 0); total != 1 {
		t.Errorf("%d entries left; want 1", total)
	}
}

func TestDoNotContactCSV(t *testing.T) {
	w := newCampaignWorld(t, 2)
	csv := "handle,user_id,reason\nlead0,,from a spreadsheet\n,777,\"opted out, by email\"\n,778,=1+1\n\n"
	status, _, body := w.doCSV(t, w.KeyA, http.MethodPost, "/api/v1/do-not-contact.csv", csv)
	if status != http.StatusOK || !strings.Contains(string(body), `"added":3`) {
		t.Fatalf("import: %d %s", status, body)
	}
	// A reason a spreadsheet would run as a formula is exported defused.
	status, header, body := w.doCSV(t, w.KeyA, http.MethodGet, "/api/v1/do-not-contact.csv", "")
	want := "user_id,handle,reason\n100,lead0,from a spreadsheet\n777,,\"opted out, by email\"\n778,,'=1+1\n"
	if status != http.StatusOK || string(body) != want || !strings.HasPrefix(header.Get("Content-Type"), "text/csv") {
		t.Errorf("export: %d %q %s\nwant %s", status, header.Get("Content-Type"), body, want)
	}
	// The export imports back into another workspace as it is (ids).
	if status, _, body := w.doCSV(t, w.KeyB, http.MethodPost, "/api/v1/do-not-contact.csv", string(body)); status != http.StatusOK || !strings.Contains(string(body), `"added":3`) {
		t.Errorf("re-import: %d %s", status, body)
	}
	// A bad row names its line, and nothing of the file is added.
	for _, tc := range []struct{ csv, field string }{
		{"user_id\n1\nx1\n", "line 3"},
		{"handle\nlead1\nnobody_known\n", "line 3"},
		{"name\nbob\n", "line 1"},
		{"user_id,reason\n1,\"unterminated\n", "line"},
	} {
		status, _, body := w.doCSV(t, w.KeyA, http.MethodPost, "/api/v1/do-not-contact.csv", tc.csv)
		if status != http.StatusBadRequest || !strings.Contains(decode[Error](t, body).Message, tc.field) {
			t.Errorf("%q: %d %s; want 400 naming %s", tc.csv, status, body, tc.field)
		}
	}
	if _, total, _ := w.Svc.DoNotContacts(t.Context(), WorkspaceA, 0, 0); total != 3 {
		t.Errorf("%d entries after bad imports; want the 3 of the good one", total)
	}
}

func FuzzImportLeadList(f *testing.F) {
	f.Add("handle,name\nalice,Alice\n")
	f.Add("name,handle\n\"x\"\"y\",bob\n")
	f.Add("\ufeffhandle\n@@@\n")
	l := newLive(f)
	f.Fuzz(func(t *testing.T, body string) {
		if status, _, resp := l.doCSV(t, l.KeyA, http.MethodPost, "/api/v1/lead-lists?name=f", body); status >= 500 {
			t.Errorf("%d %s for %q", status, resp, body)
		}
	})
}

func FuzzDoNotContact(f *testing.F) {
	f.Add(`{"user_ids":["1"],"handles":["a"],"reason":"r"}`, "user_id,handle,reason\n1,,r\n")
	f.Add(`{"user_ids":[""]}`, "handle\n\n,\n")
	l := newLive(f)
	f.Fuzz(func(t *testing.T, body, csv string) {
		for _, method := range []string{http.MethodPost, http.MethodDelete} {
			if status, resp := l.do(t, l.KeyA, method, "/api/v1/do-not-contact", body); status >= 500 {
				t.Errorf("%s: %d %s for %s", method, status, resp, body)
			}
		}
		if status, _, resp := l.doCSV(t, l.KeyA, http.MethodPost, "/api/v1/do-not-contact.csv", csv); status >= 500 {
			t.Errorf("csv: %d %s for %q", status, resp, csv)
		}
	})
}
