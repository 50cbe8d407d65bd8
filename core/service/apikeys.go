package service

import (
	"context"

	"github.com/google/uuid"

	"github.com/outreachhq/outreach/core/secrets"
	"github.com/outreachhq/outreach/core/store"
)

// CreateAPIKey makes a new API key for a workspace and returns it. The key
// itself is not stored, only its hash: this is the one time it is seen.
func (s *Service) CreateAPIKey(ctx context.Context, workspace string) (string, store.APIKey, error) {
	key := secrets.NewAPIKey()
	rec := store.APIKey{
		ID:        uuid.NewString(),
		Workspace: workspace,
		Hash:      secrets.HashAPIKey(key),
		Prefix:    key[:len(secrets.APIKeyPrefix)+4],
		CreatedAt: s.clock.Now().UTC(),
	}
	err := s.update(ctx, func(tx Tx) (bool, error) {
		if err := tx.PutWorkspace(workspace); err != nil {
			return false, err
		}
		return false, tx.PutAPIKey(rec)
	})
	if err != nil {
		return "", store.APIKey{}, err
	}
	return key, rec, nil
}

// Authenticate returns the workspace an API key belongs to, or
// ErrUnauthorized.
func (s *Service) Authenticate(ctx context.Context, apiKey string) (string, error) {
	if !secrets.LooksLikeAPIKey(apiKey) {
		return "", ErrUnauthorized
	}
	var k store.APIKey
	err := s.view(ctx, func(tx Tx) (err error) {
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

// ListAPIKeys returns a workspace's keys (hashes and prefixes, never the
// keys), oldest first.
func (s *Service) ListAPIKeys(ctx context.Context, workspace string) ([]store.APIKey, error) {
	var keys []store.APIKey
	err := s.view(ctx, func(tx Tx) (err error) {
		keys, err = tx.APIKeys(workspace)
		return err
	})
	return keys, err
}

// RevokeAPIKey revokes a workspace's key by id; the key stops working at
// once. Revoking a revoked key is harmless. A key of another workspace is
// not found.
func (s *Service) RevokeAPIKey(ctx context.Context, workspace, id string) (store.APIKey, error) {
	var rec store.APIKey
	err := s.update(ctx, func(tx Tx) (bool, error) {
		keys, err := tx.APIKeys(workspace)
		if err != nil {
			return false, err
		}
		for _, k := range keys {
			if k.ID != id {
				continue
			}
			if k.RevokedAt.IsZero() {
				k.RevokedAt = s.clock.Now().UTC()
			}
			rec = k
			return false, tx.PutAPIKey(k)
		}
		return false, notFound("API key %s", id)
	})
	return rec, err
}
