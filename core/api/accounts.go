package api

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/outreachhq/outreach/core/service"
	"github.com/outreachhq/outreach/core/store"
)

// accountsService is what the /accounts operations call.
type accountsService interface {
	// ShowAccounts returns the workspace's accounts, oldest first, with
	// their credentials masked unless reveal.
	ShowAccounts(ctx context.Context, workspace string, reveal bool) ([]service.ShownAccount, error)
	// ShowAccount returns one account as ShowAccounts does.
	ShowAccount(ctx context.Context, workspace, accountID string, reveal bool) (service.ShownAccount, error)
	// AddAccount adds an account with its session, or updates the one of
	// the same handle.
	AddAccount(ctx context.Context, workspace string, in service.AccountInput) (service.AccountInfo, bool, error)
	// RemoveAccount removes an account, by id or handle.
	RemoveAccount(ctx context.Context, workspace string, ref service.AccountRef) (store.Account, error)
	// UpdateCredentials replaces an account's credentials.
	UpdateCredentials(ctx context.Context, workspace string, ref service.AccountRef, in service.AccountInput) (store.Account, error)
	// SetAccountPause pauses or resumes an account.
	SetAccountPause(ctx context.Context, workspace, accountID string, in service.PauseInput) (service.AccountInfo, error)
	// HealthOf returns an account's health.
	HealthOf(ctx context.Context, workspace, accountID string) (service.AccountHealth, error)
}

// account is an X account as the hosted API shows it.
type account struct {
	ID              string   `json:"id" format:"uuid" doc:"Account id. Use it as account_id when sending DMs or launching campaigns." example:"550e8400-e29b-41d4-a716-446655440000"`
	Handle          string   `json:"handle" doc:"X handle, without the @." example:"yourhandle"`
	Name            string   `json:"name" doc:"Display name on X; the handle until the account has been checked on X." example:"Your Name"`
	ProfileImageURL string   `json:"profile_image_url" doc:"Profile picture URL; empty until the account has been checked on X." example:"https://pbs.twimg.com/profile_images/1/photo.jpg"`
	IsActive        bool     `json:"is_active" doc:"Whether the account sends DMs: the opposite of is_paused." example:"true"`
	IsVerified      bool     `json:"is_verified" doc:"Whether X shows the account as verified." example:"true"`
	DMsSent         int      `json:"dms_sent" doc:"DMs sent from this account so far." example:"1250"`
	CreatedAt       string   `json:"created_at" format:"date-time" doc:"When the account was added, RFC 3339 in UTC." example:"2024-01-15T10:30:00Z"`
	Cookies         []cookie `json:"cookies" nullable:"false" doc:"Session cookies, names and domains, each value shown as **** (they are stored encrypted). With settings { reveal_secrets = true } the values are returned whole, as the hosted API does. Send them with POST /api/v1/accounts or PUT /api/v1/accounts/cookies."`
	Proxy           string   `json:"proxy" doc:"Proxy address the account connects through, never with credentials; empty for none." example:"161.77.187.46:12323"`
	ProxyAuth       string   `json:"proxy_auth" doc:"Proxy credentials as username:****, the password masked, or whole with settings { reveal_secrets = true }; empty when the proxy needs none." example:"username:****"`
	IsPaused        bool     `json:"is_paused" doc:"Whether DM sending is paused for this account: paused by its configuration, or held (through the API, or by the engine for an expired session or a rate limit)." example:"false"`
	FollowupsPaused bool     `json:"followups_paused" doc:"Whether follow-up messages are paused." example:"false"`
	WarmupPaused    bool     `json:"warmup_paused" doc:"Whether account warmup is paused." example:"false"`
	AISetterEnabled bool     `json:"ai_setter_enabled" doc:"Whether the AI setter answers replies for this account." example:"true"`
}

// cookie is one browser cookie in Chrome's export format.
type cookie struct {
	Name   string `json:"name" doc:"Cookie name." example:"auth_token"`
	Value  string `json:"value" doc:"Cookie value; **** unless the server reveals secrets." example:"****"`
	Domain string `json:"domain" doc:"Cookie domain." example:".x.com"`
}

