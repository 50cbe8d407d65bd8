package service

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/outreachhq/outreach/core/config"
	"github.com/outreachhq/outreach/core/schedule"
	"github.com/outreachhq/outreach/core/store"
	"github.com/outreachhq/outreach/sdk"
)

// AccountInfo is an account with what the API reports beside it.
type AccountInfo struct {
	store.Account
	// Holds are the holds in force on it.
	Holds []store.Hold
	// DMsSent counts every DM it has sent.
	DMsSent int
	// Health is its score from 0 to 100, from the outcomes of its last
	// actions (store.AccountState.NoteOutcome).
	Health int
}

// IsPaused reports whether the account sends nothing: declared paused or
// held.
func (a AccountInfo) IsPaused() bool {
	return a.Paused || slices.ContainsFunc(a.Holds, func(h store.Hold) bool { return h.Scope == store.HoldAll })
}

// FollowupsHeld reports whether its follow-ups are paused or held.
func (a AccountInfo) FollowupsHeld() bool {
	return a.FollowupsPaused || slices.ContainsFunc(a.Holds, func(h store.Hold) bool { return h.Scope == store.HoldFollowups })
}

// ListAccounts returns the workspace's accounts, oldest first.
func (s *Service) ListAccounts(ctx context.Context, ws string) ([]AccountInfo, error) {
	var out []AccountInfo
	now := s.clock.Now()
	err := s.view(ctx, func(tx Tx) error {
		accounts, err := tx.Accounts(ws)
		if err != nil {
			return err
		}
		out = make([]AccountInfo, len(accounts))
		for i, a := range accounts {
			if out[i], err = accountInfo(tx, a, now); err != nil {
				return err
			}
		}
		return nil
	})
	return out, err
}

func accountInfo(tx Tx, a store.Account, now time.Time) (AccountInfo, error) {
	info := AccountInfo{Account: a}
	st, err := tx.AccountState(a.Workspace, a.ID)
	if err != nil {
		return info, err
	}
	info.Health = st.Score()
	for _, h := range st.Holds {
		if h.InForce(now) {
			info.Holds = append(info.Holds, h)
		}
	}
	tallies, err := tx.AccountTallies(a.Workspace, a.ID)
	if err != nil {
		return info, err
	}
	for _, t := range tallies {
		if t.Kind.Sends() && t.State == store.JobDone {
			info.DMsSent += t.N
		}
	}
	return info, nil
}

// Cookie is one browser cookie of an account's session (Chrome's export
// format).
type Cookie = config.Cookie

// Credentials are what an account's sealed Secrets hold, by attribute
// name ("cookies", "tokens", "proxy_auth", "xchat_pin"), cookies and
// tokens as JSON: what the network plugin's session gets.
type Credentials map[string]string

// AccountInput is an account as the API adds or updates it: by handle.
// Fields left empty keep what the account has.
type AccountInput struct {
	Handle    string
	Cookies   []Cookie
	Tokens    map[string]string
	Proxy     string
	ProxyAuth string
	XChatPIN  string
	// OAuth2 are OAuth 2.0 user tokens for the built-in x plugin; they are
	// kept among the tokens, under the names its sessions read.
	OAuth2 *OAuth2Tokens
}

// OAuth2Tokens are an X user's OAuth 2.0 tokens (Authorization Code with
// PKCE, offline.access for the refresh token).
type OAuth2Tokens struct {
	AccessToken  string
	RefreshToken string
	// ExpiresAt is when the access token expires; zero if unknown.
	ExpiresAt time.Time
}

// The token names the x plugin's sessions read (plugins/x: the access
// token is its bearer_token credential).
const (
	tokenAccess    = "bearer_token"
	tokenRefresh   = "refresh_token"
	tokenExpiresAt = "expires_at"
)

// OAuth2Of returns the OAuth 2.0 tokens among an account's credentials,
// given through the API's oauth2, if it has any: the token keeper
// (core/auth) takes them in as the handle's authorization.
func OAuth2Of(c Credentials) (OAuth2Tokens, bool) {
	var tokens map[string]string
	if json.Unmarshal([]byte(c["tokens"]), &tokens) != nil || tokens[tokenAccess] == "" {
		return OAuth2Tokens{}, false
	}
	o := OAuth2Tokens{AccessToken: tokens[tokenAccess], RefreshToken: tokens[tokenRefresh]}
	o.ExpiresAt, _ = time.Parse(time.RFC3339, tokens[tokenExpiresAt])
	return o, true
}

