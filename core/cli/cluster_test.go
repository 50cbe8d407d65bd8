//go:build linux

package cli

import (
	"context"
	crand "crypto/rand"
	"encoding/base64"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/outreachhq/outreach/core/message"
	"github.com/outreachhq/outreach/core/pluginhost/pluginhosttest"
	"github.com/outreachhq/outreach/core/store"
	"github.com/outreachhq/outreach/core/store/postgres"
	"github.com/outreachhq/outreach/core/store/postgres/pgtest"
)

// The cluster: the built binary as a user runs it on Postgres, with a
// standalone simulated X, several `outreach worker` processes and one
// `outreach serve --no-engine`.

// clusterVariants and clusterFollowup are the campaign's messages.
var (
	clusterVariants = []string{"Hey {{firstName}}, what are you building?", "Hi {{firstName}}! What's hard right now?"}
	clusterFollowup = "Bumping this, {{firstName}}."
)

// clusterSpec shapes a cluster's campaign.
type clusterSpec struct {
	accounts, leads int
	minGap, maxGap  time.Duration
	followup        bool
}

// targets are enough handles for the leads wanted: the simulated X lists
// 30 to 400 followers per user.
func (s clusterSpec) targets() int { return s.leads/150 + 2 }

func (s clusterSpec) config() string {
	var b strings.Builder
	b.WriteString("settings {\n  sandbox = true\n}\n\n")
	for i := range s.accounts {
		fmt.Fprintf(&b, `account "a%02d" {
  handle         = "team_a%02d"
  daily_dm_limit = 1000
  pacing {
    min_gap = %q
    max_gap = %q
  }
}
`, i, i, s.minGap.String(), s.maxGap.String())
	}
	fmt.Fprintf(&b, "source \"people\" {\n  max_leads = %d\n", s.leads)
	for i := range s.targets() {
		fmt.Fprintf(&b, "  target \"founder_%02d\" {\n    followers = true\n  }\n", i)
	}
	fmt.Fprintf(&b, "}\n\ncampaign \"hello\" {\n  sources   = [source.people]\n  max_leads = %d\n", s.leads)
	for _, v := range clusterVariants {
		fmt.Fprintf(&b, "  variant {\n    message = %q\n  }\n", v)
	}
	if s.followup {
		fmt.Fprintf(&b, "  followup {\n    after   = \"1m\"\n    message = %q\n  }\n", clusterFollowup)
	}
	b.WriteString("}\n")
	return b.String()
}

// cluster is a running cluster of the built binary on one database.
type cluster struct {
	t      testing.TB
	bin    string
	url    string
	simURL string
	env    []string
	sim    *pluginhosttest.Process
	// workers are the live worker processes, by slot; sent counts the DMs
	// each slot's processes (the killed ones included) reported sending.
	workers []*pluginhosttest.Process
	sent    []int
}

// buildOutreach builds the binary a user runs.
func buildOutreach(t testing.TB) string {
	return pluginhosttest.Build(t, "github.com/outreachhq/outreach/cmd/outreach", t.TempDir(), "outreach")
}

// startCluster starts a fresh database and a simulated X answering each
// request after latency; workers is how many worker slots it has.
func startCluster(t testing.TB, ctx context.Context, bin string, workers int, latency time.Duration) *cluster {
	t.Helper()
	c := &cluster{t: t, bin: bin, url: pgtest.NewDatabase(t)}
	key := make([]byte, 32)
	_, _ = crand.Read(key)
	c.env = []string{"OUTREACH_STORE=" + c.url, "OUTREACH_SECRET_KEY=" + base64.StdEncoding.EncodeToString(key)}
	c.sim = c.start("sandbox", "--addr", "127.0.0.1:0", "--seed", "5", "--latency", latency.String())
	c.simURL = c.sim.Address(t, ctx, "http://127.0.0.1:")
	c.workers = make([]*pluginhosttest.Process, workers)
	c.sent = make([]int, workers)
	return c
}

