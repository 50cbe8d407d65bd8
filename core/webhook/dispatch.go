package webhook

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"
	"github.com/hashicorp/go-hclog"

	"github.com/outreachhq/outreach/core/clock"
	"github.com/outreachhq/outreach/core/store"
	"github.com/outreachhq/outreach/sdk"
)

// Tx is what delivery reads and writes.
type Tx interface {
	Workspaces() ([]string, error)
	Webhooks(ws string) ([]store.Webhook, error)
	Webhook(ws, id string) (store.Webhook, error)
	PutWebhook(w store.Webhook) error

	Events(ws string, afterSeq int64, limit int) ([]store.Event, error)
	EventCursor(consumer string) (int64, error)
	SetEventCursor(consumer string, seq int64) error

	PutDelivery(d store.Delivery) error
	Delivery(ws, id string) (store.Delivery, error)
	DueDeliveries(ws, webhookID string, before time.Time, limit int) ([]store.Delivery, error)

	Setting(name string) (string, error)
	PutSetting(name, value string) error
}

// Sink is a sink plugin that receives a workspace's events.
type Sink struct {
	Workspace string
	// Name is the plugin block's name; its cursor is the sink's own.
	Name string
	// Events are the event types it receives; nil for every one.
	Events []string
	Sink   sdk.Sink
}

// Options configure a Dispatcher. Zero values mean the defaults.
type Options struct {
	Store store.Transactor[Tx]
	Clock clock.Clock
	// Client makes the attempts; the default is Client(AllowPrivate).
	Client       *http.Client
	AllowPrivate bool
	// Keys returns the keys that sign a delivery to w made now: its secret
	// and, during a rotation, the one before; none for an unsigned
	// endpoint.
	Keys  func(ctx context.Context, w store.Webhook) ([][]byte, error)
	Sinks []Sink
	// Exclusive says this process alone uses the store (buntdb, under its
	// file lock): endpoints need no lease.
	Exclusive bool
	// Owner names this process in the endpoints' leases.
	Owner string
	// Poll is how often new events and endpoints are looked for. Default 1s.
	Poll   time.Duration
	Rand   *rand.Rand
	Logger hclog.Logger
	// Observe, if set, is called with every delivery record an attempt
	// wrote, once it is committed.
	Observe func(store.Delivery)
}

// Dispatcher delivers the outbox's events: to each webhook endpoint from
// a cursor of its own, through a durable delivery record per event, and to
// each sink in batches. Every endpoint and sink has its own goroutine, so
// one slow or dead receiver never delays another.
type Dispatcher struct {
	opts Options
	clk  clock.Clock
	db   store.Transactor[Tx]
	log  hclog.Logger

	randMu sync.Mutex
	rnd    *rand.Rand
}

// Batch sizes: events read per intake, due deliveries per pass, events per
// sink call.
const (
	intakeBatch = 500
	dueBatch    = 100
	sinkBatch   = 500
)

// stopGrace is how long a delivery in flight (an attempt, a sink's batch)
// may go on once the dispatcher stops: one that ends in time is recorded,
// and is not made again by the next run.
const stopGrace = 5 * time.Second

// graceful returns a context for a delivery in flight: done stopGrace
// after ctx is.
func graceful(ctx context.Context) (context.Context, context.CancelFunc) {
	gctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	stop := context.AfterFunc(ctx, func() { time.AfterFunc(stopGrace, cancel) })
	return gctx, func() {
		stop()
		cancel()
	}
}

// leaseTTL is an endpoint's lease in a store that several processes share:
// longer than two attempts, renewed before each.
const leaseTTL = 3 * Timeout

// New returns a Dispatcher; Run runs it.
func New(opts Options) *Dispatcher {
	if opts.Clock == nil {
		opts.Clock = clock.Real{}
	}
	if opts.Client == nil {
		opts.Client = Client(opts.AllowPrivate)
	}
	if opts.Poll <= 0 {
		opts.Poll = time.Second
	}
	if opts.Owner == "" {
		opts.Owner = uuid.NewString()
	}
	if opts.Keys == nil {
		opts.Keys = func(context.Context, store.Webhook) ([][]byte, error) { return nil, nil }
	}
	if opts.Logger == nil {
		opts.Logger = hclog.NewNullLogger()
	}
	rnd := opts.Rand
	if rnd == nil {
		rnd = rand.New(rand.NewPCG(rand.Uint64(), rand.Uint64()))
	}
	return &Dispatcher{opts: opts, clk: opts.Clock, db: opts.Store, log: opts.Logger, rnd: rnd}
}