// accountList is the body of list-accounts.
type accountList struct {
	Accounts []account `json:"accounts" nullable:"false" doc:"The workspace's accounts, oldest first."`
}

type listAccountsOutput struct {
	Body accountList
}

// cookieInput is one browser cookie of a request, in Chrome's export
// format (its other fields are not kept, so they are refused).
type cookieInput struct {
	Name   string `json:"name" minLength:"1" maxLength:"256" doc:"Cookie name." example:"ct0"`
	Value  string `json:"value" maxLength:"4096" doc:"Cookie value." example:"abc123..."`
	Domain string `json:"domain,omitempty" maxLength:"256" doc:"Cookie domain." example:".twitter.com"`
}

// oauth2Input are OAuth 2.0 user tokens for the built-in x plugin.
type oauth2Input struct {
	AccessToken  string    `json:"access_token" minLength:"1" maxLength:"4096" doc:"OAuth 2.0 user access token." example:"bWRjZk1fQ2V..."`
	RefreshToken string    `json:"refresh_token,omitempty" maxLength:"4096" doc:"Refresh token (scope offline.access), to renew the access token." example:"dGhpcyBpcyBh..."`
	ExpiresAt    time.Time `json:"expires_at,omitzero" doc:"When the access token expires, RFC 3339." example:"2024-01-15T12:30:00Z"`
}

// addAccountRequest is the body of add-account.
type addAccountRequest struct {
	Handle    string        `json:"handle" minLength:"1" maxLength:"50" doc:"X handle, with or without @." example:"myhandle"`
	Cookies   []cookieInput `json:"cookies,omitempty" maxItems:"100" doc:"Session cookies exported from a browser signed in to the account (Chrome export format); at least ct0 and auth_token. Required unless oauth2 is given."`
	Proxy     string        `json:"proxy,omitempty" maxLength:"500" doc:"Proxy address (http://host:port, https:// or socks5://), without credentials. The hosted API requires it; here it is optional, and under the simulated X it is stored but not used." example:"http://proxy.example.com:8080"`
	ProxyAuth string        `json:"proxy_auth,omitempty" maxLength:"500" doc:"Proxy credentials, username:password; stored encrypted." example:"username:password"`
	XChatPIN  string        `json:"xchat_pin,omitempty" maxLength:"16" doc:"X chat PIN, 4 to 8 digits; stored encrypted." example:"123456"`
	OAuth2    *oauth2Input  `json:"oauth2,omitempty" doc:"Beyond the hosted API: OAuth 2.0 user tokens for the built-in x plugin, which talks to X's official API. With them, cookies are optional."`
}

func (r addAccountRequest) input() service.AccountInput {
	in := service.AccountInput{Handle: r.Handle, Proxy: r.Proxy, ProxyAuth: r.ProxyAuth, XChatPIN: r.XChatPIN}
	in.Cookies = cookiesIn(r.Cookies)
	if o := r.OAuth2; o != nil {
		in.OAuth2 = &service.OAuth2Tokens{AccessToken: o.AccessToken, RefreshToken: o.RefreshToken, ExpiresAt: o.ExpiresAt}
	}
	return in
}

func cookiesIn(cs []cookieInput) []service.Cookie {
	var out []service.Cookie
	for _, c := range cs {
		out = append(out, service.Cookie{Name: c.Name, Value: c.Value, Domain: c.Domain})
	}
	return out
}

// addedAccount is the account add-account and update-account-cookies
// answer with.
type addedAccount struct {
	ID        string `json:"id" format:"uuid" doc:"Account id." example:"550e8400-e29b-41d4-a716-446655440000"`
	Handle    string `json:"handle" doc:"X handle, without the @." example:"myhandle"`
	IsActive  bool   `json:"is_active" doc:"Whether the account sends DMs (it is neither paused nor held)." example:"true"`
	CreatedAt string `json:"created_at" format:"date-time" doc:"When the account was first added, RFC 3339 in UTC." example:"2024-01-15T10:30:00Z"`
	IsNew     bool   `json:"is_new" doc:"Whether this request added it; false when the handle was already an account of the workspace (same id, credentials updated)." example:"true"`
}