// AddAccount is UpsertAccount as the API's add-account has it: the
// account comes with a session, its browser cookies (at least auth_token
// and ct0) or OAuth 2.0 tokens. It returns the account as listed, and
// whether it is new.
func (s *Service) AddAccount(ctx context.Context, ws string, in AccountInput) (AccountInfo, bool, error) {
	if len(in.Cookies) == 0 && in.OAuth2 == nil {
		return AccountInfo{}, false, invalid("cookies", "give the account's session: cookies with at least %s, or oauth2 tokens", strings.Join(config.RequiredCookies, " and "))
	}
	a, created, err := s.UpsertAccount(ctx, ws, in)
	if err != nil {
		return AccountInfo{}, false, err
	}
	shown, err := s.ShowAccount(ctx, ws, a.ID, false)
	return shown.AccountInfo, created, err
}

// UpsertAccount adds an X account to the workspace, or updates the one it
// already has for the handle (created is false then, and the id is the
// same): one X account is one record, whoever adds it. A handle another
// workspace uses is refused. Its credentials are sealed.
func (s *Service) UpsertAccount(ctx context.Context, ws string, in AccountInput) (store.Account, bool, error) {
	handle, err := config.CheckHandle(in.Handle)
	if err != nil {
		return store.Account{}, false, invalid("handle", "%v", err)
	}
	creds, err := checkCredentials(in)
	if err != nil {
		return store.Account{}, false, err
	}
	proxy := ""
	if in.Proxy != "" {
		if proxy, err = config.NormalizeProxy(in.Proxy); err != nil {
			return store.Account{}, false, invalid("proxy", "%v", err)
		}
	}
	var (
		rec     store.Account
		created bool
	)
	err = s.update(ctx, func(tx Tx) (bool, error) {
		if err := tx.PutWorkspace(ws); err != nil {
			return false, err
		}
		now := s.clock.Now().UTC()
		rec, created, err = s.putAccount(tx, ws, "", handle, now, func(a *store.Account) error {
			if proxy != "" {
				a.Proxy = proxy
			}
			return s.sealCredentials(a, s.merged(a, creds))
		})
		if err != nil {
			return false, err
		}
		// New credentials may end a hold for an expired session.
		return true, credentialsRenewed(tx, rec, now)
	})
	if err != nil {
		return rec, created, err
	}
	return rec, created, s.tokensGivenFor(ctx, rec, in)
}

// UpdateCredentials replaces an account's credentials (and its proxy, if
// given), named by id or handle, and lifts a hold the engine set for an
// expired session: the new credentials are tried at once.
func (s *Service) UpdateCredentials(ctx context.Context, ws string, ref AccountRef, in AccountInput) (store.Account, error) {
	creds, err := checkCredentials(in)
	if err != nil {
		return store.Account{}, err
	}
	if len(creds) == 0 && in.Proxy == "" {
		return store.Account{}, invalid("cookies", "give the new cookies, tokens, proxy or proxy_auth")
	}
	proxy := ""
	if in.Proxy != "" {
		if proxy, err = config.NormalizeProxy(in.Proxy); err != nil {
			return store.Account{}, invalid("proxy", "%v", err)
		}
	}
	var a store.Account
	err = s.update(ctx, func(tx Tx) (bool, error) {
		var err error
		if a, err = resolveAccount(tx, ws, ref); err != nil {
			return false, err
		}
		if proxy != "" {
			a.Proxy = proxy
		}
		if err := s.sealCredentials(&a, s.merged(&a, creds)); err != nil {
			return false, err
		}
		now := s.clock.Now().UTC()
		a.UpdatedAt = now
		if err := tx.PutAccount(a); err != nil {
			return false, err
		}
		return true, credentialsRenewed(tx, a, now)
	})
	if err != nil {
		return a, err
	}
	return a, s.tokensGivenFor(ctx, a, in)
}

