package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/outreachhq/outreach/core/clock"
	"github.com/outreachhq/outreach/plugins/x/xsim"
)

func newSandboxCmd(g *global) *cobra.Command {
	var (
		addr, config string
		seed         int64
		flags        sandboxFlags
	)
	cmd := &cobra.Command{
		Use:   "sandbox",
		Short: "Run the simulated X in its own process, for rehearsals",
		Long: "sandbox serves the simulated X (the one --sandbox starts in-process) on a loopback address\n" +
			"until interrupted, so that `outreach apply` and `outreach serve` can use it with\n" +
			"--sandbox-url and find its conversations still there after they stop or crash.\n" +
			"Its state lives in memory: it is gone when sandbox stops. Nothing leaves this machine.\n" +
			"With --log-level debug it logs every request it answers.\n\n" +
			"It can fail as X does: --error-rate, --reset-rate, --latency, --reply-rate, --reply-delay\n" +
			"and --limits, or a sandbox { ... } block in the --config file (which also takes\n" +
			"rate_limit_storm and per-account blocks); flags override the file. While it runs,\n" +
			"GET " + xsim.FaultsPath + " shows the faults in force and POST " + xsim.FaultsPath + " changes them\n" +
			"(JSON with the HCL names, e.g. {\"rate_limit_storm\": {\"for\": \"30s\"}}).\n\n" +
			"Prospects who reply answer later messages too, playing a script of intents (interested,\n" +
			"question, ask_call, ask_price, ask_demo, no, opt_out, silent); POST " + xsim.FaultsPath + " with\n" +
			"{\"prospects\": {\"HANDLE\": {\"intents\": [\"interested\", \"ask_call\"]}}} scripts one, and\n" +
			"GET " + xsim.ProspectRepliesPath + " lists every reply with its intent and what followed it, and\n" +
			"GET " + xsim.AccountPostsPath + " what the accounts posted: comments on leads' posts and tweets.\n" +
			"{\"profiles\": {\"HANDLE\": {\"name\": \"...\", \"description\": \"...\"}}} gives one another name, bio,\n" +
			"location or url.\n\n" +
			"It speaks X's OAuth 2.0 (GET " + xsim.AuthorizePath + ", POST " + xsim.TokenPath + " and " + xsim.RevokePath + "),\n" +
			"consenting at once as the user the authorization URL's screen_name names. It accepts any\n" +
			"client id unless the --config file registers some with oauth_client blocks. Access tokens\n" +
			"live --token-ttl (X's two hours by default) on the simulator's clock; GET " + xsim.OAuthPath + "\n" +
			"reports codes, refreshes, revocations and each account's requests.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx, stop := signal.NotifyContext(cmd.Context(), syscall.SIGINT, syscall.SIGTERM)
			defer stop()
			settings, err := sandboxConfig(config, cmd.Flags(), flags)
			if err != nil {
				return err
			}
			return g.sandbox(ctx, addr, seed, settings)
		},
	}
	cmd.Flags().StringVar(&addr, "addr", "127.0.0.1:8787", "loopback address to listen on (port 0 picks a free one)")
	cmd.Flags().Int64Var(&seed, "seed", 0, "population seed: the same seed gives the same simulated users, replies and failures (0 means the default, 1)")
	cmd.Flags().StringVar(&config, "config", "", "HCL `FILE` with a sandbox { ... } block of faults")
	cmd.Flags().DurationVar(&flags.latency, "latency", 0, "how long it takes to answer each request, give or take 25%, as X's round trip does (e.g. 20ms)")
	cmd.Flags().Float64Var(&flags.errorRate, "error-rate", 0, "share (0..1) of requests answered 500 or 503; half of the failed DM sends are delivered first")
	cmd.Flags().Float64Var(&flags.resetRate, "reset-rate", 0, "share (0..1) of requests whose connection is cut with no answer; half of the cut DM sends are delivered first")
	cmd.Flags().Float64Var(&flags.replyRate, "reply-rate", 0.35, "share (0..1) of prospects who reply to a first DM")
	cmd.Flags().StringVar(&flags.replyDelay, "reply-delay", "2s-8s", "how long after a first DM a prospect replies: a `DURATION` or a range MIN-MAX")
	cmd.Flags().StringVar(&flags.limits, "limits", xsim.LimitsRehearsal, "rate-limit `PROFILE`: rehearsal (loose, the default) or x (X's current table, with 24-hour windows)")
	cmd.Flags().DurationVar(&flags.tokenTTL, "token-ttl", xsim.DefaultTokenTTL, "how long the OAuth 2.0 access tokens it issues live, on its clock (e.g. 30s, so that a test sees them expire)")
	return cmd
}

