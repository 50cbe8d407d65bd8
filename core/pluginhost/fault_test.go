package pluginhost

import (
	"context"
	"errors"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/outreachhq/outreach/core/pluginhost/pluginhosttest"
	"github.com/outreachhq/outreach/sdk"
)

// recipient is a simulated user who accepts DMs.
const recipient = "paulg"

func recipientID(t *testing.T, h *Host, n sdk.Network, sess sdk.Session) string {
	t.Helper()
	users, err := n.LookupUsers(context.Background(), sess, []string{recipient})
	if err != nil || len(users) != 1 {
		t.Fatalf("look up @%s: %v %v", recipient, users, err)
	}
	return users[0].ID
}

// TestCrashDuringCall: a plugin that panics or exits in a call. The host
// stays up, the call fails with an untyped error (the engine's "in
// doubt") that names the plugin, and the next call runs on a relaunched
// process.
func TestCrashDuringCall(t *testing.T) {
	for _, mode := range []string{pluginhosttest.Panic, pluginhosttest.PanicAfter, pluginhosttest.Exit} {
		t.Run(mode, func(t *testing.T) {
			s := sim(t)
			h := newHost(t, Options{})
			n, err := h.Network("fault", faultConfig(t, s, pluginhosttest.Fault{Op: "send_dm", Mode: mode, Times: 1}))
			if err != nil {
				t.Fatal(err)
			}
			ctx := context.Background()
			sess := session(t, s, "acme_sales")
			to := recipientID(t, h, n, sess)
			before := pid(h, "fault")

			_, err = n.SendDM(ctx, sess, to, "hello")
			if err == nil || !strings.Contains(err.Error(), `plugin "fault": send DM:`) || !strings.Contains(err.Error(), "crashed") {
				t.Fatalf("SendDM on a crashing plugin: %v; want an error naming the plugin and the crash", err)
			}
			if kind := sdk.KindOf(err); kind != "" {
				t.Errorf("a crash mid-send is typed %s; it must stay untyped, since the DM may have gone out", kind)
			}
			if pluginhosttest.Alive(before) {
				t.Errorf("the crashed plugin's process %d is still alive", before)
			}
			sent, err := n.SendDM(ctx, sess, to, "hello again")
			if err != nil || sent.EventID == "" {
				t.Fatalf("SendDM after the crash = %+v, %v; want the relaunched plugin to send it", sent, err)
			}
			if after := pid(h, "fault"); after == before || after == 0 {
				t.Errorf("plugin pid %d before the crash, %d after: want a new process", before, after)
			}
			// The engine settles the crashed send by reading the
			// conversation: it must show whether the first DM went out.
			events, err := n.ConversationEvents(ctx, sess, to, 10)
			if err != nil {
				t.Fatal(err)
			}
			first := false
			for _, e := range events {
				first = first || e.Text == "hello"
			}
			if want := mode == pluginhosttest.PanicAfter; first != want {
				t.Errorf("the first DM reached X = %v; want %v for mode %s", first, want, mode)
			}
		})
	}
}

// TestReadRetriedAfterCrash: a read has no effect, so the host retries it
// once on the relaunched plugin and the caller never sees the crash.
func TestReadRetriedAfterCrash(t *testing.T) {
	s := sim(t)
	h := newHost(t, Options{})
	n, err := h.Network("fault", faultConfig(t, s, pluginhosttest.Fault{Op: "conversation_events", Mode: pluginhosttest.Exit, Times: 1}))
	if err != nil {
		t.Fatal(err)
	}
	sess := session(t, s, "acme_sales")
	before := pid(h, "fault")
	if _, err := n.ConversationEvents(context.Background(), sess, recipientID(t, h, n, sess), 10); err != nil {
		t.Fatalf("ConversationEvents across a crash: %v", err)
	}
	if pid(h, "fault") == before {
		t.Error("the plugin was not relaunched")
	}
}

