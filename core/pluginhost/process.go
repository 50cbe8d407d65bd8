package pluginhost

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"slices"
	"strings"
	"time"

	"github.com/hashicorp/go-plugin"
	"google.golang.org/grpc/health/grpc_health_v1"

	"github.com/outreachhq/outreach/sdk"
)

// process is one running plugin process and the clients dispensed from it.
// A relaunch makes a new process; calls hold the one they started with, so
// a failure is pinned on the right generation.
type process struct {
	client *plugin.Client
	cmd    *exec.Cmd
	rpc    plugin.ClientProtocol
	pid    int
	// stderr is the tail of what the process wrote to stderr.
	stderr *stderrTail

	base    sdk.Plugin
	network sdk.Network
	ai      sdk.AI
	sink    sdk.Sink
	info    sdk.Info
}

// expected is what a plugin's handshake must say, for the error that
// refuses one whose does not.
var expected = fmt.Sprintf("expected an outreach plugin built with github.com/outreachhq/outreach/sdk (calling sdk.Serve): "+
	"go-plugin handshake with magic cookie %s, plugin protocol version %d, gRPC", sdk.Handshake.MagicCookieKey, sdk.ProtocolVersion)

// Stages of a launch, as a LaunchError names the one that failed.
const (
	// StageBinary: the plugin's binary is missing or cannot be run.
	StageBinary = "binary"
	// StageHandshake: the process started but did not complete go-plugin's
	// handshake (it crashed, is not an outreach plugin, or speaks another
	// protocol version).
	StageHandshake = "handshake"
	// StageSetUp: the handshake went through, but asking the plugin's info
	// or schema, checking its version or configuring it failed.
	StageSetUp = "set up"
)

// LaunchError is a plugin that could not be launched. Its message says
// why, with the plugin's own last words on stderr if it died; it does not
// name the plugin, which callers add.
type LaunchError struct {
	Source Source
	// Stage is the step that failed: StageBinary, StageHandshake or
	// StageSetUp.
	Stage string
	Err   error
	// Stderr is what the plugin wrote to stderr last that is worth showing
	// (a panic, raw output, error log lines), "" if nothing.
	Stderr string
}

func (e *LaunchError) Error() string {
	switch {
	case e.Stage == StageBinary:
		return e.Err.Error()
	case e.Quit():
		return withStderr(fmt.Sprintf("launch %s: handshake failed: the plugin exited before it completed it; %s", e.Source, expected), e.Stderr)
	case e.Stage == StageHandshake:
		return withStderr(fmt.Sprintf("launch %s: handshake failed: %v; %s", e.Source, e.Err, expected), e.Stderr)
	}
	return withStderr(fmt.Sprintf("launch %s: %v", e.Source, e.Err), e.Stderr)
}

func (e *LaunchError) Unwrap() error { return e.Err }

// Quit reports whether the plugin exited on its own during the handshake
// and said something on stderr first (a panic, a message): then that, not
// go-plugin's guesses about architectures and permissions, is the reason
// to show, beside what the host expected.
func (e *LaunchError) Quit() bool {
	if e.Stage != StageHandshake || e.Stderr == "" {
		return false
	}
	// go-plugin's words for a process that ended before the handshake: it
	// saw the exit, or the end of stdout.
	msg := e.Err.Error()
	return strings.Contains(msg, "exited before we could connect") || strings.Contains(msg, "Failed to read any lines from plugin's stdout")
}

// launch starts the plugin, checks its handshake, info and version, and
// configures it. On any failure the process is gone when it returns; the
// error does not name the plugin, which the caller adds.
func (m *managed) launch() (*process, error) {
	p, err := m.host.start(m.name, m.src)
	if err != nil {
		return nil, err
	}
	if err := p.setUp(m); err != nil {
		return nil, p.failed(m.src, err)
	}
	m.host.opts.Logger.Debug("plugin launched", "plugin", m.name, "source", m.src.String(), "pid", p.pid, "version", p.info.Version)
	return p, nil
}

