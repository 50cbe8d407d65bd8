package engine_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/outreachhq/outreach/core/engine"
	"github.com/outreachhq/outreach/core/service"
	"github.com/outreachhq/outreach/core/store"
	"github.com/outreachhq/outreach/core/store/storetest"
	"github.com/outreachhq/outreach/sdk"
)

// TestRehearsalFinishesInAMinute: on the simulated X, with the engine as
// `--sandbox` runs it, a campaign launched through the API (which has no
// pacing fields) from an account whose configuration sets no pacing sends
// its first DMs seconds apart, and prospects answer within seconds: twenty
// leads are messaged in about a minute of the virtual clock, not in the
// hour the default pacing (60 s to 180 s) would take.
func TestRehearsalFinishesInAMinute(t *testing.T) {
	const leads = 20
	w := newSimWorld(t, `
account "sales" {
  handle = "acme_sales"
}
source "fans" {
  max_leads = 20
  target "paulg" {
    followers = true
  }
}
`)
	ctx := context.Background()
	ws := w.cfg.Workspace()
	var src store.Source
	if err := w.st.View(ctx, func(tx storetest.Tx) (err error) {
		src, err = tx.SourceByAddress(ws, "source.fans")
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := w.svc.LaunchCampaign(ctx, ws, service.CampaignInput{
		Name: "from the API", Message: "Hi {{firstName}}, a quick question.", LeadSourceIDs: []string{src.ID},
	}); err != nil {
		t.Fatal(err)
	}

	start := w.clk.Now()
	var (
		mu    sync.Mutex
		sends []time.Time
	)
	eng := engine.New(engine.Options{
		Store:   store.Narrow(w.st, func(tx storetest.Tx) engine.Tx { return tx }),
		Network: func(string) (sdk.Network, error) { return w.network(), nil },
		Session: w.session,
		Clock:   w.clk,
		Observe: func(ev engine.Event) {
			if ev.Kind == engine.Sent || ev.Kind == engine.Failed {
				mu.Lock()
				sends = append(sends, w.clk.Now())
				mu.Unlock()
			}
		},
		Simulated: true,
	})
	runCtx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	if err := eng.Run(runCtx, w.idle); err != nil {
		t.Fatal(err)
	}
	if len(sends) != leads {
		t.Fatalf("%d first DMs settled; want %d", len(sends), leads)
	}
	took := sends[len(sends)-1].Sub(start)
	t.Logf("%d first DMs in %s of the virtual clock", leads, took)
	if took > 2*time.Minute {
		t.Errorf("the campaign took %s; want about a minute", took)
	}
	for i := 1; i < len(sends); i++ {
		if gap := sends[i].Sub(sends[i-1]); gap < store.RehearsalPacing.MinGap {
			t.Errorf("first DM %d came %s after the one before; want at least %s", i, gap, store.RehearsalPacing.MinGap)
		}
	}

	// The prospects who answered did so within seconds of their DM.
	replies := 0
	err := w.st.View(ctx, func(tx storetest.Tx) error {
		convs, err := tx.Conversations(ws, store.ConversationQuery{})
		if err != nil {
			return err
		}
		for _, c := range convs {
			msgs, err := tx.Messages(ws, c.ID)
			if err != nil {
				return err
			}
			var dm time.Time
			for _, m := range msgs {
				switch {
				case m.Sent && dm.IsZero():
					dm = m.At
				case !m.Sent && !dm.IsZero():
					replies++
					if d := m.At.Sub(dm); d > 10*time.Second {
						t.Errorf("conversation %s: the reply came %s after the DM; want seconds", c.ID, d)
					}
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if replies == 0 {
		t.Error("no prospect replied")
	}
}