// TestHungCall: a call past its deadline fails with an error naming the
// plugin; a plugin that keeps missing deadlines is killed and relaunched.
func TestHungCall(t *testing.T) {
	s := sim(t)
	h := newHost(t, Options{CallTimeout: time.Second, HangLimit: 2})
	n, err := h.Network("fault", faultConfig(t, s, pluginhosttest.Fault{Op: "lookup_users", Mode: pluginhosttest.Hang, Times: 2}))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	sess := session(t, s, "acme_sales")
	first := pid(h, "fault")
	_, err = n.LookupUsers(ctx, sess, []string{recipient})
	if err == nil || !strings.Contains(err.Error(), `plugin "fault": look up users: no answer within 1s`) {
		t.Fatalf("hung call: %v; want a deadline error naming the plugin", err)
	}
	if sdk.KindOf(err) != "" {
		t.Errorf("a missed deadline is typed %s; want untyped (in doubt)", sdk.KindOf(err))
	}
	if pid(h, "fault") != first {
		t.Fatalf("the plugin was relaunched after one missed deadline, though it still answers health checks")
	}
	if _, err = n.LookupUsers(ctx, sess, []string{recipient}); err == nil {
		t.Fatal("second hung call succeeded")
	}
	if pluginhosttest.Alive(first) {
		t.Fatalf("the plugin missed %d deadlines in a row and was not killed", 2)
	}
	users, err := n.LookupUsers(ctx, sess, []string{recipient})
	if err != nil || len(users) != 1 {
		t.Fatalf("call after the hung plugin was replaced: %v, %v", users, err)
	}
}

// TestStoppedPlugin: a plugin that does not even answer health checks (a
// stopped process) is killed after its first missed deadline.
func TestStoppedPlugin(t *testing.T) {
	s := sim(t)
	h := newHost(t, Options{CallTimeout: time.Second})
	n, err := h.Network("fault", faultConfig(t, s))
	if err != nil {
		t.Fatal(err)
	}
	sess := session(t, s, "acme_sales")
	stopped := pid(h, "fault")
	if err := syscall.Kill(stopped, syscall.SIGSTOP); err != nil {
		t.Fatal(err)
	}
	if _, err := n.CheckSession(context.Background(), sess); err == nil || !strings.Contains(err.Error(), "no answer within") {
		t.Fatalf("call to a stopped plugin: %v", err)
	}
	if pluginhosttest.Alive(stopped) {
		t.Fatal("a plugin that failed its health check was not killed")
	}
	if _, err := n.CheckSession(context.Background(), sess); err != nil {
		t.Fatalf("call after relaunch: %v", err)
	}
}

// TestScrapeStreamDeadline: a stream whose next page never comes fails
// after one call deadline, though the stream as a whole has none.
func TestScrapeStreamDeadline(t *testing.T) {
	s := sim(t)
	h := newHost(t, Options{CallTimeout: 300 * time.Millisecond, HangLimit: 5})
	n, err := h.Network("fault", faultConfig(t, s, pluginhosttest.Fault{Op: "scrape", Mode: pluginhosttest.Hang}))
	if err != nil {
		t.Fatal(err)
	}
	sess := session(t, s, "acme_sales")
	err = n.Scrape(context.Background(), sdk.ScrapeRequest{Session: sess, UserID: "1", Relation: sdk.Followers}, func(sdk.Page) error { return nil })
	if err == nil || !strings.Contains(err.Error(), `plugin "fault": scrape: no answer within 300ms`) {
		t.Fatalf("hung scrape: %v", err)
	}
}

// TestGarbageAnswers: answers the host cannot use fail the call with an
// error naming the plugin, untyped, and leave the plugin running (it is
// not crashed, just wrong).
func TestGarbageAnswers(t *testing.T) {
	for _, tc := range []struct {
		mode, want string
	}{
		{pluginhosttest.Garbage, "invalid UTF-8"},
		{pluginhosttest.Empty, "malformed response"},
		{pluginhosttest.Untyped, "injected untyped error"},
		{pluginhosttest.UnknownKind, `unknown error kind "FROM_THE_FUTURE"`},
	} {
		t.Run(tc.mode, func(t *testing.T) {
			s := sim(t)
			h := newHost(t, Options{})
			n, err := h.Network("fault", faultConfig(t, s, pluginhosttest.Fault{Op: "send_dm", Mode: tc.mode}))
			if err != nil {
				t.Fatal(err)
			}
			sess := session(t, s, "acme_sales")
			to := recipientID(t, h, n, sess)
			before := pid(h, "fault")
			_, err = n.SendDM(context.Background(), sess, to, "hi")
			if err == nil || !strings.Contains(err.Error(), `plugin "fault": send DM`) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("SendDM answering %s: %v; want an error naming the plugin and mentioning %q", tc.mode, err, tc.want)
			}
			if sdk.KindOf(err) != "" {
				t.Errorf("garbage typed as %s: only a kind the SDK knows may tell the engine the DM was not sent", sdk.KindOf(err))
			}
			if pid(h, "fault") != before {
				t.Error("the plugin was relaunched though it had not crashed")
			}
		})
	}
}

