package storetest

import (
	"testing"

	"github.com/outreachhq/outreach/core/store"
)

func testKeys(t *testing.T, open Opener) {
	db := store.Narrow(open(t), func(tx Tx) Keys { return tx })
	key := func(ws, id, hash string, created int) store.APIKey {
		return store.APIKey{ID: id, Workspace: ws, Hash: hash, Prefix: "ok_" + id, CreatedAt: at(created)}
	}
	k1, k2, k3 := key("w", "k1", "h1", 10), key("v", "k2", "h2", 0), key("w", "k3", "h3", 5)
	update(t, db, func(tx Keys) error {
		for _, k := range []store.APIKey{k1, k2, k3} {
			if err := tx.PutAPIKey(k); err != nil {
				return err
			}
		}
		return nil
	})
	byHash := func(hash string) (store.APIKey, error) {
		var k store.APIKey
		err := readErr(t, db, func(tx Keys) error {
			var err error
			k, err = tx.APIKeyByHash(hash)
			return err
		})
		return k, err
	}
	for _, want := range []store.APIKey{k1, k2, k3} {
		got, err := byHash(want.Hash)
		if err != nil {
			t.Fatalf("APIKeyByHash(%s): %v", want.Hash, err)
		}
		same(t, "APIKeyByHash", got, want)
	}
	_, err := byHash("unknown")
	wantNotFound(t, "APIKeyByHash of an unknown hash", err)

	list := func(ws string) []store.APIKey {
		return read(t, db, func(tx Keys) ([]store.APIKey, error) { return tx.APIKeys(ws) })
	}
	same(t, "APIKeys (by CreatedAt)", list("w"), []store.APIKey{k3, k1})
	same(t, "APIKeys of the other workspace", list("v"), []store.APIKey{k2})

	// A revoked key is still found, and says so.
	k1.RevokedAt = at(30)
	update(t, db, func(tx Keys) error { return tx.PutAPIKey(k1) })
	got, _ := byHash("h1")
	same(t, "a revoked key", got, k1)
}
