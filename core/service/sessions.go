package service

import (
	"context"
	"time"

	"github.com/outreachhq/outreach/core/secrets"
	"github.com/outreachhq/outreach/core/store"
)

// A dashboard session is a store record (store.Session), so that a
// restart of `outreach serve` keeps it and every `serve` of a cluster
// shares it. The browser holds a random token; the record is found by the
// token's hash and keeps the hash of the API key it was opened with, so
// revoking that key ends it.

const (
	// SessionTTL is a session's longest life.
	SessionTTL = 12 * time.Hour
	// SessionIdle ends a session unused for that long.
	SessionIdle = 2 * time.Hour
	// sessionTouch is how stale a session's LastSeenAt may get before a
	// request writes it again: a page that polls would otherwise write on
	// every request. An idle session so ends up to this much early.
	sessionTouch = time.Minute
)

// SessionTx is what sessions read and write (storetest.Sessions).
type SessionTx interface {
	PutSession(s store.Session) error
	Session(tokenHash string) (store.Session, error)
	DeleteSession(tokenHash string) error
	DeleteSessionsSeenBefore(t time.Time) (int, error)
}

// OpenSession signs in with an API key: it answers a new session's token,
// for the browser's cookie, and the key's workspace, or ErrUnauthorized
// for an unknown or revoked key. Only the token's hash is stored. It also
// sweeps the sessions unseen for longer than SessionIdle.
func (s *Service) OpenSession(ctx context.Context, apiKey string) (token, ws string, err error) {
	if !secrets.LooksLikeAPIKey(apiKey) {
		return "", "", ErrUnauthorized
	}
	keyHash := secrets.HashAPIKey(apiKey)
	token = secrets.NewToken()
	now := s.clock.Now().UTC()
	err = s.update(ctx, func(tx Tx) (bool, error) {
		k, err := tx.APIKeyByHash(keyHash)
		if store.IsNotFound(err) || (err == nil && !k.RevokedAt.IsZero()) {
			return false, ErrUnauthorized
		}
		if err != nil {
			return false, err
		}
		ws = k.Workspace
		if _, err := tx.DeleteSessionsSeenBefore(now.Add(-SessionIdle)); err != nil {
			return false, err
		}
		return false, tx.PutSession(store.Session{
			TokenHash: secrets.HashAPIKey(token), Workspace: ws, KeyHash: keyHash,
			CreatedAt: now, LastSeenAt: now,
		})
	})
	if err != nil {
		return "", "", err
	}
	return token, ws, nil
}

// SessionOf returns the workspace of a session's token, or ErrUnauthorized
// when there is no such session, it has been idle for SessionIdle, is
// older than SessionTTL, or its API key was revoked (the last three delete
// it). It marks the session seen, writing only when the mark is more than
// a minute old.
func (s *Service) SessionOf(ctx context.Context, token string) (string, error) {
	if token == "" {
		return "", ErrUnauthorized
	}
	hash := secrets.HashAPIKey(token)
	now := s.clock.Now().UTC()
	var (
		sess  store.Session
		ended bool
	)
	err := s.view(ctx, func(tx Tx) error {
		var err error
		if sess, err = tx.Session(hash); err != nil {
			return err
		}
		ended, err = sessionEnded(tx, sess, now)
		return err
	})
	switch {
	case store.IsNotFound(err):
		return "", ErrUnauthorized
	case err != nil:
		return "", err
	case ended:
		if err := s.update(ctx, func(tx Tx) (bool, error) { return false, tx.DeleteSession(hash) }); err != nil {
			return "", err
		}
		return "", ErrUnauthorized
	case now.Sub(sess.LastSeenAt) <= sessionTouch:
		return sess.Workspace, nil
	}
	err = s.update(ctx, func(tx Tx) (bool, error) {
		// Read it again: a sign-out since must not be undone.
		cur, err := tx.Session(hash)
		if err != nil {
			return false, err
		}
		if now.After(cur.LastSeenAt) {
			cur.LastSeenAt = now
		}
		return false, tx.PutSession(cur)
	})
	if store.IsNotFound(err) {
		return "", ErrUnauthorized
	}
	if err != nil {
		return "", err
	}
	return sess.Workspace, nil
}

// sessionEnded tells a session past its time, or whose key is revoked
// (or gone, or now another workspace's).
func sessionEnded(tx Tx, sess store.Session, now time.Time) (bool, error) {
	if now.Sub(sess.CreatedAt) >= SessionTTL || now.Sub(sess.LastSeenAt) >= SessionIdle {
		return true, nil
	}
	k, err := tx.APIKeyByHash(sess.KeyHash)
	if store.IsNotFound(err) {
		return true, nil
	}
	if err != nil {
		return false, err
	}
	return !k.RevokedAt.IsZero() || k.Workspace != sess.Workspace, nil
}

// EndSession signs a session out; ending one that is over is harmless.
func (s *Service) EndSession(ctx context.Context, token string) error {
	if token == "" {
		return nil
	}
	return s.update(ctx, func(tx Tx) (bool, error) { return false, tx.DeleteSession(secrets.HashAPIKey(token)) })
}
