// Package web is the dashboard that `outreach serve` serves at /: pages
// rendered on the server with html/template, made live with htmx, and
// charts drawn by uPlot, all embedded in the binary (nothing from a CDN).
// It calls the same operations of core/service as the API and holds no
// business rules of its own.
//
// A person signs in with an API key; the session is a record in the store
// (through the service) behind an HttpOnly, SameSite=Strict cookie
// (session.go). Every request
// that changes something carries the session's CSRF token. Every response
// has a Content-Security-Policy without 'unsafe-inline': no inline script,
// style or handler, and htmx is configured not to evaluate code.
package web

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/outreachhq/outreach/core/service"
)

// Service is what the dashboard needs from the service layer. Each page
// declares the operations it calls beside its handlers; *service.Service
// implements them all.
type Service interface {
	// OpenSession, SessionOf and EndSession keep the sessions (session.go).
	OpenSession(ctx context.Context, apiKey string) (token, ws string, err error)
	SessionOf(ctx context.Context, token string) (string, error)
	EndSession(ctx context.Context, token string) error
	overviewService
	inboxService
	boardService
	campaignsService
	accountsService
	sourcesService
	tweetsService
	webhooksService
	reviewService
}

var _ Service = (*service.Service)(nil)

// Options configures the dashboard. Only Service is required.
type Options struct {
	Service Service
	// Now is the clock of the sign-in limiter (sessions keep the
	// service's); nil means time.Now.
	Now func() time.Time
	// Logger receives internal errors, which pages never show; nil means
	// slog.Default().
	Logger *slog.Logger
}

// Dashboard serves the pages and their assets.
type Dashboard struct {
	svc     Service
	now     func() time.Time
	log     *slog.Logger
	signins *signinLimiter
	pages   *pages
	mux     *http.ServeMux
}

// New builds the dashboard. It serves nothing until mounted.
func New(opts Options) *Dashboard {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	d := &Dashboard{
		svc:     opts.Service,
		now:     opts.Now,
		log:     opts.Logger,
		signins: newSigninLimiter(opts.Now),
		pages:   mustParsePages(),
		mux:     http.NewServeMux(),
	}
	d.mux.Handle("GET "+assetsPrefix+"{version}/{file}", http.HandlerFunc(serveAsset))
	d.registerSignin()
	d.registerOverview()
	d.registerInbox()
	d.registerBoard()
	d.registerCampaigns()
	d.registerAccounts()
	d.registerSources()
	d.registerTweets()
	d.registerWebhooks()
	d.registerReview()
	d.mux.HandleFunc("/", d.notFound)
	return d
}

// ServeHTTP serves a dashboard request, with the security headers on
// every answer.
func (d *Dashboard) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Security-Policy", contentSecurityPolicy)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	// same-origin, not no-referrer: under no-referrer a browser sends
	// "Origin: null" with a form's POST, which sameOrigin must refuse.
	h.Set("Referrer-Policy", "same-origin")
	h.Set("Cross-Origin-Opener-Policy", "same-origin")
	// A form is a few fields; the API takes 1 MiB bodies, and so does this.
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	d.mux.ServeHTTP(w, r)
}

const maxFormBytes = 1 << 20

// contentSecurityPolicy allows scripts, styles and requests from this
// origin only, no inline script or style, and no framing.
const contentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"connect-src 'self'; font-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

// request is a signed-in request: its workspace and session.
type request struct {
	*http.Request
	ws   string
	sess session
}

// ctx is the request's context.
func (r *request) ctx() context.Context { return r.Context() }

// handle registers h for pattern behind the session: a request without a
// live session is sent to the sign-in page (a page) or answered 401 (htmx
// and POST), and a POST without the session's CSRF token is refused.
func (d *Dashboard) handle(pattern string, h func(http.ResponseWriter, *request)) {
	d.mux.Handle(pattern, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sess, ok := d.session(r)
		if !ok {
			if r.Method == http.MethodGet && !isHTMX(r) {
				http.Redirect(w, r, "/signin?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
				return
			}
			w.Header().Set("HX-Redirect", "/signin")
			http.Error(w, "Sign in first.", http.StatusUnauthorized)
			return
		}
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			if !sameOrigin(r) || !sameToken(csrfToken(r), sess.csrf) {
				http.Error(w, "This form has expired or did not come from this dashboard: reload the page and try again.", http.StatusForbidden)
				return
			}
		}
		h(w, &request{Request: r, ws: sess.workspace, sess: sess})
	}))
}

// isHTMX tells a request htmx made (for a fragment) from a page load.
func isHTMX(r *http.Request) bool { return r.Header.Get("HX-Request") != "" }

