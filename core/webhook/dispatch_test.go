package webhook_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/outreachhq/outreach/core/clock"
	"github.com/outreachhq/outreach/core/store"
	"github.com/outreachhq/outreach/core/store/storetest"
	"github.com/outreachhq/outreach/core/store/teststore"
	"github.com/outreachhq/outreach/core/webhook"
	"github.com/outreachhq/outreach/sdk"
	sdkwebhook "github.com/outreachhq/outreach/sdk/webhook"
)

func TestMain(m *testing.M) { os.Exit(teststore.Main(m)) }

// eachStore runs a test on buntdb and on Postgres.
func eachStore(t *testing.T, fn func(t *testing.T, p *teststore.Place)) {
	t.Run("buntdb", func(t *testing.T) { fn(t, teststore.NewBunt(t)) })
	t.Run("postgres", func(t *testing.T) { fn(t, teststore.NewPostgres(t)) })
}

// hit is one request an endpoint got, at the virtual time it got it.
type hit struct {
	at     time.Time
	header http.Header
	body   []byte
}

// endpoint is a receiver on loopback that answers each request with the
// answer of its turn (the last one from then on) and reports each hit.
type endpoint struct {
	*httptest.Server
	hits chan hit
}

func newEndpoint(t *testing.T, clk clock.Clock, answers ...http.HandlerFunc) *endpoint {
	e := &endpoint{hits: make(chan hit, 1000)}
	var (
		mu sync.Mutex
		n  int
	)
	e.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		e.hits <- hit{at: clk.Now(), header: r.Header.Clone(), body: body}
		mu.Lock()
		answer := answers[min(n, len(answers)-1)]
		n++
		mu.Unlock()
		answer(w, r)
	}))
	t.Cleanup(e.Close)
	return e
}

func (e *endpoint) next(t *testing.T) hit {
	t.Helper()
	select {
	case h := <-e.hits:
		return h
	case <-time.After(30 * time.Second):
		t.Fatal("the endpoint got no request in 30 s")
		return hit{}
	}
}

// none checks that nothing else came, once the dispatcher has stopped.
func (e *endpoint) none(t *testing.T) {
	t.Helper()
	select {
	case h := <-e.hits:
		t.Errorf("the endpoint got another request, at %s: %s", h.at.Format(time.TimeOnly), h.body)
	default:
	}
}

// harness is a store with a workspace, a virtual clock and a dispatcher
// to run over them.
type harness struct {
	t     *testing.T
	place *teststore.Place
	db    teststore.Store
	clk   *clock.Virtual
	// attempts receives every delivery record an attempt wrote.
	attempts chan store.Delivery
}

const ws = "w"

func newHarness(t *testing.T, p *teststore.Place) *harness {
	h := &harness{t: t, place: p, clk: clock.NewVirtual(t0), attempts: make(chan store.Delivery)}
	h.db = p.Open(t, "test")
	t.Cleanup(func() { h.db.Close() })
	if err := h.db.Update(context.Background(), func(tx storetest.Tx) error { return tx.PutWorkspace(ws) }); err != nil {
		t.Fatal(err)
	}
	return h
}

func (h *harness) tx() store.Transactor[webhook.Tx] {
	return store.Narrow(h.db, func(tx storetest.Tx) webhook.Tx { return tx })
}

func (h *harness) update(fn func(webhook.Tx) error) {
	h.t.Helper()
	if err := h.tx().Update(context.Background(), fn); err != nil {
		h.t.Fatal(err)
	}
}

func (h *harness) addWebhook(url string, edit func(*store.Webhook)) store.Webhook {
	w := store.Webhook{ID: "hook-" + url[len(url)-5:], Workspace: ws, URL: url + "/hook", CreatedAt: t0, UpdatedAt: t0}
	if edit != nil {
		edit(&w)
	}
	h.update(func(tx webhook.Tx) error { return tx.PutWebhook(w) })
	return w
}

