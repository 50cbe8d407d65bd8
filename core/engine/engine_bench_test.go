package engine_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	msgtext "github.com/outreachhq/outreach/core/message"

	"github.com/hashicorp/go-hclog"

	"github.com/outreachhq/outreach/core/engine"
	"github.com/outreachhq/outreach/core/pluginhost"
	"github.com/outreachhq/outreach/core/service"
	"github.com/outreachhq/outreach/core/store"
	"github.com/outreachhq/outreach/core/store/storetest"
	"github.com/outreachhq/outreach/core/store/teststore"
	"github.com/outreachhq/outreach/plugins/x/xsim"
	"github.com/outreachhq/outreach/sdk"
)

const (
	// benchLeads is how many first DMs one run sends: as many as the
	// simulator's rehearsal profile lets one account send in its 15-minute
	// window (200), since each run has one account.
	benchLeads = 200
	// benchRounds is how many runs of each side are counted; their
	// medians are printed.
	benchRounds = 5
	// benchMessage is what both sides send, rendered for each lead.
	benchMessage = "Hey {{firstName}}, quick question about what you are building."
)

// BenchmarkEngineFirstDMs prints first DMs per second through the whole
// engine, beside a baseline measured in the same run, on buntdb (a file,
// every commit synced) and on Postgres (a throwaway cluster that syncs
// every commit, as a production server does: pgtest.NewDurableDatabase;
// skipped without PostgreSQL), both in one run.
//
// The engine side is engine.Run over a fresh store holding one campaign of
// benchLeads leads on one account, pacing off (zero gaps): its scheduler,
// the account's lease, the guard, the synced intent, the real x plugin out
// of process (this test binary, re-executed), the simulated X on loopback
// (rehearsal limits), the outcome and its conversation, and its reads of
// the prospects' replies. It is timed from Run's start to the last DM
// recorded.
//
// The baseline does only what a durable send cannot do without, on the
// same kind of store, through the same plugin process and simulator, one
// account too: per DM, one synced store write (the DM's intent record) and
// one SendDM call.
//
// The sides run in turn, a warm-up of each first and then benchRounds
// rounds, alternating which goes first, so that a slow spell of the shared
// machine weighs on both; each run has a fresh store and an account of its
// own (a fresh rate-limit window). It prints every run and reports the
// medians and their ratio, which must be at least 0.5 on both stores.
// Run it with -benchtime 1x: each run is a whole campaign.
//
//	go test -run '^$' -bench EngineFirstDMs -benchtime 1x ./core/engine
func BenchmarkEngineFirstDMs(b *testing.B) {
	w := newBenchWorld(b)
	for _, kind := range []struct {
		name  string
		place func(testing.TB) *teststore.Place
	}{{"buntdb", teststore.NewBunt}, {"postgres", teststore.NewDurablePostgres}} {
		b.Run(kind.name, func(b *testing.B) {
			run := 0
			handle := func(side string) string {
				run++
				return fmt.Sprintf("b%s_%s%02d", kind.name[:2], side, run)
			}
			engineRun := func() engineRate { return w.engineRun(b, kind.place(b), handle("e")) }
			baselineRun := func() float64 { return w.baselineRun(b, kind.place(b), handle("b")) }
			engineRun()
			baselineRun()
			var rates []engineRate
			var eng, base []float64
			for r := range benchRounds {
				var (
					e  engineRate
					bl float64
				)
				if r%2 == 0 {
					e = engineRun()
					bl = baselineRun()
				} else {
					bl = baselineRun()
					e = engineRun()
				}
				b.Logf("%s round %d: engine %.1f first DMs/s (%.1f views, %.1f updates, %.1f commits per DM), baseline %.1f: %.2f",
					kind.name, r+1, e.perSecond, e.views, e.updates, e.commits, bl, e.perSecond/bl)
				rates = append(rates, e)
				eng, base = append(eng, e.perSecond), append(base, bl)
			}
			me, mb := median(eng), median(base)
			b.Logf("%s: engine %.1f first DMs/s, baseline %.1f: %.2f of the baseline (medians of %d rounds of %d DMs)", kind.name, me, mb, me/mb, benchRounds, benchLeads)
			b.ReportMetric(me, "engine-DMs/s")
			b.ReportMetric(mb, "baseline-DMs/s")
			b.ReportMetric(me/mb, "engine/baseline")
			perDM := func(f func(engineRate) float64) float64 {
				xs := make([]float64, len(rates))
				for i, r := range rates {
					xs[i] = f(r)
				}
				return median(xs)
			}
			b.ReportMetric(perDM(func(r engineRate) float64 { return r.views }), "views/DM")
			b.ReportMetric(perDM(func(r engineRate) float64 { return r.updates }), "updates/DM")
			b.ReportMetric(perDM(func(r engineRate) float64 { return r.commits }), "commits/DM")
			b.ReportMetric(0, "ns/op")
		})
	}
}

