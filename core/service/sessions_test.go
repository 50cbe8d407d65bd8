package service

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/outreachhq/outreach/core/clock"
	"github.com/outreachhq/outreach/core/secrets"
	"github.com/outreachhq/outreach/core/store"
	"github.com/outreachhq/outreach/core/store/storetest"
)

// TestSessions: a session opened with a key answers its workspace until it
// is signed out, idle for SessionIdle, older than SessionTTL, or its key
// is revoked; the store keeps only its token's hash.
func TestSessions(t *testing.T) {
	ctx := context.Background()
	open := func(t *testing.T) (*Service, *clock.Virtual, string, string) {
		t.Helper()
		svc, st := newService(t)
		key, _, err := svc.CreateAPIKey(ctx, "ws")
		if err != nil {
			t.Fatal(err)
		}
		token, ws, err := svc.OpenSession(ctx, key)
		if err != nil || ws != "ws" || len(token) < 43 {
			t.Fatalf("OpenSession = %q, %q, %v", token, ws, err)
		}
		view(t, st, func(tx storetest.Tx) error {
			if _, err := tx.Session(token); !store.IsNotFound(err) {
				t.Errorf("the token itself finds a session: %v", err)
			}
			s, err := tx.Session(secrets.HashAPIKey(token))
			if err != nil || s.Workspace != "ws" || !s.CreatedAt.Equal(start) {
				t.Errorf("the stored session = %+v, %v", s, err)
			}
			return nil
		})
		return svc, svc.clock.(*clock.Virtual), key, token
	}
	live := func(t *testing.T, svc *Service, token string) {
		t.Helper()
		if ws, err := svc.SessionOf(ctx, token); err != nil || ws != "ws" {
			t.Fatalf("SessionOf = %q, %v; want ws", ws, err)
		}
	}
	over := func(t *testing.T, svc *Service, token, why string) {
		t.Helper()
		if ws, err := svc.SessionOf(ctx, token); !errors.Is(err, ErrUnauthorized) {
			t.Fatalf("SessionOf %s = %q, %v; want ErrUnauthorized", why, ws, err)
		}
	}

	t.Run("refused keys", func(t *testing.T) {
		svc, _ := newService(t)
		for _, key := range []string{"", "not a key", "sk_live_0123456789abcdef0123456789abcdef"} {
			if _, _, err := svc.OpenSession(ctx, key); !errors.Is(err, ErrUnauthorized) {
				t.Errorf("OpenSession(%q) = %v, want ErrUnauthorized", key, err)
			}
		}
		over(t, svc, "", "of no token")
		over(t, svc, "made-up", "of an unknown token")
	})
	t.Run("sign out", func(t *testing.T) {
		svc, _, _, token := open(t)
		live(t, svc, token)
		if err := svc.EndSession(ctx, token); err != nil {
			t.Fatal(err)
		}
		over(t, svc, token, "after EndSession")
		if err := svc.EndSession(ctx, token); err != nil {
			t.Errorf("EndSession again = %v", err)
		}
	})
	t.Run("idle", func(t *testing.T) {
		svc, vc, _, token := open(t)
		vc.Advance(SessionIdle - time.Second)
		live(t, svc, token)
		vc.Advance(SessionIdle - time.Second)
		live(t, svc, token)
		vc.Advance(SessionIdle)
		over(t, svc, token, "after SessionIdle unused")
	})
	t.Run("ttl", func(t *testing.T) {
		svc, vc, _, token := open(t)
		for elapsed := time.Duration(0); elapsed < SessionTTL-time.Hour; elapsed += time.Hour {
			vc.Advance(time.Hour)
			live(t, svc, token)
		}
		vc.Advance(time.Hour)
		over(t, svc, token, "after SessionTTL in use")
	})
	t.Run("revoked key", func(t *testing.T) {
		svc, _, _, token := open(t)
		keys, err := svc.ListAPIKeys(ctx, "ws")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.RevokeAPIKey(ctx, "ws", keys[0].ID); err != nil {
			t.Fatal(err)
		}
		over(t, svc, token, "after its key was revoked")
	})
}

// TestSessionSeenWritesOncePerMinute: polling marks a session seen at most
// once a minute, and opening a session sweeps those idle too long.
func TestSessionSeenWritesOncePerMinute(t *testing.T) {
	ctx := context.Background()
	svc, st := newService(t)
	vc := svc.clock.(*clock.Virtual)
	key, _, err := svc.CreateAPIKey(ctx, "ws")
	if err != nil {
		t.Fatal(err)
	}
	token, _, err := svc.OpenSession(ctx, key)
	if err != nil {
		t.Fatal(err)
	}
	seen := func() time.Time {
		var s store.Session
		view(t, st, func(tx storetest.Tx) (err error) {
			s, err = tx.Session(secrets.HashAPIKey(token))
			return err
		})
		return s.LastSeenAt
	}
	for _, step := range []struct {
		advance time.Duration
		want    time.Time
	}{
		{30 * time.Second, start},
		{30 * time.Second, start},
		{time.Second, start.Add(61 * time.Second)},
		{59 * time.Second, start.Add(61 * time.Second)},
	} {
		vc.Advance(step.advance)
		if _, err := svc.SessionOf(ctx, token); err != nil {
			t.Fatal(err)
		}
		if got := seen(); !got.Equal(step.want) {
			t.Fatalf("at %s LastSeenAt = %s, want %s", vc.Now().Sub(start), got, step.want)
		}
	}

	// Left unused, the session is swept when another opens.
	vc.Advance(SessionIdle)
	if _, _, err := svc.OpenSession(ctx, key); err != nil {
		t.Fatal(err)
	}
	view(t, st, func(tx storetest.Tx) error {
		if _, err := tx.Session(secrets.HashAPIKey(token)); !store.IsNotFound(err) {
			t.Errorf("an idle session after another opened: %v, want it swept", err)
		}
		return nil
	})
}
