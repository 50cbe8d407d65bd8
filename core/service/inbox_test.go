package service

import (
	"context"
	"testing"
	"time"

	"github.com/outreachhq/outreach/core/store"
	"github.com/outreachhq/outreach/core/store/storetest"
)

// TestNewAccountsReadTheirDMs: an account added by the API or by
// configuration has its DMs read from the start (its first read is due at
// once), not only after it sent one, so that a conversation a prospect
// starts is kept; updating an account leaves its reads alone.
func TestNewAccountsReadTheirDMs(t *testing.T) {
	ctx := context.Background()
	svc, st := newService(t)
	byAPI, _, err := svc.UpsertAccount(ctx, "default", AccountInput{Handle: "acme"})
	if err != nil {
		t.Fatal(err)
	}
	planAndApply(t, svc, load(t, `account "main" {
  handle = "acme_founder"
}`))
	all, err := svc.ListAccounts(ctx, "default")
	if err != nil || len(all) != 2 {
		t.Fatalf("accounts: %+v, %v; want two", all, err)
	}
	for _, a := range all {
		var s store.AccountState
		view(t, st, func(tx storetest.Tx) (err error) {
			s, err = tx.AccountState("default", a.ID)
			return err
		})
		if !s.NextPollAt.Equal(start) {
			t.Errorf("@%s: first read of DMs at %v, want at once (%v)", a.Handle, s.NextPollAt, start)
		}
	}
	// A read already set is the engine's: an update does not move it.
	later := start.Add(time.Hour)
	update(t, st, func(tx storetest.Tx) error {
		s, err := tx.AccountState("default", byAPI.ID)
		s.NextPollAt = later
		if err != nil {
			return err
		}
		return tx.PutAccountState(s)
	})
	if _, _, err := svc.UpsertAccount(ctx, "default", AccountInput{Handle: "acme", Proxy: "proxy.example.com:8080"}); err != nil {
		t.Fatal(err)
	}
	view(t, st, func(tx storetest.Tx) error {
		s, err := tx.AccountState("default", byAPI.ID)
		if err == nil && !s.NextPollAt.Equal(later) {
			t.Errorf("after an update, the next read is %v, want it left at %v", s.NextPollAt, later)
		}
		return err
	})
}
