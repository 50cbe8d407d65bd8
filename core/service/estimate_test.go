package service_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/outreachhq/outreach/core/clock"
	"github.com/outreachhq/outreach/core/config"
	"github.com/outreachhq/outreach/core/engine"
	"github.com/outreachhq/outreach/core/plan"
	"github.com/outreachhq/outreach/core/secrets"
	"github.com/outreachhq/outreach/core/service"
	"github.com/outreachhq/outreach/core/store"
	"github.com/outreachhq/outreach/core/store/storetest"
	"github.com/outreachhq/outreach/core/store/teststore"
	"github.com/outreachhq/outreach/sdk"
)

// TestEstimateMatchesEngine: the plan's estimate of when a campaign with
// active hours, a sending window, warmup and a follow-up finishes is when
// the engine, run on a virtual clock against an X where nobody replies,
// actually sends its last DM. Both take the windows, days, caps and pacing
// from core/schedule, so they agree by construction; this checks that they
// are wired to it the same way.
func TestEstimateMatchesEngine(t *testing.T) {
	tests := []struct {
		name string
		src  string
	}{
		{"hours, window and warmup across a DST change", `account "main" {
  handle         = "acme"
  daily_dm_limit = 6
  pacing {
    min_gap = "20m"
    max_gap = "20m"
  }
  # 14:00-22:00 UTC until New York moves its clocks on 10 March, then 13:00-21:00.
  active_hours {
    start     = "09:00"
    end       = "17:00"
    time_zone = "America/New_York"
    days      = ["mon", "tue", "wed", "thu", "fri"]
  }
  warmup {
    start    = 2
    increase = 2
  }
}
source "s" {
  max_leads = 12
  target "paulg" {}
}
campaign "c" {
  sources   = [source.s]
  max_leads = 12
  message   = "hi {{firstName}}"
  followup {
    after   = "1d"
    message = "bump"
  }
  window {
    start     = "15:00"
    end       = "23:00"
    time_zone = "UTC"
    days      = ["mon", "tue", "wed", "thu"]
  }
}
`},
		{"two accounts, one paused in its warmup, window past midnight", `account "a" {
  handle = "a"
  pacing {
    min_gap = "45m"
    max_gap = "45m"
  }
  warmup {
    start    = 3
    increase = 1
  }
  warmup_paused = true
}
account "b" {
  handle         = "b"
  daily_dm_limit = 4
  pacing {
    min_gap = "30m"
    max_gap = "30m"
  }
  active_hours {
    start     = "20:00"
    end       = "02:00"
    time_zone = "Asia/Tokyo"
  }
}
source "s" {
  max_leads = 24
  target "paulg" {}
}
campaign "c" {
  sources   = [source.s]
  max_leads = 24
  message   = "hi"
}
`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			place := teststore.New(t)
			st := place.Open(t, "test")
			t.Cleanup(func() { st.Close() })
			sl, err := secrets.LoadSealer(place.Dir)
			if err != nil {
				t.Fatal(err)
			}
			clk := clock.NewVirtual(start)
			svc := service.New(store.Narrow(st, func(tx storetest.Tx) service.Tx { return tx }), service.Options{Clock: clk, Sealer: sl})
			cfg := load(t, tt.src)
			p := planAndApply(t, svc, cfg)
			est := p.Work.Campaigns[0]
			if est.Done == nil || est.FirstDMsDone == nil {
				t.Fatalf("no estimate: %+v", est)
			}

			x := &silentX{clk: clk, users: 100}
			e := engine.New(engine.Options{
				Store:   store.Narrow(st, func(tx storetest.Tx) engine.Tx { return tx }),
				Network: func(string) (sdk.Network, error) { return x, nil },
				Session: func(_ context.Context, a store.Account) (sdk.Session, error) {
					return sdk.Session{AccountID: a.ID, Handle: a.Handle, UserID: a.XUserID}, nil
				},
				Clock: clk,
				Rand:  rand.New(rand.NewPCG(1, 2)),
				// Replies are read once an hour: nobody replies here.
				PollInterval: time.Hour,
			})
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			err = e.Run(ctx, func() (bool, error) {
				n, err := svc.Pending(ctx, cfg.Workspace())
				return n == 0, err
			})
			if err != nil {
				t.Fatalf("Run: %v", err)
			}
			var lastFirst, last time.Time
			for _, s := range x.sent {
				if s.at.After(last) {
					last = s.at
				}
				if s.text != "bump" && s.at.After(lastFirst) {
					lastFirst = s.at
				}
			}
			want := 0
			for _, a := range p.Work.Accounts {
				want += a.FirstDMs + a.Followups
			}
			if len(x.sent) != want || want == 0 {
				t.Fatalf("%d DMs sent; the plan counted %d", len(x.sent), want)
			}
			// The engine draws its gaps and the estimate takes their mean:
			// with fixed gaps they should agree to the second.
			const tolerance = time.Minute
			if d := last.Sub(*est.Done); d.Abs() > tolerance {
				t.Errorf("last DM sent at %s; the plan estimated %s", last.Format(time.RFC3339), est.Done.Format(time.RFC3339))
			}
			if d := lastFirst.Sub(*est.FirstDMsDone); d.Abs() > tolerance {
				t.Errorf("last first DM sent at %s; the plan estimated %s", lastFirst.Format(time.RFC3339), est.FirstDMsDone.Format(time.RFC3339))
			}
			if took := last.Sub(start); took < 2*24*time.Hour {
				t.Errorf("the campaign took %s: too short to test windows and warmup", took)
			}
		})
	}
}