// checkCredentials validates and canonicalizes the credentials of an
// input, by attribute name; absent ones are left out.
func checkCredentials(in AccountInput) (Credentials, error) {
	out := Credentials{}
	if len(in.Cookies) > 0 {
		cookies := slices.Clone(in.Cookies)
		for i, c := range cookies {
			if strings.TrimSpace(c.Name) == "" {
				return nil, invalid(fmt.Sprintf("cookies[%d].name", i), "a cookie needs a name")
			}
		}
		for _, name := range config.RequiredCookies {
			if !slices.ContainsFunc(cookies, func(c Cookie) bool { return c.Name == name && c.Value != "" }) {
				return nil, invalid("cookies", "an X session needs at least %s; %s is missing", strings.Join(config.RequiredCookies, " and "), name)
			}
		}
		slices.SortStableFunc(cookies, func(a, b Cookie) int { return strings.Compare(a.Name, b.Name) })
		out["cookies"] = string(mustJSON(cookies))
	}
	tokens := maps.Clone(in.Tokens)
	if o := in.OAuth2; o != nil {
		if strings.TrimSpace(o.AccessToken) == "" {
			return nil, invalid("oauth2.access_token", "give the OAuth 2.0 access token")
		}
		if tokens == nil {
			tokens = map[string]string{}
		}
		tokens[tokenAccess] = o.AccessToken
		if o.RefreshToken != "" {
			tokens[tokenRefresh] = o.RefreshToken
		}
		if !o.ExpiresAt.IsZero() {
			tokens[tokenExpiresAt] = o.ExpiresAt.UTC().Format(time.RFC3339)
		}
	}
	if len(tokens) > 0 {
		out["tokens"] = string(mustJSON(tokens))
	}
	if in.ProxyAuth != "" {
		if u, p, ok := strings.Cut(in.ProxyAuth, ":"); !ok || u == "" || p == "" {
			return nil, invalid("proxy_auth", "write the proxy's credentials as username:password")
		}
		out["proxy_auth"] = in.ProxyAuth
	}
	if in.XChatPIN != "" {
		if len(in.XChatPIN) < 4 || len(in.XChatPIN) > 8 || strings.Trim(in.XChatPIN, "0123456789") != "" {
			return nil, invalid("xchat_pin", "an X chat PIN is 4 to 8 digits")
		}
		out["xchat_pin"] = in.XChatPIN
	}
	return out, nil
}

// merged is the account's current credentials with the given ones
// replacing theirs.
func (s *Service) merged(a *store.Account, with Credentials) Credentials {
	cur, err := s.openCredentials(*a)
	if err != nil {
		cur = Credentials{} // unreadable (another key): replaced wholesale
	}
	for k, v := range with {
		cur[k] = v
	}
	return cur
}

// putAccount finds the workspace's record of an X account (by address when
// configuration manages it, else by handle), creates it if there is none,
// lets set change it, and stores it. One handle is one record in the whole
// install: a handle of another workspace is refused, and configuration
// that declares a handle the API added takes that record over.
func (s *Service) putAccount(tx Tx, ws, address, handle string, now time.Time, set func(*store.Account) error) (store.Account, bool, error) {
	field := "handle"
	if address != "" {
		field = address + ".handle"
	}
	byHandle, err := tx.AccountByHandle(handle)
	switch {
	case store.IsNotFound(err):
		byHandle = store.Account{}
	case err != nil:
		return store.Account{}, false, err
	case byHandle.Workspace != ws:
		return store.Account{}, false, invalid(field, "@%s is an account of another workspace; one X account belongs to one workspace", handle)
	}
	cur := byHandle
	if address != "" {
		switch byAddr, err := tx.AccountByAddress(ws, address); {
		case err == nil:
			if byHandle.ID != "" && byHandle.ID != byAddr.ID {
				return store.Account{}, false, invalid(field, "@%s is already %s of this workspace", handle, describeAccount(byHandle))
			}
			cur = byAddr
		case !store.IsNotFound(err):
			return store.Account{}, false, err
		case byHandle.Address != "" && byHandle.Address != address:
			return store.Account{}, false, invalid(field, "@%s is already %s", handle, describeAccount(byHandle))
		}
	}
	created := cur.ID == ""
	if created {
		cur = store.Account{
			ID: uuid.NewString(), Workspace: ws, Network: config.DefaultNetwork, CreatedAt: now,
			DailyDMLimit: config.DefaultDailyDMLimit, DailyFollowLimit: config.DefaultDailyFollowLimit,
			DailyLikeLimit: config.DefaultDailyLikeLimit, DailyCommentLimit: config.DefaultDailyCommentLimit,
			MinGap: config.DefaultMinGap, MaxGap: config.DefaultMaxGap, PacingDefault: true,
		}
	}
	if store.NormalizeHandle(cur.Handle) != store.NormalizeHandle(handle) {
		// Another X account: what was learnt about the old one is void.
		cur.XUserID, cur.DisplayName, cur.ProfileImageURL, cur.Verified = "", "", "", false
	}
	cur.Handle = handle
	if address != "" {
		cur.Address = address
	}
	if err := set(&cur); err != nil {
		return store.Account{}, false, err
	}
	cur.UpdatedAt = now
	if err := tx.PutAccount(cur); err != nil || !created {
		return cur, created, err
	}
	// A new account reads its DMs from the start, not only once it has
	// sent one: a conversation a prospect starts is kept from the first.
	st, err := tx.AccountState(ws, cur.ID)
	if err != nil {
		return cur, created, err
	}
	st.NextPollAt = now
	return cur, created, tx.PutAccountState(st)
}