// start starts the binary with the cluster's store and key.
func (c *cluster) start(args ...string) *pluginhosttest.Process {
	return pluginhosttest.Start(c.t, c.bin, slices.Concat(isolatedEnv, c.env), args...)
}

// run runs the binary to its end and returns its stdout; it fails the test
// if the command fails.
func (c *cluster) run(ctx context.Context, args ...string) string {
	c.t.Helper()
	p := c.start(args...)
	select {
	case <-p.Exited():
	case <-ctx.Done():
		c.t.Fatalf("outreach %s did not finish: %v", strings.Join(args, " "), ctx.Err())
	}
	if p.Err() != nil {
		c.t.Fatalf("outreach %s: %v\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), p.Err(), p.Stdout, p.Stderr)
	}
	return p.Stdout.String()
}

// startWorker starts the worker of a slot.
func (c *cluster) startWorker(slot int) {
	c.workers[slot] = c.start("worker", "--sandbox-url", c.simURL, "--log-level", "info")
}

// killWorker SIGKILLs the worker of a slot and counts what it sent.
func (c *cluster) killWorker(slot int) {
	c.workers[slot].Kill(c.t)
	c.sent[slot] += c.workers[slot].Stderr.Count("message sent")
}

// stopWorkers stops every worker as Ctrl-C would and counts what they
// sent.
func (c *cluster) stopWorkers() {
	for slot, p := range c.workers {
		p.Stop(c.t)
		c.sent[slot] += p.Stderr.Count("message sent")
	}
}

// open opens the cluster's store from the test.
func (c *cluster) open(ctx context.Context) *postgres.Store {
	c.t.Helper()
	st, err := postgres.Open(ctx, c.url, postgres.Options{})
	if err != nil {
		c.t.Fatal(err)
	}
	c.t.Cleanup(st.Close)
	return st
}

// pending counts the jobs still pending and the intents left.
func pending(ctx context.Context, st *postgres.Store) (jobs, intents int, err error) {
	err = st.View(ctx, func(tx *postgres.Tx) error {
		if jobs, err = tx.PendingJobs("default"); err != nil {
			return err
		}
		in, err := tx.Intents("default")
		intents = len(in)
		return err
	})
	return jobs, intents, err
}

// TestClusterSurvivesKilledWorkers runs a 2,000-lead campaign over 40
// accounts on four worker processes, SIGKILLs one of them every few
// seconds (restarting it each time), 15 to 60 times, lets the cluster
// finish, and then checks on X itself that no lead got a first DM twice,
// no follow-up went twice or after a reply, no account sent two messages
// closer than its min_gap, and every lead has an outcome. It prints how
// many messages each worker sent and what a DM costs the database.
func TestClusterSurvivesKilledWorkers(t *testing.T) {
	spec := clusterSpec{accounts: 40, leads: 2000, minGap: 2 * time.Second, maxGap: 3 * time.Second, followup: true}
	const (
		workers  = 4
		minKills = 15
		// maxKills ends the kills after about three minutes, through first
		// DMs and follow-ups both; the cluster then finishes on its own.
		// Killing until the end took 12 to 14 minutes on a 2-core machine
		// under -race: each restart of a race-built worker and its plugin
		// costs seconds of CPU, and each kill holds the worker's accounts
		// for a lease.
		maxKills = 60
	)
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Minute)
	defer cancel()
	c := startCluster(t, ctx, buildOutreach(t), workers, 20*time.Millisecond)
	if out := c.run(ctx, "migrate"); !strings.Contains(out, "up to date") && !strings.Contains(out, "Migrated") {
		t.Fatalf("migrate said %q", out)
	}
	st := c.open(ctx)
	before, err := st.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	c.run(ctx, "apply", "-auto-approve", "--detach", "--sandbox-url", c.simURL, writeFile(t, "cluster.hcl", spec.config()))
	api := c.start("serve", "--no-engine", "--addr", "127.0.0.1:0")
	for slot := range workers {
		c.startWorker(slot)
	}

	// Kill a random worker every 2 to 4 seconds until the work is done (at
	// least minKills times) or maxKills is reached.
	rnd := rand.New(rand.NewPCG(1, 2))
	kills, pendingAtLastKill := 0, 0
	for {
		select {
		case <-ctx.Done():
			jobs, intents, _ := pending(context.Background(), st)
			t.Fatalf("the campaign did not finish: %d jobs pending, %d intents, after %d kills", jobs, intents, kills)
		case <-time.After(2*time.Second + time.Duration(rnd.Int64N(int64(2*time.Second)))):
		}
		jobs, intents, err := pending(ctx, st)
		if err != nil {
			t.Fatal(err)
		}
		if jobs == 0 && intents == 0 && kills >= minKills {
			break
		}
		if kills == maxKills {
			continue
		}
		pendingAtLastKill = jobs
		slot := rnd.IntN(workers)
		c.killWorker(slot)
		kills++
		c.startWorker(slot)
	}
	c.stopWorkers()
	api.Stop(t)
	after, err := st.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}

	jobs, leads, accounts := clusterOutcomes(t, ctx, st, spec)
	onX := dmsOnX(t, ctx, c.simURL, accounts)
	checkCluster(t, jobs, leads, accounts, onX, spec)

	total := 0
	for _, n := range c.sent {
		total += n
	}
	t.Logf("%d kills, the last with %d jobs pending; messages sent by each worker slot: %v (total %d)", kills, pendingAtLastKill, c.sent, total)
	for slot, n := range c.sent {
		if total > 0 && n*10 < total {
			t.Errorf("worker %d sent %d of %d messages, under 10%%", slot, n, total)
		}
	}
	if total > 0 {
		t.Logf("database cost per message sent: %.1f transactions, %.1f statements",
			float64(after.Transactions-before.Transactions)/float64(total),
			float64(after.Statements-before.Statements)/float64(total))
	}
	c.sim.Stop(t)
}