// appendEvents appends events of the types given, now.
func (h *harness) appendEvents(types ...string) []store.Event {
	var out []store.Event
	err := h.db.Update(context.Background(), func(tx storetest.Tx) error {
		out = out[:0]
		for i, typ := range types {
			e, err := tx.AppendEvent(store.Event{
				ID: "evt-" + typ + "-" + string(rune('a'+i)) + "-" + h.clk.Now().Format("150405"), Workspace: ws, Type: typ,
				At: h.clk.Now(), Data: json.RawMessage(`{"n":1}`),
			})
			if err != nil {
				return err
			}
			out = append(out, e)
		}
		return nil
	})
	if err != nil {
		h.t.Fatal(err)
	}
	return out
}

// start runs a dispatcher until the test ends or stop is called.
func (h *harness) start(opts webhook.Options) (stop func()) {
	// The endpoints are on loopback.
	opts.Store, opts.Clock, opts.AllowPrivate = h.tx(), h.clk, true
	if opts.Client == nil {
		opts.Client = webhook.Client(true)
	}
	if opts.Rand == nil {
		opts.Rand = rand.New(rand.NewPCG(1, 2))
	}
	ctx, cancel := context.WithCancel(context.Background())
	opts.Observe = func(d store.Delivery) {
		select {
		case h.attempts <- d:
		case <-ctx.Done():
		}
	}
	d := webhook.New(opts)
	done := make(chan struct{})
	h.clk.Go(func() {
		defer close(done)
		if err := d.Run(ctx); err != nil {
			h.t.Errorf("Run: %v", err)
		}
	})
	var once sync.Once
	stop = func() {
		once.Do(func() {
			cancel()
			<-done
		})
	}
	h.t.Cleanup(stop)
	return stop
}

// attempt waits for the record of the next attempt.
func (h *harness) attempt() store.Delivery {
	h.t.Helper()
	select {
	case d := <-h.attempts:
		return d
	case <-time.After(30 * time.Second):
		h.t.Fatal("no attempt was recorded in 30 s")
		return store.Delivery{}
	}
}

func (h *harness) delivery(w store.Webhook, e store.Event) store.Delivery {
	h.t.Helper()
	var d store.Delivery
	err := h.tx().View(context.Background(), func(tx webhook.Tx) (err error) {
		d, err = tx.Delivery(ws, store.DeliveryID(w.ID, e.ID))
		return err
	})
	if err != nil {
		h.t.Fatal(err)
	}
	return d
}

// TestDispatcherDeliversEachEventSigned: every subscribed event reaches
// the endpoint once, in the reference's shape, signed, with its id as
// webhook-id; events the endpoint does not subscribe to, and those from
// before it existed, do not.
func TestDispatcherDeliversEachEventSigned(t *testing.T) {
	eachStore(t, func(t *testing.T, p *teststore.Place) {
		h := newHarness(t, p)
		h.appendEvents(store.EventNewReply) // before the endpoint: not its
		h.clk.Advance(time.Minute)
		secret, _ := sdkwebhook.NewSecret()
		key, _ := sdkwebhook.ParseSecret(secret)
		ep := newEndpoint(t, h.clk, status(204))
		h.addWebhook(ep.URL, func(w *store.Webhook) {
			w.Events = []string{store.EventNewReply, store.EventDMSent}
			w.CreatedAt = h.clk.Now()
		})
		events := h.appendEvents(store.EventNewReply, store.EventAccountPaused, store.EventDMSent)
		h.start(webhook.Options{Keys: func(context.Context, store.Webhook) ([][]byte, error) { return [][]byte{key}, nil }})

		verifier, _ := sdkwebhook.NewVerifier(secret)
		verifier.Now = h.clk.Now
		for _, want := range []store.Event{events[0], events[2]} {
			got := ep.next(t)
			if id := got.header.Get("webhook-id"); id != want.ID {
				t.Errorf("webhook-id %q, want the event's id %q", id, want.ID)
			}
			if err := verifier.Verify(got.header, got.body); err != nil {
				t.Errorf("the delivery of %s does not verify: %v", want.Type, err)
			}
			var body struct{ Event, Timestamp string }
			if err := json.Unmarshal(got.body, &body); err != nil || body.Event != want.Type || body.Timestamp != want.At.UTC().Format(webhook.TimestampFormat) {
				t.Errorf("body %s, want event %s at %s", got.body, want.Type, want.At.Format(webhook.TimestampFormat))
			}
			if d := h.attempt(); d.Status != store.DeliveryDelivered || d.Attempts != 1 || d.LastStatusCode != 204 || len(d.Log) != 1 {
				t.Errorf("delivery record %+v, want delivered at the first attempt, logged", d)
			}
		}
		h.clk.Advance(time.Hour)
		ep.none(t)
	})
}

