package engine_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/outreachhq/outreach/core/clock"
	"github.com/outreachhq/outreach/core/config"
	"github.com/outreachhq/outreach/core/engine"
	"github.com/outreachhq/outreach/core/secrets"
	"github.com/outreachhq/outreach/core/service"
	"github.com/outreachhq/outreach/core/store"
	"github.com/outreachhq/outreach/core/store/storetest"
	"github.com/outreachhq/outreach/core/store/teststore"
	"github.com/outreachhq/outreach/plugins/x"
	"github.com/outreachhq/outreach/plugins/x/xsim"
	"github.com/outreachhq/outreach/sdk"
)

// simWorld is a store (teststore's pick), the service over it, the simulated X on
// loopback and a virtual clock they all share: what `outreach apply` runs,
// with the x connector in this process.
type simWorld struct {
	t    *testing.T
	clk  *clock.Virtual
	st   teststore.Store
	svc  *service.Service
	sim  *xsim.Sim
	base string // where the connector sends requests: the sim, or a wrapper
	cfg  *config.Config
}

func newSimWorld(t *testing.T, hcl string) *simWorld {
	t.Helper()
	w := &simWorld{t: t, clk: clock.NewVirtual(time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC))}
	w.sim = xsim.New(xsim.Options{Clock: w.clk, Seed: 7})
	if err := w.sim.Start("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = w.sim.Close() })
	w.base = w.sim.URL()
	place := teststore.New(t)
	w.st = place.Open(t, "sim test")
	t.Cleanup(func() { w.st.Close() })
	sl, err := secrets.LoadSealer(place.Dir)
	if err != nil {
		t.Fatal(err)
	}
	w.svc = service.New(store.Narrow(w.st, func(tx storetest.Tx) service.Tx { return tx }), service.Options{Clock: w.clk, Sealer: sl})
	p := config.NewParser()
	p.Now = w.clk.Now
	cfg, diags := p.LoadBytes([]byte(hcl), "test.hcl")
	if diags.HasErrors() {
		t.Fatalf("config: %s", diags.Error())
	}
	w.cfg = cfg
	plan, err := w.svc.Plan(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.svc.Apply(context.Background(), cfg, plan); err != nil {
		t.Fatal(err)
	}
	return w
}

// network is the x connector pointed at w.base.
func (w *simWorld) network() sdk.Network {
	w.t.Helper()
	c := x.New()
	raw, _ := json.Marshal(map[string]string{"base_url": w.base})
	if err := c.Configure(context.Background(), raw); err != nil {
		w.t.Fatal(err)
	}
	return c
}

// session signs an account in to the simulated X.
func (w *simWorld) session(_ context.Context, a store.Account) (sdk.Session, error) {
	token, err := w.sim.Login(a.Handle)
	return sdk.Session{AccountID: a.ID, Handle: a.Handle, UserID: a.XUserID, Credentials: map[string]string{sdk.CredentialAccessToken: token}}, err
}

// engine returns an engine over the world, with net as every account's
// network.
func (w *simWorld) engine(owner string, net sdk.Network, observe func(engine.Event)) *engine.Engine {
	return engine.New(engine.Options{
		Store:   store.Narrow(w.st, func(tx storetest.Tx) engine.Tx { return tx }),
		Network: func(string) (sdk.Network, error) { return net, nil },
		Session: w.session,
		Clock:   w.clk,
		Owner:   owner,
		Observe: observe,
	})
}

func (w *simWorld) idle() (bool, error) {
	n, err := w.svc.Pending(context.Background(), w.cfg.Workspace())
	return n == 0, err
}

// simDM is a DM as the simulated X lists it.
type simDM struct {
	ID, Text, SenderID string
	At                 time.Time
}

// dmsOnX lists, from the simulated X itself, every DM in the conversations
// of each handle, by the other participant (the lead), oldest first.
func (w *simWorld) dmsOnX(handles ...string) map[string][]simDM {
	w.t.Helper()
	// A fresh rate-limit window: the engine's reads spent the last one.
	w.clk.Advance(16 * time.Minute)
	out := map[string][]simDM{}
	for _, h := range handles {
		token, err := w.sim.Login(h)
		if err != nil {
			w.t.Fatal(err)
		}
		u, _ := w.sim.UserByUsername(h)
		for next := "start"; next != ""; {
			q := url.Values{"dm_event.fields": {"id,text,sender_id,dm_conversation_id,created_at"}, "max_results": {"100"}}
			if next != "start" {
				q.Set("pagination_token", next)
			}
			req, _ := http.NewRequest(http.MethodGet, w.sim.URL()+"/2/dm_events?"+q.Encode(), nil)
			req.Header.Set("Authorization", "Bearer "+token)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				w.t.Fatal(err)
			}
			var page struct {
				Data []struct {
					ID, Text  string
					SenderID  string    `json:"sender_id"`
					ConvID    string    `json:"dm_conversation_id"`
					CreatedAt time.Time `json:"created_at"`
				}
				Meta struct {
					NextToken string `json:"next_token"`
				}
			}
			err = json.NewDecoder(resp.Body).Decode(&page)
			resp.Body.Close()
			if err != nil || resp.StatusCode != http.StatusOK {
				w.t.Fatalf("list DM events of @%s: status %d, %v", h, resp.StatusCode, err)
			}
			for _, ev := range page.Data {
				a, b, _ := strings.Cut(ev.ConvID, "-")
				lead := a
				if a == u.ID {
					lead = b
				}
				// Newest first on X: prepend to keep each oldest first.
				out[lead] = append([]simDM{{ev.ID, ev.Text, ev.SenderID, ev.CreatedAt}}, out[lead]...)
			}
			next = page.Meta.NextToken
		}
	}
	return out
}

