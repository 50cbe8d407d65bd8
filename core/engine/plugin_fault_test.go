package engine_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/go-hclog"

	"github.com/outreachhq/outreach/core/clock"
	"github.com/outreachhq/outreach/core/engine"
	"github.com/outreachhq/outreach/core/pluginhost"
	"github.com/outreachhq/outreach/core/pluginhost/pluginhosttest"
	"github.com/outreachhq/outreach/core/service"
	"github.com/outreachhq/outreach/core/store"
	"github.com/outreachhq/outreach/core/store/storetest"
	"github.com/outreachhq/outreach/core/store/teststore"
	"github.com/outreachhq/outreach/plugins/x"
	"github.com/outreachhq/outreach/plugins/x/xsim"
	"github.com/outreachhq/outreach/sdk"
)

// TestPluginFaultsDuringSend runs the engine against a real network plugin,
// out of process, that fails while sending a first DM: it crashes before or
// after the DM reaches (simulated) X, hangs past its deadline, or answers
// garbage. Whatever happens, the lead gets the DM at most once: the engine
// settles the send by reading the conversation on X, and parks the job for
// review when X cannot say. And no plugin process outlives the host.
func TestPluginFaultsDuringSend(t *testing.T) {
	bin := pluginhosttest.Build(t, pluginhosttest.FaultPluginPackage, t.TempDir(), "outreach-plugin-fault")
	for _, tc := range []struct {
		name   string
		faults []pluginhosttest.Fault
		// want is the job's final state and sent whether X has the DM.
		want store.JobState
	}{
		{"crash before the DM reaches X", []pluginhosttest.Fault{{Op: "send_dm", Mode: pluginhosttest.Panic, Times: 1}}, store.JobDone},
		{"crash after the DM reached X", []pluginhosttest.Fault{{Op: "send_dm", Mode: pluginhosttest.PanicAfter, Times: 1}}, store.JobDone},
		{"exit before the DM reaches X", []pluginhosttest.Fault{{Op: "send_dm", Mode: pluginhosttest.Exit, Times: 1}}, store.JobDone},
		{"hang past the deadline", []pluginhosttest.Fault{{Op: "send_dm", Mode: pluginhosttest.Hang, Times: 1}}, store.JobDone},
		{"garbage answer", []pluginhosttest.Fault{{Op: "send_dm", Mode: pluginhosttest.Garbage, Times: 1}}, store.JobDone},
		{"crash after the DM reached X, and X cannot say", []pluginhosttest.Fault{
			{Op: "send_dm", Mode: pluginhosttest.PanicAfter, Times: 1},
			{Op: "conversation_events", Mode: pluginhosttest.Exit},
		}, store.JobNeedsReview},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := newWorld(t, bin, tc.faults)
			w.run(t)
			j := w.job(t)
			if j.State != tc.want {
				t.Fatalf("job ended %s (last error %q); want %s", j.State, j.LastError, tc.want)
			}
			if j.State == store.JobNeedsReview && !strings.Contains(j.LastError, `plugin "fault"`) {
				t.Errorf("the parked job's reason does not name the plugin: %q", j.LastError)
			}
			// Run on, days later: a parked or done job is never sent again.
			w.clk.Advance(48 * time.Hour)
			w.run(t)
			if n := w.dmsOnX(t); n != 1 && !(tc.want == store.JobNeedsReview && n == 0) {
				t.Errorf("X holds %d copies of the first DM; want exactly 1", n)
			}
			if tc.want == store.JobDone && w.dmsOnX(t) != 1 {
				t.Errorf("the job is done but X holds %d copies of the DM", w.dmsOnX(t))
			}
			w.host.Close()
			if left := pluginhosttest.Children(bin); len(left) > 0 {
				t.Errorf("plugin processes left after Close: %v", left)
			}
		})
	}
}

const (
	ws      = "default"
	message = "Hi {{firstName}}, quick question about your launch"
)

// world is one engine over a fresh store, a simulated X on loopback and
// the fault plugin.
type world struct {
	clk   *clock.Virtual
	st    teststore.Store
	sim   *xsim.Sim
	host  *pluginhost.Host
	eng   *engine.Engine
	token string
	lead  sdk.User
	jobID string
}

