package pluginhost

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/go-hclog"

	"github.com/outreachhq/outreach/core/pluginhost/pluginhosttest"
	aiplugin "github.com/outreachhq/outreach/plugins/ai"
	"github.com/outreachhq/outreach/plugins/jsonl"
	"github.com/outreachhq/outreach/plugins/x"
	"github.com/outreachhq/outreach/plugins/x/xsim"
	"github.com/outreachhq/outreach/sdk"
	"github.com/outreachhq/outreach/sdk/plugintest"
)

// testBuiltins are the plugins the test binary serves when the host
// re-executes it as `plugin serve NAME [ARGS]`, the way bin/outreach serves
// its built-ins: so every test here runs plugins out of process.
var testBuiltins = map[string]func(args []string) int{
	"x": func([]string) int {
		c := x.New()
		sdk.Serve(sdk.ServeConfig{Plugin: c, Network: c})
		return 0
	},
	"ai": func([]string) int {
		p := aiplugin.New()
		sdk.Serve(sdk.ServeConfig{Plugin: p, AI: p})
		return 0
	},
	"jsonl": func([]string) int {
		s := jsonl.New()
		sdk.Serve(sdk.ServeConfig{Plugin: s, Sink: s})
		return 0
	},
	"fault": pluginhosttest.Main,
}

func TestMain(m *testing.M) {
	plugintest.HoldToLoopback()
	if len(os.Args) > 3 && os.Args[1] == "plugin" && os.Args[2] == "serve" {
		serve, ok := testBuiltins[os.Args[3]]
		if !ok {
			os.Exit(2)
		}
		os.Exit(serve(os.Args[4:]))
	}
	os.Exit(m.Run())
}

// testExe is the test binary's absolute path, which /proc reports as the
// executable of the plugins it serves.
func testExe(t testing.TB) string {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	return exe
}

func selfTestCommand(name string) *exec.Cmd {
	cmd := exec.Command(os.Args[0], "plugin", "serve", name)
	cmd.Env = []string{quickExit}
	return cmd
}

// quickExit stops a race-enabled plugin from sleeping a second when it
// exits (the race runtime's default), which every Close would wait for.
const quickExit = pluginhosttest.QuickExit

// newHost returns a host whose built-ins are served by the test binary,
// with short timeouts. When the test ends it closes the host and checks
// that no plugin process is left.
func newHost(t testing.TB, opts Options) *Host {
	t.Helper()
	opts.Builtins = []string{"ai", "fault", "jsonl", "x"}
	opts.SelfCommand = selfTestCommand
	if opts.CallTimeout == 0 {
		opts.CallTimeout = 10 * time.Second
	}
	if opts.RestartBackoff == 0 {
		opts.RestartBackoff = 50 * time.Millisecond
	}
	if opts.Logger == nil {
		opts.Logger = hclog.New(&hclog.LoggerOptions{Level: hclog.Warn, Output: testWriter{t}})
	}
	h := New(opts)
	t.Cleanup(func() {
		h.Close()
		if left := pluginhosttest.Children(""); len(left) > 0 {
			t.Errorf("plugin processes left running after Close: %v", left)
		}
	})
	return h
}

// testWriter sends the host's log to the test's log.
type testWriter struct{ t testing.TB }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Helper()
	w.t.Log(string(bytes.TrimRight(p, "\n")))
	return len(p), nil
}

// syncBuffer is a log destination tests read while plugins write to it.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// sim starts a simulated X on loopback for the test.
func sim(t testing.TB) *xsim.Sim {
	t.Helper()
	s := xsim.New(xsim.Options{})
	if err := s.Start("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

// session logs handle in to s.
func session(t testing.TB, s *xsim.Sim, handle string) sdk.Session {
	t.Helper()
	token, err := s.Login(handle)
	if err != nil {
		t.Fatal(err)
	}
	return sdk.Session{AccountID: handle, Handle: handle, Credentials: map[string]string{sdk.CredentialAccessToken: token}}
}

// faultConfig configures the fault plugin for s with faults counted in a
// fresh state dir.
func faultConfig(t testing.TB, s *xsim.Sim, faults ...pluginhosttest.Fault) json.RawMessage {
	t.Helper()
	raw, err := json.Marshal(pluginhosttest.Config{BaseURL: s.URL(), Faults: faults, StateDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

// pid is the process id of plugin name, 0 if it is not running.
func pid(h *Host, name string) int {
	h.mu.Lock()
	m := h.plugins[name]
	h.mu.Unlock()
	if m == nil {
		return 0
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.proc == nil {
		return 0
	}
	return m.proc.pid
}