// TestDispatcherRetriesOnTheBackoffThenFails: an endpoint that answers 500
// gets the first attempt and 3 retries, 30 s, 2 min and 8 min apart within
// a quarter, on the virtual clock, each with the same webhook-id; then the
// delivery has failed for good, with the reason logged for each attempt,
// and a replay delivers it.
func TestDispatcherRetriesOnTheBackoffThenFails(t *testing.T) {
	eachStore(t, func(t *testing.T, p *teststore.Place) {
		h := newHarness(t, p)
		ep := newEndpoint(t, h.clk, status(500))
		w := h.addWebhook(ep.URL, nil)
		ev := h.appendEvents(store.EventNewReply)[0]
		h.start(webhook.Options{})

		first := ep.next(t)
		prev := first.at
		for i, wait := range []time.Duration{30 * time.Second, 2 * time.Minute, 8 * time.Minute} {
			if d := h.attempt(); d.Status != store.DeliveryRetrying || d.Attempts != i+1 {
				t.Fatalf("after attempt %d the delivery is %s with %d attempts, want retrying", i+1, d.Status, d.Attempts)
			}
			got := ep.next(t)
			if gap := got.at.Sub(prev); gap < wait*3/4 || gap > wait*5/4 {
				t.Errorf("retry %d came %v after the attempt before, want %v within a quarter", i+1, gap, wait)
			}
			if got.header.Get("webhook-id") != ev.ID {
				t.Errorf("retry %d has webhook-id %q, want %q", i+1, got.header.Get("webhook-id"), ev.ID)
			}
			prev = got.at
		}
		d := h.attempt()
		if d.Status != store.DeliveryFailed || d.Attempts != 4 || len(d.Log) != 4 || d.LastStatusCode != 500 || d.LastError == "" {
			t.Fatalf("the delivery after 4 attempts: %+v; want failed, with its 4 attempts logged", d)
		}
		for i, a := range d.Log {
			if a.StatusCode != 500 || a.Error == "" || (i < 3) == a.NextAttemptAt.IsZero() {
				t.Errorf("log entry %d: %+v", i+1, a)
			}
		}
		h.clk.Advance(24 * time.Hour)
		ep.none(t)
		if got := h.delivery(w, ev); got.Status != store.DeliveryFailed {
			t.Errorf("stored: %s, want failed", got.Status)
		}
	})
}

// TestDispatcherIsolatesEndpoints: an endpoint that never answers holds
// its own deliveries only; another endpoint gets each event at once.
func TestDispatcherIsolatesEndpoints(t *testing.T) {
	eachStore(t, func(t *testing.T, p *teststore.Place) {
		h := newHarness(t, p)
		release := make(chan struct{})
		slow := newEndpoint(t, h.clk, func(w http.ResponseWriter, r *http.Request) {
			select {
			case <-release:
			case <-r.Context().Done():
			}
		})
		defer close(release)
		fast := newEndpoint(t, h.clk, status(200))
		h.addWebhook(slow.URL, nil)
		h.addWebhook(fast.URL, nil)
		events := h.appendEvents(store.EventNewReply, store.EventDMSent, store.EventDMFailed)
		h.start(webhook.Options{})
		slow.next(t)
		for _, e := range events {
			if got := fast.next(t); got.header.Get("webhook-id") != e.ID {
				t.Errorf("the fast endpoint got %s, want %s", got.header.Get("webhook-id"), e.ID)
			}
			if d := h.attempt(); d.Status != store.DeliveryDelivered {
				t.Errorf("the fast endpoint's delivery: %s", d.Status)
			}
		}
	})
}