func describeAccount(a store.Account) string {
	if a.Address != "" {
		return a.Address
	}
	return "the account " + a.ID + " added through the API"
}

// AccountRef names an account by id or by handle.
type AccountRef struct {
	ID     string
	Handle string
}

// resolveAccount finds the account a reference names in the workspace.
func resolveAccount(tx Tx, ws string, ref AccountRef) (store.Account, error) {
	switch {
	case !lookupKey(ref.ID) || !lookupKey(ref.Handle):
		return store.Account{}, notFound("account %q", ref.ID+ref.Handle)
	case ref.ID != "":
		a, err := tx.Account(ws, ref.ID)
		if store.IsNotFound(err) {
			return a, notFound("account %s", ref.ID)
		}
		return a, err
	case ref.Handle != "":
		a, err := tx.AccountByHandle(ref.Handle)
		if store.IsNotFound(err) || err == nil && a.Workspace != ws {
			return store.Account{}, notFound("account @%s", store.NormalizeHandle(ref.Handle))
		}
		return a, err
	}
	return store.Account{}, invalid("account_id", "give account_id or handle")
}

// lookupKey reports whether s can name a stored object: a string no
// store keeps (a NUL, invalid UTF-8, which Postgres refuses outright)
// names nothing, so looking it up finds nothing rather than failing.
func lookupKey(s string) bool {
	return utf8.ValidString(s) && !strings.ContainsRune(s, 0)
}

// RemoveAccount removes an account from the workspace, in one
// transaction. Its conversations and DM history stay. It leaves its
// campaigns: their first DMs waiting on it move to their other accounts,
// and no lead is queued on it again. What cannot move is cancelled, saying
// why: a follow-up (it belongs to the account's conversation), a first DM
// of a campaign with no other account, a scheduled tweet. A send in doubt
// stays for the engine to settle, which parks it for review since X cannot
// be asked for an account that is gone.
func (s *Service) RemoveAccount(ctx context.Context, ws string, ref AccountRef) (store.Account, error) {
	var a store.Account
	err := s.update(ctx, func(tx Tx) (bool, error) {
		var err error
		if a, err = resolveAccount(tx, ws, ref); err != nil {
			return false, err
		}
		return false, s.removeAccount(tx, a, s.clock.Now().UTC())
	})
	return a, err
}

func (s *Service) removeAccount(tx Tx, a store.Account, now time.Time) error {
	if err := failAccountTweets(tx, a, now); err != nil {
		return err
	}
	campaigns, err := leaveCampaigns(tx, a, now)
	if err != nil {
		return err
	}
	jobs, err := tx.Jobs(a.Workspace, store.JobQuery{AccountID: a.ID, State: store.JobPending})
	if err != nil {
		return err
	}
	for _, j := range jobs {
		doubt, err := inDoubt(tx, j)
		if err != nil {
			return err
		}
		if doubt {
			continue // the engine settles it
		}
		if err := tx.PutJob(cancelled(j, "its account @"+a.Handle+" was removed", now)); err != nil {
			return err
		}
	}
	if err := tx.DeleteAccount(a.Workspace, a.ID); err != nil {
		return err
	}
	// A campaign whose last waiting sends were its: done now.
	for _, c := range campaigns {
		if err := Settle(tx, a.Workspace, c, "", now); err != nil {
			return err
		}
	}
	return nil
}

