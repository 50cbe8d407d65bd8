package cli

import (
	"context"
	"fmt"
	"os"
	"slices"
	"time"

	"github.com/hashicorp/go-hclog"

	"github.com/outreachhq/outreach/core/clock"
	"github.com/outreachhq/outreach/core/config"
	"github.com/outreachhq/outreach/core/store"
	"github.com/outreachhq/outreach/core/store/bunt"
	"github.com/outreachhq/outreach/core/store/postgres"
	"github.com/outreachhq/outreach/core/webhook"
	"github.com/outreachhq/outreach/sdk"
)

// deliveries runs the delivery of the outbox's events, to webhook
// endpoints and sink plugins, beside the engine.
type deliveries struct {
	d   *webhook.Dispatcher
	clk clock.Clock
	// stop is set while the deliveries run; done closes when they end.
	stop context.CancelFunc
	done chan struct{}
}

// settleWindow is how long a foreground apply waits, once its work is
// done, for webhook retries: the first retry's, with its jitter.
const settleWindow = time.Minute

// newDeliveries prepares the delivery of events: to every workspace's
// webhook endpoints, and to the sink plugins cfg declares (none without a
// configuration or a runtime), launched now. allowPrivate lifts the guard
// against internal addresses. Start starts it.
func (g *global) newDeliveries(ctx context.Context, b *backend, rt *runtime, cfg *config.Config, allowPrivate bool, log hclog.Logger) (*deliveries, error) {
	var sinks []webhook.Sink
	if cfg != nil && rt != nil {
		var err error
		if sinks, err = configSinks(ctx, rt, cfg); err != nil {
			return nil, err
		}
	}
	host, _ := os.Hostname()
	d := webhook.New(webhook.Options{
		Store:        b.webhookStore(),
		Clock:        g.opts.Clock,
		AllowPrivate: allowPrivate,
		Keys:         b.svc.WebhookKeys,
		Sinks:        sinks,
		Exclusive:    b.pg == nil,
		Owner:        fmt.Sprintf("%s/%d", host, os.Getpid()),
		Logger:       log.Named("webhooks"),
		Observe:      g.metrics.observeDelivery(),
	})
	return &deliveries{d: d, clk: g.opts.Clock, done: make(chan struct{})}, nil
}

// Start runs the deliveries until ctx is done or Close.
func (ds *deliveries) Start(ctx context.Context) {
	ctx, ds.stop = context.WithCancel(ctx)
	// An actor of the clock: on a test's virtual clock, time moves only
	// while the deliveries wait too.
	ds.clk.Go(func() {
		defer close(ds.done)
		_ = ds.d.Run(ctx)
	})
}

// Close stops the deliveries and waits for them: an attempt cut short is
// made again by the next run, as after a crash.
func (ds *deliveries) Close() {
	if ds.stop != nil {
		ds.stop()
		<-ds.done
		ds.stop = nil
	}
}

// settleDeliveries stops the background deliveries, then delivers what is
// due now or within settleWindow, and says what is left for the next run.
func (g *global) settleDeliveries(ctx context.Context, ds *deliveries) {
	ds.Close()
	left, err := ds.d.Settle(ctx, settleWindow)
	if err != nil && ctx.Err() == nil {
		fmt.Fprintf(g.opts.Stderr, "Warning: event delivery: %v\n", err)
	}
	if left.Waiting > 0 {
		fmt.Fprintf(g.opts.Stdout, "\n%d webhook deliveries wait for a retry (the next at %s); `outreach serve` or the next apply makes them.\n",
			left.Waiting, left.Next.Local().Format(time.TimeOnly))
	}
}

// configSinks are the sink plugins cfg declares, launched and configured.
func configSinks(ctx context.Context, rt *runtime, cfg *config.Config) ([]webhook.Sink, error) {
	var sinks []webhook.Sink
	for _, p := range cfg.Plugins {
		info, _, err := rt.host.Info(ctx, p.Name)
		if err != nil {
			return nil, fmt.Errorf("plugin %q: %w", p.Name, err)
		}
		if !slices.Contains(info.Kinds, sdk.KindSink) {
			continue
		}
		s, err := rt.host.Sink(p.Name, nil)
		if err != nil {
			return nil, err
		}
		sinks = append(sinks, webhook.Sink{Workspace: cfg.Workspace(), Name: p.Name, Events: p.Events, Sink: s})
	}
	return sinks, nil
}

func (b *backend) webhookStore() store.Transactor[webhook.Tx] {
	if b.pg != nil {
		return store.Narrow(b.pg, func(tx *postgres.Tx) webhook.Tx { return tx })
	}
	return store.Narrow(b.bs, func(tx *bunt.Tx) webhook.Tx { return tx })
}