// clusterOutcomes reads the campaign's jobs after the run and checks that
// every lead has an outcome: no job pending, no intent left.
func clusterOutcomes(t *testing.T, ctx context.Context, st *postgres.Store, spec clusterSpec) ([]store.Job, map[string]store.Lead, map[string]xAccount) {
	t.Helper()
	var (
		jobs     []store.Job
		leads    = map[string]store.Lead{}
		accounts = map[string]xAccount{}
	)
	err := st.View(ctx, func(tx *postgres.Tx) error {
		intents, err := tx.Intents("default")
		if err != nil {
			return err
		}
		for _, in := range intents {
			t.Errorf("intent of job %s (to %s) has no outcome", in.JobID, in.RecipientID)
		}
		all, err := tx.Jobs("default", store.JobQuery{})
		if err != nil {
			return err
		}
		for _, j := range all {
			if j.State == store.JobPending {
				t.Errorf("job %s (%s) is still pending", j.ID, j.Kind)
			}
			if j.Kind != store.JobDM && j.Kind != store.JobFollowup {
				continue
			}
			jobs = append(jobs, j)
			if leads[j.LeadID], err = tx.Lead(j.Workspace, j.LeadID); err != nil {
				return err
			}
		}
		as, err := tx.Accounts("default")
		for _, a := range as {
			accounts[a.ID] = xAccount{a.Handle, a.XUserID}
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	first := 0
	for _, j := range jobs {
		if j.Kind == store.JobDM {
			first++
		}
	}
	if first != spec.leads {
		t.Errorf("%d first-DM jobs, want the campaign's %d leads", first, spec.leads)
	}
	return jobs, leads, accounts
}

// checkCluster checks what X shows against the jobs: each lead whose first
// DM is done got exactly one first DM, from its account; each follow-up
// went at most once, never after a reply; no account sent two messages
// closer than its min_gap.
func checkCluster(t *testing.T, jobs []store.Job, leads map[string]store.Lead, accounts map[string]xAccount, onX map[string][]xDM, spec clusterSpec) {
	t.Helper()
	ours := map[string]bool{}
	for _, a := range accounts {
		ours[a.userID] = true
	}
	isFirst := func(text string, l store.Lead) bool {
		return slices.ContainsFunc(clusterVariants, func(v string) bool { return text == message.Render(v, l) })
	}
	states := map[store.JobState]int{}
	bySender := map[string][]time.Time{}
	for _, j := range jobs {
		if j.Kind != store.JobDM {
			continue
		}
		states[j.State]++
		l := leads[j.LeadID]
		var firsts, followups int
		replied := false
		for _, dm := range onX[j.LeadID] {
			if !ours[dm.SenderID] {
				replied = true
				continue
			}
			if replied {
				t.Errorf("lead %s: %q sent after the lead replied", j.LeadID, dm.Text)
			}
			if dm.SenderID != accounts[j.AccountID].userID {
				t.Errorf("lead %s: DM from %s, not from the job's account @%s", j.LeadID, dm.SenderID, accounts[j.AccountID].handle)
			}
			switch {
			case isFirst(dm.Text, l):
				firsts++
			case dm.Text == message.Render(clusterFollowup, l):
				followups++
			default:
				t.Errorf("lead %s: DM %q is neither a variant nor the follow-up", j.LeadID, dm.Text)
			}
			bySender[dm.SenderID] = append(bySender[dm.SenderID], dm.At)
		}
		want := map[store.JobState]int{store.JobDone: 1}[j.State]
		if firsts != want && (j.State != store.JobNeedsReview || firsts > 1) {
			t.Errorf("lead %s (first DM %s): X shows %d first DMs", j.LeadID, j.State, firsts)
		}
		if followups > 1 {
			t.Errorf("lead %s: X shows the follow-up %d times", j.LeadID, followups)
		}
	}
	closest := time.Duration(1 << 62)
	for sender, ats := range bySender {
		slices.SortFunc(ats, time.Time.Compare)
		for i := 1; i < len(ats); i++ {
			gap := ats[i].Sub(ats[i-1])
			closest = min(closest, gap)
			// X's timestamps have milliseconds: allow for the truncation.
			if gap < spec.minGap-time.Millisecond {
				t.Errorf("account %s sent two messages %v apart, under its min_gap %v (at %s)", sender, gap, spec.minGap, ats[i].Format(time.RFC3339Nano))
			}
		}
	}
	t.Logf("first DMs: %d done, %d failed, %d needs_review; closest two messages of one account: %v", states[store.JobDone], states[store.JobFailed], states[store.JobNeedsReview], closest)
}

// BenchmarkClusterFirstDMs prints how many first DMs per second a cluster
// sends with 1, 2 and 4 worker processes, pacing off and no kills: the
// median of 3 runs each, every run on a fresh database and simulated X
// (20 ms a request). The runs go in rounds (1, 2, then 4 workers, three
// times), after one warm-up run that is not counted, so that a slow spell
// of the shared machine, or its cold caches, weighs on every size alike.
// Run it with -benchtime 1x: each run is a whole campaign.
//
//	go test ./core/cli -run '^$' -bench ClusterFirstDMs -benchtime 1x
func BenchmarkClusterFirstDMs(b *testing.B) {
	spec := clusterSpec{accounts: 40, leads: 1000, minGap: time.Millisecond, maxGap: time.Millisecond}
	bin := buildOutreach(b)
	sizes := []int{1, 2, 4}
	clusterRun(b, bin, spec, sizes[0]) // warm-up
	runs := make(map[int][]clusterRate)
	for range 3 {
		for _, n := range sizes {
			r := clusterRun(b, bin, spec, n)
			b.Logf("%d workers: %.1f first DMs/s, %.1f transactions and %.2f rollbacks per DM", n, r.rate, r.txPerDM, r.rollbacksPerDM)
			runs[n] = append(runs[n], r)
		}
	}
	median := func(rs []clusterRate, field func(clusterRate) float64) float64 {
		xs := make([]float64, len(rs))
		for i, r := range rs {
			xs[i] = field(r)
		}
		slices.Sort(xs)
		return xs[len(xs)/2]
	}
	for _, n := range sizes {
		b.Run(fmt.Sprintf("workers=%d", n), func(b *testing.B) {
			b.ReportMetric(median(runs[n], func(r clusterRate) float64 { return r.rate }), "DMs/s")
			b.ReportMetric(median(runs[n], func(r clusterRate) float64 { return r.txPerDM }), "tx/DM")
			b.ReportMetric(median(runs[n], func(r clusterRate) float64 { return r.rollbacksPerDM }), "rollbacks/DM")
			b.ReportMetric(0, "ns/op")
		})
	}
}

// clusterRate is what one run of the benchmark measured.
type clusterRate struct {
	// rate is first DMs per second, from the workers' start to the last DM.
	rate float64
	// txPerDM and rollbacksPerDM are the database's transactions, and
	// those of them rolled back, per DM.
	txPerDM, rollbacksPerDM float64
}

// clusterRun runs spec's campaign on a fresh cluster of n workers.
func clusterRun(b *testing.B, bin string, spec clusterSpec, n int) clusterRate {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	c := startCluster(b, ctx, bin, n, 20*time.Millisecond)
	st := c.open(ctx)
	c.run(ctx, "apply", "-auto-approve", "--detach", "--sandbox-url", c.simURL, writeFile(b, "bench.hcl", spec.config()))
	before, err := st.Stats(ctx)
	if err != nil {
		b.Fatal(err)
	}
	start := time.Now()
	for slot := range n {
		c.startWorker(slot)
	}
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			b.Fatal("the campaign did not finish")
		case <-tick.C:
		}
		jobs, _, err := pending(ctx, st)
		if err != nil {
			b.Fatal(err)
		}
		if jobs == 0 {
			break
		}
	}
	c.stopWorkers()
	c.sim.Stop(b)
	// Timed to the last DM recorded, not to the end of the run: a source
	// may still have a page to scrape, waiting for X's rate limit, when the
	// campaign has all its leads.
	var (
		sent int
		last time.Time
	)
	err = st.View(ctx, func(tx *postgres.Tx) error {
		done, err := tx.Jobs("default", store.JobQuery{Kind: store.JobDM, State: store.JobDone})
		sent = len(done)
		for _, j := range done {
			if j.DoneAt.After(last) {
				last = j.DoneAt
			}
		}
		return err
	})
	if err != nil {
		b.Fatal(err)
	}
	elapsed := last.Sub(start)
	after, err := st.Stats(ctx)
	if err != nil {
		b.Fatal(err)
	}
	perDM := func(n int64) float64 { return float64(n) / float64(max(sent, 1)) }
	return clusterRate{
		rate:           float64(sent) / elapsed.Seconds(),
		txPerDM:        perDM(after.Transactions - before.Transactions),
		rollbacksPerDM: perDM(after.Rollbacks - before.Rollbacks),
	}
}

// TestWorkerSurvivesLostConnections drops every connection a worker has
// to the database, three times during a campaign: the worker keeps
// running (River and the units retry with backoff) and finishes the
// campaign.
func TestWorkerSurvivesLostConnections(t *testing.T) {
	spec := clusterSpec{accounts: 4, leads: 120, minGap: 50 * time.Millisecond, maxGap: 100 * time.Millisecond}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	c := startCluster(t, ctx, buildOutreach(t), 1, 0)
	c.run(ctx, "apply", "-auto-approve", "--detach", "--sandbox-url", c.simURL, writeFile(t, "small.hcl", spec.config()))
	c.startWorker(0)
	w := c.workers[0]
	for _, sent := range []int{10, 40, 70} {
		if _, err := w.Stderr.WaitFor(ctx, w.Exited(), "message sent", sent); err != nil {
			t.Fatalf("no %d-th message: %v\nstderr:\n%s", sent, err, w.Stderr)
		}
		t.Logf("after %d messages: ended %d connections", sent, pgtest.DropConnections(t, c.url))
	}
	st := c.open(ctx)
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			jobs, _, _ := pending(context.Background(), st)
			t.Fatalf("the campaign did not finish: %d jobs pending\nstderr:\n%s", jobs, w.Stderr)
		case <-w.Exited():
			t.Fatalf("the worker exited (%v)\nstderr:\n%s", w.Err(), w.Stderr)
		case <-tick.C:
		}
		if jobs, intents, err := pending(ctx, st); err == nil && jobs == 0 && intents == 0 {
			break
		}
	}
	c.stopWorkers()
	if c.sent[0] < 100 {
		t.Errorf("the worker sent %d messages, want the campaign's (about 120)", c.sent[0])
	}
}

