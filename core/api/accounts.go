package api

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/outreachhq/outreach/core/service"
)

// accountsService is what the /accounts operations call.
type accountsService interface {
	// ListAccounts returns the workspace's accounts, oldest first.
	ListAccounts(ctx context.Context, workspace string) ([]service.AccountInfo, error)
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
	Cookies         []cookie `json:"cookies" nullable:"false" doc:"Session cookies. Always empty: cookie values are write-only (they are stored encrypted and never returned). Send them with POST /api/v1/accounts or /api/v1/accounts/cookies."`
	Proxy           string   `json:"proxy" doc:"Proxy address the account connects through; empty for none." example:"161.77.187.46:12323"`
	ProxyAuth       string   `json:"proxy_auth" doc:"Proxy user name followed by :**** when the proxy needs credentials, else empty. The password is never returned." example:"username:****"`
	IsPaused        bool     `json:"is_paused" doc:"Whether DM sending is paused for this account: paused by its configuration, or held (through the API, or by the engine for an expired session or a rate limit)." example:"false"`
	FollowupsPaused bool     `json:"followups_paused" doc:"Whether follow-up messages are paused." example:"false"`
	WarmupPaused    bool     `json:"warmup_paused" doc:"Whether account warmup is paused." example:"false"`
	AISetterEnabled bool     `json:"ai_setter_enabled" doc:"Whether the AI setter answers replies for this account." example:"true"`
}

// cookie is one browser cookie in Chrome's export format.
type cookie struct {
	Name   string `json:"name" doc:"Cookie name." example:"auth_token"`
	Value  string `json:"value" doc:"Cookie value." example:"abc123..."`
	Domain string `json:"domain" doc:"Cookie domain." example:".x.com"`
}

// accountList is the body of list-accounts.
type accountList struct {
	Accounts []account `json:"accounts" nullable:"false" doc:"The workspace's accounts, oldest first."`
}

type listAccountsOutput struct {
	Body accountList
}

// registerAccounts registers the /accounts operations on the /api/v1 group.
func registerAccounts(api huma.API, svc Service) {
	huma.Register(api, huma.Operation{
		OperationID: "list-accounts",
		Method:      http.MethodGet,
		Path:        "/accounts",
		Summary:     "List accounts",
		Description: "Lists the workspace's X accounts. Use an account's id when sending DMs.",
		Tags:        []string{"Accounts"},
	}, func(ctx context.Context, _ *struct{}) (*listAccountsOutput, error) {
		infos, err := svc.ListAccounts(ctx, workspaceFrom(ctx))
		if err != nil {
			return nil, serviceError(ctx, err)
		}
		out := &listAccountsOutput{}
		// Never null: clients iterate over it.
		out.Body.Accounts = make([]account, 0, len(infos))
		for _, info := range infos {
			out.Body.Accounts = append(out.Body.Accounts, accountFrom(info))
		}
		return out, nil
	})
}

// accountFrom converts the service's account to the wire type.
func accountFrom(info service.AccountInfo) account {
	a := info.Account
	name := a.DisplayName
	if name == "" {
		name = a.Handle
	}
	proxy, proxyUser, hasAuth := splitProxy(a.Proxy)
	proxyAuth := ""
	if hasAuth {
		proxyAuth = proxyUser + ":****"
	}
	return account{
		ID:              a.ID,
		Handle:          a.Handle,
		Name:            name,
		ProfileImageURL: a.ProfileImageURL,
		IsActive:        !info.IsPaused(),
		IsVerified:      a.Verified,
		DMsSent:         info.DMsSent,
		CreatedAt:       a.CreatedAt.UTC().Format(time.RFC3339),
		// Cookie values are write-only in this product: the hosted API echoes
		// them, but they are session credentials, sealed at rest, and a
		// leaked API key must not be enough to take over an X account. An
		// empty list (never null) keeps clients that iterate working.
		Cookies:         []cookie{},
		Proxy:           proxy,
		ProxyAuth:       proxyAuth,
		IsPaused:        info.IsPaused(),
		FollowupsPaused: info.FollowupsHeld(),
		WarmupPaused:    a.WarmupPaused,
		AISetterEnabled: a.AISetter,
	}
}

// splitProxy separates credentials written into a proxy address
// ("http://user:pass@host:port") from the address. The store keeps proxy
// credentials sealed apart from the address, and service.AccountInfo does
// not expose the user name, so for stored accounts proxy_auth is empty; but
// an address that does carry credentials must still never be echoed whole.
func splitProxy(proxy string) (addr, user string, hasAuth bool) {
	scheme, rest := "", proxy
	if i := strings.Index(proxy, "://"); i >= 0 {
		scheme, rest = proxy[:i+len("://")], proxy[i+len("://"):]
	}
	at := strings.LastIndex(rest, "@")
	if at < 0 {
		return proxy, "", false
	}
	user, _, _ = strings.Cut(rest[:at], ":")
	return scheme + rest[at+1:], user, true
}