func newWorld(t *testing.T, bin string, faults []pluginhosttest.Fault) *world {
	t.Helper()
	w := &world{clk: clock.NewVirtual(time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC))}
	w.sim = xsim.New(xsim.Options{Clock: w.clk})
	if err := w.sim.Start("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = w.sim.Close() })
	var err error
	if w.token, err = w.sim.Login("acme_sales"); err != nil {
		t.Fatal(err)
	}
	w.lead = dmRecipient(t, w.sim)

	w.host = pluginhost.New(pluginhost.Options{
		CallTimeout:    time.Second,
		RestartBackoff: 20 * time.Millisecond,
		Logger:         hclog.New(&hclog.LoggerOptions{Level: hclog.Error, Output: testLog{t}}),
	})
	t.Cleanup(w.host.Close)
	cfg, _ := json.Marshal(pluginhosttest.Config{BaseURL: w.sim.URL(), Faults: faults, StateDir: t.TempDir()})
	if err := w.host.Register(pluginhost.Spec{Name: "fault", Source: bin, Config: cfg}); err != nil {
		t.Fatal(err)
	}

	w.st = teststore.New(t).Open(t, "plugin fault test")
	t.Cleanup(func() { _ = w.st.Close() })
	now := w.clk.Now()
	err = w.st.Update(context.Background(), func(tx storetest.Tx) error {
		if err := tx.PutWorkspace(ws); err != nil {
			return err
		}
		a := store.Account{ID: "acct-sales", Workspace: ws, Address: "account.sales", Handle: "acme_sales", Network: "fault", DailyDMLimit: 50, CreatedAt: now}
		if err := tx.PutAccount(a); err != nil {
			return err
		}
		src := store.Source{ID: "src", Workspace: ws, Name: "src", CreatedAt: now, UpdatedAt: now}
		if err := tx.PutSource(src); err != nil {
			return err
		}
		if _, err := tx.AddSourceLead(ws, src.ID, store.Lead{UserID: w.lead.ID, Workspace: ws, Username: w.lead.Username, Name: w.lead.Name, FoundAt: now}); err != nil {
			return err
		}
		c := store.Campaign{ID: "camp", Workspace: ws, Name: "hello", SourceIDs: []string{src.ID}, AccountIDs: []string{a.ID},
			Variants: []store.Variant{{Message: message}}, Dedupe: true, CreatedAt: now, UpdatedAt: now}
		if n, err := service.Fill(tx, &c, now); err != nil || n != 1 {
			t.Fatalf("Fill queued %d jobs: %v", n, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	w.jobID = store.DMJobID("camp", w.lead.ID)
	w.eng = engine.New(engine.Options{
		Store:   store.Narrow(w.st, func(tx storetest.Tx) engine.Tx { return tx }),
		Network: func(name string) (sdk.Network, error) { return w.host.Network(name, nil) },
		Session: func(_ context.Context, a store.Account) (sdk.Session, error) {
			return sdk.Session{AccountID: a.ID, Handle: a.Handle, UserID: a.XUserID, Credentials: map[string]string{sdk.CredentialAccessToken: w.token}}, nil
		},
		Clock: w.clk,
	})
	return w
}

// run recovers, then runs due work, moving the virtual clock to each next
// due time, until the job is settled (or a bound is hit). Reply reads go
// on for ever; they are not waited for.
func (w *world) run(t *testing.T) {
	t.Helper()
	ctx := context.Background()
	if err := w.eng.Recover(ctx); err != nil {
		t.Fatalf("Recover: %v", err)
	}
	for range 20 {
		next, err := w.eng.RunDue(ctx)
		if err != nil {
			t.Fatalf("RunDue: %v", err)
		}
		if next.IsZero() || w.job(t).State.Final() {
			return
		}
		if d := next.Sub(w.clk.Now()); d > 0 {
			w.clk.Advance(d)
		}
	}
	t.Fatalf("the job is still pending after 20 rounds: %+v", w.job(t))
}

func (w *world) job(t *testing.T) store.Job {
	t.Helper()
	var j store.Job
	if err := w.st.View(context.Background(), func(tx storetest.Tx) (err error) {
		j, err = tx.Job(ws, w.jobID)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return j
}

// dmsOnX counts the copies of the first DM in the conversation on X, read
// with the X connector in this process: the ground truth.
func (w *world) dmsOnX(t *testing.T) int {
	t.Helper()
	c := x.New()
	cfg, _ := json.Marshal(map[string]string{"base_url": w.sim.URL()})
	if err := c.Configure(context.Background(), cfg); err != nil {
		t.Fatal(err)
	}
	sess := sdk.Session{Handle: "acme_sales", Credentials: map[string]string{sdk.CredentialAccessToken: w.token}}
	events, err := c.ConversationEvents(context.Background(), sess, w.lead.ID, 100)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range events {
		if strings.HasPrefix(e.Text, "Hi ") && strings.HasSuffix(e.Text, "quick question about your launch") {
			n++
		}
	}
	return n
}

// dmRecipient is a simulated user who accepts DMs.
func dmRecipient(t *testing.T, s *xsim.Sim) sdk.User {
	t.Helper()
	for _, name := range []string{"paulg", "naval", "sama", "pmarca", "jack"} {
		if u, ok := s.UserByUsername(name); ok && u.AcceptsDMs {
			return sdk.User{ID: u.ID, Username: u.Username, Name: u.Name}
		}
	}
	t.Fatal("no simulated user accepts DMs")
	return sdk.User{}
}

// testLog sends the host's log to the test's.
type testLog struct{ t *testing.T }

func (l testLog) Write(p []byte) (int, error) {
	l.t.Helper()
	l.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}
