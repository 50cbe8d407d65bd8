package api

import (
	"context"
	"net"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// MetricsPath is where the Prometheus metrics are served.
const MetricsPath = "/metrics"

// Metrics are the server's figures for Prometheus: API requests, DMs,
// replies, the job queue, webhook deliveries and plugin restarts. The API
// counts its requests itself; the process that runs the engine, the
// deliveries and the plugin host reports the rest through its methods.
// The zero value is not usable: make one with NewMetrics.
type Metrics struct {
	reg        *prometheus.Registry
	requests   *prometheus.CounterVec
	dmsSent    *prometheus.CounterVec
	dmsFailed  *prometheus.CounterVec
	replies    *prometheus.CounterVec
	deliveries *prometheus.CounterVec
	restarts   *prometheus.CounterVec

	mu    sync.Mutex
	depth func(context.Context) (map[string]int, error)
}

// NewMetrics makes the metrics, with Go's and the process's own beside
// them. queueDepth, if set, gives the pending jobs by workspace; it is
// read on every scrape, so it must be cheap.
func NewMetrics(queueDepth func(context.Context) (map[string]int, error)) *Metrics {
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "outreach_api_requests_total",
			Help: "API requests answered, by operation (its OperationID; none for routes without one) and HTTP status.",
		}, []string{"operation", "status"}),
		dmsSent: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "outreach_dms_sent_total",
			Help: "DMs sent (first DMs, follow-ups and manual ones), by account id.",
		}, []string{"account"}),
		dmsFailed: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "outreach_dms_failed_total",
			Help: "Jobs that failed for good or were parked for review, by account id.",
		}, []string{"account"}),
		replies: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "outreach_replies_total",
			Help: "Leads' first replies, by account id.",
		}, []string{"account"}),
		deliveries: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "outreach_webhook_deliveries_total",
			Help: "Webhook delivery attempts, by outcome: delivered, retrying (failed, to be tried again) or failed (for good).",
		}, []string{"outcome"}),
		restarts: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "outreach_plugin_restarts_total",
			Help: "Plugins relaunched after a crash or a hang, by plugin.",
		}, []string{"plugin"}),
		depth: queueDepth,
	}
	m.reg.MustRegister(m.requests, m.dmsSent, m.dmsFailed, m.replies, m.deliveries, m.restarts,
		queueCollector{m}, prometheus.NewGoCollector(), prometheus.NewProcessCollector(prometheus.ProcessCollectorOpts{}))
	return m
}

// DMSent counts a DM sent from an account.
func (m *Metrics) DMSent(account string) { m.dmsSent.WithLabelValues(account).Inc() }

// DMFailed counts a job of an account that failed for good.
func (m *Metrics) DMFailed(account string) { m.dmsFailed.WithLabelValues(account).Inc() }

// Replied counts a lead's first reply to an account.
func (m *Metrics) Replied(account string) { m.replies.WithLabelValues(account).Inc() }

// Delivery counts a webhook delivery attempt by the state it left the
// delivery in (store.Delivery.Status).
func (m *Metrics) Delivery(status string) { m.deliveries.WithLabelValues(status).Inc() }

// PluginRestarted counts a plugin relaunched after a failure.
func (m *Metrics) PluginRestarted(plugin string) { m.restarts.WithLabelValues(plugin).Inc() }

// request counts a request answered.
func (m *Metrics) request(operation string, status int) {
	m.requests.WithLabelValues(operation, strconv.Itoa(status)).Inc()
}

var queueDesc = prometheus.NewDesc("outreach_queue_pending_jobs", "Jobs waiting to run, by workspace.", []string{"workspace"}, nil)

// queueCollector reads the queue's depth on scrape.
type queueCollector struct{ m *Metrics }

func (c queueCollector) Describe(ch chan<- *prometheus.Desc) { ch <- queueDesc }

func (c queueCollector) Collect(ch chan<- prometheus.Metric) {
	if c.m.depth == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	byWS, err := c.m.depth(ctx)
	if err != nil {
		ch <- prometheus.NewInvalidMetric(queueDesc, err)
		return
	}
	for ws, n := range byWS {
		ch <- prometheus.MustNewConstMetric(queueDesc, prometheus.GaugeValue, float64(n), ws)
	}
}

// metricsHandler serves the metrics in Prometheus's text format: to
// loopback clients only, unless public (serve --metrics-public). Others
// get 404, as if there were none, since the figures name accounts and
// workspaces.
func (m *Metrics) metricsHandler(public bool) http.Handler {
	h := promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{})
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !public && !fromLoopback(r) {
			writeError(w, newError(http.StatusNotFound, "No endpoint "+r.Method+" "+r.URL.Path))
			return
		}
		h.ServeHTTP(w, r)
	})
}

// documentMetrics puts GET /metrics in the OpenAPI document: served by
// Prometheus's handler, not an operation of huma's.
func documentMetrics(oapi *huma.OpenAPI) {
	oapi.AddOperation(&huma.Operation{
		OperationID: "get-metrics",
		Method:      http.MethodGet,
		Path:        MetricsPath,
		Summary:     "Prometheus metrics",
		Description: "The server's figures in Prometheus's text format: API requests by operation and status, DMs sent and failed " +
			"and replies by account, pending jobs by workspace, webhook delivery attempts by outcome, plugin restarts, and Go's and " +
			"the process's own. Needs no API key; served to loopback clients only (others get 404) unless the server runs with " +
			"--metrics-public.",
		Tags:     []string{"Health"},
		Security: []map[string][]string{},
		Responses: map[string]*huma.Response{
			"200": {
				Description: "The metrics.",
				Content: map[string]*huma.MediaType{"text/plain": {
					Schema:  &huma.Schema{Type: huma.TypeString},
					Example: "# HELP outreach_dms_sent_total DMs sent (first DMs, follow-ups and manual ones), by account id.\n# TYPE outreach_dms_sent_total counter\noutreach_dms_sent_total{account=\"550e8400-e29b-41d4-a716-446655440000\"} 42\n",
				}},
			},
			"404": {Description: "Not served to this client: it is not on the loopback interface and the server does not run with --metrics-public."},
		},
	})
}

// fromLoopback reports whether r came from a loopback address. A reverse
// proxy on the same machine makes every request look so: put /metrics
// behind its own access rule there.
func fromLoopback(r *http.Request) bool {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return false
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// countingWriter keeps the status a handler answers with.
type countingWriter struct {
	http.ResponseWriter
	status int
}

func (w *countingWriter) WriteHeader(status int) {
	if w.status == 0 {
		w.status = status
	}
	w.ResponseWriter.WriteHeader(status)
}

func (w *countingWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the connection's writer.
func (w *countingWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