// sandboxFlags are the fault flags of `outreach sandbox`.
type sandboxFlags struct {
	latency                         time.Duration
	errorRate, resetRate, replyRate float64
	replyDelay, limits              string
	tokenTTL                        time.Duration
}

// sandboxConfig reads the settings of the config file, if any, and lays
// the flags that were given over them.
func sandboxConfig(config string, fs *pflag.FlagSet, fl sandboxFlags) (sandboxSettings, error) {
	var st sandboxSettings
	if config != "" {
		src, err := os.ReadFile(config)
		if err != nil {
			return st, fmt.Errorf("--config: %w", err)
		}
		var diags hcl.Diagnostics
		if st, diags = parseSandboxConfig(config, src); diags.HasErrors() {
			return st, diagnosticsError(diags)
		}
	}
	if fs.Changed("token-ttl") {
		if fl.tokenTTL <= 0 {
			return st, fmt.Errorf("--token-ttl %v: give how long an access token lives, more than 0, like 2h or 30s", fl.tokenTTL)
		}
		st.tokenTTL = fl.tokenTTL
	}
	f, err := sandboxFaults(st.faults, fs, fl)
	st.faults = f
	return st, err
}

// sandboxFaults lays the fault flags that were given over f.
func sandboxFaults(f xsim.Faults, fs *pflag.FlagSet, fl sandboxFlags) (xsim.Faults, error) {
	if fs.Changed("latency") {
		f.Latency = fl.latency
	}
	if fs.Changed("error-rate") {
		f.ErrorRate = fl.errorRate
	}
	if fs.Changed("reset-rate") {
		f.ResetRate = fl.resetRate
	}
	if fs.Changed("reply-rate") {
		f.ReplyRate = &fl.replyRate
	}
	if fs.Changed("reply-delay") {
		lo, hi, err := xsim.ParseReplyDelay(fl.replyDelay)
		if err != nil {
			return f, fmt.Errorf("--reply-delay %w", err)
		}
		f.ReplyDelayMin, f.ReplyDelayMax = lo, hi
	}
	if fs.Changed("limits") {
		f.Limits = fl.limits
	}
	if err := f.Validate(); err != nil {
		return f, fmt.Errorf("sandbox settings (flags spell them with dashes, --error-rate for error_rate): %w", err)
	}
	return f, nil
}

// diagnosticsError is the errors among diags, one a line, each led by the
// file:line:col it is about.
func diagnosticsError(diags hcl.Diagnostics) error {
	var b strings.Builder
	for _, d := range diags.Errs() {
		var hd *hcl.Diagnostic
		if !errors.As(d, &hd) {
			continue
		}
		if b.Len() > 0 {
			b.WriteString("\n")
		}
		if r := hd.Subject; r != nil {
			fmt.Fprintf(&b, "%s:%d:%d: ", r.Filename, r.Start.Line, r.Start.Column)
		}
		b.WriteString(hd.Summary)
		if hd.Detail != "" {
			b.WriteString(": " + hd.Detail)
		}
	}
	return errors.New(b.String())
}

// sandbox serves the simulated X on addr until ctx is done. It serves the
// Sim's handler itself, rather than with xsim's Start, to log every request
// at debug level: a rehearsal can watch what reaches "X", and the crash
// test times its kills on it.
func (g *global) sandbox(ctx context.Context, addr string, seed int64, st sandboxSettings) error {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("--addr %q: %w", addr, err)
	}
	host, ok := loopbackHost(host)
	if !ok {
		return fmt.Errorf("--addr %q: host %q is not a loopback address; the simulated X serves this machine only (use 127.0.0.1, ::1 or localhost)", addr, host)
	}
	ln, err := net.Listen("tcp", net.JoinHostPort(host, port))
	if err != nil {
		return fmt.Errorf("start the simulated X: %w", err)
	}
	sim := xsim.New(xsim.Options{Clock: g.opts.Clock, Seed: seed, Faults: st.faults,
		OAuthClients: st.clients, TokenTTL: st.tokenTTL,
		Sleep: func(ctx context.Context, d time.Duration) error { return clock.Sleep(ctx, g.opts.Clock, d) }})
	log := g.logger().Named("sandbox")
	srv := &http.Server{
		Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
			sim.Handler().ServeHTTP(sw, r)
			// The path names users by id, never a token; OAuth's codes
			// and tokens travel in queries, bodies and headers, never
			// logged.
			log.Debug("request", "method", r.Method, "path", r.URL.Path, "status", sw.status)
		}),
		ReadHeaderTimeout: 10 * time.Second,
	}
	base := "http://" + ln.Addr().String()
	fmt.Fprintf(g.opts.Stderr, "outreach %s: simulated X serving on %s; pass --sandbox-url %s to apply or serve. Press Ctrl-C to stop.\n",
		Version, base, base)
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	select {
	case err := <-served:
		return err
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	err = srv.Shutdown(shutdownCtx)
	<-served
	return err
}