// sentBy keeps, of the DMs on X, those a user id sent.
func sentBy(dms []simDM, id string) []simDM {
	var out []simDM
	for _, dm := range dms {
		if dm.SenderID == id {
			out = append(out, dm)
		}
	}
	return out
}

func (w *simWorld) userID(handle string) string {
	u, ok := w.sim.UserByUsername(handle)
	if !ok {
		w.t.Fatalf("no simulated user @%s", handle)
	}
	return u.ID
}

// firstDMJobs lists the campaign's first DM jobs.
func (w *simWorld) firstDMJobs(address string) []store.Job {
	w.t.Helper()
	var jobs []store.Job
	err := w.st.View(context.Background(), func(tx storetest.Tx) error {
		c, err := tx.CampaignByAddress(w.cfg.Workspace(), address)
		if err != nil {
			return err
		}
		jobs, err = tx.Jobs(c.Workspace, store.JobQuery{CampaignID: c.ID, Kind: store.JobDM})
		return err
	})
	if err != nil {
		w.t.Fatal(err)
	}
	return jobs
}

const twoEnginesConfig = `
account "a" {
  handle         = "acme_a"
  daily_dm_limit = 500
  pacing {
    min_gap = "2s"
    max_gap = "3s"
  }
}
account "b" {
  handle         = "acme_b"
  daily_dm_limit = 500
  pacing {
    min_gap = "2s"
    max_gap = "3s"
  }
}
account "c" {
  handle         = "acme_c"
  daily_dm_limit = 500
  pacing {
    min_gap = "2s"
    max_gap = "3s"
  }
}
source "fans" {
  max_leads = 500
  target "paulg" {
    followers = true
  }
  target "naval" {
    followers = true
  }
  target "sama" {
    followers = true
  }
  target "pmarca" {
    followers = true
  }
  target "jack" {
    followers = true
  }
  target "garrytan" {
    followers = true
  }
  target "naval_ravikant" {
    followers = true
  }
}
campaign "launch" {
  sources   = [source.fans]
  max_leads = 500
  variant {
    message = "Hey {{firstName}}, quick question about what you are building."
  }
  variant {
    message = "Hi {{firstName}}! What is the hardest part of your week?"
  }
}
`