// TestRelaunchBackoff: a plugin that crashes at every launch is relaunched
// at once the first time, then after waits that double; a call whose
// deadline ends before the next launch fails at once and says why.
func TestRelaunchBackoff(t *testing.T) {
	s := sim(t)
	h := newHost(t, Options{RestartBackoff: 400 * time.Millisecond})
	cfg := faultConfig(t, s, pluginhosttest.Fault{Op: "configure", Mode: pluginhosttest.Exit, Times: 3})
	for i := 1; i <= 2; i++ {
		_, err := h.Network("fault", cfg)
		if err == nil || !strings.Contains(err.Error(), `plugin "fault": launch builtin: configure:`) {
			t.Fatalf("launch %d of a plugin that exits while configured: %v", i, err)
		}
	}
	m, err := h.plugin("fault", nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	if _, err := m.acquire(ctx); err == nil || !strings.Contains(err.Error(), "to relaunch after 2 failures in a row") {
		t.Fatalf("launch during backoff: %v; want a fast failure saying when it relaunches", err)
	} else if sdk.KindOf(err) != sdk.Retryable {
		t.Errorf("a call that never reached the plugin is typed %q; want Retryable (it did not take effect)", sdk.KindOf(err))
	}
	start := time.Now()
	if _, err := h.Network("fault", cfg); err == nil {
		t.Fatal("third launch succeeded; the fault asks for three failures")
	}
	n, err := h.Network("fault", cfg)
	if err != nil {
		t.Fatalf("fourth launch: %v", err)
	}
	// Waits after failures 2 and 3: 400ms, then 800ms.
	if waited := time.Since(start); waited < 1100*time.Millisecond {
		t.Errorf("launches 3 and 4 came %s after failure 2; want the backoff (400ms + 800ms) respected", waited)
	}
	if _, err := n.CheckSession(context.Background(), session(t, s, "acme_sales")); err != nil {
		t.Fatal(err)
	}
}

// TestMissingPlugin: a plugin that is nowhere, a binary that is gone, and
// one that is not executable, each fail with a message that says so.
func TestMissingPlugin(t *testing.T) {
	dir := t.TempDir()
	h := newHost(t, Options{PluginDir: dir})
	if _, err := h.Network("nope", nil); err == nil || !strings.Contains(err.Error(), `plugin "nope" not found`) ||
		!strings.Contains(err.Error(), "built-ins: ai, fault, jsonl, x") || !strings.Contains(err.Error(), dir+" has no outreach-plugin-nope") {
		t.Errorf("unknown plugin: %v", err)
	}
	if err := h.Register(Spec{Name: "gone", Source: dir + "/outreach-plugin-gone"}); err != nil {
		t.Fatal(err)
	}
	if _, err := h.Network("gone", nil); err == nil || !strings.Contains(err.Error(), "outreach-plugin-gone does not exist") {
		t.Errorf("missing binary: %v", err)
	}
	writeFile(t, dir+"/outreach-plugin-flat", "#!/bin/sh\n", 0o644)
	if err := h.Register(Spec{Name: "flat", Source: dir + "/outreach-plugin-flat"}); err != nil {
		t.Fatal(err)
	}
	if _, err := h.Sink("flat", nil); err == nil || !strings.Contains(err.Error(), "is not executable") {
		t.Errorf("non-executable binary: %v", err)
	}
	if err := h.Register(Spec{Name: "rel", Source: "bin/outreach-plugin-rel"}); err == nil {
		t.Error("a relative source was accepted")
	}
	if _, err := h.AI("x", nil); err == nil || !strings.Contains(err.Error(), `plugin "x" is not a ai plugin: it serves [network]`) {
		t.Errorf("wrong kind: %v", err)
	}
}

// TestHandshakeMismatch: binaries that are not outreach plugins, or speak
// another protocol version, are refused with what was expected, and none
// is left running.
func TestHandshakeMismatch(t *testing.T) {
	for _, tc := range []struct {
		name, flag, want string
	}{
		{"newer", pluginhosttest.FlagProtocol + "=2", "Plugin version: 2, Client versions: [1]"},
		// Whether the host first sees the exit or the empty stdout is a
		// race: both are a failed handshake.
		{"foreign", pluginhosttest.FlagCookie + "=OTHER_PRODUCT_PLUGIN", ""},
		{"babble", pluginhosttest.FlagGarbage, "Unrecognized remote plugin message: hello, I am not a plugin"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			path := wrapper(t, dir, "outreach-plugin-"+tc.name, "fault", tc.flag)
			h := newHost(t, Options{PluginDir: dir, StartTimeout: 20 * time.Second})
			_, err := h.Network(tc.name, nil)
			if err == nil {
				t.Fatal("the plugin was accepted")
			}
			for _, want := range []string{`plugin "` + tc.name + `": launch ` + path + ": handshake failed", tc.want,
				"expected an outreach plugin", "magic cookie OUTREACH_PLUGIN_MAGIC_COOKIE, plugin protocol version 1, gRPC"} {
				if want != "" && !strings.Contains(err.Error(), want) {
					t.Errorf("error lacks %q:\n%v", want, err)
				}
			}
			if left := pluginhosttest.Children(""); len(left) > 0 {
				t.Errorf("refused plugin still running: %v", left)
			}
		})
	}
}