// Run delivers until ctx is done. It looks for endpoints every Poll, runs
// each in a goroutine of its own, and stops those removed or disabled.
func (d *Dispatcher) Run(ctx context.Context) error {
	var wg sync.WaitGroup
	defer wg.Wait()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	for _, s := range d.opts.Sinks {
		wg.Add(1)
		d.clk.Go(func() {
			defer wg.Done()
			d.runSink(ctx, s)
		})
	}
	type worker struct {
		stop context.CancelFunc
		done chan struct{}
	}
	running := map[string]worker{}
	for {
		hooks, err := d.endpoints(ctx)
		if err != nil && ctx.Err() == nil {
			d.log.Warn("list webhook endpoints", "error", err)
		}
		for k, w := range running {
			select {
			case <-w.done: // removed or disabled meanwhile
				delete(running, k)
			default:
			}
		}
		if err == nil {
			live := map[string]bool{}
			for _, w := range hooks {
				k := w.Workspace + "/" + w.ID
				live[k] = true
				if _, ok := running[k]; ok {
					continue
				}
				wctx, stop := context.WithCancel(ctx)
				wk := worker{stop: stop, done: make(chan struct{})}
				running[k] = wk
				wg.Add(1)
				d.clk.Go(func() {
					defer wg.Done()
					defer close(wk.done)
					d.runEndpoint(wctx, w.Workspace, w.ID)
				})
			}
			for k, w := range running {
				if !live[k] {
					w.stop()
					delete(running, k)
				}
			}
		}
		if err := clock.Sleep(ctx, d.clk, d.opts.Poll); err != nil {
			return nil
		}
	}
}

// endpoints lists every workspace's enabled endpoints.
func (d *Dispatcher) endpoints(ctx context.Context) ([]store.Webhook, error) {
	var out []store.Webhook
	err := d.db.View(ctx, func(tx Tx) error {
		out = out[:0]
		wss, err := tx.Workspaces()
		if err != nil {
			return err
		}
		for _, ws := range wss {
			hooks, err := tx.Webhooks(ws)
			if err != nil {
				return err
			}
			for _, w := range hooks {
				if !w.Disabled {
					out = append(out, w)
				}
			}
		}
		return nil
	})
	return out, err
}

// Backlog is what waits for a later attempt.
type Backlog struct {
	// Waiting counts the deliveries waiting for an attempt.
	Waiting int
	// Next is when the earliest of them is due; zero if none waits.
	Next time.Time
}

func (b *Backlog) add(o Backlog) {
	b.Waiting += o.Waiting
	if !o.Next.IsZero() && (b.Next.IsZero() || o.Next.Before(b.Next)) {
		b.Next = o.Next
	}
}

// Drain does, once and now, what Run does over time: it takes every event
// committed so far and makes every attempt due now, to each endpoint and
// sink, and tells what is left for later.
func (d *Dispatcher) Drain(ctx context.Context) (Backlog, error) {
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		left Backlog
		errs []error
	)
	note := func(b Backlog, err error) {
		mu.Lock()
		defer mu.Unlock()
		left.add(b)
		if err != nil {
			errs = append(errs, err)
		}
	}
	hooks, err := d.endpoints(ctx)
	if err != nil {
		return left, err
	}
	for _, w := range hooks {
		wg.Go(func() { note(d.drainEndpoint(ctx, w.Workspace, w.ID)) })
	}
	for _, s := range d.opts.Sinks {
		wg.Go(func() {
			if err := d.sinkOnce(ctx, s); err != nil {
				note(Backlog{}, fmt.Errorf("sink %s: %w", s.Name, err))
			}
		})
	}
	wg.Wait()
	return left, errors.Join(errs...)
}

// Settle drains again and again until nothing waits for an attempt due
// within window, and tells what is left. A foreground apply settles before
// it exits; what is left waits in the store for the next run.
func (d *Dispatcher) Settle(ctx context.Context, window time.Duration) (Backlog, error) {
	for {
		left, err := d.Drain(ctx)
		if err != nil || left.Waiting == 0 || left.Next.After(d.clk.Now().Add(window)) {
			return left, err
		}
		if err := d.clk.Wait(ctx, left.Next, nil); err != nil {
			return left, nil
		}
	}
}