func median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	return s[len(s)/2]
}

// benchWorld is what every run shares: the simulated X on loopback, the
// plugin host with the x plugin running out of process, and the leads.
type benchWorld struct {
	sim   *xsim.Sim
	host  *pluginhost.Host
	cfg   json.RawMessage
	leads []store.Lead
}

const benchWS = "bench"

func newBenchWorld(b *testing.B) *benchWorld {
	b.Helper()
	w := &benchWorld{sim: xsim.New(xsim.Options{Seed: 7})}
	if err := w.sim.Start("127.0.0.1:0"); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = w.sim.Close() })
	w.cfg, _ = json.Marshal(map[string]string{"base_url": w.sim.URL()})
	w.host = pluginhost.New(pluginhost.Options{
		Builtins: []string{"x"},
		SelfCommand: func(name string) *exec.Cmd {
			cmd := exec.Command(os.Args[0], "plugin", "serve", name)
			// A race-enabled plugin would sleep a second when it exits.
			cmd.Env = []string{"GORACE=atexit_sleep_ms=0"}
			return cmd
		},
		Logger: hclog.NewNullLogger(),
	})
	b.Cleanup(w.host.Close)
	net, err := w.network("x")
	if err != nil {
		b.Fatal(err)
	}
	w.leads = benchLeadsOf(b, w.sim, net)
	return w
}

func (w *benchWorld) network(name string) (sdk.Network, error) { return w.host.Network(name, w.cfg) }

// session signs a handle in to the simulated X.
func (w *benchWorld) session(_ context.Context, a store.Account) (sdk.Session, error) {
	token, err := w.sim.Login(a.Handle)
	return sdk.Session{AccountID: a.ID, Handle: a.Handle, UserID: a.XUserID, Credentials: map[string]string{sdk.CredentialAccessToken: token}}, err
}

// account is a fresh account on the simulated X, its user id known, pacing
// off.
func (w *benchWorld) account(b *testing.B, handle string) store.Account {
	b.Helper()
	if _, err := w.sim.Login(handle); err != nil {
		b.Fatal(err)
	}
	u, _ := w.sim.UserByUsername(handle)
	return store.Account{ID: "acct-" + handle, Workspace: benchWS, Address: "account." + handle, Handle: handle, Network: "x",
		XUserID: u.ID, DailyDMLimit: 100_000, CreatedAt: time.Now()}
}

