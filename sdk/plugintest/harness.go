package plugintest

import (
	"context"
	"os"
	"os/exec"
	"slices"
	"testing"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/go-plugin"

	"github.com/outreachhq/outreach/sdk"
)

// Conn is a plugin as the host sees it: its base client and a client for
// each kind its Info lists (nil for the others). Every call crosses gRPC.
type Conn struct {
	Plugin sdk.Plugin
	// Network also implements sdk.Engagement and sdk.RateBudgeter.
	Network sdk.Network
	AI      sdk.AI
	Sink    sdk.Sink
	// Info is what the plugin answered when the harness connected.
	Info sdk.Info
	// PID is the plugin's process id out of process, 0 in process.
	PID int
}

// InProcess serves cfg over gRPC inside the test process, through the same
// shims as Serve, and returns its clients. The connection is closed when
// the test ends.
func InProcess(t testing.TB, cfg sdk.ServeConfig) *Conn {
	t.Helper()
	client, server := plugin.TestPluginGRPCConn(t, false, cfg.PluginSet())
	t.Cleanup(func() {
		// Closing the client asks the server to stop, as the host does;
		// stopping it here as well would race with that.
		_ = client.Close()
		select {
		case <-server.DoneCh:
		case <-time.After(5 * time.Second):
			server.Stop()
		}
	})
	return connect(t, client, 0)
}

// serveArg is the argument with which Exec runs the test binary as the
// plugin.
const serveArg = "plugintest-serve-plugin"

// Main is for a plugin package's TestMain: when Exec runs the test binary
// as the plugin, Main serves serve() and exits; otherwise it runs the tests.
// This is how the host runs built-in plugins too: by re-executing itself.
func Main(m *testing.M, serve func() sdk.ServeConfig) {
	if len(os.Args) > 1 && os.Args[1] == serveArg {
		sdk.Serve(serve())
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// Exec launches the test binary itself as the plugin, out of process, with
// the host's launch settings, and returns its clients. The package's
// TestMain must call Main. The process is killed when the test ends.
func Exec(t testing.TB) *Conn {
	t.Helper()
	if os.Getenv(sdk.Handshake.MagicCookieKey) != "" {
		// This binary was launched as a plugin but ran the tests instead:
		// without this check it would launch itself again, and again.
		t.Fatal("plugintest.Exec: the test binary was run as a plugin but did not serve one: call plugintest.Main from TestMain")
	}
	cmd := exec.Command(os.Args[0], serveArg)
	// A test binary built with -race sleeps a second when it exits unless
	// told not to; every test would wait for it.
	cmd.Env = []string{"GORACE=atexit_sleep_ms=0"}
	return Launch(t, cmd)
}

// Launch starts the plugin that cmd runs (a binary built with go build, for
// example) out of process, with the host's launch settings: the handshake,
// gRPC over mutual TLS, none of the test's environment. It returns the
// plugin's clients and kills the process when the test ends.
func Launch(t testing.TB, cmd *exec.Cmd) *Conn {
	t.Helper()
	logger := hclog.New(&hclog.LoggerOptions{Name: "plugintest", Level: hclog.Warn, Output: os.Stderr})
	client := plugin.NewClient(sdk.ClientConfig(cmd, logger))
	t.Cleanup(client.Kill)
	rpc, err := client.Client()
	if err != nil {
		t.Fatalf("launch plugin %s: %v", cmd.Path, err)
	}
	return connect(t, rpc, cmd.Process.Pid)
}

// connect dispenses the base client, asks for Info, then dispenses a client
// for each kind Info lists.
func connect(t testing.TB, rpc plugin.ClientProtocol, pid int) *Conn {
	t.Helper()
	base, err := sdk.Dispense(rpc)
	if err != nil {
		t.Fatalf("dispense plugin: %v", err)
	}
	info, err := base.Info(context.Background())
	if err != nil {
		t.Fatalf("Info: %v", err)
	}
	c := &Conn{Plugin: base, Info: info, PID: pid}
	if slices.Contains(info.Kinds, sdk.KindNetwork) {
		if c.Network, err = sdk.DispenseNetwork(rpc); err != nil {
			t.Fatalf("dispense network: %v", err)
		}
	}
	if slices.Contains(info.Kinds, sdk.KindAI) {
		if c.AI, err = sdk.DispenseAI(rpc); err != nil {
			t.Fatalf("dispense ai: %v", err)
		}
	}
	if slices.Contains(info.Kinds, sdk.KindSink) {
		if c.Sink, err = sdk.DispenseSink(rpc); err != nil {
			t.Fatalf("dispense sink: %v", err)
		}
	}
	return c
}