// addAccountResult is the body of add-account and update-account-cookies.
type addAccountResult struct {
	Success bool         `json:"success" doc:"Always true on success." example:"true"`
	Message string       `json:"message" doc:"What happened." example:"Account created successfully"`
	Account addedAccount `json:"account" doc:"The account."`
}

func addedFrom(info service.AccountInfo, isNew bool) addedAccount {
	return addedAccount{
		ID: info.ID, Handle: info.Handle, IsActive: !info.IsPaused(),
		CreatedAt: wireTime(info.CreatedAt), IsNew: isNew,
	}
}

// accountRefRequest names an account by id or handle.
type accountRefRequest struct {
	AccountID string `json:"account_id,omitempty" maxLength:"64" doc:"The account's id. Either account_id or handle is required." example:"550e8400-e29b-41d4-a716-446655440000"`
	Handle    string `json:"handle,omitempty" maxLength:"50" doc:"The account's X handle, with or without @. Either account_id or handle is required." example:"myhandle"`
}

func (r accountRefRequest) ref() service.AccountRef {
	return service.AccountRef{ID: r.AccountID, Handle: r.Handle}
}

// updateCookiesRequest is the body of update-account-cookies.
type updateCookiesRequest struct {
	AccountID string        `json:"account_id,omitempty" maxLength:"64" doc:"The account's id. Either account_id or handle is required." example:"550e8400-e29b-41d4-a716-446655440000"`
	Handle    string        `json:"handle,omitempty" maxLength:"50" doc:"The account's X handle, with or without @. Either account_id or handle is required." example:"myhandle"`
	Cookies   []cookieInput `json:"cookies" minItems:"1" maxItems:"100" doc:"The new session cookies, in the format of POST /api/v1/accounts; at least ct0 and auth_token. They replace the account's cookies." example:"[{\"name\":\"ct0\",\"value\":\"abc123...\",\"domain\":\".twitter.com\"},{\"name\":\"auth_token\",\"value\":\"xyz789...\",\"domain\":\".twitter.com\"}]"`
}

// removedAccount is the account remove-account answers with.
type removedAccount struct {
	ID     string `json:"id" format:"uuid" doc:"Account id." example:"550e8400-e29b-41d4-a716-446655440000"`
	Handle string `json:"handle" doc:"X handle, without the @." example:"myhandle"`
}

// removeAccountResult is the body of remove-account.
type removeAccountResult struct {
	Success bool           `json:"success" doc:"Always true on success." example:"true"`
	Message string         `json:"message" doc:"What happened." example:"Account removed successfully"`
	Account removedAccount `json:"account" doc:"The removed account."`
}

// updateAccountRequest is the body of update-account.
type updateAccountRequest struct {
	IsPaused        *bool `json:"is_paused,omitempty" doc:"Pause (true) or resume (false) the account's DMs. Resuming lifts every pause of the account: the API's and the engine's (a rate limit, an expired session)." example:"true"`
	FollowupsPaused *bool `json:"followups_paused,omitempty" doc:"Pause or resume its follow-up messages." example:"false"`
	WarmupPaused    *bool `json:"warmup_paused,omitempty" doc:"Pause or resume its warmup: while paused, its warmup's daily cap stops rising." example:"false"`
}

type accountIDPath struct {
	AccountID string `path:"account_id" maxLength:"64" doc:"The account's id." example:"550e8400-e29b-41d4-a716-446655440000"`
}

type updateAccountInput struct {
	AccountID string `path:"account_id" maxLength:"64" doc:"The account's id." example:"550e8400-e29b-41d4-a716-446655440000"`
	Body      updateAccountRequest
}