// TestTwoEnginesShareAStore runs two engines in one process, each with its
// own pool of workers, over one store: a 500-lead campaign over three
// accounts on the simulated X. Checked from X itself: no lead gets a first
// DM twice, each account's sends are at least its min_gap apart (so no two
// were in flight at once), and both engines sent some.
func TestTwoEnginesShareAStore(t *testing.T) {
	w := newSimWorld(t, twoEnginesConfig)
	var (
		mu   sync.Mutex
		sent = map[string]int{}
	)
	count := func(owner string) func(engine.Event) {
		return func(ev engine.Event) {
			if ev.Kind == engine.Sent {
				mu.Lock()
				sent[owner]++
				mu.Unlock()
			}
		}
	}
	one := w.engine("one", w.network(), count("one"))
	two := w.engine("two", w.network(), count("two"))
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	waitOne, waitTwo := one.Start(ctx, w.idle), two.Start(ctx, w.idle)
	if err := waitOne(); err != nil {
		t.Fatalf("engine one: %v", err)
	}
	if err := waitTwo(); err != nil {
		t.Fatalf("engine two: %v", err)
	}

	jobs := w.firstDMJobs("campaign.launch")
	if len(jobs) != 500 {
		t.Fatalf("%d first DM jobs; want 500", len(jobs))
	}
	handles := []string{"acme_a", "acme_b", "acme_c"}
	onX := w.dmsOnX(handles...)
	ours := map[string]string{}
	for _, h := range handles {
		ours[w.userID(h)] = h
	}
	states := map[store.JobState]int{}
	for _, j := range jobs {
		states[j.State]++
		var first []simDM
		for _, dm := range onX[j.LeadID] {
			if ours[dm.SenderID] != "" {
				first = append(first, dm)
			}
		}
		switch {
		case len(first) > 1:
			t.Errorf("lead %s got %d first DMs: %+v", j.LeadID, len(first), first)
		case j.State == store.JobDone && len(first) != 1:
			t.Errorf("lead %s: job done but X shows %d DMs", j.LeadID, len(first))
		case j.State == store.JobFailed && len(first) != 0:
			t.Errorf("lead %s: job failed but X shows %d DMs", j.LeadID, len(first))
		}
	}
	if states[store.JobDone] < 400 || states[store.JobPending] > 0 {
		t.Errorf("first DM jobs by state: %v; want nearly all done, none pending", states)
	}
	// Pacing held across the engines: sends of one account on X are at
	// least its min_gap apart.
	for id, h := range ours {
		var last time.Time
		times := sendTimes(onX, id)
		for _, at := range times {
			if !last.IsZero() && at.Sub(last) < 2*time.Second {
				t.Errorf("@%s sent at %s and %s: closer than its min_gap of 2s", h, last.Format(time.TimeOnly), at.Format(time.TimeOnly))
			}
			last = at
		}
		if len(times) == 0 {
			t.Errorf("@%s sent nothing", h)
		}
	}
	t.Logf("sends by engine: %v; first DMs by state: %v", sent, states)
	if sent["one"] == 0 || sent["two"] == 0 {
		t.Errorf("sends by engine: %v; want both engines to have sent some", sent)
	}
}

