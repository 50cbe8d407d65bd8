package api

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"net/http"
	"runtime/debug"
	"slices"
	"strings"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/adapters/humago"
	gojson "github.com/goccy/go-json"

	"github.com/outreachhq/outreach/core/api/docsui"
	"github.com/outreachhq/outreach/core/service"
)

// Service is what the API needs from the service layer, and no more. Each
// resource file declares the operations it calls (accountsService in
// accounts.go, ...); *service.Service implements them all.
type Service interface {
	// Authenticate returns the workspace an API key belongs to, or
	// service.ErrUnauthorized for an unknown or revoked key.
	Authenticate(ctx context.Context, apiKey string) (workspace string, err error)
	accountsService
	credentialsService
	sourcesService
	campaignsService
	conversationsService
	crmService
	tweetsService
	webhooksService
	leadsService
	reviewService
	planService
}

var _ Service = (*service.Service)(nil)

// APIVersion is the version of the REST API this server implements.
const APIVersion = "1.0.0"

// Options configures a Server. Only Service is required.
type Options struct {
	// Service performs the operations.
	Service Service
	// Version is shown in the OpenAPI document's info; default APIVersion.
	// It is the API's version, not the build's, so the document checked in
	// as schema/openapi.yaml is what every build serves.
	Version string
	// Now is the clock the rate limiter reads; nil means time.Now.
	Now func() time.Time
	// RateLimit is the number of requests per minute per API key; zero or
	// less means 60, the hosted API's limit.
	RateLimit int
	// RevealSecrets makes GET /accounts return cookie values and proxy
	// passwords whole, as the hosted API does; by default they are masked
	// (settings { reveal_secrets = true }).
	RevealSecrets bool
	// Logger receives internal errors, which clients never see; nil means
	// slog.Default().
	Logger *slog.Logger
	// Health, if set, checks the store for GET /healthz.
	Health func(context.Context) error
	// Admin, if set with AdminToken, is served under AdminPath to whoever
	// has the operator's credential (see adminGate): River's UI, which
	// shows every workspace's queue.
	Admin      http.Handler
	AdminToken string
	// Metrics, if set, counts every request by operation and status and is
	// served at /metrics to loopback clients, or to anyone when
	// MetricsPublic is set (serve --metrics-public).
	Metrics       *Metrics
	MetricsPublic bool
	// Dashboard, if set, serves every path outside /api/v1 that no route
	// of the API matches (the web dashboard, at /).
	Dashboard http.Handler
}

const (
	// apiPrefix is where the hosted API's paths live.
	apiPrefix        = "/api/v1"
	defaultRateLimit = 60
	apiTitle         = "Outreach API"
	apiDescription   = "Self-hosted X (Twitter) outreach automation, wire-compatible with the hosted API: " +
		"same paths, fields, status codes and headers.\n\n" +
		"Every request under /api/v1 needs an API key (sk_live_...) in X-API-Key or as a bearer token. " +
		"Requests are limited per key per minute; every response carries X-Request-ID and X-RateLimit-* headers. " +
		"Errors are {\"error\": \"...\", \"message\": \"...\"}.\n\n" +
		"GET /metrics serves Prometheus metrics without a key, to loopback clients only (others get 404) " +
		"unless the server runs with --metrics-public."
)

// Server is the REST API: a huma API on a net/http mux, with the gate
// (authentication and rate limits) in front of /api/v1.
type Server struct {
	svc     Service
	reveal  bool
	log     *slog.Logger
	limiter *rateLimiter
	mux     *http.ServeMux
	api     huma.API
	v1      *huma.Group // the operations under /api/v1
	handler http.Handler
	metrics *Metrics
	// dashboard serves what no route matches outside /api/v1, if set.
	dashboard http.Handler
	// operations maps a mux pattern ("GET /api/v1/accounts") to its
	// OperationID, for the request counter.
	operations map[string]string
}

