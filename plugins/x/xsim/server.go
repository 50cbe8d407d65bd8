package xsim

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// call is one authenticated request, as an endpoint sees it.
type call struct {
	r    *http.Request
	q    url.Values
	user uint64 // the authenticated user
	now  time.Time
}

// routes maps X's paths to the endpoints, plus the simulator's own paths
// (LoginPath, the OAuth and faults endpoints, ProspectRepliesPath,
// AccountPostsPath).
// Every pattern is matched with its method; anything else, including a known
// path with another method, falls to the catch-all and gets X's 404.
func (s *Sim) routes() http.Handler {
	mux := http.NewServeMux()
	handle := func(pattern string, ep endpoint, h func(*call) result) {
		mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) { s.serve(w, r, ep, h) })
	}
	handle("GET /2/users/by/username/{username}", epUserByUsername, s.handleUserByUsername)
	handle("GET /2/users/me", epUserMe, s.handleMe)
	handle("GET /2/users/{id}", epUserByID, s.handleUserByID)
	handle("GET /2/users/{id}/followers", epFollowers, s.handleEdges(followersEdge))
	handle("GET /2/users/{id}/following", epFollowing, s.handleEdges(followingEdge))
	handle("POST /2/users/{id}/following", epFollow, s.handleFollow)
	handle("POST /2/users/{id}/likes", epLike, s.handleLike)
	handle("GET /2/users/{id}/tweets", epUserTweets, s.handleUserTweets)
	handle("POST /2/tweets", epTweetCreate, s.handleTweetCreate)
	handle("POST /2/dm_conversations/with/{participant_id}/messages", epDMSend, s.handleDMSendWith)
	handle("POST /2/dm_conversations/{dm_conversation_id}/messages", epDMSend, s.handleDMSendToConversation)
	handle("GET /2/dm_events", epDMEvents, s.handleDMEvents)
	handle("GET /2/dm_conversations/with/{participant_id}/dm_events", epDMConversationEvents, s.handleDMEventsWith)
	handle("GET /2/dm_conversations/{dm_conversation_id}/dm_events", epDMConversationEvents, s.handleDMEventsOfConversation)
	mux.HandleFunc("POST "+LoginPath, s.handleLogin)
	mux.HandleFunc("GET "+AuthorizePath, s.handleAuthorize)
	mux.HandleFunc("POST "+TokenPath, s.handleToken)
	mux.HandleFunc("POST "+RevokePath, s.handleRevoke)
	mux.HandleFunc("GET "+OAuthPath, s.handleOAuthStats)
	mux.HandleFunc("POST "+OAuthRevokePath, s.handleOAuthRevokeHandle)
	mux.HandleFunc("GET "+FaultsPath, s.handleGetFaults)
	mux.HandleFunc("POST "+FaultsPath, s.handlePostFaults)
	mux.HandleFunc("GET "+ProspectRepliesPath, s.handleProspectReplies)
	mux.HandleFunc("GET "+AccountPostsPath, s.handleAccountPosts)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		_, _, ok := s.authenticateLocked(r, s.clock.Now())
		s.mu.Unlock()
		if !ok {
			writeResult(w, unauthorized())
			return
		}
		writeResult(w, notFoundRoute())
	})
	return mux
}

// Handler returns the whole API as an http.Handler, for httptest or embedding.
func (s *Sim) Handler() http.Handler { return s.handler }

// serve runs one endpoint: wait out the latency, authenticate, bring the
// world up to now, meet the faults in force, spend a request of the user's
// budget, answer. The answer is built under the lock and written after it,
// so a slow client holds up nobody.
func (s *Sim) serve(w http.ResponseWriter, r *http.Request, ep endpoint, h func(*call) result) {
	if s.sleep(r.Context(), s.latency()) != nil {
		return // the client gave up
	}
	s.mu.Lock()
	now := s.clock.Now()
	user, at, ok := s.authenticateLocked(r, now)
	if !ok {
		s.mu.Unlock()
		writeResult(w, unauthorized())
		return
	}
	if at != nil {
		s.oauth.countRequestLocked(at)
		if missing := missingScopes(ep, at.grant); len(missing) > 0 {
			s.oauth.stats.Scope403s++
			s.mu.Unlock()
			writeResult(w, missingScope(missing))
			return
		}
	}
	// Replies that fell due become events before anything reads or writes
	// events, so event ids rise in the order events become visible.
	s.materialise(now)
	res, st, fail := s.answerLocked(ep, user, now, func() result {
		return h(&call{r: r, q: r.URL.Query(), user: user, now: now})
	})
	s.mu.Unlock()

	if fail == failReset {
		// Cut the connection with no answer, as a dropped connection at X
		// does. The server closes it without writing anything.
		panic(http.ErrAbortHandler)
	}
	if st != nil {
		hd := w.Header()
		hd.Set("x-rate-limit-limit", strconv.Itoa(st.limit))
		hd.Set("x-rate-limit-remaining", strconv.Itoa(st.remaining))
		hd.Set("x-rate-limit-reset", strconv.FormatInt(st.resetEpoch(), 10))
	}
	writeResult(w, res)
}

