package pluginhost

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"sync"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/go-plugin"

	"github.com/outreachhq/outreach/sdk"
)

// Options configure a Host.
type Options struct {
	// Builtins are the plugins compiled into this binary.
	Builtins []string
	// SelfCommand returns the command that serves built-in plugin name. The
	// default re-executes this binary as `plugin serve NAME`; tests point it
	// at the test binary.
	SelfCommand func(name string) *exec.Cmd
	// CallTimeout bounds every unary call. Default 60s.
	CallTimeout time.Duration
	// Logger receives the host's and the plugins' logs.
	Logger hclog.Logger
}

// Host owns the plugin processes of one outreach process.
type Host struct {
	opts Options

	mu      sync.Mutex
	plugins map[string]*managed
}

// New returns a Host. It starts nothing until a plugin is asked for.
func New(opts Options) *Host {
	if opts.SelfCommand == nil {
		opts.SelfCommand = selfCommand
	}
	if opts.CallTimeout <= 0 {
		opts.CallTimeout = 60 * time.Second
	}
	if opts.Logger == nil {
		opts.Logger = hclog.NewNullLogger()
	}
	return &Host{opts: opts, plugins: map[string]*managed{}}
}

func selfCommand(name string) *exec.Cmd {
	exe, err := os.Executable()
	if err != nil {
		exe = os.Args[0]
	}
	return exec.Command(exe, "plugin", "serve", name)
}

// Network returns the network plugin called name, launching and
// configuring it on first use. Every call through the returned value has a
// deadline and names the plugin in its errors.
func (h *Host) Network(name string, config json.RawMessage) (sdk.Network, error) {
	m, err := h.get(name, config)
	if err != nil {
		return nil, err
	}
	if !slices.Contains(m.info.Kinds, sdk.KindNetwork) {
		return nil, fmt.Errorf("plugin %q is not a network plugin (kinds: %v)", name, m.info.Kinds)
	}
	return &network{m: m}, nil
}

// Close stops every plugin process and waits for them to exit.
func (h *Host) Close() {
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, m := range h.plugins {
		m.close()
	}
	h.plugins = map[string]*managed{}
}

func (h *Host) get(name string, config json.RawMessage) (*managed, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if m, ok := h.plugins[name]; ok {
		return m, nil
	}
	if !slices.Contains(h.opts.Builtins, name) {
		return nil, fmt.Errorf("plugin %q not found: built-in plugins are %v", name, h.opts.Builtins)
	}
	m := &managed{name: name, config: config, host: h}
	if err := m.launch(); err != nil {
		return nil, err
	}
	h.plugins[name] = m
	return m, nil
}

// managed is one plugin process and the clients dispensed from it.
type managed struct {
	name   string
	config json.RawMessage
	host   *Host

	mu      sync.Mutex
	client  *plugin.Client
	base    sdk.Plugin
	network sdk.Network
	info    sdk.Info
}

func (m *managed) launch() error {
	h := m.host
	client := plugin.NewClient(&plugin.ClientConfig{
		HandshakeConfig:  sdk.Handshake,
		VersionedPlugins: sdk.PluginSets(),
		Cmd:              h.opts.SelfCommand(m.name),
		AllowedProtocols: []plugin.Protocol{plugin.ProtocolGRPC},
		AutoMTLS:         true,
		// A plugin gets only what its configuration gives it, never the
		// host's environment (which may hold credentials).
		SkipHostEnv:  true,
		Logger:       h.opts.Logger.Named(m.name),
		StartTimeout: 30 * time.Second,
	})
	rpc, err := client.Client()
	if err != nil {
		client.Kill()
		return fmt.Errorf("plugin %q: launch: %w", m.name, err)
	}
	base, err := sdk.Dispense(rpc)
	if err != nil {
		client.Kill()
		return fmt.Errorf("plugin %q: %w", m.name, err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), h.opts.CallTimeout)
	defer cancel()
	info, err := base.Info(ctx)
	if err != nil {
		client.Kill()
		return fmt.Errorf("plugin %q: info: %w", m.name, err)
	}
	if err := base.Configure(ctx, m.config); err != nil {
		client.Kill()
		return fmt.Errorf("plugin %q: configure: %w", m.name, err)
	}
	var network sdk.Network
	if slices.Contains(info.Kinds, sdk.KindNetwork) {
		if network, err = sdk.DispenseNetwork(rpc); err != nil {
			client.Kill()
			return fmt.Errorf("plugin %q: %w", m.name, err)
		}
	}
	m.client, m.base, m.network, m.info = client, base, network, info
	return nil
}

// current returns the live network client, relaunching the plugin first if
// its process has exited since the last call.
func (m *managed) current() (sdk.Network, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.client.Exited() {
		m.host.opts.Logger.Warn("plugin exited; relaunching", "plugin", m.name)
		m.client.Kill()
		if err := m.launch(); err != nil {
			return nil, err
		}
	}
	return m.network, nil
}

func (m *managed) close() {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.client.Kill()
}
