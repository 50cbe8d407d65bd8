package postgres

import (
	"fmt"

	"github.com/outreachhq/outreach/core/store"
)

// API keys are rows of api_keys, indexed across workspaces by hash: a
// request names no workspace until its key is found.

// PutAPIKey stores an API key (its hash, never the key).
func (t *Tx) PutAPIKey(k store.APIKey) error {
	if err := need("API key", k.Workspace, k.ID, k.Hash); err != nil {
		return err
	}
	what := named("API key", k.Workspace, k.ID)
	body, err := encode(what, k)
	if err != nil {
		return err
	}
	if err := t.put(fmt.Sprintf("put %s", what), `
		INSERT INTO api_keys (ws, id, hash, created_at, body) VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (ws, id) DO UPDATE SET hash = excluded.hash, created_at = excluded.created_at, body = excluded.body`,
		k.Workspace, k.ID, k.Hash, k.CreatedAt, body); err != nil {
		return err
	}
	return nil
}

// APIKeyByHash finds a key by its hash, in any workspace.
func (t *Tx) APIKeyByHash(hash string) (store.APIKey, error) {
	return get[store.APIKey](t, "API key", `SELECT body FROM api_keys WHERE hash = $1 ORDER BY ws, id LIMIT 1`, hash)
}

// APIKeys lists a workspace's keys by CreatedAt, then ID.
func (t *Tx) APIKeys(ws string) ([]store.APIKey, error) {
	return list[store.APIKey](t, "API keys", `SELECT body FROM api_keys WHERE ws = $1 ORDER BY created_at, id`, ws)
}