// accountHold is a hold on an account.
type accountHold struct {
	Scope  string  `json:"scope" enum:"all,followups" doc:"What it stops: all of the account's automated actions, or its follow-ups." example:"all"`
	By     string  `json:"by" doc:"Who set it: api, dashboard, engine (a rate limit, an expired session) or health." example:"engine"`
	Reason string  `json:"reason" doc:"Why." example:"X rate limit; sending resumes at 2024-01-15T10:45:00Z"`
	Since  string  `json:"since" format:"date-time" doc:"When it was set, RFC 3339 in UTC." example:"2024-01-15T10:30:00Z"`
	Until  *string `json:"until" nullable:"true" format:"date-time" doc:"When it lifts by itself, RFC 3339 in UTC; null until it is lifted (resume the account)." example:"2024-01-15T10:45:00Z"`
}

// accountHealth is the body of get-account-health.
type accountHealth struct {
	AccountID       string        `json:"account_id" format:"uuid" doc:"Account id." example:"550e8400-e29b-41d4-a716-446655440000"`
	Handle          string        `json:"handle" doc:"X handle, without the @." example:"myhandle"`
	Health          int           `json:"health" minimum:"0" maximum:"100" doc:"Health score from 0 to 100, from the outcomes of its last 20 actions on X: 100 until it has acted; rate limits, automation warnings, expired sessions and blocks lower it." example:"95"`
	RecentOutcomes  []string      `json:"recent_outcomes" nullable:"false" doc:"The outcomes of its last actions on X, oldest first: ok, error, rate_limited, automated, session_expired, blocked." example:"[\"ok\",\"ok\",\"rate_limited\"]"`
	IsActive        bool          `json:"is_active" doc:"Whether it sends DMs: neither paused nor held." example:"true"`
	IsPaused        bool          `json:"is_paused" doc:"Whether its DMs are paused or held." example:"false"`
	FollowupsPaused bool          `json:"followups_paused" doc:"Whether its follow-ups are paused or held." example:"false"`
	WarmupPaused    bool          `json:"warmup_paused" doc:"Whether its warmup is paused." example:"false"`
	PausedReason    string        `json:"paused_reason" doc:"Why it sends nothing; empty while it sends." example:""`
	Holds           []accountHold `json:"holds" nullable:"false" doc:"The holds in force on it."`
	Day             string        `json:"day" format:"date" doc:"Today, in the time zone its daily cap counts in (its active hours' zone, else UTC)." example:"2024-01-15"`
	DMsSentToday    int           `json:"dms_sent_today" doc:"DMs it sent today." example:"12"`
	DailyCapToday   int           `json:"daily_cap_today" doc:"Today's DM cap, lowered by warmup; 0 means none." example:"20"`
	DailyLimit      int           `json:"daily_limit" doc:"Its daily DM limit without warmup; 0 means none." example:"50"`
	WarmupDay       int           `json:"warmup_day" doc:"Day of its warmup, 1 on the day it started (it holds while warmup is paused); 0 without warmup." example:"3"`
	NextSendAt      *string       `json:"next_send_at" nullable:"true" format:"date-time" doc:"The earliest its next automated DM may go after its pacing, RFC 3339 in UTC; null when it may send now." example:"2024-01-15T10:33:00Z"`
}

