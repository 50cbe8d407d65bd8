package service

import (
	"context"

	"github.com/google/uuid"

	"github.com/outreachhq/outreach/core/secrets"
	"github.com/outreachhq/outreach/core/store"
)

// CreateAPIKey makes a new API key for a workspace and returns it. The key
// itself is not stored, only its hash: this is the one time it is seen.
func (s *Service) CreateAPIKey(_ context.Context, workspace string) (string, store.APIKey, error) {
	key := secrets.NewAPIKey()
	rec := store.APIKey{
		ID:        uuid.NewString(),
		Workspace: workspace,
		Hash:      secrets.HashAPIKey(key),
		Prefix:    key[:len(secrets.APIKeyPrefix)+4],
		CreatedAt: s.clock.Now().UTC(),
	}
	err := s.st.Update(func(tx *store.Tx) error {
		if err := tx.PutWorkspace(workspace); err != nil {
			return err
		}
		return tx.PutAPIKey(rec)
	})
	if err != nil {
		return "", store.APIKey{}, err
	}
	return key, rec, nil
}

// Authenticate returns the workspace an API key belongs to, or
// ErrUnauthorized.
func (s *Service) Authenticate(_ context.Context, apiKey string) (string, error) {
	if !secrets.LooksLikeAPIKey(apiKey) {
		return "", ErrUnauthorized
	}
	var k store.APIKey
	err := s.st.View(func(tx *store.Tx) (err error) {
		k, err = tx.APIKeyByHash(secrets.HashAPIKey(apiKey))
		return err
	})
	if store.IsNotFound(err) || (err == nil && !k.RevokedAt.IsZero()) {
		return "", ErrUnauthorized
	}
	if err != nil {
		return "", err
	}
	return k.Workspace, nil
}
