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
	"github.com/outreachhq/outreach/core/store/storetest"
)

// pagesAccountRow is the <tr> of one account on the accounts page.
func pagesAccountRow(t *testing.T, body, id string) string {
	t.Helper()
	start := strings.Index(body, `<tr class="account" data-account-id="`+id+`"`)
	if start < 0 {
		t.Fatalf("no row of account %s on the page:\n%s", id, body)
	}
	end := strings.Index(body[start:], "</tr>")
	return body[start : start+end]
}

// pagesPauseForm is the markup of the pause toggle of field, set to value.
func pagesPauseForm(id, field, value, label string) []string {
	return []string{
		`<form class="pause" method="post" action="/accounts/` + id + `/pause">`,
		`<input type="hidden" name="field" value="` + field + `">`,
		`<input type="hidden" name="value" value="` + value + `">`,
		`>` + label + `</button>`,
	}
}

func TestAccountsPage(t *testing.T) {
	l := newLive(t)
	alice := pagesAccount(t, l, workspaceA, "alice")
	l.Clock.Advance(time.Second) // accounts are listed oldest first
	warm := pagesAccount(t, l, workspaceA, "warmer")
	l.Clock.Advance(time.Second)
	declared := pagesAccount(t, l, workspaceA, "cfgpaused")
	theirs := pagesAccount(t, l, workspaceB, "bsecret")
	expires := liveStart.Add(2 * time.Hour)
	pagesUpdate(t, l, func(tx storetest.Tx) error {
		if err := tx.AddSentOn(workspaceA, alice.ID, "2030-03-04", 12); err != nil {
			return err
		}
		if err := service.NoteOutcome(tx, alice, store.OutcomeRateLimited); err != nil {
			return err
		}
		if _, err := service.AddHold(tx, alice, store.Hold{Scope: store.HoldAll, By: "engine", Reason: "X rate limit; sending resumes at 09:15",
			Since: liveStart, Until: liveStart.Add(15 * time.Minute)}, liveStart); err != nil {
			return err
		}
		if err := store.PutAuthorization(tx, store.Authorization{Network: "x", Handle: "alice", UserID: "1", Sealed: []byte("sealed"),
			ExpiresAt: expires, SignedInAt: liveStart}); err != nil {
			return err
		}
		declared.Paused = true
		if err := tx.PutAccount(declared); err != nil {
			return err
		}
		warm.Warmup, warm.WarmupStartedAt = &store.Warmup{Start: 5, Increase: 5}, liveStart.Add(-48*time.Hour)
		return tx.PutAccount(warm)
	})
	b := l.signIn(t, l.KeyA)
	status, body := b.get("/accounts")
	if status != http.StatusOK {
		t.Fatalf("GET /accounts: %d\n%s", status, body)
	}
	if strings.Contains(body, "bsecret") || strings.Contains(body, theirs.ID) {
		t.Errorf("workspace A sees workspace B's account:\n%s", body)
	}
	if strings.Contains(body, "secret-alice") {
		t.Errorf("the page shows a cookie's value:\n%s", body)
	}
	row := pagesAccountRow(t, body, alice.ID)
	for _, want := range append([]string{
		`data-handle="alice"`, "@alice",
		`<meter id="health-` + alice.ID + `" min="0" max="100"`, `value="95"`,
		"12 / 50",
		">Paused</span>", "Sending held</strong> by engine: X rate limit; sending resumes at 09:15",
		"<code>ct0</code>", "<code>auth_token</code>",
		"OAuth 2.0: signed in", `<time datetime="2030-03-04T11:00:00Z">`,
		"No warmup",
	}, pagesPauseForm(alice.ID, "paused", "false", "Resume sending")...) {
		if !strings.Contains(row, want) {
			t.Errorf("alice's row lacks %q:\n%s", want, row)
		}
	}
	row = pagesAccountRow(t, body, warm.ID)
	for _, want := range append(append([]string{
		`data-handle="warmer"`, ">Sending</span>", "0 / 15", "lowered by warmup; limit 50", "Day 3", "No OAuth 2.0 sign-in stored",
	}, pagesPauseForm(warm.ID, "paused", "true", "Pause sending")...), pagesPauseForm(warm.ID, "warmup_paused", "true", "Pause warmup")...) {
		if !strings.Contains(row, want) {
			t.Errorf("warmer's row lacks %q:\n%s", want, row)
		}
	}

	// A pause the configuration declares is the configuration's to lift:
	// the row says so, and offers no button that would not resume it.
	row = pagesAccountRow(t, body, declared.ID)
	if !strings.Contains(row, ">Paused</span>") || !strings.Contains(row, "Sending is paused by its configuration.") ||
		strings.Contains(row, "Resume sending") || strings.Contains(row, "Pause sending") {
		t.Errorf("an account its configuration pauses:\n%s", row)
	}
}