// TestEnvironmentNotInherited: a plugin sees none of the host's
// environment, only go-plugin's handshake variables.
func TestEnvironmentNotInherited(t *testing.T) {
	t.Setenv("OUTREACH_TEST_SECRET", "do-not-leak")
	s := sim(t)
	h := newHost(t, Options{})
	n, err := h.Network("fault", faultConfig(t, s))
	if err != nil {
		t.Fatal(err)
	}
	users, err := n.LookupUsers(context.Background(), sdk.Session{}, []string{pluginhosttest.EnvProbe})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, u := range users {
		names = append(names, u.ID)
	}
	env := strings.Join(names, " ")
	if strings.Contains(env, "OUTREACH_TEST_SECRET") || strings.Contains(env, "PATH") || strings.Contains(env, "HOME") {
		t.Errorf("the plugin inherited the host's environment: %s", env)
	}
	if !strings.Contains(env, sdk.Handshake.MagicCookieKey) {
		t.Errorf("the environment probe did not work: %s", env)
	}
}

// TestPluginLogsRouted: a plugin's log lines reach the host's log under
// the plugin's name.
func TestPluginLogsRouted(t *testing.T) {
	var buf syncBuffer
	s := sim(t)
	h := newHost(t, Options{Logger: hclogJSON(&buf)})
	if _, err := h.Network("fault", faultConfig(t, s)); err != nil {
		t.Fatal(err)
	}
	h.Close()
	var found bool
	for _, line := range strings.Split(buf.String(), "\n") {
		if strings.Contains(line, `"fault plugin configured"`) {
			found = true
			if !strings.Contains(line, `"plugin":"fault"`) || !strings.Contains(line, `"@level":"info"`) {
				t.Errorf("plugin log line without the plugin's name or level: %s", line)
			}
		}
	}
	if !found {
		t.Errorf("the plugin's log line is not in the host's log:\n%s", buf.String())
	}
}

// TestCloseStopsEveryPlugin: Close leaves no plugin process, and the host
// refuses calls afterwards.
func TestCloseStopsEveryPlugin(t *testing.T) {
	s := sim(t)
	h := newHost(t, Options{})
	n, err := h.Network("fault", faultConfig(t, s))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.Network("x", nil); err != nil {
		t.Fatal(err)
	}
	if _, err := h.AI("ai", nil); err != nil {
		t.Fatal(err)
	}
	pids := []int{pid(h, "fault"), pid(h, "x"), pid(h, "ai")}
	h.Close()
	for _, p := range pids {
		if p == 0 || pluginhosttest.Alive(p) {
			t.Errorf("plugin process %d still running after Close", p)
		}
	}
	if _, err := n.CheckSession(context.Background(), sdk.Session{}); !errors.Is(err, ErrClosed) || sdk.KindOf(err) != sdk.Retryable {
		t.Errorf("call after Close: %v (kind %q); want ErrClosed, typed Retryable", err, sdk.KindOf(err))
	}
	if _, err := h.Network("x", nil); !errors.Is(err, ErrClosed) {
		t.Errorf("Network after Close: %v; want ErrClosed", err)
	}
}