// registerAccounts registers the /accounts operations on the /api/v1
// group. reveal returns cookie values and proxy passwords whole.
func registerAccounts(api huma.API, svc Service, reveal bool) {
	tags := []string{"Accounts"}
	huma.Register(api, huma.Operation{
		OperationID: "list-accounts",
		Method:      http.MethodGet,
		Path:        "/accounts",
		Summary:     "List accounts",
		Description: "Lists the workspace's X accounts. Use an account's id when sending DMs. " +
			"Cookie values and the proxy password are masked (****) unless the server's settings say reveal_secrets = true.",
		Tags: tags,
	}, func(ctx context.Context, _ *struct{}) (*listAccountsOutput, error) {
		shown, err := svc.ShowAccounts(ctx, workspaceFrom(ctx), reveal)
		if err != nil {
			return nil, serviceError(ctx, err)
		}
		out := &listAccountsOutput{}
		// Never null: clients iterate over it.
		out.Body.Accounts = make([]account, 0, len(shown))
		for _, a := range shown {
			out.Body.Accounts = append(out.Body.Accounts, accountFrom(a))
		}
		return out, nil
	})

	huma.Register(api, huma.Operation{
		OperationID: "add-account",
		Method:      http.MethodPost,
		Path:        "/accounts",
		Summary:     "Add an account",
		Description: "Adds an X account to the workspace, with its session: browser cookies (at least ct0 and auth_token) or, beyond the hosted API, OAuth 2.0 tokens. " +
			"The same handle again updates that account (is_new false, same id). Credentials are stored encrypted. " +
			"A handle another workspace uses is refused.",
		Tags: tags,
	}, func(ctx context.Context, in *struct{ Body addAccountRequest }) (*struct{ Body addAccountResult }, error) {
		info, created, err := svc.AddAccount(ctx, workspaceFrom(ctx), in.Body.input())
		if err != nil {
			return nil, serviceError(ctx, err)
		}
		msg := "Account updated successfully"
		if created {
			msg = "Account created successfully"
		}
		return &struct{ Body addAccountResult }{addAccountResult{Success: true, Message: msg, Account: addedFrom(info, created)}}, nil
	})

	huma.Register(api, huma.Operation{
		OperationID: "remove-account",
		Method:      http.MethodDelete,
		Path:        "/accounts",
		Summary:     "Remove an account",
		Description: "Removes an X account from the workspace, named by account_id or handle. Its conversations and DM history are kept; " +
			"its campaigns' waiting first DMs move to their other accounts, and what cannot move (its follow-ups, its scheduled tweets) is cancelled.",
		Tags:      tags,
		Responses: errorResponses(http.StatusNotFound),
	}, func(ctx context.Context, in *struct{ Body accountRefRequest }) (*struct{ Body removeAccountResult }, error) {
		a, err := svc.RemoveAccount(ctx, workspaceFrom(ctx), in.Body.ref())
		if err != nil {
			return nil, serviceError(ctx, err)
		}
		return &struct{ Body removeAccountResult }{removeAccountResult{
			Success: true, Message: "Account removed successfully", Account: removedAccount{ID: a.ID, Handle: a.Handle},
		}}, nil
	})

	huma.Register(api, huma.Operation{
		OperationID: "update-account-cookies",
		Method:      http.MethodPut,
		Path:        "/accounts/cookies",
		Summary:     "Update account cookies",
		Description: "Replaces the session cookies of an account, named by account_id or handle, and lifts a pause the engine set for an expired session: " +
			"the new cookies are tried at once. Answered like POST /api/v1/accounts, with is_new false.",
		Tags:      tags,
		Responses: errorResponses(http.StatusNotFound),
	}, func(ctx context.Context, in *struct{ Body updateCookiesRequest }) (*struct{ Body addAccountResult }, error) {
		ws := workspaceFrom(ctx)
		a, err := svc.UpdateCredentials(ctx, ws, service.AccountRef{ID: in.Body.AccountID, Handle: in.Body.Handle}, service.AccountInput{Cookies: cookiesIn(in.Body.Cookies)})
		if err != nil {
			return nil, serviceError(ctx, err)
		}
		shown, err := svc.ShowAccount(ctx, ws, a.ID, false)
		if err != nil {
			return nil, serviceError(ctx, err)
		}
		return &struct{ Body addAccountResult }{addAccountResult{
			Success: true, Message: "Cookies updated successfully", Account: addedFrom(shown.AccountInfo, false),
		}}, nil
	})

	huma.Register(api, huma.Operation{
		OperationID: "update-account",
		Method:      http.MethodPatch,
		Path:        "/accounts/{account_id}",
		Summary:     "Pause or resume an account",
		Description: "Beyond the hosted API: pauses or resumes an account's DMs, its follow-ups or its warmup. Fields left out keep their value. " +
			"A pause made here is kept apart from the configuration, so applying a configuration does not lift it. Answered with the account as GET /api/v1/accounts shows it.",
		Tags: tags,
	}, func(ctx context.Context, in *updateAccountInput) (*struct{ Body account }, error) {
		ws := workspaceFrom(ctx)
		_, err := svc.SetAccountPause(ctx, ws, in.AccountID, service.PauseInput{
			Paused: in.Body.IsPaused, FollowupsPaused: in.Body.FollowupsPaused, WarmupPaused: in.Body.WarmupPaused, By: "api",
		})
		if err != nil {
			return nil, serviceError(ctx, err)
		}
		shown, err := svc.ShowAccount(ctx, ws, in.AccountID, reveal)
		if err != nil {
			return nil, serviceError(ctx, err)
		}
		return &struct{ Body account }{accountFrom(shown)}, nil
	})

	huma.Register(api, huma.Operation{
		OperationID: "get-account-health",
		Method:      http.MethodGet,
		Path:        "/accounts/{account_id}/health",
		Summary:     "Get an account's health",
		Description: "Beyond the hosted API: how an account is doing. Its health score, today's DMs against its cap, its warmup day, " +
			"its pause flags and the holds in force, with the reason it sends nothing if it does not.",
		Tags: tags,
	}, func(ctx context.Context, in *accountIDPath) (*struct{ Body accountHealth }, error) {
		h, err := svc.HealthOf(ctx, workspaceFrom(ctx), in.AccountID)
		if err != nil {
			return nil, serviceError(ctx, err)
		}
		return &struct{ Body accountHealth }{healthFrom(h)}, nil
	})
}