var start = time.Date(2030, 3, 4, 8, 0, 0, 0, time.UTC)

func load(t *testing.T, src string) *config.Config {
	t.Helper()
	p := config.NewParser()
	p.Now = func() time.Time { return start }
	cfg, diags := p.LoadBytes([]byte(src), "test.hcl")
	if diags.HasErrors() {
		t.Fatalf("config: %s", diags.Error())
	}
	return cfg
}

func planAndApply(t *testing.T, svc *service.Service, cfg *config.Config) *plan.Plan {
	t.Helper()
	p, err := svc.Plan(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := svc.Apply(context.Background(), cfg, p); err != nil {
		t.Fatalf("Apply: %v", err)
	}
	return p
}

// silentX is an X with one account to scrape whose followers never reply:
// all the engine needs to send a campaign.
type silentX struct {
	clk   clock.Clock
	users int
	mu    sync.Mutex
	sent  []sentDM
}

type sentDM struct {
	at   time.Time
	text string
}

var _ sdk.Network = (*silentX)(nil)

func (x *silentX) CheckSession(_ context.Context, s sdk.Session) (sdk.User, error) {
	return sdk.User{ID: "1" + s.Handle, Username: s.Handle}, nil
}

func (x *silentX) LookupUsers(_ context.Context, _ sdk.Session, names []string) ([]sdk.User, error) {
	var out []sdk.User
	for _, n := range names {
		out = append(out, sdk.User{ID: "42", Username: n})
	}
	return out, nil
}

func (x *silentX) Scrape(_ context.Context, _ sdk.ScrapeRequest, emit func(sdk.Page) error) error {
	var p sdk.Page
	for i := range x.users {
		p.Users = append(p.Users, sdk.User{ID: strconv.Itoa(1000 + i), Username: fmt.Sprintf("lead%d", i), Name: "Pat Doe"})
	}
	return emit(p)
}

func (x *silentX) SendDM(_ context.Context, s sdk.Session, to, text string) (sdk.SentDM, error) {
	x.mu.Lock()
	defer x.mu.Unlock()
	x.sent = append(x.sent, sentDM{at: x.clk.Now(), text: text})
	return sdk.SentDM{EventID: strconv.Itoa(len(x.sent))}, nil
}

func (x *silentX) ConversationEvents(context.Context, sdk.Session, string, int) ([]sdk.DMEvent, error) {
	return nil, nil
}

func (x *silentX) ReadDMEvents(_ context.Context, _ sdk.Session, cursor string) ([]sdk.DMEvent, string, error) {
	return nil, cursor, nil
}
