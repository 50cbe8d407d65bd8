package service

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/outreachhq/outreach/core/store"
)

// CredentialJobStatus is where a credential job is.
type CredentialJobStatus string

// Credential job statuses. A job starts pending; it waits in
// awaiting_authorization while the account's owner signs in to X at its
// authorization URL, and ends completed (the account has new credentials)
// or failed (with the reason).
const (
	CredentialPending               CredentialJobStatus = "pending"
	CredentialAwaitingAuthorization CredentialJobStatus = "awaiting_authorization"
	CredentialCompleted             CredentialJobStatus = "completed"
	CredentialFailed                CredentialJobStatus = "failed"
)

// CredentialJob obtains an account's credentials from its network: the
// API's credential job (POST /get-cookies).
type CredentialJob struct {
	ID            string              `json:"id"`
	Workspace     string              `json:"workspace"`
	AccountID     string              `json:"account_id"`
	AccountHandle string              `json:"account_handle"`
	Status        CredentialJobStatus `json:"status"`
	// AuthorizationURL is where the account's owner signs in, while the
	// job awaits authorization.
	AuthorizationURL string    `json:"authorization_url,omitempty"`
	Error            string    `json:"error,omitempty"`
	CreatedAt        time.Time `json:"created_at"`
	UpdatedAt        time.Time `json:"updated_at"`
}

// ErrNoOAuthClient is why a credential job for an account on the real X
// fails when the server cannot run an OAuth sign-in.
const ErrNoOAuthClient = "signing in to X through the API needs `outreach serve --config` with the x plugin's OAuth 2.0 client " +
	"(plugin \"x\" { config { client_id = ... } }) and settings { public_url = ... } for X to redirect back to; " +
	"meanwhile run `outreach accounts login ACCOUNT --config ...`, or send OAuth 2.0 tokens with POST /api/v1/accounts (oauth2)"

// SignIn starts the OAuth sign-in of a credential job's account through its
// network plugin (serve wires core/auth's): it returns the URL where the
// account's owner signs in. proxy is the account's proxy and proxyAuth its
// credentials. The redirect back to the server completes the job
// (CompleteSignIn) or fails it.
type SignIn func(ctx context.Context, job CredentialJob, a store.Account, proxyAuth string) (authorizationURL string, err error)

// SetSignIn sets how credential jobs sign accounts in on the real X.
func (s *Service) SetSignIn(fn SignIn) { s.signIn.Store(&fn) }

// TokensGiven takes OAuth 2.0 tokens given through the API (add-account
// or update-credentials with oauth2) as the account's authorization (serve
// wires core/auth's keeper): the latest tokens given are the ones it uses.
type TokensGiven func(ctx context.Context, a store.Account, o OAuth2Tokens) error

// SetTokensGiven sets what takes tokens given through the API.
func (s *Service) SetTokensGiven(fn TokensGiven) { s.tokensGiven.Store(&fn) }

// tokensGiven passes tokens given through the API on, once they are
// stored with the account.
func (s *Service) tokensGivenFor(ctx context.Context, a store.Account, in AccountInput) error {
	fn := s.tokensGiven.Load()
	if fn == nil || in.OAuth2 == nil {
		return nil
	}
	return (*fn)(ctx, a, *in.OAuth2)
}

// SetSimulated says whether the engine runs accounts on the simulated X
// (serve --sandbox): there, a credential job completes at once, since the
// simulator signs an account in by its handle.
func (s *Service) SetSimulated(on bool) { s.simulated.Store(on) }

// credentialJobName is the install-wide setting a job is kept in. The
// settings are the one record every store has for small values; jobs are
// few (one per request to sign an account in) and read by id only.
func credentialJobName(ws, id string) string { return "credential-job/" + ws + "/" + id }

func putCredentialJob(tx store.SettingsTx, j CredentialJob) error {
	return tx.PutSetting(credentialJobName(j.Workspace, j.ID), string(mustJSON(j)))
}

func credentialJob(tx store.SettingsTx, ws, id string) (CredentialJob, error) {
	if _, err := uuid.Parse(id); err != nil {
		return CredentialJob{}, notFound("credential job %q", id)
	}
	v, err := tx.Setting(credentialJobName(ws, id))
	if err != nil {
		return CredentialJob{}, err
	}
	if v == "" {
		return CredentialJob{}, notFound("credential job %s", id)
	}
	var j CredentialJob
	if err := json.Unmarshal([]byte(v), &j); err != nil {
		return CredentialJob{}, fmt.Errorf("credential job %s: %w", id, err)
	}
	return j, nil
}

// StartCredentialJob starts a job that obtains an account's credentials,
// named by id or handle. On the simulated X it completes at once. On the
// real X it starts the account's OAuth sign-in (SetSignIn) and waits in
// awaiting_authorization with the URL where the owner signs in; without a
// way to sign in it fails, saying what is missing (ErrNoOAuthClient).
func (s *Service) StartCredentialJob(ctx context.Context, ws string, ref AccountRef) (CredentialJob, error) {
	var (
		j CredentialJob
		a store.Account
	)
	signIn := s.signIn.Load()
	err := s.update(ctx, func(tx Tx) (bool, error) {
		var err error
		if a, err = resolveAccount(tx, ws, ref); err != nil {
			return false, err
		}
		now := s.clock.Now().UTC()
		j = CredentialJob{
			ID: uuid.NewString(), Workspace: ws, AccountID: a.ID, AccountHandle: a.Handle,
			Status: CredentialPending, CreatedAt: now, UpdatedAt: now,
		}
		switch {
		case s.simulated.Load():
			j.Status = CredentialCompleted
		case signIn == nil:
			j.Status, j.Error = CredentialFailed, ErrNoOAuthClient
		}
		return false, putCredentialJob(tx, j)
	})
	if err != nil || j.Status != CredentialPending {
		return j, err
	}
	creds, err := s.openCredentials(a)
	if err != nil {
		return s.FailCredentialJob(ctx, ws, j.ID, err.Error())
	}
	u, err := (*signIn)(ctx, j, a, creds["proxy_auth"])
	if err != nil {
		return s.FailCredentialJob(ctx, ws, j.ID, "start the sign-in: "+err.Error())
	}
	return s.AwaitAuthorization(ctx, ws, j.ID, u)
}