// session returns the live session of r's cookie whose API key still
// holds.
func (d *Dashboard) session(r *http.Request) (session, bool) {
	c, err := r.Cookie(sessionCookie)
	if err != nil {
		return session{}, false
	}
	ws, err := d.svc.SessionOf(r.Context(), c.Value)
	if err != nil {
		if !errors.Is(err, service.ErrUnauthorized) && !errors.Is(err, context.Canceled) {
			d.log.Error("dashboard: check a session", "err", err)
		}
		return session{}, false
	}
	return session{workspace: ws, csrf: csrfFor(c.Value)}, true
}

// csrfToken is the token a request carries: htmx sends it as a header,
// forms as a field.
func csrfToken(r *http.Request) string {
	if t := r.Header.Get(csrfHeader); t != "" {
		return t
	}
	return r.PostFormValue(csrfField)
}

// sameOrigin refuses a request whose Origin (or, without one, Referer) is
// another site's; browsers send one or the other with every POST.
func sameOrigin(r *http.Request) bool {
	origin := r.Header.Get("Origin")
	if origin == "" || origin == "null" {
		ref, err := url.Parse(r.Header.Get("Referer"))
		if err != nil || ref.Host == "" {
			return origin == "" // neither: a client that is not a browser
		}
		return ref.Host == r.Host
	}
	u, err := url.Parse(origin)
	return err == nil && u.Host == r.Host
}

// notFound answers a path no page has.
func (d *Dashboard) notFound(w http.ResponseWriter, r *http.Request) {
	v := view{Title: "Not found", Data: "There is no page at " + r.URL.Path + "."}
	if sess, ok := d.session(r); ok {
		v.Workspace, v.CSRF = sess.workspace, sess.csrf
	}
	d.execute(w, http.StatusNotFound, "errorpage", "layout", v)
}

// fail answers a failed operation: a missing object is 404, a refused
// input 400 with the service's message (it names the field), anything
// else 500 with a message that reveals nothing, logged.
func (d *Dashboard) fail(w http.ResponseWriter, r *request, err error) {
	var (
		verr *service.ValidationError
		lerr *service.LimitError
		cerr *service.ConflictError
	)
	switch {
	case errors.Is(err, service.ErrNotFound):
		d.errorPage(w, r, http.StatusNotFound, "Not found: it does not exist, or belongs to another workspace.")
	case errors.As(err, &verr):
		d.errorPage(w, r, http.StatusBadRequest, verr.Error())
	case errors.As(err, &cerr):
		d.errorPage(w, r, http.StatusConflict, cerr.Error())
	case errors.As(err, &lerr):
		d.errorPage(w, r, http.StatusTooManyRequests, lerr.Error())
	case errors.Is(err, context.Canceled):
		return
	default:
		d.log.Error("dashboard", "method", r.Method, "path", r.URL.Path, "err", err)
		d.errorPage(w, r, http.StatusInternalServerError, "Something went wrong on the server; it is in the server's log.")
	}
}

// errorPage shows message with status: within the page for htmx, as a
// page of its own otherwise.
func (d *Dashboard) errorPage(w http.ResponseWriter, r *request, status int, message string) {
	if isHTMX(r.Request) {
		w.Header().Set("HX-Retarget", "#flash")
		w.Header().Set("HX-Reswap", "innerHTML")
		d.fragment(w, status, "error", message)
		return
	}
	d.render(w, r, status, "errorpage", view{Title: http.StatusText(status), Data: message})
}

// back redirects to the page a form was posted from (its "back" field,
// a path on this site), or to fallback.
func back(w http.ResponseWriter, r *request, fallback string) {
	http.Redirect(w, r.Request, localPath(r.PostFormValue("back"), fallback), http.StatusSeeOther)
}

// view is what every page's template gets.
type view struct {
	Title string
	// Nav is the section of the navigation that is current.
	Nav       string
	Workspace string
	CSRF      string
	// Flash is a message for the top of the page.
	Flash string
	Data  any
}

// render executes page's template with v inside the layout.
func (d *Dashboard) render(w http.ResponseWriter, r *request, status int, page string, v view) {
	if r != nil {
		v.Workspace, v.CSRF = r.ws, r.sess.csrf
	}
	d.execute(w, status, page, "layout", v)
}

// fragment executes one named template of the page templates, for htmx.
func (d *Dashboard) fragment(w http.ResponseWriter, status int, name string, data any) {
	d.execute(w, status, "fragments", name, data)
}

func (d *Dashboard) execute(w http.ResponseWriter, status int, page, name string, data any) {
	var b strings.Builder
	if err := d.pages.execute(&b, page, name, data); err != nil {
		d.log.Error("dashboard: render", "page", page, "template", name, "err", err)
		http.Error(w, "The page could not be rendered; it is in the server's log.", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	fmt.Fprint(w, b.String())
}
