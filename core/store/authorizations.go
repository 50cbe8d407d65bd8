package store

import (
	"encoding/json"
	"fmt"
	"time"
)

// Authorization is a handle's sign-in to its network through the network
// plugin's OAuth (sdk.Authorizer): the tokens it gave, sealed, and what is
// known about them. It is install-wide and keyed by network and handle, not
// by account, so that `outreach accounts login` can sign a handle in before
// the configuration that declares its account is first applied (one handle
// is one account in the whole install).
type Authorization struct {
	Network string `json:"network"`
	// Handle is normalized (NormalizeHandle).
	Handle string `json:"handle"`
	// UserID is the network's id of the user the tokens act as.
	UserID string `json:"user_id"`
	// App is the app (OAuth client) the tokens were issued to.
	App string `json:"app,omitempty"`
	// Sealed holds the access and refresh tokens, sealed (AuthTokens).
	Sealed []byte `json:"sealed"`
	// ExpiresAt is when the access token stops working; Scopes what it was
	// granted.
	ExpiresAt time.Time `json:"expires_at"`
	Scopes    []string  `json:"scopes,omitempty"`
	// Refreshes counts the refreshes since the sign-in.
	Refreshes int `json:"refreshes"`
	// Refused is set when the network refused a refresh (the grant was
	// revoked or expired): a person must sign the handle in again.
	Refused string `json:"refused,omitempty"`
	// Imported is a keyed digest of the access token it was imported
	// with (auth.Keeper.Import), empty for a sign-in: the same tokens are
	// never imported twice.
	Imported    string    `json:"imported,omitempty"`
	SignedInAt  time.Time `json:"signed_in_at"`
	RefreshedAt time.Time `json:"refreshed_at,omitzero"`
}

// AuthTokens are what an Authorization's Sealed holds.
type AuthTokens struct {
	AccessToken  string `json:"access_token"`
	RefreshToken string `json:"refresh_token,omitempty"`
}

// An Authorization is kept as an install-wide setting (SettingsTx), since
// it belongs to no workspace: these name and encode it.

// AuthorizationSetting is the setting that holds the authorization of a
// handle on a network.
func AuthorizationSetting(network, handle string) string {
	return "authorization/" + network + "/" + NormalizeHandle(handle)
}

// SettingsTx reads and writes install-wide settings; both stores' Tx
// implement it.
type SettingsTx interface {
	Setting(name string) (string, error)
	PutSetting(name, value string) error
}

// GetAuthorization reads the authorization of a handle on a network;
// ErrNotFound if it was never signed in.
func GetAuthorization(tx SettingsTx, network, handle string) (Authorization, error) {
	v, err := tx.Setting(AuthorizationSetting(network, handle))
	if err != nil {
		return Authorization{}, err
	}
	if v == "" {
		return Authorization{}, fmt.Errorf("authorization of @%s on %s: %w", NormalizeHandle(handle), network, ErrNotFound)
	}
	var a Authorization
	if err := json.Unmarshal([]byte(v), &a); err != nil {
		return Authorization{}, fmt.Errorf("authorization of @%s on %s: %w", NormalizeHandle(handle), network, err)
	}
	return a, nil
}

// PutAuthorization stores an authorization, replacing the handle's last.
func PutAuthorization(tx SettingsTx, a Authorization) error {
	a.Handle = NormalizeHandle(a.Handle)
	if a.Network == "" || a.Handle == "" {
		return fmt.Errorf("authorization: network and handle are required")
	}
	b, err := json.Marshal(a)
	if err != nil {
		return err
	}
	return tx.PutSetting(AuthorizationSetting(a.Network, a.Handle), string(b))
}