// statusWriter remembers the status a handler answered.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(status int) {
	w.status = status
	w.ResponseWriter.WriteHeader(status)
}

// loopbackHost accepts a loopback IP or "localhost", which it pins to
// 127.0.0.1 so that the name cannot resolve elsewhere (as xsim.Start does).
func loopbackHost(host string) (string, bool) {
	if strings.EqualFold(host, "localhost") {
		return "127.0.0.1", true
	}
	ip := net.ParseIP(host)
	return host, ip != nil && ip.IsLoopback()
}

// sandboxURLUsage documents --sandbox-url for apply and serve. A word in
// backticks is what pflag prints as the flag's value: --sandbox-url URL.
const sandboxURLUsage = "run every account on the simulated X already serving at this loopback `URL` (see 'outreach sandbox') instead of starting one in-process"

// checkSandboxURL accepts the base URL of a simulated X on this machine
// ("http://127.0.0.1:PORT") and returns it without a trailing slash. Any
// other host is refused: accounts sign in there without credentials, and a
// rehearsal must not reach another machine.
func checkSandboxURL(raw string) (string, error) {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "http" || u.Host == "" || u.User != nil || u.RawQuery != "" || u.Fragment != "" ||
		strings.Trim(u.Path, "/") != "" {
		return "", fmt.Errorf("--sandbox-url %q: want the simulated X's base URL, like http://127.0.0.1:8787 (as `outreach sandbox` prints it)", raw)
	}
	host, ok := loopbackHost(u.Hostname())
	if !ok {
		return "", fmt.Errorf("--sandbox-url %q: host %q is not a loopback address; the simulated X must run on this machine (127.0.0.1, ::1 or localhost)", raw, host)
	}
	if u.Port() == "" {
		return "", fmt.Errorf("--sandbox-url %q: give the port `outreach sandbox` printed, like http://127.0.0.1:8787", raw)
	}
	return "http://" + net.JoinHostPort(host, u.Port()), nil
}

// sandboxClient talks to a simulated X on loopback; its answers take
// microseconds, so a few seconds is a generous bound.
var sandboxClient = &http.Client{Timeout: 10 * time.Second}

// externalSim is the runtime of a simulated X serving in another process at
// base (checked by checkSandboxURL). Accounts sign in through its login
// endpoint, which only the simulator has.
func externalSim(base string) (*runtime, error) {
	rt := &runtime{simURL: base, login: func(ctx context.Context, handle string) (string, error) {
		return sandboxLogin(ctx, base, handle)
	}}
	// Fail now, with a hint, rather than on every account's first send.
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+"/2/users/me", nil)
	if err != nil {
		return nil, err
	}
	resp, err := sandboxClient.Do(req)
	if err != nil {
		return nil, fmt.Errorf("no simulated X answers at %s (start one with `outreach sandbox --addr %s`): %w", base, strings.TrimPrefix(base, "http://"), err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return rt, nil
}

// sandboxLogin signs handle in to the simulated X at base and returns its
// bearer token.
func sandboxLogin(ctx context.Context, base, handle string) (string, error) {
	body, err := json.Marshal(map[string]string{"handle": handle})
	if err != nil {
		return "", err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, base+xsim.LoginPath, bytes.NewReader(body))
	if err != nil {
		return "", err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := sandboxClient.Do(req)
	if err != nil {
		return "", fmt.Errorf("sign @%s in to the simulated X at %s: %w", handle, base, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 1<<16))
	if err != nil {
		return "", fmt.Errorf("sign @%s in to the simulated X at %s: %w", handle, base, err)
	}
	var out struct {
		Token string `json:"token"`
	}
	if resp.StatusCode != http.StatusOK || json.Unmarshal(data, &out) != nil || out.Token == "" {
		return "", fmt.Errorf("sign @%s in to the simulated X at %s: status %d: %s", handle, base, resp.StatusCode, bytes.TrimSpace(data))
	}
	return out.Token, nil
}
