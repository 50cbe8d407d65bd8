package service

import (
	"context"
	"time"

	"github.com/outreachhq/outreach/core/config"
	"github.com/outreachhq/outreach/core/store"
)

// OAuthState is what is known of an account's OAuth 2.0 sign-in to its
// network (store.Authorization), with no token in it: what a person needs
// to see whether the account can act, and when to sign it in again.
type OAuthState struct {
	// SignedInAt is when the handle was signed in, or its tokens given;
	// ExpiresAt when the access token stops working (it is refreshed
	// before then); RefreshedAt when it was last refreshed.
	SignedInAt, ExpiresAt, RefreshedAt time.Time
	Refreshes                          int
	Scopes                             []string
	// Refused says why the network refused a refresh: a person must sign
	// the handle in again. "" while the sign-in holds.
	Refused string
	// Imported is set when the tokens were given (the API's oauth2) rather
	// than obtained by a sign-in.
	Imported bool
}

// OAuthStates returns the OAuth 2.0 sign-in of each of the workspace's
// accounts that has one, by account id. The sign-ins are install-wide,
// by network and handle (`outreach accounts login`, the credential job,
// tokens given through the API); an account missing from the map has
// never been signed in.
func (s *Service) OAuthStates(ctx context.Context, ws string) (map[string]OAuthState, error) {
	out := map[string]OAuthState{}
	err := s.view(ctx, func(tx Tx) error {
		clear(out)
		accounts, err := tx.Accounts(ws)
		if err != nil {
			return err
		}
		for _, a := range accounts {
			network := a.Network
			if network == "" {
				network = config.DefaultNetwork
			}
			az, err := store.GetAuthorization(tx, network, a.Handle)
			if store.IsNotFound(err) {
				continue
			}
			if err != nil {
				return err
			}
			out[a.ID] = OAuthState{
				SignedInAt: az.SignedInAt, ExpiresAt: az.ExpiresAt, RefreshedAt: az.RefreshedAt,
				Refreshes: az.Refreshes, Scopes: az.Scopes, Refused: az.Refused, Imported: az.Imported != "",
			}
		}
		return nil
	})
	return out, err
}