func (d *Dispatcher) drainEndpoint(ctx context.Context, ws, id string) (Backlog, error) {
	for {
		p, err := d.endpointOnce(ctx, ws, id)
		if err != nil || p.state != leased {
			return Backlog{}, err
		}
		if !p.more || ctx.Err() != nil {
			break
		}
	}
	var left Backlog
	err := d.db.View(ctx, func(tx Tx) error {
		ds, err := tx.DueDeliveries(ws, id, farFuture, 0)
		if len(ds) > 0 {
			left = Backlog{Waiting: len(ds), Next: ds[0].NextAttemptAt}
		}
		return err
	})
	return left, err
}

var farFuture = time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)

// maxErrWait bounds the wait of an endpoint's loop after errors.
const maxErrWait = time.Minute

// runEndpoint delivers to one endpoint until ctx is done or the endpoint
// is removed or disabled. While another process holds its lease, it waits
// for the lease to end.
func (d *Dispatcher) runEndpoint(ctx context.Context, ws, id string) {
	defer func() {
		if err := d.release(context.WithoutCancel(ctx), ws, id); err != nil {
			d.log.Warn("release a webhook's lease", "webhook", id, "error", err)
		}
	}()
	var errWait time.Duration
	for ctx.Err() == nil {
		p, err := d.endpointOnce(ctx, ws, id)
		wait := d.opts.Poll
		switch {
		case ctx.Err() != nil:
			return
		case err != nil:
			// The store failing: try again later, less and less often.
			errWait = min(max(2*errWait, d.opts.Poll), maxErrWait)
			wait = errWait
			d.log.Warn("webhook delivery", "workspace", ws, "webhook", id, "error", err, "retry_in", wait)
		case p.state == gone:
			return
		case p.more:
			errWait = 0
			continue
		default:
			errWait = 0
		}
		until := d.clk.Now().Add(wait)
		if !p.next.IsZero() && p.next.Before(until) {
			until = p.next
		}
		if d.clk.Wait(ctx, until, nil) != nil {
			return
		}
	}
}

// pass is what one round of an endpoint did.
type pass struct {
	state leaseState
	// more: there is more to do at once (a full batch was read).
	more bool
	// next is when the next thing is due: the earliest delivery left, or
	// the end of another process's lease; zero if nothing is.
	next time.Time
}

// endpointOnce takes the endpoint's new events and makes the attempts due
// now, if the endpoint is this process's.
func (d *Dispatcher) endpointOnce(ctx context.Context, ws, id string) (pass, error) {
	w, st, until, err := d.lease(ctx, ws, id)
	if err != nil || st != leased {
		return pass{state: st, next: until}, err
	}
	more, err := d.intake(ctx, w)
	if err != nil {
		return pass{}, err
	}
	p, err := d.attemptDue(ctx, w)
	p.more = p.more || more
	return p, err
}

// leaseState is what lease found.
type leaseState int

const (
	// leased: the endpoint is this process's to deliver to.
	leased leaseState = iota
	// gone: removed or disabled.
	gone
	// busy: another process holds its lease.
	busy
)

// lease loads the endpoint and, in a store that several processes share,
// takes or renews its lease; busy comes with when the holder's ends.
func (d *Dispatcher) lease(ctx context.Context, ws, id string) (w store.Webhook, st leaseState, until time.Time, err error) {
	do := d.db.Update
	if d.opts.Exclusive {
		do = d.db.View
	}
	err = do(ctx, func(tx Tx) error {
		var err error
		w, err = tx.Webhook(ws, id)
		switch {
		case store.IsNotFound(err) || (err == nil && w.Disabled):
			st = gone
			return nil
		case err != nil:
			return err
		}
		st = leased
		if d.opts.Exclusive {
			return nil
		}
		v, err := tx.Setting(leaseName(ws, id))
		if err != nil {
			return err
		}
		now := d.clk.Now()
		owner, expires := parseLease(v)
		switch {
		case owner != "" && owner != d.opts.Owner && now.Before(expires):
			st, until = busy, expires
			return nil
		case owner == d.opts.Owner && expires.Sub(now) > leaseTTL/2:
			return nil // ours for a while yet: no write each round
		}
		return tx.PutSetting(leaseName(ws, id), d.opts.Owner+" "+strconv.FormatInt(now.Add(leaseTTL).UnixNano(), 10))
	})
	return w, st, until, err
}

// release gives the endpoint's lease back, if this process holds it, so
// that another process can take over at once.
func (d *Dispatcher) release(ctx context.Context, ws, id string) error {
	if d.opts.Exclusive {
		return nil
	}
	return d.db.Update(ctx, func(tx Tx) error {
		v, err := tx.Setting(leaseName(ws, id))
		if owner, _ := parseLease(v); err != nil || owner != d.opts.Owner {
			return err
		}
		return tx.PutSetting(leaseName(ws, id), "")
	})
}