// accountFrom converts the service's account to the wire type.
func accountFrom(shown service.ShownAccount) account {
	a := shown.Account
	name := a.DisplayName
	if name == "" {
		name = a.Handle
	}
	cookies := make([]cookie, 0, len(shown.Cookies))
	for _, c := range shown.Cookies {
		cookies = append(cookies, cookie{Name: c.Name, Value: c.Value, Domain: c.Domain})
	}
	return account{
		ID:              a.ID,
		Handle:          a.Handle,
		Name:            name,
		ProfileImageURL: a.ProfileImageURL,
		IsActive:        !shown.IsPaused(),
		IsVerified:      a.Verified,
		DMsSent:         shown.DMsSent,
		CreatedAt:       wireTime(a.CreatedAt),
		Cookies:         cookies,
		// The store never keeps credentials in the address
		// (config.NormalizeProxy refuses them): they are in proxy_auth.
		Proxy:           a.Proxy,
		ProxyAuth:       shown.ProxyAuth,
		IsPaused:        shown.IsPaused(),
		FollowupsPaused: shown.FollowupsHeld(),
		WarmupPaused:    a.WarmupPaused,
		AISetterEnabled: a.AISetter,
	}
}

// healthFrom converts an account's health to the wire type.
func healthFrom(h service.AccountHealth) accountHealth {
	out := accountHealth{
		AccountID:       h.ID,
		Handle:          h.Handle,
		Health:          h.Health,
		RecentOutcomes:  make([]string, 0, len(h.Recent)),
		IsActive:        !h.IsPaused(),
		IsPaused:        h.IsPaused(),
		FollowupsPaused: h.FollowupsHeld(),
		WarmupPaused:    h.WarmupPaused,
		PausedReason:    h.PausedReason,
		Holds:           make([]accountHold, 0, len(h.Holds)),
		Day:             h.Day,
		DMsSentToday:    h.SentToday,
		DailyCapToday:   h.CapToday,
		DailyLimit:      h.DailyLimit,
		WarmupDay:       h.WarmupDay,
	}
	for _, o := range h.Recent {
		out.RecentOutcomes = append(out.RecentOutcomes, string(o))
	}
	for _, hold := range h.Holds {
		wh := accountHold{Scope: string(hold.Scope), By: hold.By, Reason: hold.Reason, Since: wireTime(hold.Since)}
		if !hold.Until.IsZero() {
			until := wireTime(hold.Until)
			wh.Until = &until
		}
		out.Holds = append(out.Holds, wh)
	}
	if !h.NextSendAt.IsZero() {
		at := wireTime(h.NextSendAt)
		out.NextSendAt = &at
	}
	return out
}