// start starts the plugin process of src and does the handshake.
func (h *Host) start(name string, src Source) (*process, error) {
	var cmd *exec.Cmd
	if src.Builtin {
		cmd = h.opts.SelfCommand(src.Name)
	} else {
		if err := checkExecutable(src.Path); err != nil {
			return nil, &LaunchError{Source: src, Stage: StageBinary, Err: err}
		}
		cmd = exec.Command(src.Path)
	}
	// Plugins start without the host's environment, but a host that may
	// only dial loopback (tests, CI) holds its plugins to the same rule.
	if v := os.Getenv(sdk.EnvLoopbackOnly); v != "" {
		cmd.Env = append(cmd.Env, sdk.EnvLoopbackOnly+"="+v)
	}
	cfg := sdk.ClientConfig(cmd, h.opts.Logger.With("plugin", name))
	cfg.StartTimeout = h.opts.StartTimeout
	tail := &stderrTail{}
	cfg.Stderr = tail
	client := plugin.NewClient(cfg)
	p := &process{client: client, cmd: cmd, stderr: tail}
	rpc, err := client.Client()
	if err != nil {
		// kill waits until go-plugin has read the last of stderr.
		p.kill(true)
		return nil, &LaunchError{Source: src, Stage: StageHandshake, Err: err, Stderr: tail.report()}
	}
	p.rpc, p.pid = rpc, cmd.Process.Pid
	return p, nil
}

// failed stops a process whose set-up failed and returns the LaunchError,
// with what it wrote last on stderr.
func (p *process) failed(src Source, err error) error {
	p.kill(true)
	return &LaunchError{Source: src, Stage: StageSetUp, Err: err, Stderr: p.stderr.report()}
}

// setUp asks the plugin's info, checks its version and configures it.
func (p *process) setUp(m *managed) error {
	h := m.host
	base, err := sdk.Dispense(p.rpc)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), h.opts.CallTimeout)
	defer cancel()
	info, err := base.Info(ctx)
	if err != nil {
		return fmt.Errorf("info: %w", err)
	}
	if m.src.allows != nil && !m.src.allows(info.Version) {
		return fmt.Errorf("version %s does not satisfy the plugin block's version constraint %q", info.Version, m.src.Version)
	}
	if err := base.Configure(ctx, m.config); err != nil {
		return fmt.Errorf("configure: %w", err)
	}
	p.base, p.info = base, info
	if slices.Contains(info.Kinds, sdk.KindNetwork) {
		if p.network, err = sdk.DispenseNetwork(p.rpc); err != nil {
			return err
		}
	}
	if slices.Contains(info.Kinds, sdk.KindAI) {
		if p.ai, err = sdk.DispenseAI(p.rpc); err != nil {
			return err
		}
	}
	if slices.Contains(info.Kinds, sdk.KindSink) {
		if p.sink, err = sdk.DispenseSink(p.rpc); err != nil {
			return err
		}
	}
	return nil
}

// missingBinary is a plugin binary that does not exist; it is
// fs.ErrNotExist for errors.Is.
type missingBinary struct{ path string }

func (e missingBinary) Error() string        { return "binary " + e.path + " does not exist" }
func (e missingBinary) Is(target error) bool { return target == fs.ErrNotExist }

// checkExecutable says plainly why a plugin binary cannot be run, rather
// than leaving it to a fork/exec error.
func checkExecutable(path string) error {
	fi, err := os.Stat(path)
	switch {
	case os.IsNotExist(err):
		return missingBinary{path}
	case err != nil:
		return err
	case !fi.Mode().IsRegular():
		return fmt.Errorf("%s is not a file", path)
	case fi.Mode().Perm()&0o111 == 0:
		return fmt.Errorf("%s is not executable (chmod +x it)", path)
	}
	return nil
}

// ping asks the plugin's gRPC health service, with a short deadline: a
// plugin that cannot answer it is hung as a whole, not just busy in one
// call.
func (p *process) ping(timeout time.Duration) error {
	c, ok := p.rpc.(*plugin.GRPCClient)
	if !ok {
		return p.rpc.Ping()
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	_, err := grpc_health_v1.NewHealthClient(c.Conn).Check(ctx, &grpc_health_v1.HealthCheckRequest{Service: plugin.GRPCServiceName})
	return err
}

// killGrace is how long a graceful stop may take before the process is
// killed.
const killGrace = 3 * time.Second

// kill stops the process and waits until it has exited and go-plugin's
// goroutines are done. graceful asks it to stop first (so it can flush);
// otherwise, or if it does not stop within killGrace (a stopped or wedged
// process never answers the request), it is killed.
func (p *process) kill(graceful bool) {
	if !graceful && p.cmd.Process != nil {
		_ = p.cmd.Process.Kill()
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		p.client.Kill()
	}()
	select {
	case <-done:
	case <-time.After(killGrace):
		if p.cmd.Process != nil {
			_ = p.cmd.Process.Kill()
		}
		<-done
	}
}
