package pluginhost

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"slices"
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

// launch starts the plugin, checks its handshake, info and version, and
// configures it. On any failure the process is gone when it returns; the
// error does not name the plugin, which the caller adds.
func (m *managed) launch() (*process, error) {
	p, err := m.host.start(m.name, m.src)
	if err != nil {
		return nil, err
	}
	if err := p.setUp(m); err != nil {
		p.kill(true)
		return nil, fmt.Errorf("launch %s: %w", m.src, err)
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
			return nil, err
		}
		cmd = exec.Command(src.Path)
	}
	cfg := sdk.ClientConfig(cmd, h.opts.Logger.With("plugin", name))
	cfg.StartTimeout = h.opts.StartTimeout
	client := plugin.NewClient(cfg)
	p := &process{client: client, cmd: cmd}
	rpc, err := client.Client()
	if err != nil {
		p.kill(true)
		return nil, fmt.Errorf("launch %s: handshake failed: %v; %s", src, err, expected)
	}
	p.rpc, p.pid = rpc, cmd.Process.Pid
	return p, nil
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

// checkExecutable says plainly why a plugin binary cannot be run, rather
// than leaving it to a fork/exec error.
func checkExecutable(path string) error {
	fi, err := os.Stat(path)
	switch {
	case os.IsNotExist(err):
		return fmt.Errorf("binary %s does not exist", path)
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
