package cli

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"strings"
	"sync"

	"github.com/outreachhq/outreach/core/auth"
	"github.com/outreachhq/outreach/core/pluginhost"
	"github.com/outreachhq/outreach/core/service"
	"github.com/outreachhq/outreach/core/store"
)

// callbackPrefix is where a network redirects an OAuth sign-in of the
// API's credential job back to the server: /oauth/NETWORK/callback.
const callbackPrefix = "/oauth/"

// serverSignIn runs the API's credential jobs' OAuth sign-ins in `serve`:
// it starts them (service.SignIn) and serves the redirect back.
type serverSignIn struct {
	svc       *service.Service
	keeper    *auth.Keeper
	host      *pluginhost.Host
	publicURL string
	// pending are the sign-ins under way, by state. They hold PKCE
	// verifiers, so they live in memory only: a sign-in does not survive
	// a restart of the server, and must be started again.
	mu      sync.Mutex
	pending map[string]pendingSignIn
}

type pendingSignIn struct {
	auth.Pending
	job service.CredentialJob
}

func newServerSignIn(svc *service.Service, keeper *auth.Keeper, host *pluginhost.Host, publicURL string) *serverSignIn {
	return &serverSignIn{svc: svc, keeper: keeper, host: host, publicURL: publicURL, pending: map[string]pendingSignIn{}}
}

// begin is the service.SignIn: it starts the account's sign-in with the
// server's callback as the redirect URL.
func (s *serverSignIn) begin(ctx context.Context, job service.CredentialJob, a store.Account, proxyAuth string) (string, error) {
	proxy, err := proxyURL(a.Proxy, proxyAuth)
	if err != nil {
		return "", err
	}
	redirect := s.publicURL + callbackPrefix + a.Network + "/callback"
	u, p, err := s.keeper.Begin(ctx, a.Network, a.Handle, redirect, proxy)
	if err != nil {
		return "", err
	}
	s.mu.Lock()
	s.pending[p.State] = pendingSignIn{Pending: p, job: job}
	s.mu.Unlock()
	return u, nil
}

// ServeHTTP serves the redirect back from the network.
func (s *serverSignIn) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	cb := auth.Callback{Code: q.Get("code"), State: q.Get("state"), Error: q.Get("error"), ErrorDescription: q.Get("error_description")}
	s.mu.Lock()
	p, ok := s.pending[cb.State]
	delete(s.pending, cb.State)
	s.mu.Unlock()
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Security-Policy", "default-src 'none'")
	network := strings.TrimSuffix(strings.TrimPrefix(r.URL.Path, callbackPrefix), "/callback")
	if !ok || network != p.Network {
		w.WriteHeader(http.StatusBadRequest)
		fmt.Fprint(w, "<!doctype html><title>Sign-in failed</title><p>This sign-in is unknown or was used already: start it again.</p>")
		return
	}
	err := s.complete(r.Context(), p, cb)
	if err != nil {
		_, _ = s.svc.FailCredentialJob(r.Context(), p.job.Workspace, p.job.ID, err.Error())
		w.WriteHeader(http.StatusBadRequest)
		fmt.Fprintf(w, "<!doctype html><title>Sign-in failed</title><p>Sign-in failed: %s</p>", html.EscapeString(err.Error()))
		return
	}
	fmt.Fprintf(w, "<!doctype html><title>Signed in</title><p>Signed in @%s. You can close this tab.</p>", html.EscapeString(p.Handle))
}

func (s *serverSignIn) complete(ctx context.Context, p pendingSignIn, cb auth.Callback) error {
	plugin, err := authPlugin(s.host, p.Network)
	if err != nil {
		return err
	}
	if _, err := s.keeper.Complete(ctx, p.Pending, cb, plugin.CheckSession); err != nil {
		return err
	}
	_, err = s.svc.CompleteSignIn(ctx, p.job.Workspace, p.job.ID)
	return err
}