// benchLeadsOf scrapes, through the plugin, followers of a few simulated
// users until it has benchLeads who take DMs: both sides send to those.
func benchLeadsOf(b *testing.B, sim *xsim.Sim, net sdk.Network) []store.Lead {
	b.Helper()
	token, err := sim.Login("bench_scout")
	if err != nil {
		b.Fatal(err)
	}
	sess := sdk.Session{Handle: "bench_scout", Credentials: map[string]string{sdk.CredentialAccessToken: token}}
	var leads []store.Lead
	seen := map[string]bool{}
	for _, target := range []string{"paulg", "naval", "sama", "pmarca", "jack", "garrytan"} {
		u, ok := sim.UserByUsername(target)
		if !ok {
			b.Fatalf("no simulated user @%s", target)
		}
		err := net.Scrape(context.Background(), sdk.ScrapeRequest{Session: sess, UserID: u.ID, Relation: sdk.Followers, PageSize: 1000}, func(p sdk.Page) error {
			for _, f := range p.Users {
				if su, ok := sim.UserByUsername(f.Username); !ok || !su.AcceptsDMs || seen[f.ID] || len(leads) == benchLeads {
					continue
				}
				seen[f.ID] = true
				leads = append(leads, store.Lead{UserID: f.ID, Workspace: benchWS, Username: f.Username, Name: f.Name, Bio: f.Description, FoundAt: time.Now()})
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
		if len(leads) == benchLeads {
			return leads
		}
	}
	b.Fatalf("found %d leads who take DMs, want %d", len(leads), benchLeads)
	return nil
}

// engineRun runs one campaign to its end through the engine and returns
// its first DMs per second.
func (w *benchWorld) engineRun(b *testing.B, place *teststore.Place, handle string) engineRate {
	b.Helper()
	st := place.Open(b, "engine benchmark")
	defer st.Close()
	a := w.account(b, handle)
	err := st.Update(context.Background(), func(tx storetest.Tx) error {
		if err := tx.PutWorkspace(benchWS); err != nil {
			return err
		}
		if err := tx.PutAccount(a); err != nil {
			return err
		}
		src := store.Source{ID: "src", Workspace: benchWS, Name: "fans", CreatedAt: a.CreatedAt, UpdatedAt: a.CreatedAt}
		if err := tx.PutSource(src); err != nil {
			return err
		}
		for _, l := range w.leads {
			if _, err := tx.AddSourceLead(benchWS, src.ID, l); err != nil {
				return err
			}
		}
		c := store.Campaign{ID: "camp", Workspace: benchWS, Name: "hello", SourceIDs: []string{src.ID}, AccountIDs: []string{a.ID},
			Variants: []store.Variant{{Message: benchMessage}}, Dedupe: true, MaxLeads: benchLeads, CreatedAt: a.CreatedAt, UpdatedAt: a.CreatedAt}
		if n, err := service.Fill(tx, &c, time.Now()); err != nil || n != benchLeads {
			return fmt.Errorf("fill queued %d jobs, want %d: %v", n, benchLeads, err)
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	var (
		mu       sync.Mutex
		settled  int
		failures []error
		last     time.Time
	)
	db := &countingStore{Transactor: store.Narrow(st, func(tx storetest.Tx) engine.Tx { return tx })}
	commits := st.Commits()
	eng := engine.New(engine.Options{
		Store:   db,
		Network: w.network,
		Session: w.session,
		// The accounts are on the simulated X: without this, the engine
		// spaces sends as real X's per-user budget asks.
		Simulated: true,
		Observe: func(ev engine.Event) {
			if ev.Kind != engine.Sent && ev.Kind != engine.Failed {
				return
			}
			mu.Lock()
			defer mu.Unlock()
			settled++
			last = time.Now()
			if ev.Kind == engine.Failed {
				failures = append(failures, ev.Err)
			}
		},
	})
	idle := func() (bool, error) {
		var n int
		err := st.View(context.Background(), func(tx storetest.Tx) (err error) {
			n, err = tx.PendingJobs(benchWS)
			return err
		})
		return n == 0, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	start := time.Now()
	if err := eng.Run(ctx, idle); err != nil {
		b.Fatalf("engine: %v", err)
	}
	mu.Lock()
	defer mu.Unlock()
	if settled != benchLeads || len(failures) > 0 {
		b.Fatalf("the engine settled %d of %d first DMs; failures: %v", settled, benchLeads, failures)
	}
	return engineRate{
		perSecond: float64(benchLeads) / last.Sub(start).Seconds(),
		views:     float64(db.views.Load()) / benchLeads,
		updates:   float64(db.updates.Load()) / benchLeads,
		commits:   float64(st.Commits()-commits) / benchLeads,
	}
}

// engineRate is what one run of the engine measured: first DMs per
// second, and the transactions it ran per DM (read-only views, updates,
// and the updates that wrote: synced commits).
type engineRate struct {
	perSecond, views, updates, commits float64
}

// countingStore counts the engine's transactions.
type countingStore struct {
	store.Transactor[engine.Tx]
	views, updates atomic.Int64
}

func (c *countingStore) View(ctx context.Context, fn func(engine.Tx) error) error {
	c.views.Add(1)
	return c.Transactor.View(ctx, fn)
}

func (c *countingStore) Update(ctx context.Context, fn func(engine.Tx) error) error {
	c.updates.Add(1)
	return c.Transactor.Update(ctx, fn)
}

// baselineRun sends the same first DMs with nothing but what a durable
// send needs, one synced write of its intent and one plugin call each,
// and returns the DMs per second.
func (w *benchWorld) baselineRun(b *testing.B, place *teststore.Place, handle string) float64 {
	b.Helper()
	st := place.Open(b, "baseline")
	defer st.Close()
	a := w.account(b, handle)
	if err := st.Update(context.Background(), func(tx storetest.Tx) error { return tx.PutWorkspace(benchWS) }); err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	net, err := w.network(a.Network)
	if err != nil {
		b.Fatal(err)
	}
	sess, err := w.session(ctx, a)
	if err != nil {
		b.Fatal(err)
	}
	start := time.Now()
	for i, l := range w.leads {
		in := store.Intent{JobID: fmt.Sprintf("baseline-%04d", i), Workspace: benchWS, Kind: store.JobDM, AccountID: a.ID,
			RecipientID: l.UserID, Text: msgtext.Render(benchMessage, l), At: time.Now()}
		if err := st.Update(ctx, func(tx storetest.Tx) error { return tx.PutIntent(in) }); err != nil {
			b.Fatal(err)
		}
		if _, err := net.SendDM(ctx, sess, in.RecipientID, in.Text); err != nil {
			b.Fatalf("baseline DM %d: %v", i, err)
		}
	}
	return float64(len(w.leads)) / time.Since(start).Seconds()
}
