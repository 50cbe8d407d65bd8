package web

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/outreachhq/outreach/core/service"
	"github.com/outreachhq/outreach/core/store"
)

// accountsService is what the accounts page needs from the service layer.
type accountsService interface {
	// ShowAccounts returns the workspace's accounts, oldest first, with
	// their credentials masked unless reveal (the page never reveals).
	ShowAccounts(ctx context.Context, ws string, reveal bool) ([]service.ShownAccount, error)
	// HealthOf returns an account's health, today's sends against its cap
	// and its warmup day.
	HealthOf(ctx context.Context, ws, accountID string) (service.AccountHealth, error)
	// OAuthStates returns the OAuth 2.0 sign-in of each account that has one.
	OAuthStates(ctx context.Context, ws string) (map[string]service.OAuthState, error)
	// SetAccountPause pauses or resumes an account's sending, follow-ups or
	// warmup.
	SetAccountPause(ctx context.Context, ws, accountID string, in service.PauseInput) (service.AccountInfo, error)
}

func (d *Dashboard) registerAccounts() {
	d.handle("GET /accounts", d.accounts)
	d.handle("POST /accounts/{id}/pause", d.pauseAccount)
}

// accountsRow is one account as the page shows it.
type accountsRow struct {
	ID, Handle, Name string
	Address          string
	Verified         bool
	Health           int
	// Day is today in the zone its cap counts in; SentToday its DMs that
	// day, against CapToday (lowered by warmup; 0: none) and DailyLimit.
	Day                             string
	SentToday, CapToday, DailyLimit int
	// WarmupDay is its warmup's day, 0 without warmup.
	WarmupDay    int
	HasWarmup    bool
	WarmupPaused bool
	// Paused and FollowupsPaused are the flags in force, declared or held;
	// their *Declared twins say the configuration sets them, which only
	// the configuration lifts.
	Paused, PausedDeclared                   bool
	FollowupsPaused, FollowupsPausedDeclared bool
	Holds                                    []store.Hold
	NextSendAt                               time.Time
	// Cookies names its session cookies; Proxy is its proxy's address and
	// ProxyAuth whether it has proxy credentials (never shown).
	Cookies   []string
	Proxy     string
	ProxyAuth bool
	OAuth     *service.OAuthState
	Toggles   []accountsToggle
}

// accountsToggle is one button that flips one of an account's pause flags.
type accountsToggle struct {
	Field, Value, Label string
}

// CapText is today's cap as "50", or "no cap".
func (a accountsRow) CapText() string {
	if a.CapToday <= 0 {
		return "no cap"
	}
	return strconv.Itoa(a.CapToday)
}

// HealthClass is the style of its health score.
func (a accountsRow) HealthClass() string {
	switch {
	case a.Health >= 80:
		return "ok"
	case a.Health >= 50:
		return "warn"
	}
	return "bad"
}

// ScopeText says what a hold stops, for people.
func (accountsRow) ScopeText(s store.HoldScope) string {
	if s == store.HoldFollowups {
		return "Follow-ups held"
	}
	return "Sending held"
}

type accountsData struct {
	Accounts []accountsRow
}

func (d *Dashboard) accounts(w http.ResponseWriter, r *request) {
	shown, err := d.svc.ShowAccounts(r.ctx(), r.ws, false)
	if err != nil {
		d.fail(w, r, err)
		return
	}
	oauth, err := d.svc.OAuthStates(r.ctx(), r.ws)
	if err != nil {
		d.fail(w, r, err)
		return
	}
	data := accountsData{Accounts: make([]accountsRow, 0, len(shown))}
	for _, a := range shown {
		h, err := d.svc.HealthOf(r.ctx(), r.ws, a.ID)
		if err != nil {
			d.fail(w, r, err)
			return
		}
		row := accountsRowOf(a, h)
		if o, ok := oauth[a.ID]; ok {
			row.OAuth = &o
		}
		data.Accounts = append(data.Accounts, row)
	}
	d.render(w, r, http.StatusOK, "accounts", view{Title: "Accounts", Nav: "accounts", Data: data})
}

func accountsRowOf(a service.ShownAccount, h service.AccountHealth) accountsRow {
	name := a.DisplayName
	if name == "" {
		name = a.Handle
	}
	row := accountsRow{
		ID: a.ID, Handle: a.Handle, Name: name, Address: a.Address, Verified: a.Verified, Health: h.Health,
		Day: h.Day, SentToday: h.SentToday, CapToday: h.CapToday, DailyLimit: h.DailyLimit,
		WarmupDay: h.WarmupDay, HasWarmup: a.Warmup != nil, WarmupPaused: a.WarmupPaused,
		Paused: h.IsPaused(), PausedDeclared: a.Paused,
		FollowupsPaused: h.FollowupsHeld(), FollowupsPausedDeclared: a.FollowupsPaused,
		Holds: h.Holds, NextSendAt: h.NextSendAt,
		Proxy: a.Proxy, ProxyAuth: a.ProxyAuth != "",
	}
	for _, c := range a.Cookies {
		row.Cookies = append(row.Cookies, c.Name)
	}
	// A flag the configuration declares is the configuration's to lift:
	// resuming here lifts holds only, so it offers no button that would
	// do nothing.
	switch {
	case row.Paused && !row.PausedDeclared:
		row.Toggles = append(row.Toggles, accountsToggle{"paused", "false", "Resume sending"})
	case !row.Paused:
		row.Toggles = append(row.Toggles, accountsToggle{"paused", "true", "Pause sending"})
	}
	switch {
	case row.FollowupsPaused && !row.FollowupsPausedDeclared:
		row.Toggles = append(row.Toggles, accountsToggle{"followups_paused", "false", "Resume follow-ups"})
	case !row.FollowupsPaused:
		row.Toggles = append(row.Toggles, accountsToggle{"followups_paused", "true", "Pause follow-ups"})
	}
	switch {
	case row.WarmupPaused:
		row.Toggles = append(row.Toggles, accountsToggle{"warmup_paused", "false", "Resume warmup"})
	case row.HasWarmup:
		row.Toggles = append(row.Toggles, accountsToggle{"warmup_paused", "true", "Pause warmup"})
	}
	return row
}

// pauseAccount sets one pause flag of an account: the form's field
// (paused, followups_paused or warmup_paused) to its value (true or
// false). A pause made here is a hold by "dashboard", which applying a
// configuration does not lift.
func (d *Dashboard) pauseAccount(w http.ResponseWriter, r *request) {
	var on bool
	switch v := r.PostFormValue("value"); v {
	case "true", "false":
		on = v == "true"
	default:
		d.fail(w, r, &service.ValidationError{Field: "value", Reason: "give true or false"})
		return
	}
	in := service.PauseInput{By: "dashboard"}
	switch f := r.PostFormValue("field"); f {
	case "paused":
		in.Paused = &on
	case "followups_paused":
		in.FollowupsPaused = &on
	case "warmup_paused":
		in.WarmupPaused = &on
	default:
		d.fail(w, r, &service.ValidationError{Field: "field", Reason: "give paused, followups_paused or warmup_paused"})
		return
	}
	if _, err := d.svc.SetAccountPause(r.ctx(), r.ws, r.PathValue("id"), in); err != nil {
		d.fail(w, r, err)
		return
	}
	back(w, r, "/accounts")
}