// authenticateLocked resolves "Authorization: Bearer <token>" at now to a
// user id: a Login token, which has every scope and never expires, or a
// live OAuth 2.0 access token, returned so that its scopes can be checked.
// An expired or revoked one is refused and counted.
func (s *Sim) authenticateLocked(r *http.Request, now time.Time) (uint64, *accessToken, bool) {
	scheme, tok, found := strings.Cut(r.Header.Get("Authorization"), " ")
	if !found || !strings.EqualFold(scheme, "Bearer") {
		return 0, nil, false
	}
	tok = strings.TrimSpace(tok)
	if id, ok := s.tokens[tok]; ok {
		return id, nil, true
	}
	at := s.oauth.access[tok]
	switch {
	case at == nil:
		return 0, nil, false
	case at.revoked:
		s.oauth.stats.RevokedToken401s++
		return 0, nil, false
	case !now.Before(at.expires):
		s.oauth.stats.ExpiredToken401s++
		return 0, nil, false
	}
	return at.grant.user, at, true
}

func writeResult(w http.ResponseWriter, res result) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	// X does not escape <, > and & in JSON strings.
	enc.SetEscapeHTML(false)
	if err := enc.Encode(res.body); err != nil {
		// Bodies are built from plain structs; failing here is a bug.
		res = result{http.StatusInternalServerError, genericProblem{"Internal Server Error", "about:blank", 500, err.Error()}}
		buf.Reset()
		_ = enc.Encode(res.body)
	}
	w.Header().Set("content-type", "application/json; charset=utf-8")
	w.Header().Set("content-length", strconv.Itoa(buf.Len()))
	w.WriteHeader(res.status)
	_, _ = w.Write(buf.Bytes())
}

// maxBody bounds request bodies; the largest legitimate one is a 10,000
// character DM.
const maxBody = 1 << 20

// decodeBody reads a JSON request body into v.
func decodeBody(r *http.Request, v any) *result {
	data, err := io.ReadAll(io.LimitReader(r.Body, maxBody+1))
	if err != nil {
		res := invalidBody("Could not read the request body: %v", err)
		return &res
	}
	if len(data) > maxBody {
		res := invalidBody("The request body is larger than %d bytes", maxBody)
		return &res
	}
	if len(bytes.TrimSpace(data)) == 0 {
		res := invalidBody("The request body is empty; it must be a JSON object")
		return &res
	}
	if err := json.Unmarshal(data, v); err != nil {
		res := invalidBody("The request body is not valid JSON for this endpoint: %v", err)
		return &res
	}
	return nil
}

// pathID parses the {name} path value as a user id.
func pathID(c *call, name string) (uint64, string, *result) {
	raw := c.r.PathValue(name)
	id, ok := parseID(raw)
	if !ok {
		res := invalidParam(name, raw, "The `%s` query parameter value [%s] does not match ^[0-9]{1,19}$", name, raw)
		return 0, raw, &res
	}
	return id, raw, nil
}

// Start listens on addr and serves the API until Close. addr "" means
// "127.0.0.1:0" (any free port). Any host that is not a loopback IP or
// "localhost" is refused: the simulator is for this machine only.
func (s *Sim) Start(addr string) error {
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("xsim: start on %q: %w", addr, err)
	}
	if strings.EqualFold(host, "localhost") {
		// Pin the name to an address, so "localhost" cannot resolve elsewhere.
		host = "127.0.0.1"
	} else if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("xsim: start on %q: host %q is not a loopback address; use 127.0.0.1, ::1 or localhost", addr, host)
	}
	s.srvMu.Lock()
	defer s.srvMu.Unlock()
	if s.srv != nil {
		return fmt.Errorf("xsim: start on %q: already serving on %s", addr, s.ln.Addr())
	}
	ln, err := net.Listen("tcp", net.JoinHostPort(host, port))
	if err != nil {
		return fmt.Errorf("xsim: start: %w", err)
	}
	srv := &http.Server{Handler: s.handler, ReadHeaderTimeout: 10 * time.Second}
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = srv.Serve(ln) // returns http.ErrServerClosed after Close
	}()
	s.srv, s.ln, s.done = srv, ln, done
	return nil
}

// URL returns the base URL of the API ("http://127.0.0.1:PORT") while the Sim
// is started, and "" otherwise.
func (s *Sim) URL() string {
	s.srvMu.Lock()
	defer s.srvMu.Unlock()
	if s.ln == nil {
		return ""
	}
	return "http://" + s.ln.Addr().String()
}

// Close stops the server started by Start and waits for its goroutine. It is
// a no-op on a Sim that is not serving.
func (s *Sim) Close() error {
	s.srvMu.Lock()
	defer s.srvMu.Unlock()
	if s.srv == nil {
		return nil
	}
	err := s.srv.Close()
	<-s.done
	s.srv, s.ln, s.done = nil, nil, nil
	if errors.Is(err, http.ErrServerClosed) {
		err = nil
	}
	return err
}
