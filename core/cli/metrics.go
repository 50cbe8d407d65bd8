package cli

import (
	"context"
	"sync"

	"github.com/outreachhq/outreach/core/api"
	"github.com/outreachhq/outreach/core/engine"
	"github.com/outreachhq/outreach/core/store"
)

// serveMetrics feeds serve's /metrics from the engine's events, the
// webhook deliveries and the plugin host. A nil *serveMetrics (every
// command but serve) passes everything through untouched.
type serveMetrics struct {
	*api.Metrics
	pending func(ctx context.Context, ws string) (int, error)

	mu         sync.Mutex
	workspaces map[string]bool
}

// newServeMetrics makes the metrics; pending counts a workspace's pending
// jobs, read on scrape for every workspace named in workspaces or seen in
// the engine's events since.
func newServeMetrics(pending func(ctx context.Context, ws string) (int, error), workspaces ...string) *serveMetrics {
	m := &serveMetrics{pending: pending, workspaces: map[string]bool{}}
	for _, ws := range workspaces {
		m.workspaces[ws] = true
	}
	m.Metrics = api.NewMetrics(m.queueDepth)
	return m
}

func (m *serveMetrics) queueDepth(ctx context.Context) (map[string]int, error) {
	m.mu.Lock()
	wss := make([]string, 0, len(m.workspaces))
	for ws := range m.workspaces {
		wss = append(wss, ws)
	}
	m.mu.Unlock()
	out := map[string]int{}
	for _, ws := range wss {
		n, err := m.pending(ctx, ws)
		if err != nil {
			return nil, err
		}
		out[ws] = n
	}
	return out, nil
}

// observeEngine returns an engine observer that counts DMs and replies,
// then calls next (if any).
func (m *serveMetrics) observeEngine(next func(engine.Event)) func(engine.Event) {
	if m == nil {
		return next
	}
	return func(ev engine.Event) {
		if ev.Workspace != "" {
			m.mu.Lock()
			m.workspaces[ev.Workspace] = true
			m.mu.Unlock()
		}
		switch ev.Kind {
		case engine.Sent:
			m.DMSent(ev.AccountID)
		case engine.Failed:
			if ev.AccountID != "" { // a scrape's failure names no account
				m.DMFailed(ev.AccountID)
			}
		case engine.Replied:
			m.Replied(ev.AccountID)
		}
		if next != nil {
			next(ev)
		}
	}
}

// observeDelivery returns a webhook observer that counts attempts by the
// state they left the delivery in; nil without metrics.
func (m *serveMetrics) observeDelivery() func(store.Delivery) {
	if m == nil {
		return nil
	}
	return func(d store.Delivery) { m.Delivery(d.Status) }
}

// pluginRestarted counts a plugin relaunch; nothing without metrics.
func (m *serveMetrics) pluginRestarted(plugin string) {
	if m != nil {
		m.PluginRestarted(plugin)
	}
}