// TestDispatcherHonoursRetryAfterAndGone: a 503 with Retry-After waits at
// least that long; a 410 disables the endpoint, says why, and nothing more
// is sent to it.
func TestDispatcherHonoursRetryAfterAndGone(t *testing.T) {
	eachStore(t, func(t *testing.T, p *teststore.Place) {
		h := newHarness(t, p)
		ep := newEndpoint(t, h.clk,
			func(w http.ResponseWriter, _ *http.Request) {
				w.Header().Set("Retry-After", "600")
				w.WriteHeader(503)
			},
			status(410))
		w := h.addWebhook(ep.URL, nil)
		h.appendEvents(store.EventNewReply, store.EventDMSent)
		h.start(webhook.Options{})
		first := ep.next(t)
		if d := h.attempt(); d.NextAttemptAt.Sub(first.at) < 10*time.Minute {
			t.Errorf("after a 503 asking for 600 s, the next attempt is %v later", d.NextAttemptAt.Sub(first.at))
		}
		// The second event is due at once: it gets the 410.
		ep.next(t)
		if d := h.attempt(); d.Status != store.DeliveryFailed || d.LastStatusCode != 410 {
			t.Errorf("after a 410: %s (%d), want failed", d.Status, d.LastStatusCode)
		}
		h.clk.Advance(time.Hour)
		h.appendEvents(store.EventNewReply)
		h.clk.Advance(time.Hour)
		ep.none(t)
		var got store.Webhook
		_ = h.tx().View(context.Background(), func(tx webhook.Tx) (err error) { got, err = tx.Webhook(ws, w.ID); return err })
		if !got.Disabled || got.DisabledReason == "" {
			t.Errorf("the endpoint after a 410: disabled %v, reason %q", got.Disabled, got.DisabledReason)
		}
	})
}

// TestDispatcherRestartLosesNothing: a dispatcher stopped in the middle of
// a backoff leaves the retry in the store; the next one makes it when it
// is due, with the same webhook-id, and nothing is sent twice.
func TestDispatcherRestartLosesNothing(t *testing.T) {
	eachStore(t, func(t *testing.T, p *teststore.Place) {
		h := newHarness(t, p)
		ep := newEndpoint(t, h.clk, status(502), status(200))
		w := h.addWebhook(ep.URL, nil)
		events := h.appendEvents(store.EventNewReply)
		stop := h.start(webhook.Options{})
		first := ep.next(t)
		d := h.attempt()
		stop()
		if d.Status != store.DeliveryRetrying {
			t.Fatalf("after a 502: %s", d.Status)
		}
		h.db.Close()
		h.db = p.Open(t, "test again")
		events = append(events, h.appendEvents(store.EventDMSent)...)
		h.start(webhook.Options{})
		for range events {
			got := ep.next(t)
			id := got.header.Get("webhook-id")
			if id == events[0].ID && got.at.Before(d.NextAttemptAt) {
				t.Errorf("the retry came at %s, before it was due (%s)", got.at, d.NextAttemptAt)
			}
			h.attempt()
		}
		h.clk.Advance(time.Hour)
		ep.none(t)
		for _, e := range events {
			if got := h.delivery(w, e); got.Status != store.DeliveryDelivered {
				t.Errorf("event %s: %s", e.ID, got.Status)
			}
		}
		if first.header.Get("webhook-id") != events[0].ID {
			t.Errorf("first attempt's id %s", first.header.Get("webhook-id"))
		}
	})
}