// CredentialJobByID returns a credential job of the workspace.
func (s *Service) CredentialJobByID(ctx context.Context, ws, id string) (CredentialJob, error) {
	var j CredentialJob
	err := s.view(ctx, func(tx Tx) (err error) {
		j, err = credentialJob(tx, ws, id)
		return err
	})
	return j, err
}

// AwaitAuthorization moves a pending credential job to
// awaiting_authorization, with the URL where the account's owner signs in.
func (s *Service) AwaitAuthorization(ctx context.Context, ws, id, authorizationURL string) (CredentialJob, error) {
	return s.moveCredentialJob(ctx, ws, id, CredentialPending, func(j *CredentialJob) error {
		if authorizationURL == "" {
			return invalid("authorization_url", "give the URL where the account's owner signs in")
		}
		j.Status, j.AuthorizationURL = CredentialAwaitingAuthorization, authorizationURL
		return nil
	})
}

// CompleteCredentialJob ends a job awaiting authorization with the
// credentials the sign-in gave (OAuth 2.0 tokens, cookies): they become
// the account's, as UpdateCredentials makes them, in the same
// transaction.
func (s *Service) CompleteCredentialJob(ctx context.Context, ws, id string, in AccountInput) (CredentialJob, error) {
	creds, err := checkCredentials(in)
	if err != nil {
		return CredentialJob{}, err
	}
	if len(creds) == 0 {
		return CredentialJob{}, invalid("credentials", "a completed sign-in gives the account's credentials")
	}
	return s.completeCredentialJob(ctx, ws, id, func(tx Tx, a *store.Account, now time.Time) error {
		if err := s.sealCredentials(a, s.merged(a, creds)); err != nil {
			return err
		}
		a.UpdatedAt = now
		return tx.PutAccount(*a)
	})
}

// CompleteSignIn ends a job awaiting authorization whose OAuth sign-in
// succeeded (the tokens are stored apart, by core/auth).
func (s *Service) CompleteSignIn(ctx context.Context, ws, id string) (CredentialJob, error) {
	return s.completeCredentialJob(ctx, ws, id, nil)
}

// completeCredentialJob ends a job awaiting authorization: set, if any,
// stores what the sign-in gave on its account, and the hold an expired
// session put on the account lifts, in one transaction.
func (s *Service) completeCredentialJob(ctx context.Context, ws, id string, set func(Tx, *store.Account, time.Time) error) (CredentialJob, error) {
	var j CredentialJob
	err := s.update(ctx, func(tx Tx) (bool, error) {
		var err error
		if j, err = credentialJob(tx, ws, id); err != nil {
			return false, err
		}
		if j.Status != CredentialAwaitingAuthorization {
			return false, &ConflictError{Field: "job_id", Reason: fmt.Sprintf("the job is %s; only a job awaiting authorization completes", j.Status)}
		}
		a, err := resolveAccount(tx, ws, AccountRef{ID: j.AccountID})
		if err != nil {
			return false, err
		}
		now := s.clock.Now().UTC()
		if set != nil {
			if err := set(tx, &a, now); err != nil {
				return false, err
			}
		}
		j.Status, j.AuthorizationURL, j.UpdatedAt = CredentialCompleted, "", now
		if err := putCredentialJob(tx, j); err != nil {
			return false, err
		}
		return true, credentialsRenewed(tx, a, now)
	})
	return j, err
}

// FailCredentialJob ends a job that has not ended, with the reason.
func (s *Service) FailCredentialJob(ctx context.Context, ws, id, reason string) (CredentialJob, error) {
	return s.moveCredentialJob(ctx, ws, id, "", func(j *CredentialJob) error {
		if j.Status == CredentialCompleted || j.Status == CredentialFailed {
			return &ConflictError{Field: "job_id", Reason: fmt.Sprintf("the job is %s already", j.Status)}
		}
		j.Status, j.Error, j.AuthorizationURL = CredentialFailed, reason, ""
		return nil
	})
}

// moveCredentialJob changes a job in status from ("" for any) with set.
func (s *Service) moveCredentialJob(ctx context.Context, ws, id string, from CredentialJobStatus, set func(*CredentialJob) error) (CredentialJob, error) {
	var j CredentialJob
	err := s.update(ctx, func(tx Tx) (bool, error) {
		var err error
		if j, err = credentialJob(tx, ws, id); err != nil {
			return false, err
		}
		if from != "" && j.Status != from {
			return false, &ConflictError{Field: "job_id", Reason: fmt.Sprintf("the job is %s, not %s", j.Status, from)}
		}
		if err := set(&j); err != nil {
			return false, err
		}
		j.UpdatedAt = s.clock.Now().UTC()
		return false, putCredentialJob(tx, j)
	})
	return j, err
}
