package api

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/outreachhq/outreach/core/store"
	"github.com/outreachhq/outreach/core/store/storetest"
)

// parkForReview puts a first DM whose outcome was lost, as the engine
// parks it.
func parkForReview(t testing.TB, l *live, a store.Account, leadID string) store.Job {
	t.Helper()
	j := store.Job{ID: "dm-camp-" + leadID, Workspace: a.Workspace, Kind: store.JobDM, State: store.JobNeedsReview,
		AccountID: a.ID, LeadID: leadID, CampaignID: "camp", LastError: "outcome unknown", DueAt: liveStart,
		CreatedAt: liveStart, UpdatedAt: liveStart}
	l.update(t, func(tx storetest.Tx) error {
		if err := tx.PutLead(store.Lead{UserID: leadID, Workspace: a.Workspace, Username: "lead" + leadID, FoundAt: liveStart}); err != nil {
			return err
		}
		return tx.PutJob(j)
	})
	return j
}

type reviewPage struct {
	NeedsReview []map[string]any `json:"needs_review"`
	NextAfterID *string          `json:"next_after_id"`
}

func TestNeedsReview(t *testing.T) {
	l := newLive(t)
	a := seedAccount(t, l, WorkspaceA, "acct-a", "alice", 0)
	var jobs []store.Job
	for i := range 3 {
		jobs = append(jobs, parkForReview(t, l, a, fmt.Sprintf("90%d", i)))
	}
	// Pages of two: two, then one, by job id.
	status, body := l.do(t, l.KeyA, "GET", "/api/v1/review?limit=2", nil)
	if status != http.StatusOK {
		t.Fatalf("%d %s", status, body)
	}
	p := decode[reviewPage](t, body)
	if len(p.NeedsReview) != 2 || p.NextAfterID == nil || *p.NextAfterID != jobs[1].ID {
		t.Fatalf("first page %s", body)
	}
	it := p.NeedsReview[0]
	if it["job_id"] != jobs[0].ID || it["account_handle"] != "alice" || it["lead_screen_name"] != "lead900" ||
		it["reason"] != "outcome unknown" || it["kind"] != "dm" || it["created_at"] != "2030-03-04T09:00:00Z" {
		t.Errorf("item %v", it)
	}
	_, body = l.do(t, l.KeyA, "GET", "/api/v1/review?limit=2&after_id="+*p.NextAfterID, nil)
	if p := decode[reviewPage](t, body); len(p.NeedsReview) != 1 || p.NeedsReview[0]["job_id"] != jobs[2].ID || p.NextAfterID != nil {
		t.Errorf("second page %s", body)
	}

	// Workspace B neither sees nor resolves them.
	if _, body := l.do(t, l.KeyB, "GET", "/api/v1/review", nil); strings.TrimSpace(string(body)) != `{"needs_review":[],"next_after_id":null}` {
		t.Errorf("workspace B lists %s", body)
	}
	if status, body := l.do(t, l.KeyB, "POST", "/api/v1/review/"+jobs[0].ID+"/resolve", map[string]any{"resolution": "skip"}); status != http.StatusNotFound {
		t.Errorf("workspace B resolved A's send: %d %s", status, body)
	}

	for i, r := range []struct{ resolution, state string }{{"sent", "done"}, {"not_sent", "pending"}, {"skip", "skipped"}} {
		status, body := l.do(t, l.KeyA, "POST", "/api/v1/review/"+jobs[i].ID+"/resolve", map[string]any{"resolution": r.resolution})
		want := fmt.Sprintf(`{"success":true,"job_id":%q,"state":%q}`, jobs[i].ID, r.state)
		if status != http.StatusOK || strings.TrimSpace(string(body)) != want {
			t.Errorf("resolve %s: %d %s, want %s", r.resolution, status, body, want)
		}
	}
	if _, body := l.do(t, l.KeyA, "GET", "/api/v1/review", nil); len(decode[reviewPage](t, body).NeedsReview) != 0 {
		t.Errorf("after resolving every one: %s", body)
	}
	// Sent is recorded as the engine records a send: the day's count moves.
	var n int
	l.update(t, func(tx storetest.Tx) (err error) { n, err = tx.SentOn(WorkspaceA, a.ID, "2030-03-04"); return err })
	if n != 1 {
		t.Errorf("sent today after resolving one as sent: %d", n)
	}

	for _, tc := range []struct {
		path   string
		body   any
		status int
		field  string
	}{
		{jobs[0].ID, map[string]any{"resolution": "sent"}, http.StatusConflict, "job_id"}, // not waiting for review any more
		{jobs[0].ID, map[string]any{"resolution": "maybe"}, http.StatusBadRequest, "resolution"},
		{jobs[0].ID, map[string]any{}, http.StatusBadRequest, "resolution"},
		{jobs[0].ID, map[string]any{"resolution": "skip", "state": "done"}, http.StatusBadRequest, "state"},
	} {
		status, body := l.do(t, l.KeyA, "POST", "/api/v1/review/"+tc.path+"/resolve", tc.body)
		if status != tc.status || !strings.Contains(string(body), tc.field) {
			t.Errorf("%v: %d %s, want %d naming %s", tc.body, status, body, tc.status, tc.field)
		}
	}
	if status, _ := l.do(t, l.KeyA, "POST", "/api/v1/review/no-such-job/resolve", map[string]any{"resolution": "skip"}); status != http.StatusNotFound {
		t.Errorf("unknown job: %d, want 404", status)
	}
}