// recordingSink is a sink that fails its first call, then keeps what it
// gets.
type recordingSink struct {
	mu     sync.Mutex
	calls  int
	events []sdk.Event
	got    chan struct{}
}

func (s *recordingSink) Emit(_ context.Context, events []sdk.Event) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls++
	if s.calls == 1 {
		return errors.New("the destination is down")
	}
	s.events = append(s.events, events...)
	s.got <- struct{}{}
	return nil
}

// TestDispatcherFeedsSinks: a sink gets the events it subscribes to, in
// order, once it takes them: a failed batch comes again whole.
func TestDispatcherFeedsSinks(t *testing.T) {
	eachStore(t, func(t *testing.T, p *teststore.Place) {
		h := newHarness(t, p)
		events := h.appendEvents(store.EventDMSent, store.EventTweetPosted, store.EventNewReply)
		sink := &recordingSink{got: make(chan struct{}, 10)}
		h.start(webhook.Options{Sinks: []webhook.Sink{{Workspace: ws, Name: "crm", Events: []string{store.EventDMSent, store.EventNewReply}, Sink: sink}}})
		select {
		case <-sink.got:
		case <-time.After(30 * time.Second):
			t.Fatal("the sink got nothing")
		}
		sink.mu.Lock()
		defer sink.mu.Unlock()
		if len(sink.events) != 2 || sink.events[0].ID != events[0].ID || sink.events[1].ID != events[2].ID || sink.calls != 2 {
			t.Errorf("the sink got %d events in %d calls: %+v; want dm_sent and new_reply after one failed call", len(sink.events), sink.calls, sink.events)
		}
	})
}

// TestSettle: a foreground apply's last delivery round makes the attempts
// due now and waits for retries due within its window; a retry due later
// is left, counted, in the store.
func TestSettle(t *testing.T) {
	eachStore(t, func(t *testing.T, p *teststore.Place) {
		h := newHarness(t, p)
		ep := newEndpoint(t, h.clk, status(500), status(200))
		w := h.addWebhook(ep.URL, nil)
		sink := &recordingSink{got: make(chan struct{}, 10), calls: 1}
		events := h.appendEvents(store.EventDMSent)
		d := webhook.New(webhook.Options{Store: h.tx(), Clock: h.clk, AllowPrivate: true, Rand: rand.New(rand.NewPCG(1, 2)),
			Sinks: []webhook.Sink{{Workspace: ws, Name: "crm", Sink: sink}}})

		left, err := d.Settle(context.Background(), 10*time.Second)
		if err != nil || left.Waiting != 1 || left.Next.Sub(t0) < 22*time.Second {
			t.Fatalf("Settle with a 10 s window = %+v, %v; want the retry, about 30 s away, left", left, err)
		}
		if len(sink.events) != 1 {
			t.Errorf("the sink got %d events, want 1", len(sink.events))
		}
		left, err = d.Settle(context.Background(), time.Minute)
		if err != nil || left.Waiting != 0 {
			t.Fatalf("Settle with a minute's window = %+v, %v; want nothing left", left, err)
		}
		if got := h.delivery(w, events[0]); got.Status != store.DeliveryDelivered || got.Attempts != 2 {
			t.Errorf("the delivery: %s after %d attempts, want delivered at the second", got.Status, got.Attempts)
		}
		ep.next(t)
		if second := ep.next(t); second.at.Sub(t0) < 22*time.Second {
			t.Errorf("the retry came %v after the first attempt", second.at.Sub(t0))
		}
	})
}

