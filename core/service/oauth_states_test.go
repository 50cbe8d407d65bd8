package service

import (
	"context"
	"testing"
	"time"

	"github.com/outreachhq/outreach/core/store"
	"github.com/outreachhq/outreach/core/store/storetest"
)

// TestOAuthStates: an account's sign-in is found by its network and
// handle, without its tokens; an account never signed in is absent, and
// so is another workspace's.
func TestOAuthStates(t *testing.T) {
	svc, st := newService(t)
	ctx := context.Background()
	var ids []string
	for _, in := range []struct{ ws, handle string }{{"default", "signed"}, {"default", "never"}, {"other", "theirs"}} {
		a, _, err := svc.UpsertAccount(ctx, in.ws, AccountInput{Handle: in.handle})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, a.ID)
	}
	expires := start.Add(2 * time.Hour)
	update(t, st, func(tx storetest.Tx) error {
		for _, h := range []string{"Signed", "theirs"} {
			err := store.PutAuthorization(tx, store.Authorization{Network: "x", Handle: h, UserID: "1", Sealed: []byte("sealed"),
				ExpiresAt: expires, Scopes: []string{"dm.write"}, SignedInAt: start, Refused: "invalid_grant", Imported: "digest"})
			if err != nil {
				return err
			}
		}
		return nil
	})
	got, err := svc.OAuthStates(ctx, "default")
	if err != nil || len(got) != 1 {
		t.Fatalf("OAuthStates = %+v, %v; want the signed-in account only", got, err)
	}
	s, ok := got[ids[0]]
	if !ok || !s.SignedInAt.Equal(start) || !s.ExpiresAt.Equal(expires) || s.Refused != "invalid_grant" || !s.Imported ||
		len(s.Scopes) != 1 || s.Scopes[0] != "dm.write" {
		t.Errorf("the signed-in account's state = %+v", s)
	}
}