// sendTimes returns, in order, when the user id sent each DM on X.
func sendTimes(onX map[string][]simDM, id string) []time.Time {
	var out []time.Time
	for _, dms := range onX {
		for _, dm := range sentBy(dms, id) {
			out = append(out, dm.At)
		}
	}
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && out[j].Before(out[j-1]); j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

// hangingNetwork makes the first DM of one account hang for a while of
// the virtual clock before it goes through.
type hangingNetwork struct {
	sdk.Network
	clk    clock.Clock
	handle string
	hang   time.Duration

	mu      sync.Mutex
	started time.Time // when the hanging call began; zero before
	calls   map[string][]time.Time
}

func (n *hangingNetwork) SendDM(ctx context.Context, s sdk.Session, to, text string) (sdk.SentDM, error) {
	n.mu.Lock()
	if n.calls == nil {
		n.calls = map[string][]time.Time{}
	}
	n.calls[s.Handle] = append(n.calls[s.Handle], n.clk.Now())
	hang := s.Handle == n.handle && n.started.IsZero()
	if hang {
		n.started = n.clk.Now()
	}
	n.mu.Unlock()
	if hang {
		if err := clock.Sleep(ctx, n.clk, n.hang); err != nil {
			return sdk.SentDM{}, err
		}
	}
	return n.Network.SendDM(ctx, s, to, text)
}

// TestHangingAccountDoesNotDelayOthers: one account's plugin call hangs for
// ten minutes of the virtual clock; the campaign's other account keeps
// sending on its own pacing the whole time, and the hung send completes
// once, afterwards.
func TestHangingAccountDoesNotDelayOthers(t *testing.T) {
	w := newSimWorld(t, `
account "slow" {
  handle = "acme_slow"
  pacing {
    min_gap = "1m"
    max_gap = "1m"
  }
}
account "fast" {
  handle = "acme_fast"
  pacing {
    min_gap = "1m"
    max_gap = "1m"
  }
}
source "fans" {
  max_leads = 40
  target "paulg" {
    followers = true
  }
}
campaign "c" {
  sources   = [source.fans]
  max_leads = 40
  message   = "Hi {{firstName}}, a quick question."
}
`)
	net := &hangingNetwork{Network: w.network(), clk: w.clk, handle: "acme_slow", hang: 10 * time.Minute}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if err := w.engine("only", net, nil).Run(ctx, w.idle); err != nil {
		t.Fatal(err)
	}
	if net.started.IsZero() {
		t.Fatal("the slow account never sent")
	}
	// Sends tried, not only those X took: some simulated users refuse DMs,
	// and an account's pacing counts every try.
	end := net.started.Add(net.hang)
	var during []time.Time
	for _, at := range net.calls["acme_fast"] {
		if !at.Before(net.started) && at.Before(end) {
			during = append(during, at)
		}
	}
	// A send a minute during the ten minutes of the hang.
	if len(during) < 10 {
		t.Errorf("while @acme_slow hung from %s to %s, @acme_fast tried %d sends (at %v); want 10, one a minute",
			net.started.Format(time.TimeOnly), end.Format(time.TimeOnly), len(during), during)
	}
	for i := 1; i < len(during); i++ {
		if gap := during[i].Sub(during[i-1]); gap != time.Minute {
			t.Errorf("@acme_fast's sends during the hang were %s apart; want its pacing, 1m", gap)
		}
	}
	onX := w.dmsOnX("acme_slow", "acme_fast")
	slow := sendTimes(onX, w.userID("acme_slow"))
	if len(slow) == 0 || slow[0].Before(end) {
		t.Errorf("@acme_slow's sends: %v; want the first when the hang ended, %s", slow, end)
	}
	for lead, dms := range onX {
		if n := len(sentBy(dms, w.userID("acme_slow"))) + len(sentBy(dms, w.userID("acme_fast"))); n > 1 {
			t.Errorf("lead %s got %d DMs", lead, n)
		}
	}
}

// TestSendInDoubtOverHTTP puts an HTTP wrapper in front of the simulated
// X. After the simulator has accepted the first DM, the wrapper answers
// 503, cuts the connection, or sends an unreadable 2xx. In each case the
// lead gets exactly one DM: the engine reads the conversation on X before
// anything is retried, finds the DM and records it.
func TestSendInDoubtOverHTTP(t *testing.T) {
	for _, fault := range []string{"503", "cut", "unreadable"} {
		t.Run(fault, func(t *testing.T) {
			w := newSimWorld(t, `
account "sales" {
  handle = "acme_sales"
  pacing {
    min_gap = "1m"
    max_gap = "1m"
  }
}
source "fans" {
  max_leads = 5
  target "paulg" {
    followers = true
  }
}
campaign "c" {
  sources   = [source.fans]
  max_leads = 5
  message   = "Hi {{firstName}}, a quick question."
}
`)
			var once sync.Once
			faulted := false
			wrapper := faultAfterDM(t, w.sim.Handler(), fault, &once, &faulted)
			w.base = wrapper
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			if err := w.engine("only", w.network(), nil).Run(ctx, w.idle); err != nil {
				t.Fatal(err)
			}
			if !faulted {
				t.Fatal("the wrapper never spoiled an answer")
			}
			id := w.userID("acme_sales")
			onX := w.dmsOnX("acme_sales")
			for _, j := range w.firstDMJobs("campaign.c") {
				n := len(sentBy(onX[j.LeadID], id))
				if j.State == store.JobDone && n != 1 || j.State != store.JobDone && j.State != store.JobFailed {
					t.Errorf("lead %s: job %s (%s), X shows %d DMs; want done and exactly 1", j.LeadID, j.State, j.LastError, n)
				}
				if n > 1 {
					t.Errorf("lead %s got %d DMs", j.LeadID, n)
				}
			}
		})
	}
}

// faultAfterDM serves h on loopback, except that the first DM it passes to
// h gets a spoiled answer: h has accepted it, the client cannot know.
func faultAfterDM(t *testing.T, h http.Handler, fault string, once *sync.Once, faulted *bool) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		isDM := r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/messages")
		spoil := false
		if isDM {
			once.Do(func() { spoil, *faulted = true, true })
		}
		if !spoil {
			h.ServeHTTP(rw, r)
			return
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		if rec.Code != http.StatusCreated && rec.Code != http.StatusOK {
			t.Errorf("the simulator refused the DM: %d %s", rec.Code, rec.Body.String())
		}
		switch fault {
		case "503":
			rw.Header().Set("Content-Type", "application/json")
			rw.WriteHeader(http.StatusServiceUnavailable)
			fmt.Fprint(rw, `{"title":"Service Unavailable","detail":"Service Unavailable","type":"about:blank","status":503}`)
		case "cut":
			conn, _, err := rw.(http.Hijacker).Hijack()
			if err == nil {
				conn.Close()
			}
		case "unreadable":
			rw.Header().Set("Content-Type", "application/json")
			rw.WriteHeader(http.StatusCreated)
			fmt.Fprint(rw, `{"data":{"dm_conversation_id":"`)
		}
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}