// TestDispatcherFailures: for each way an endpoint fails, the delivery is
// tried the endpoint's number of times, on its backoff, then fails for
// good with each attempt's reason in its log, while a healthy endpoint
// gets the same event at once; replayed (as the service replays it: due
// again, its retries anew) once the endpoint works, it is delivered, under
// the same webhook-id.
func TestDispatcherFailures(t *testing.T) {
	hang := func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() }
	redirect := func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "http://169.254.169.254/latest/meta-data/", http.StatusFound)
	}
	tests := []struct {
		name   string
		answer http.HandlerFunc
		down   bool
		errHas string
	}{
		{"times out", hang, false, "Timeout"},
		{"resets", reset, false, "EOF"},
		{"answers 500", status(500), false, "500"},
		{"redirects inside", redirect, false, "302"},
		{"trickles its answer", trickle, false, "reading the 200 answer"},
		{"is down for the whole retry window", nil, true, "connection refused"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			eachStore(t, func(t *testing.T, p *teststore.Place) {
				h := newHarness(t, p)
				var mu sync.Mutex
				answer := tt.answer
				ep := newEndpoint(t, h.clk, func(w http.ResponseWriter, r *http.Request) {
					mu.Lock()
					a := answer
					mu.Unlock()
					a(w, r)
				})
				url := ep.URL
				if tt.down {
					ep.Close()
				}
				healthy := newEndpoint(t, h.clk, status(200))
				w := store.Webhook{ID: "failing", Workspace: ws, URL: url, Retries: 2, Backoff: time.Minute, CreatedAt: t0, UpdatedAt: t0}
				h.update(func(tx webhook.Tx) error { return tx.PutWebhook(w) })
				h.addWebhook(healthy.URL, nil)
				ev := h.appendEvents(store.EventNewReply)[0]
				client := webhook.Client(true)
				client.Timeout = 300 * time.Millisecond
				h.start(webhook.Options{Client: client})

				var last store.Delivery
				for range 4 { // 3 attempts of the failing endpoint, 1 of the healthy one
					d := h.attempt()
					if d.WebhookID == w.ID {
						last = d
					} else if d.Status != store.DeliveryDelivered {
						t.Errorf("the healthy endpoint's delivery: %s", d.Status)
					}
				}
				if last.Status != store.DeliveryFailed || last.Attempts != 3 || len(last.Log) != 3 {
					t.Fatalf("after 3 attempts: %s, %d attempts, %d logged; want failed for good", last.Status, last.Attempts, len(last.Log))
				}
				for i, a := range last.Log {
					if !strings.Contains(a.Error, tt.errHas) {
						t.Errorf("attempt %d logged %q, want %q in it", i+1, a.Error, tt.errHas)
					}
					if i > 0 {
						gap := a.At.Sub(last.Log[i-1].At)
						want := time.Minute
						if i == 2 {
							want = 4 * time.Minute
						}
						if gap < want*3/4 || gap > want*5/4+time.Second {
							t.Errorf("attempt %d came %v after the one before, want %v within a quarter", i+1, gap, want)
						}
					}
				}
				if !tt.down {
					for range 3 {
						if got := ep.next(t); got.header.Get("webhook-id") != ev.ID {
							t.Errorf("attempt with webhook-id %q, want %q", got.header.Get("webhook-id"), ev.ID)
						}
					}
				}

				// Fixed, and replayed.
				if tt.down {
					return // its port is gone for good
				}
				mu.Lock()
				answer = status(200)
				mu.Unlock()
				h.update(func(tx webhook.Tx) error {
					d, err := tx.Delivery(ws, last.ID)
					d.Status, d.Attempts, d.NextAttemptAt = store.DeliveryPending, 0, h.clk.Now()
					if err != nil {
						return err
					}
					return tx.PutDelivery(d)
				})
				if got := ep.next(t); got.header.Get("webhook-id") != ev.ID {
					t.Errorf("the replay's webhook-id %q, want %q", got.header.Get("webhook-id"), ev.ID)
				}
				if d := h.attempt(); d.Status != store.DeliveryDelivered || len(d.Log) != 4 {
					t.Errorf("after the replay: %s with %d attempts logged; want delivered, the earlier attempts kept", d.Status, len(d.Log))
				}
			})
		})
	}
}