// leaveCampaigns takes a removed account out of the campaigns that send
// from it, and moves their first DMs waiting on it to their other
// accounts, in turn (Failover's way, to any account that still exists: a
// paused one sends them once resumed). It returns the campaigns' ids.
func leaveCampaigns(tx Tx, a store.Account, now time.Time) ([]string, error) {
	campaigns, err := tx.Campaigns(a.Workspace)
	if err != nil {
		return nil, err
	}
	var ids []string
	for _, c := range campaigns {
		if !slices.Contains(c.AccountIDs, a.ID) {
			continue
		}
		ids = append(ids, c.ID)
		c.AccountIDs = slices.DeleteFunc(slices.Clone(c.AccountIDs), func(id string) bool { return id == a.ID })
		c.UpdatedAt = now
		if err := tx.PutCampaign(c); err != nil {
			return nil, err
		}
		if len(c.AccountIDs) == 0 {
			continue
		}
		if _, err := moveFirstDMs(tx, a, c, c.AccountIDs, "was removed", now); err != nil {
			return nil, err
		}
	}
	return ids, nil
}

// cancelJobs cancels the jobs q selects, with a reason.
func cancelJobs(tx Tx, ws string, q store.JobQuery, now time.Time, why string) error {
	jobs, err := tx.Jobs(ws, q)
	if err != nil {
		return err
	}
	for _, j := range jobs {
		if j.State.Final() {
			continue
		}
		if err := tx.PutJob(cancelled(j, why, now)); err != nil {
			return err
		}
	}
	return nil
}

// cancelled is job j cancelled at now, for a reason.
func cancelled(j store.Job, why string, now time.Time) store.Job {
	j.State, j.LastError, j.UpdatedAt, j.DoneAt, j.Lease = store.JobCancelled, why, now, now, store.Lease{}
	return j
}

// inDoubt reports whether job j has an intent: its effect is in flight or
// in doubt, and the engine settles it where it started.
func inDoubt(tx interface {
	Intent(ws, jobID string) (store.Intent, error)
}, j store.Job) (bool, error) {
	_, err := tx.Intent(j.Workspace, j.ID)
	if store.IsNotFound(err) {
		return false, nil
	}
	return err == nil, err
}

// PauseInput changes an account's pause flags; nil leaves one as it is.
type PauseInput struct {
	Paused          *bool
	FollowupsPaused *bool
	WarmupPaused    *bool
	// By says who asks ("api", "dashboard"); Reason why. Both are kept on
	// the hold.
	By, Reason string
}

// SetAccountPause pauses or resumes an account. A pause is a hold with its
// reason, kept apart from what configuration declares, so applying a
// configuration never lifts it; resuming lifts the holds of that scope.
// warmup_paused is the account's own attribute. Pausing appends an
// account_paused event.
func (s *Service) SetAccountPause(ctx context.Context, ws, accountID string, in PauseInput) (AccountInfo, error) {
	if in.By == "" {
		in.By = "api"
	}
	var info AccountInfo
	err := s.update(ctx, func(tx Tx) (bool, error) {
		a, err := resolveAccount(tx, ws, AccountRef{ID: accountID})
		if err != nil {
			return false, err
		}
		now := s.clock.Now().UTC()
		wake := false
		hold := func(scope store.HoldScope, on *bool, reason string) error {
			switch {
			case on == nil:
				return nil
			case *on:
				added, err := AddHold(tx, a, store.Hold{Scope: scope, By: in.By, Reason: reason, Since: now}, now)
				if err != nil || !added || scope != store.HoldAll {
					return err
				}
				return AccountPaused(tx, a, sdk.PausedByPerson, reason, now)
			}
			wake = true
			return liftHolds(tx, a, scope, "", now)
		}
		reason := in.Reason
		if reason == "" {
			reason = "paused through the " + in.By
		}
		if err := hold(store.HoldAll, in.Paused, reason); err != nil {
			return false, err
		}
		if err := hold(store.HoldFollowups, in.FollowupsPaused, reason); err != nil {
			return false, err
		}
		if in.WarmupPaused != nil && *in.WarmupPaused != a.WarmupPaused {
			a.WarmupPaused, a.UpdatedAt = *in.WarmupPaused, now
			if err := tx.PutAccount(a); err != nil {
				return false, err
			}
		}
		info, err = accountInfo(tx, a, now)
		return wake, err
	})
	return info, err
}

// HoldTx is what holding an account writes.
type HoldTx interface {
	AccountState(ws, accountID string) (store.AccountState, error)
	PutAccountState(s store.AccountState) error
	EventTx
}