// TestServeOnPostgres serves the API only (--no-engine) on a real port:
// /healthz reports the database, and River's UI answers the operator's
// credential alone, not a workspace's API key.
func TestServeOnPostgres(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	c := startCluster(t, ctx, buildOutreach(t), 0, 0)
	const token = "operator-token-0123456789"
	c.env = append(c.env, adminTokenEnv+"="+token)
	key := strings.TrimSpace(c.run(ctx, "keys", "create"))
	c.run(ctx, "apply", "-auto-approve", "--detach", "--sandbox-url", c.simURL, writeFile(t, "small.hcl",
		clusterSpec{accounts: 2, leads: 20, minGap: time.Second, maxGap: 2 * time.Second}.config()))
	srv := c.start("serve", "--no-engine", "--addr", "127.0.0.1:0")
	base := srv.Address(t, ctx, "serving the API on http://")
	get := func(path string, header ...string) (int, string) {
		t.Helper()
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, base+path, nil)
		for i := 0; i+1 < len(header); i += 2 {
			req.Header.Set(header[i], header[i+1])
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(body)
	}
	operator := func(user, pass string) string {
		return "Basic " + base64.StdEncoding.EncodeToString([]byte(user+":"+pass))
	}

	if code, body := get("/healthz"); code != http.StatusOK || !strings.Contains(body, `"database":"ok"`) {
		t.Errorf("healthz: %d %s", code, body)
	}
	if code, body := get("/api/v1/accounts", "X-API-Key", key); code != http.StatusOK || !strings.Contains(body, "team_a00") {
		t.Errorf("accounts with the key: %d %s", code, body)
	}
	for _, h := range [][]string{nil, {"X-API-Key", key}, {"Authorization", "Bearer " + key}, {"Authorization", operator("operator", key)}} {
		if code, _ := get("/admin/jobs/", h...); code != http.StatusUnauthorized {
			t.Errorf("River's UI with %v: status %d, want 401", h, code)
		}
	}
	auth := operator("operator", token)
	if code, body := get("/admin/jobs/", "Authorization", auth); code != http.StatusOK || !strings.Contains(strings.ToLower(body), "<html") {
		t.Errorf("River's UI for the operator: %d %.200s", code, body)
	}
	// The scrapes apply queued are River jobs the UI lists.
	if code, body := get("/admin/jobs/api/jobs?state=available&limit=100", "Authorization", auth); code != http.StatusOK || !strings.Contains(body, "outreach.scrape") {
		t.Errorf("River's UI lists jobs: %d %.300s", code, body)
	}

	// Without its database the server stays up and says so.
	pgtest.DropDatabase(t, c.url)
	if code, body := get("/healthz"); code != http.StatusServiceUnavailable || !strings.Contains(body, `"database":"unavailable"`) {
		t.Errorf("healthz without the database: %d %s", code, body)
	}
	srv.Stop(t)
	c.sim.Stop(t)
}