// An endpoint's lease is a setting: "OWNER EXPIRES" (Unix nanoseconds).
func leaseName(ws, id string) string { return "webhook-lease/" + ws + "/" + id }

func parseLease(v string) (owner string, expires time.Time) {
	owner, ns, ok := strings.Cut(v, " ")
	n, err := strconv.ParseInt(ns, 10, 64)
	if !ok || err != nil {
		return "", time.Time{}
	}
	return owner, time.Unix(0, n)
}

// cursorOf names an endpoint's cursor, and sinkCursor a sink's.
func cursorOf(w store.Webhook) string { return "webhook/" + w.ID }

func sinkCursor(s Sink) string { return "sink/" + s.Workspace + "/" + s.Name }

// intake makes a delivery record for each event after the endpoint's
// cursor that it subscribes to, and moves the cursor past them, in one
// transaction: a crash loses nothing, and a slow endpoint holds nothing
// back. Events from before the endpoint existed are not its. more reports
// a full batch.
func (d *Dispatcher) intake(ctx context.Context, w store.Webhook) (more bool, err error) {
	err = d.db.Update(ctx, func(tx Tx) error {
		cursor, err := tx.EventCursor(cursorOf(w))
		if err != nil {
			return err
		}
		events, err := tx.Events(w.Workspace, cursor, intakeBatch)
		if err != nil || len(events) == 0 {
			return err
		}
		more = len(events) == intakeBatch
		now := d.clk.Now().UTC()
		for _, ev := range events {
			if ev.At.Before(w.CreatedAt) || !subscribed(w.Events, ev.Type) {
				continue
			}
			err := tx.PutDelivery(store.Delivery{
				ID: store.DeliveryID(w.ID, ev.ID), Workspace: w.Workspace, WebhookID: w.ID,
				EventID: ev.ID, EventSeq: ev.Seq, EventType: ev.Type,
				Status: store.DeliveryPending, NextAttemptAt: now, CreatedAt: now, UpdatedAt: now,
			})
			if err != nil {
				return err
			}
		}
		return tx.SetEventCursor(cursorOf(w), events[len(events)-1].Seq)
	})
	return more, err
}

func subscribed(events []string, typ string) bool {
	return len(events) == 0 || slices.Contains(events, typ)
}

// attemptDue makes the attempts due now, one after the other, and records
// each.
func (d *Dispatcher) attemptDue(ctx context.Context, w store.Webhook) (p pass, err error) {
	now := d.clk.Now()
	// One read: the deliveries due now with their events, and when the
	// first one not due yet is.
	var (
		due    []store.Delivery
		events []store.Event
	)
	err = d.db.View(ctx, func(tx Tx) error {
		due, events, p.next = nil, nil, time.Time{}
		waiting, err := tx.DueDeliveries(w.Workspace, w.ID, farFuture, dueBatch)
		if err != nil {
			return err
		}
		for _, dl := range waiting {
			if dl.NextAttemptAt.After(now) {
				p.next = dl.NextAttemptAt
				break
			}
			ev, err := eventOf(tx, dl)
			if err != nil {
				return err
			}
			due, events = append(due, dl), append(events, ev)
		}
		return nil
	})
	if err != nil || len(due) == 0 {
		return p, err
	}
	p.more = len(due) == dueBatch
	// A secret that cannot be opened fails each attempt, with the reason
	// in the log: deliveries are never sent unsigned in its place.
	keys, keysErr := d.opts.Keys(ctx, w)
	ep := Endpoint{URL: w.URL, Keys: keys, Retries: w.Retries, Backoff: w.Backoff}
	if keysErr != nil {
		ep.refused = fmt.Errorf("the endpoint's signing secret cannot be used: %w", keysErr)
	} else {
		ep.refused = d.checkURL(ep.URL)
	}
	for i, dl := range due {
		if ctx.Err() != nil {
			return p, nil
		}
		var until time.Time
		if _, p.state, until, err = d.lease(ctx, w.Workspace, w.ID); err != nil || p.state != leased {
			p.next = until
			return p, err
		}
		dl, disabled, err := d.attempt(ctx, w, ep, dl, events[i])
		if err != nil || disabled {
			if disabled {
				p.state = gone
			}
			return p, err
		}
		if dl.Due() && (p.next.IsZero() || dl.NextAttemptAt.Before(p.next)) {
			p.next = dl.NextAttemptAt
		}
	}
	return p, nil
}