// AddHold puts a hold on an account, unless one of the same scope by the
// same hand is in force already (a later Until then extends it); it
// reports whether the hold is new. Operations and the engine (a rate
// limit, an expired session) hold accounts through it.
func AddHold(tx HoldTx, a store.Account, h store.Hold, now time.Time) (bool, error) {
	st, err := tx.AccountState(a.Workspace, a.ID)
	if err != nil {
		return false, err
	}
	kept := st.Holds[:0]
	for _, cur := range st.Holds {
		if cur.InForce(now) {
			kept = append(kept, cur)
		}
	}
	st.Holds = kept
	for i, cur := range st.Holds {
		if cur.Scope == h.Scope && cur.By == h.By && cur.Reason == h.Reason {
			if !cur.Until.IsZero() && (h.Until.IsZero() || h.Until.After(cur.Until)) {
				st.Holds[i].Until = h.Until // a longer hold of the same kind
				return false, tx.PutAccountState(st)
			}
			return false, nil
		}
	}
	st.Holds = append(st.Holds, h)
	return true, tx.PutAccountState(st)
}

// NoteOutcome counts how an action of the account ended in its health
// (store.AccountState.NoteOutcome).
func NoteOutcome(tx HoldTx, a store.Account, o store.Outcome) error {
	st, err := tx.AccountState(a.Workspace, a.ID)
	if err != nil {
		return err
	}
	st.NoteOutcome(o)
	return tx.PutAccountState(st)
}

// AccountPaused appends the account_paused event of an account that
// stopped sending, for a reason.
func AccountPaused(tx EventTx, a store.Account, code, reason string, now time.Time) error {
	return AppendEvent(tx, a.Workspace, store.EventAccountPaused, now, store.AccountPausedData{
		AccountID: a.ID, AccountHandle: a.Handle, Reason: reason, Code: code,
	})
}

// liftHolds lifts an account's holds of a scope: those set by by, or all
// of them when by is "". Once nothing holds the account, the work it left
// waiting is due at once (resumeWaiting).
func liftHolds(tx Tx, a store.Account, scope store.HoldScope, by string, now time.Time) error {
	st, err := tx.AccountState(a.Workspace, a.ID)
	if err != nil {
		return err
	}
	kept := st.Holds[:0]
	for _, h := range st.Holds {
		if h.Scope == scope && (by == "" || h.By == by) || !h.InForce(now) {
			continue
		}
		kept = append(kept, h)
	}
	if len(kept) == len(st.Holds) {
		return nil
	}
	st.Holds = kept
	if err := tx.PutAccountState(st); err != nil {
		return err
	}
	for _, h := range kept {
		if h.Scope == store.HoldAll && h.InForce(now) {
			return nil
		}
	}
	return resumeWaiting(tx, a, now)
}

// credentialsRenewed lifts the holds the engine put on an account that new
// credentials (or a new sign-in) may end, and, unless another hold keeps
// it, makes the work that waited on them due at once: a scrape put off by
// an expired session holds no account, but waits for it all the same.
func credentialsRenewed(tx Tx, a store.Account, now time.Time) error {
	if err := liftHolds(tx, a, store.HoldAll, "engine", now); err != nil {
		return err
	}
	st, err := tx.AccountState(a.Workspace, a.ID)
	if err != nil {
		return err
	}
	for _, h := range st.Holds {
		if h.Scope == store.HoldAll && h.InForce(now) {
			return nil
		}
	}
	return resumeWaiting(tx, a, now)
}

// resumeWaiting makes the work that waits on an account for a hold or a
// failure to pass due now: its jobs, and its workspace's scrapes, that a
// failure put off (an expired session puts them off an hour). A person who
// lifts a hold, or signs the account in again, expects the work to resume
// at once, not when the engine would next have tried.
func resumeWaiting(tx Tx, a store.Account, now time.Time) error {
	for _, q := range []store.JobQuery{
		{AccountID: a.ID, State: store.JobPending},
		{Kind: store.JobScrape, State: store.JobPending},
	} {
		jobs, err := tx.Jobs(a.Workspace, q)
		if err != nil {
			return err
		}
		for _, j := range jobs {
			if j.LastError == "" || !j.DueAt.After(now) {
				continue
			}
			j.DueAt = now
			if err := tx.PutJob(j); err != nil {
				return err
			}
		}
	}
	return nil
}

// AccountCredentials opens an account's sealed credentials, for the
// network plugin's session. An account without credentials has none.
func (s *Service) AccountCredentials(ctx context.Context, ws, accountID string) (Credentials, error) {
	var a store.Account
	err := s.view(ctx, func(tx Tx) (err error) {
		a, err = resolveAccount(tx, ws, AccountRef{ID: accountID})
		return err
	})
	if err != nil {
		return nil, err
	}
	return s.openCredentials(a)
}

