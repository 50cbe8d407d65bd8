package storetest

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/outreachhq/outreach/core/store"
)

// RunLocker checks a store's named locks. a and b are two handles on the
// same store, as two processes of a cluster would hold (the same handle
// twice for a store one process holds).
func RunLocker(t *testing.T, a, b store.Locker) {
	ctx := context.Background()
	t.Run("OneHolderAtATime", func(t *testing.T) {
		unlock, err := a.Lock(ctx, "token/x/alice")
		if err != nil {
			t.Fatal(err)
		}
		got := make(chan func(), 1)
		go func() {
			u, err := b.Lock(ctx, "token/x/alice")
			if err != nil {
				t.Error(err)
				u = func() {}
			}
			got <- u
		}()
		// Another name is free meanwhile.
		other, err := b.Lock(ctx, "token/x/bob")
		if err != nil {
			t.Fatal(err)
		}
		other()
		select {
		case u := <-got:
			u()
			t.Fatal("a second holder took the lock while the first held it")
		default:
		}
		unlock()
		(<-got)()
	})
	t.Run("WaitEndsWithContext", func(t *testing.T) {
		unlock, err := a.Lock(ctx, "token/x/carol")
		if err != nil {
			t.Fatal(err)
		}
		defer unlock()
		cctx, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
		defer cancel()
		if u, err := b.Lock(cctx, "token/x/carol"); err == nil {
			u()
			t.Fatal("took a held lock")
		} else if !errors.Is(err, context.DeadlineExceeded) && cctx.Err() == nil {
			t.Fatalf("Lock: %v, want the context's end", err)
		}
	})
	t.Run("UnlockTwiceIsHarmless", func(t *testing.T) {
		unlock, err := a.Lock(ctx, "token/x/dave")
		if err != nil {
			t.Fatal(err)
		}
		unlock()
		unlock()
		u, err := b.Lock(ctx, "token/x/dave")
		if err != nil {
			t.Fatal(err)
		}
		u()
	})
}