// eventOf reads the event a delivery delivers.
func eventOf(tx Tx, dl store.Delivery) (store.Event, error) {
	evs, err := tx.Events(dl.Workspace, dl.EventSeq-1, 1)
	if err == nil && (len(evs) == 0 || evs[0].ID != dl.EventID) {
		err = fmt.Errorf("event %s (%d) is not in the outbox", dl.EventID, dl.EventSeq)
	}
	if err != nil {
		return store.Event{}, err
	}
	return evs[0], nil
}

// checkURL is CheckURL, unless private addresses are allowed: a URL the
// guard refuses as written (an address in any spelling) fails its attempts
// without a packet sent; a name is checked where it resolves, when each
// attempt connects (Control).
func (d *Dispatcher) checkURL(u string) error {
	if d.opts.AllowPrivate {
		return nil
	}
	return CheckURL(u)
}

// attempt makes one attempt of a delivery of ev and records it, and
// returns the record; disabled reports that the endpoint answered 410 and
// is now disabled.
func (d *Dispatcher) attempt(ctx context.Context, w store.Webhook, ep Endpoint, dl store.Delivery, ev store.Event) (_ store.Delivery, disabled bool, err error) {
	body, err := Payload(ev)
	if err != nil {
		return dl, false, err
	}
	var (
		a   Attempt
		cut bool
	)
	if ep.refused != nil {
		a = Attempt{At: d.clk.Now(), Err: ep.refused.Error()}
	} else {
		actx, cancel := graceful(ctx)
		a = Deliver(actx, d.opts.Client, ep, ev.ID, body, d.clk.Now)
		cut = actx.Err() != nil
		cancel()
	}
	if cut && !a.Delivered() {
		// Stopped mid-attempt: it is due again, as after a crash.
		return dl, false, nil
	}
	dl.Attempts++
	d.randMu.Lock()
	next, retry := ep.NextTry(a, dl.Attempts, d.rnd)
	d.randMu.Unlock()
	switch {
	case a.Delivered():
		dl.Status, dl.NextAttemptAt = store.DeliveryDelivered, time.Time{}
	case retry:
		dl.Status, dl.NextAttemptAt = store.DeliveryRetrying, next
	default:
		dl.Status, dl.NextAttemptAt = store.DeliveryFailed, time.Time{}
	}
	dl.LastStatusCode, dl.LastError, dl.UpdatedAt = a.Status, a.Err, a.At.UTC()
	dl.Log = append(dl.Log, store.DeliveryAttempt{
		At: a.At.UTC(), StatusCode: a.Status, DurationMS: a.Duration.Milliseconds(), Error: a.Err, NextAttemptAt: dl.NextAttemptAt,
	})
	if len(dl.Log) > store.MaxDeliveryLog {
		dl.Log = dl.Log[len(dl.Log)-store.MaxDeliveryLog:]
	}
	err = d.db.Update(context.WithoutCancel(ctx), func(tx Tx) error {
		if err := tx.PutDelivery(dl); err != nil {
			return err
		}
		if !a.Gone() {
			return nil
		}
		cur, err := tx.Webhook(w.Workspace, w.ID)
		if store.IsNotFound(err) {
			return nil
		} else if err != nil {
			return err
		}
		cur.Disabled = true
		cur.DisabledReason = fmt.Sprintf("the endpoint answered 410 Gone at %s; enable it again once it takes deliveries", a.At.UTC().Format(time.RFC3339))
		cur.UpdatedAt = a.At.UTC()
		return tx.PutWebhook(cur)
	})
	if err != nil {
		return dl, false, err
	}
	if d.opts.Observe != nil {
		d.opts.Observe(dl)
	}
	switch {
	case a.Gone():
		d.log.Warn("webhook endpoint disabled: it answered 410 Gone", "workspace", w.Workspace, "webhook", w.ID, "url", w.URL)
	case dl.Status == store.DeliveryFailed:
		d.log.Warn("webhook delivery failed for good", "workspace", w.Workspace, "webhook", w.ID, "event", ev.ID, "type", ev.Type, "attempts", dl.Attempts, "error", a.Err)
	case dl.Status == store.DeliveryRetrying:
		d.log.Debug("webhook delivery will be retried", "webhook", w.ID, "event", ev.ID, "attempt", dl.Attempts, "next", dl.NextAttemptAt, "error", a.Err)
	}
	return dl, a.Gone(), nil
}