// FailoverTx is what moving an account's waiting first DMs reads and
// writes.
type FailoverTx interface {
	Campaigns(ws string) ([]store.Campaign, error)
	Account(ws, id string) (store.Account, error)
	AccountState(ws, accountID string) (store.AccountState, error)
	Jobs(ws string, q store.JobQuery) ([]store.Job, error)
	Intent(ws, jobID string) (store.Intent, error)
	PutJob(j store.Job) error
}

// Failover moves the first DMs waiting on an account that cannot send (X
// no longer takes its session, or refuses it) to the other accounts of
// each campaign that can, in turn. Each lead keeps its variant, and the
// campaign's claim on it (dedupe) is unchanged; follow-ups stay, since
// they belong to the account's conversation, and so does a send in doubt.
// It returns how many it moved.
func Failover(tx FailoverTx, a store.Account, now time.Time) (int, error) {
	campaigns, err := tx.Campaigns(a.Workspace)
	if err != nil {
		return 0, err
	}
	moved := 0
	for _, c := range campaigns {
		if !slices.Contains(c.AccountIDs, a.ID) {
			continue
		}
		var others []string
		for _, id := range c.AccountIDs {
			if id == a.ID {
				continue
			}
			ok, err := canSend(tx, a.Workspace, id, now)
			if err != nil {
				return moved, err
			}
			if ok {
				others = append(others, id)
			}
		}
		if len(others) == 0 {
			continue
		}
		n, err := moveFirstDMs(tx, a, c, others, "cannot send", now)
		moved += n
		if err != nil {
			return moved, err
		}
	}
	return moved, nil
}

// moveFirstDMs moves the campaign's first DMs waiting on account a to the
// accounts others, in turn, saying why (a "cannot send"), and returns how
// many it moved. A send in doubt stays: it is settled where it started.
func moveFirstDMs(tx FailoverTx, a store.Account, c store.Campaign, others []string, why string, now time.Time) (int, error) {
	jobs, err := tx.Jobs(a.Workspace, store.JobQuery{CampaignID: c.ID, AccountID: a.ID, Kind: store.JobDM, State: store.JobPending})
	if err != nil {
		return 0, err
	}
	moved := 0
	for _, j := range jobs {
		doubt, err := inDoubt(tx, j)
		if err != nil {
			return moved, err
		}
		if doubt {
			continue
		}
		j.AccountID, j.DueAt, j.Lease, j.UpdatedAt = others[moved%len(others)], now, store.Lease{}, now
		j.LastError = fmt.Sprintf("moved from @%s, which %s", a.Handle, why)
		if err := tx.PutJob(j); err != nil {
			return moved, err
		}
		moved++
	}
	return moved, nil
}

// canSend reports whether an account may send at all: it exists, is not
// paused, and no hold of all it does is in force.
func canSend(tx FailoverTx, ws, id string, now time.Time) (bool, error) {
	a, err := tx.Account(ws, id)
	if store.IsNotFound(err) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	st, err := tx.AccountState(ws, id)
	if err != nil {
		return false, err
	}
	_, held := st.Held(store.HoldAll, now)
	return !a.Paused && !held, nil
}

// Mask is what a secret value is shown as when secrets are not revealed.
const Mask = "****"

// ShownAccount is an account as the API lists it: its info, and its
// credentials as they may be shown.
type ShownAccount struct {
	AccountInfo
	// Cookies are its session cookies, names and domains; their values
	// are Mask unless revealed.
	Cookies []Cookie
	// ProxyAuth is its proxy's "user:password", the password Mask unless
	// revealed; "" without proxy credentials.
	ProxyAuth string
}

// ShowAccounts returns the workspace's accounts, oldest first, with their
// credentials masked (cookie values, the proxy password), or whole when
// reveal is set (settings { reveal_secrets = true }).
func (s *Service) ShowAccounts(ctx context.Context, ws string, reveal bool) ([]ShownAccount, error) {
	infos, err := s.ListAccounts(ctx, ws)
	if err != nil {
		return nil, err
	}
	out := make([]ShownAccount, len(infos))
	for i, info := range infos {
		out[i] = s.shown(info, reveal)
	}
	return out, nil
}

// ShowAccount returns one account as ShowAccounts does.
func (s *Service) ShowAccount(ctx context.Context, ws, accountID string, reveal bool) (ShownAccount, error) {
	var info AccountInfo
	err := s.view(ctx, func(tx Tx) error {
		a, err := resolveAccount(tx, ws, AccountRef{ID: accountID})
		if err != nil {
			return err
		}
		info, err = accountInfo(tx, a, s.clock.Now())
		return err
	})
	if err != nil {
		return ShownAccount{}, err
	}
	return s.shown(info, reveal), nil
}

