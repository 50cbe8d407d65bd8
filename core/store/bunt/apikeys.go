package bunt

import (
	"fmt"
	"time"

	"github.com/outreachhq/outreach/core/store"
)

// API keys are stored under (workspace, "apikey", id) and indexed across
// workspaces by hash, (keyhash, hash), the value a ref: a request names no
// workspace until its key is found.

func apiKeyKey(ws, id string) string { return wsKey(ws, "apikey", id) }

func keyHashKey(hash string) string { return key("keyhash", hash) }

// PutAPIKey stores an API key (its hash, never the key).
func (t *Tx) PutAPIKey(k store.APIKey) error {
	if err := need("API key", k.Workspace, k.ID, k.Hash); err != nil {
		return err
	}
	var old store.APIKey
	found, err := t.find(apiKeyKey(k.Workspace, k.ID), &old)
	if err != nil {
		return err
	}
	r := ref(k.Workspace, k.ID)
	if found && old.Hash != k.Hash {
		if err := t.dropIndex(keyHashKey(old.Hash), r); err != nil {
			return err
		}
	}
	if !found || old.Hash != k.Hash {
		if err := t.set(keyHashKey(k.Hash), r); err != nil {
			return err
		}
	}
	return t.put(apiKeyKey(k.Workspace, k.ID), k)
}

// APIKeyByHash finds a key by its hash, in any workspace.
func (t *Tx) APIKeyByHash(hash string) (store.APIKey, error) {
	k := keyHashKey(hash)
	v, ok, err := t.raw(k)
	switch {
	case err != nil:
		return store.APIKey{}, err
	case !ok:
		return store.APIKey{}, fmt.Errorf("API key: %w", store.ErrNotFound)
	}
	ws, id, err := unref(k, v)
	if err != nil {
		return store.APIKey{}, err
	}
	var key store.APIKey
	err = t.get(apiKeyKey(ws, id), &key)
	return key, err
}

// APIKeys lists a workspace's keys by CreatedAt, then ID.
func (t *Tx) APIKeys(ws string) ([]store.APIKey, error) {
	return listObjects(t, "apikey", ws, func(k store.APIKey) (time.Time, string) { return k.CreatedAt, k.ID })
}