func TestAccountsPause(t *testing.T) {
	l := newLive(t)
	a := pagesAccount(t, l, workspaceA, "alice")
	pagesUpdate(t, l, func(tx storetest.Tx) error {
		a.Warmup, a.WarmupStartedAt = &store.Warmup{Start: 5, Increase: 5}, liveStart
		return tx.PutAccount(a)
	})
	me := l.signIn(t, l.KeyA)
	bee := l.signIn(t, l.KeyB)
	info := func() service.AccountInfo {
		t.Helper()
		list, err := l.Svc.ListAccounts(context.Background(), workspaceA)
		if err != nil || len(list) != 1 {
			t.Fatalf("ListAccounts: %v, %v", list, err)
		}
		return list[0]
	}
	path := "/accounts/" + a.ID + "/pause"
	form := func(field, value string) url.Values {
		return url.Values{"field": {field}, "value": {value}, "back": {"/accounts"}}
	}

	for _, field := range []string{"paused", "followups_paused", "warmup_paused"} {
		pagesRefusedWithoutCSRF(t, me, path, form(field, "true"))
		pagesNotFound(t, bee, path, form(field, "true"))
	}
	if got := info(); got.IsPaused() || got.FollowupsHeld() || got.WarmupPaused {
		t.Fatalf("refused posts paused the account: %+v", got)
	}

	// Pause sending: a hold by the dashboard, and the row says so.
	status, _ := me.post(path, form("paused", "true"))
	if got := info(); status != http.StatusSeeOther || !got.IsPaused() || len(got.Holds) != 1 || got.Holds[0].By != "dashboard" {
		t.Fatalf("pause: %d, %+v; want 303 and a hold by the dashboard", status, got)
	}
	_, body := me.get("/accounts")
	row := pagesAccountRow(t, body, a.ID)
	for _, want := range append([]string{">Paused</span>", "by dashboard"}, pagesPauseForm(a.ID, "paused", "false", "Resume sending")...) {
		if !strings.Contains(row, want) {
			t.Errorf("after pausing, the row lacks %q:\n%s", want, row)
		}
	}
	// B cannot resume it.
	pagesNotFound(t, bee, path, form("paused", "false"))
	if !info().IsPaused() {
		t.Error("workspace B resumed A's account")
	}

	if status, _ := me.post(path, form("followups_paused", "true")); status != http.StatusSeeOther || !info().FollowupsHeld() {
		t.Errorf("pause follow-ups: %d, held %v", status, info().FollowupsHeld())
	}
	if status, _ := me.post(path, form("warmup_paused", "true")); status != http.StatusSeeOther || !info().WarmupPaused {
		t.Errorf("pause warmup: %d, paused %v", status, info().WarmupPaused)
	}
	_, body = me.get("/accounts")
	row = pagesAccountRow(t, body, a.ID)
	for _, want := range append(append([]string{">Follow-ups paused</span>", ">Warmup paused</span>"},
		pagesPauseForm(a.ID, "followups_paused", "false", "Resume follow-ups")...), pagesPauseForm(a.ID, "warmup_paused", "false", "Resume warmup")...) {
		if !strings.Contains(row, want) {
			t.Errorf("with every flag paused, the row lacks %q:\n%s", want, row)
		}
	}

	for _, field := range []string{"paused", "followups_paused", "warmup_paused"} {
		if status, _ := me.post(path, form(field, "false")); status != http.StatusSeeOther {
			t.Errorf("resume %s: %d", field, status)
		}
	}
	if got := info(); got.IsPaused() || got.FollowupsHeld() || got.WarmupPaused {
		t.Errorf("after resuming every flag: %+v", got)
	}
	_, body = me.get("/accounts")
	if row := pagesAccountRow(t, body, a.ID); !strings.Contains(row, ">Sending</span>") || strings.Contains(row, ">Paused</span>") {
		t.Errorf("after resuming, the row shows:\n%s", row)
	}

	for _, tc := range []struct{ field, value, named string }{{"deleted", "true", "field"}, {"paused", "maybe", "value"}} {
		status, body := me.post(path, form(tc.field, tc.value))
		if status != http.StatusBadRequest || !strings.Contains(body, tc.named+":") {
			t.Errorf("field %q value %q: %d, want 400 naming %s\n%s", tc.field, tc.value, status, tc.named, body)
		}
	}
	if status, _ := me.post("/accounts/no-such-account/pause", form("paused", "true")); status != http.StatusNotFound {
		t.Errorf("pause of an unknown account: %d, want 404", status)
	}
}