// New builds the API and registers every operation. It starts nothing and
// listens nowhere: serve Handler with an http.Server.
func New(opts Options) *Server {
	if opts.Version == "" {
		opts.Version = APIVersion
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.RateLimit <= 0 {
		opts.RateLimit = defaultRateLimit
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	s := &Server{
		svc:       opts.Service,
		reveal:    opts.RevealSecrets,
		log:       opts.Logger,
		limiter:   newRateLimiter(opts.RateLimit, opts.Now),
		mux:       http.NewServeMux(),
		metrics:   cmp.Or(opts.Metrics, NewMetrics(nil)),
		dashboard: opts.Dashboard,
	}
	s.api = humago.New(routeMux{
		ServeMux: s.mux,
		gate:     s.gate,
		replace:  openAPI30Handlers(func() huma.API { return s.api }),
	}, config(opts.Version))
	documentWebhooks(s.api.OpenAPI())

	s.v1 = huma.NewGroup(s.api, apiPrefix)
	s.v1.UseSimpleModifier(documentOperation)
	registerAccounts(s.v1, s.svc, s.reveal)
	registerCredentials(s.v1, s.svc)
	registerSources(s.v1, s.svc)
	registerCampaigns(s.v1, s.svc)
	registerConversations(s.v1, s.svc)
	registerCRM(s.v1, s.svc)
	registerTweets(s.v1, s.svc)
	registerWebhooks(s.v1, s.svc)
	registerLeads(s.v1, s.svc)
	registerReview(s.v1, s.svc)
	registerPlan(s.v1, s.svc)
	registerHealth(s.api, opts.Health, s.log)
	if opts.Admin != nil && opts.AdminToken != "" {
		s.mux.Handle(AdminPath+"/", adminGate(opts.AdminToken, opts.Admin))
		s.mux.Handle(AdminPath, http.RedirectHandler(AdminPath+"/", http.StatusMovedPermanently))
	}
	s.mux.Handle("GET "+MetricsPath, s.metrics.metricsHandler(opts.MetricsPublic))
	documentMetrics(s.api.OpenAPI())
	s.operations = map[string]string{}
	for _, op := range documentedOperations(s.api.OpenAPI()) {
		s.operations[op.Method+" "+op.Path] = op.ID
	}
	docs := docsui.Handler(docsPath, apiTitle, "/openapi.json")
	s.mux.Handle("GET "+docsPath, docs)
	s.mux.Handle("GET "+docsPath+"/", docs)

	s.handler = withRequestID(s.log, recoverPanics(http.HandlerFunc(s.route)))
	return s
}

// docsPath is where the interactive API documentation is served.
const docsPath = "/docs"

// Handler serves everything: the operations under /api/v1, the OpenAPI
// document at /openapi.yaml and /openapi.json (3.0 at /openapi-3.0.yaml and
// /openapi-3.0.json) and the documentation at /docs, the latter two without
// authentication.
func (s *Server) Handler() http.Handler { return s.handler }

// OpenAPIYAML returns the OpenAPI document that /openapi.yaml serves.
func (s *Server) OpenAPIYAML() ([]byte, error) { return s.api.OpenAPI().YAML() }

// config is huma's default configuration minus what the hosted API does
// not have.
func config(version string) huma.Config {
	cfg := huma.DefaultConfig(apiTitle, version)
	cfg.Info.Description = apiDescription
	// Where `outreach serve` listens by default; generated clients take
	// their base URL from here unless told another.
	cfg.Servers = []*huma.Server{{URL: "http://127.0.0.1:8080", Description: "outreach serve on its default address (--addr)"}}
	// DefaultConfig's only create hook installs the SchemaLinkTransformer,
	// which adds a "$schema" field to every response body and a
	// `Link: <...>; rel="describedBy"` header. The hosted API's bodies have
	// neither, and clients that decode strictly would choke on the field.
	cfg.CreateHooks = nil
	// /schemas only served the link transformer's targets.
	cfg.SchemasPath = ""
	// huma's /docs page loads its script from a public CDN, so it shows
	// nothing on a machine without internet access; the server serves its
	// own page with embedded assets instead (package docsui).
	cfg.DocsPath = ""
	// Responses are encoded with goccy/go-json, several times faster than
	// encoding/json on a page of conversations, with the same output;
	// requests are still decoded by encoding/json.
	cfg.Formats = map[string]huma.Format{"application/json": jsonFormat, "json": jsonFormat}
	cfg.Components.SecuritySchemes = securitySchemes()
	cfg.Components.Headers = rateLimitHeaders()
	cfg.Components.Headers[headerRequestID] = requestIDHeader()
	cfg.Components.Responses = errorResponseComponents(cfg.Components.Schemas)
	return cfg
}

var jsonFormat = huma.Format{
	Marshal: func(w io.Writer, v any) error {
		enc := gojson.NewEncoder(w)
		enc.SetEscapeHTML(false)
		return enc.Encode(v)
	},
	Unmarshal: json.Unmarshal,
}

// operationRef is one operation of the OpenAPI document, by the method
// and path template it is served at.
type operationRef struct {
	ID, Method, Path string
	Op               *huma.Operation
}

// documentedOperations lists the operations of the OpenAPI document, by
// id.
func documentedOperations(oapi *huma.OpenAPI) []operationRef {
	var ops []operationRef
	for path, item := range oapi.Paths {
		for method, op := range map[string]*huma.Operation{
			http.MethodGet: item.Get, http.MethodPost: item.Post, http.MethodPut: item.Put,
			http.MethodPatch: item.Patch, http.MethodDelete: item.Delete,
		} {
			if op != nil {
				ops = append(ops, operationRef{ID: op.OperationID, Method: method, Path: path, Op: op})
			}
		}
	}
	slices.SortFunc(ops, func(a, b operationRef) int { return strings.Compare(a.ID, b.ID) })
	return ops
}

// documentOperation completes the OpenAPI entry of every /api/v1 operation
// with what the gate does for all of them (security, 401/429/500, the
// headers), so that a resource file describes only its own operation.
// Group modifiers can run more than once on the same responses, so it only
// ever sets entries.
func documentOperation(op *huma.Operation) {
	if op.Security == nil {
		op.Security = securityRequirement()
	}
	documentErrors(op)
	for _, resp := range op.Responses {
		if resp.Ref != "" {
			continue // a reference has its headers where it points
		}
		if resp.Headers == nil {
			resp.Headers = map[string]*huma.Param{}
		}
		maps.Copy(resp.Headers, responseHeaderRefs())
	}
}

// responseHeaderRefs refers to the headers on every /api/v1 response.
func responseHeaderRefs() map[string]*huma.Param {
	refs := map[string]*huma.Param{}
	for _, name := range []string{headerRequestID, headerRateLimitLimit, headerRateLimitRemaining, headerRateLimitReset} {
		refs[name] = headerRef(name)
	}
	return refs
}

func headerRef(name string) *huma.Param {
	return &huma.Param{Ref: "#/components/headers/" + name}
}

// routeMux is the mux huma registers its routes on. It puts every route
// under /api/v1 behind the gate as the route is registered, so no operation
// can be reached without a key, whatever the request path looked like before
// the mux matched it.
type routeMux struct {
	*http.ServeMux
	gate func(http.Handler) http.Handler
	// replace serves some of huma's own routes (its 3.0 documents) in place
	// of huma's handlers, by pattern.
	replace map[string]http.Handler
}

// HandleFunc registers h for pattern ("GET /api/v1/accounts"), behind the
// gate when the path is under /api/v1.
func (m routeMux) HandleFunc(pattern string, h func(http.ResponseWriter, *http.Request)) {
	var handler http.Handler = http.HandlerFunc(h)
	if r, ok := m.replace[pattern]; ok {
		handler = r
	}
	path := pattern
	if _, p, ok := strings.Cut(pattern, " "); ok {
		path = p
	}
	if underAPI(path) {
		handler = m.gate(handler)
	}
	m.ServeMux.Handle(pattern, handler)
}

func underAPI(path string) bool {
	return path == apiPrefix || strings.HasPrefix(path, apiPrefix+"/")
}

// route serves a request with the mux, except when no route matches: then
// the answer is the hosted API's error body rather than the mux's plain
// text, and under /api/v1 it comes after the gate, like any other response
// there (with rate-limit headers, and 401 before 404 for a client without a
// key).
func (s *Server) route(w http.ResponseWriter, r *http.Request) {
	h, pattern := s.mux.Handler(r)
	cw := &countingWriter{ResponseWriter: w}
	w = cw
	defer func() {
		op, ok := s.operations[pattern]
		if !ok {
			op = "none"
		}
		s.metrics.request(op, cmp.Or(cw.status, http.StatusOK))
	}()

	if pattern != "" {
		s.mux.ServeHTTP(w, r)
		return
	}
	if s.dashboard != nil && !underAPI(r.URL.Path) {
		s.dashboard.ServeHTTP(w, r)
		return
	}
	var noRoute http.Handler = noRouteHandler(h)
	if underAPI(r.URL.Path) {
		noRoute = s.gate(noRoute)
	}
	noRoute.ServeHTTP(w, r)
}

// noRouteHandler answers in our error shape what the mux's handler h would
// have: 404, or 405 with its Allow header when the path exists for other
// methods.
func noRouteHandler(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := &statusRecorder{header: http.Header{}}
		h.ServeHTTP(rec, r)
		if rec.status == http.StatusMethodNotAllowed {
			w.Header().Set("Allow", rec.header.Get("Allow"))
			writeError(w, newError(http.StatusMethodNotAllowed,
				fmt.Sprintf("%s is not allowed on %s; allowed: %s", r.Method, r.URL.Path, rec.header.Get("Allow"))))
			return
		}
		writeError(w, newError(http.StatusNotFound, fmt.Sprintf("No endpoint %s %s", r.Method, r.URL.Path)))
	})
}

// statusRecorder keeps the status and headers a handler writes and drops
// its body.
type statusRecorder struct {
	header http.Header
	status int
}

func (r *statusRecorder) Header() http.Header { return r.header }

func (r *statusRecorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	return len(b), nil
}

func (r *statusRecorder) WriteHeader(status int) {
	if r.status == 0 {
		r.status = status
	}
}

// recoverPanics turns a panic in an operation into a logged 500, so one bad
// request does not cost the client a dropped connection with no request id.
// The response may already have begun; then the status cannot change and
// net/http reports it.
func recoverPanics(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			v := recover()
			if v == nil {
				return
			}
			if v == http.ErrAbortHandler {
				panic(v)
			}
			writeError(w, internalError(r.Context(), fmt.Errorf("panic: %v\n%s", v, debug.Stack())))
		}()
		next.ServeHTTP(w, r)
	})
}