// TestDispatcherGuardsTheURL: without private addresses allowed, an
// endpoint whose URL spells a loopback address as one number fails each
// attempt with the guard's reason, and no request reaches it; a name that
// resolves to loopback is refused where it connects.
func TestDispatcherGuardsTheURL(t *testing.T) {
	h := newHarness(t, teststore.NewBunt(t))
	ep := newEndpoint(t, h.clk, status(200))
	_, port, _ := net.SplitHostPort(ep.Listener.Addr().String())
	for _, host := range []string{"2130706433", "localhost"} {
		w := store.Webhook{ID: host, Workspace: ws, URL: "http://" + host + ":" + port + "/hook", Retries: -1, CreatedAt: t0, UpdatedAt: t0}
		h.update(func(tx webhook.Tx) error { return tx.PutWebhook(w) })
	}
	h.appendEvents(store.EventNewReply)
	d := webhook.New(webhook.Options{Store: h.tx(), Clock: h.clk})
	if _, err := d.Drain(context.Background()); err != nil {
		t.Fatal(err)
	}
	ep.none(t)
	var ds []store.Delivery
	err := h.db.View(context.Background(), func(tx storetest.Tx) error {
		for _, id := range []string{"2130706433", "localhost"} {
			got, err := tx.Deliveries(ws, id, 0)
			if err != nil {
				return err
			}
			ds = append(ds, got...)
		}
		return nil
	})
	if err != nil || len(ds) != 2 {
		t.Fatalf("%d deliveries, %v; want one per endpoint", len(ds), err)
	}
	for _, d := range ds {
		if d.Status != store.DeliveryFailed || !strings.Contains(d.LastError, "not a public address") {
			t.Errorf("delivery to %s: %s, %q; want failed by the guard", d.WebhookID, d.Status, d.LastError)
		}
	}
}

// TestDispatcherNeverSendsUnsigned: an endpoint whose secret cannot be
// opened gets nothing, unsigned or otherwise: each attempt fails with the
// reason in the log.
func TestDispatcherNeverSendsUnsigned(t *testing.T) {
	h := newHarness(t, teststore.NewBunt(t))
	ep := newEndpoint(t, h.clk, status(200))
	w := h.addWebhook(ep.URL, func(w *store.Webhook) { w.Retries = -1 })
	ev := h.appendEvents(store.EventNewReply)[0]
	d := webhook.New(webhook.Options{Store: h.tx(), Clock: h.clk, AllowPrivate: true,
		Keys: func(context.Context, store.Webhook) ([][]byte, error) {
			return nil, errors.New("not a Standard Webhooks secret")
		}})
	if _, err := d.Drain(context.Background()); err != nil {
		t.Fatal(err)
	}
	ep.none(t)
	if got := h.delivery(w, ev); got.Status != store.DeliveryFailed || !strings.Contains(got.LastError, "signing secret cannot be used") {
		t.Errorf("delivery: %s, %q; want failed for the secret", got.Status, got.LastError)
	}
}

// TestDispatcherLeasesEachEndpoint: two processes' dispatchers on one
// Postgres store deliver each event once between them (an endpoint is
// leased to one at a time); when the holder stops, the other takes the
// endpoint over at once.
func TestDispatcherLeasesEachEndpoint(t *testing.T) {
	h := newHarness(t, teststore.NewPostgres(t))
	ep := newEndpoint(t, h.clk, status(200))
	h.addWebhook(ep.URL, nil)
	first := h.appendEvents(store.EventDMSent, store.EventDMSent, store.EventNewReply)
	stopA := h.start(webhook.Options{Owner: "a"})
	h.start(webhook.Options{Owner: "b"})
	ids := map[string]int{}
	for range first {
		ids[ep.next(t).header.Get("webhook-id")]++
		h.attempt()
	}
	stopA()
	second := h.appendEvents(store.EventDMFailed, store.EventNewReply)
	for range second {
		ids[ep.next(t).header.Get("webhook-id")]++
		h.attempt()
	}
	for _, e := range append(first, second...) {
		if ids[e.ID] != 1 {
			t.Errorf("event %s was delivered %d times, want once", e.ID, ids[e.ID])
		}
	}
}