// shown opens an account's credentials and masks them unless reveal.
// Credentials that cannot be opened (sealed with another key, or no key
// at all) show as none: the listing is still useful, and
// UpdateCredentials replaces them.
func (s *Service) shown(info AccountInfo, reveal bool) ShownAccount {
	out := ShownAccount{AccountInfo: info, Cookies: []Cookie{}}
	creds, err := s.openCredentials(info.Account)
	if err != nil {
		return out
	}
	if raw := creds["cookies"]; raw != "" {
		var cookies []Cookie
		if err := json.Unmarshal([]byte(raw), &cookies); err == nil {
			for _, c := range cookies {
				if !reveal {
					c.Value = Mask
				}
				out.Cookies = append(out.Cookies, c)
			}
		}
	}
	if pa := creds["proxy_auth"]; pa != "" {
		user, _, _ := strings.Cut(pa, ":")
		out.ProxyAuth = user + ":" + Mask
		if reveal {
			out.ProxyAuth = pa
		}
	}
	return out
}

// AccountHealth is how an account is doing: what it sent today against
// its cap, its warmup, its health score, and whatever holds it.
type AccountHealth struct {
	AccountInfo
	// SentToday counts the DMs it sent today, in its cap's time zone
	// (its active hours' zone, UTC without them); Day is that day.
	SentToday int
	Day       string
	// CapToday is today's DM cap, lowered by warmup; 0 means none.
	// DailyLimit is the cap without warmup.
	CapToday, DailyLimit int
	// WarmupDay is the ramp's day, 1 on the day warmup started (held
	// while warmup is paused); 0 without warmup.
	WarmupDay int
	// Recent are the outcomes of its last actions on X, oldest first,
	// which Health scores.
	Recent []store.Outcome
	// NextSendAt is the earliest its next automated send may go, after its
	// pacing; zero if it may send now.
	NextSendAt time.Time
	// PausedReason says why it sends nothing, "" while it sends: its
	// configuration pauses it, or the reason of the hold in force.
	PausedReason string
}

// HealthOf returns an account's health, by id.
func (s *Service) HealthOf(ctx context.Context, ws, accountID string) (AccountHealth, error) {
	var h AccountHealth
	err := s.view(ctx, func(tx Tx) error {
		a, err := resolveAccount(tx, ws, AccountRef{ID: accountID})
		if err != nil {
			return err
		}
		now := s.clock.Now().UTC()
		if h.AccountInfo, err = accountInfo(tx, a, now); err != nil {
			return err
		}
		st, err := tx.AccountState(ws, a.ID)
		if err != nil {
			return err
		}
		dc := a.DailyCap(st.Ramp, now)
		today := schedule.DayOf(now, dc.Loc)
		h.Day = today.Key()
		if h.SentToday, err = tx.SentOn(ws, a.ID, h.Day); err != nil {
			return err
		}
		h.CapToday, h.DailyLimit = dc.On(today), a.DailyDMLimit
		if r := dc.Ramp; r != nil {
			// The ramp day as schedule.Ramp counts it (0 on the first day).
			n := r.Held
			if !r.Holding {
				n = max(int(today-r.Day0)-r.Shift, 0)
			}
			h.WarmupDay = n + 1
		}
		h.Recent = st.Recent
		switch hold, held := st.Held(store.HoldAll, now); {
		case a.Paused:
			h.PausedReason = "paused by its configuration"
		case held:
			h.PausedReason = hold.Reason
		}
		if st.NextSendAt.After(now) {
			h.NextSendAt = st.NextSendAt
		}
		return nil
	})
	return h, err
}

// SignedIn tells that a handle was signed in (again) through its network
// plugin's OAuth: the hold the engine put on its account for an expired
// session or a refusal lifts, and the account's work resumes at once. A
// handle no account has yet (signed in before the first apply) is fine.
func (s *Service) SignedIn(ctx context.Context, handle string) error {
	return s.update(ctx, func(tx Tx) (bool, error) {
		a, err := tx.AccountByHandle(store.NormalizeHandle(handle))
		if store.IsNotFound(err) {
			return false, nil
		}
		if err != nil {
			return false, err
		}
		return true, credentialsRenewed(tx, a, s.clock.Now().UTC())
	})
}
