package pluginhost

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"sync"
	"time"

	"github.com/hashicorp/go-hclog"

	"github.com/outreachhq/outreach/sdk"
)

// Options configure a Host. Zero values mean the defaults.
type Options struct {
	// Builtins are the plugins compiled into this binary.
	Builtins []string
	// SelfCommand returns the command that serves built-in plugin name. The
	// default re-executes this binary as `plugin serve NAME`; tests point it
	// at the test binary.
	SelfCommand func(name string) *exec.Cmd
	// PluginDir holds external plugins named outreach-plugin-NAME. Empty
	// means none are discovered.
	PluginDir string
	// CallTimeout bounds every unary call, and the wait for each page of a
	// stream. Default 60s.
	CallTimeout time.Duration
	// StartTimeout bounds a launch: process start and handshake. Default
	// 30s.
	StartTimeout time.Duration
	// RestartBackoff is the wait before relaunching a plugin that crashed
	// again right after a relaunch; it doubles with every further crash in
	// a row, up to MaxRestartBackoff. The first relaunch after a crash is
	// immediate. Defaults 500ms and 1m.
	RestartBackoff, MaxRestartBackoff time.Duration
	// HangLimit is how many calls in a row may miss their deadline before
	// the plugin is killed and relaunched (sooner if it also fails a
	// health check). Default 3.
	HangLimit int
	// Logger receives the host's and the plugins' logs.
	Logger hclog.Logger
	// OnRestart, if set, is told each time a plugin is relaunched after a
	// crash or a hang (for the metrics of serve).
	OnRestart func(plugin string)
}

// Host owns the plugin processes of one outreach process. It is safe for
// concurrent use.
type Host struct {
	opts Options

	mu      sync.Mutex
	specs   map[string]Spec
	plugins map[string]*managed
	closed  bool
}

// New returns a Host. It starts nothing until a plugin is asked for.
func New(opts Options) *Host {
	if opts.SelfCommand == nil {
		opts.SelfCommand = selfCommand
	}
	if opts.CallTimeout <= 0 {
		opts.CallTimeout = 60 * time.Second
	}
	if opts.StartTimeout <= 0 {
		opts.StartTimeout = 30 * time.Second
	}
	if opts.RestartBackoff <= 0 {
		opts.RestartBackoff = 500 * time.Millisecond
	}
	if opts.MaxRestartBackoff <= 0 {
		opts.MaxRestartBackoff = time.Minute
	}
	if opts.HangLimit <= 0 {
		opts.HangLimit = 3
	}
	if opts.Logger == nil {
		opts.Logger = hclog.NewNullLogger()
	}
	return &Host{opts: opts, specs: map[string]Spec{}, plugins: map[string]*managed{}}
}

func selfCommand(name string) *exec.Cmd {
	exe, err := os.Executable()
	if err != nil {
		exe = os.Args[0]
	}
	return exec.Command(exe, "plugin", "serve", name)
}

// ErrClosed is returned by calls on a Host after Close.
var ErrClosed = errors.New("plugin host is closed")

// Network returns the network plugin called name, launching and
// configuring it on first use with config (nil: its plugin block's config,
// else {}). Every call through the returned value has a deadline and names
// the plugin in its errors; the value also implements sdk.Engagement.
func (h *Host) Network(name string, config json.RawMessage) (sdk.Network, error) {
	m, err := h.kind(name, config, sdk.KindNetwork)
	if err != nil {
		return nil, err
	}
	return &network{m: m}, nil
}

// AI returns the AI plugin called name, as Network does.
func (h *Host) AI(name string, config json.RawMessage) (sdk.AI, error) {
	m, err := h.kind(name, config, sdk.KindAI)
	if err != nil {
		return nil, err
	}
	return &ai{m: m}, nil
}

// Sink returns the sink plugin called name, as Network does. Its Emit
// passes on only the event types its plugin block subscribes it to (all
// without events), and splits large batches into calls the protocol can
// carry.
func (h *Host) Sink(name string, config json.RawMessage) (sdk.Sink, error) {
	m, err := h.kind(name, config, sdk.KindSink)
	if err != nil {
		return nil, err
	}
	return &sink{m: m}, nil
}

// kind returns the managed plugin name, launched, if it serves kind.
func (h *Host) kind(name string, config json.RawMessage, kind string) (*managed, error) {
	m, err := h.plugin(name, config)
	if err != nil {
		return nil, err
	}
	info, err := m.infoOrLaunch()
	if err != nil {
		return nil, err
	}
	if !slices.Contains(info.Kinds, kind) {
		return nil, fmt.Errorf("plugin %q is not a %s plugin: it serves %v", name, kind, info.Kinds)
	}
	return m, nil
}

// Info launches plugin name (configured) if it is not running and returns
// its info and where it comes from.
func (h *Host) Info(ctx context.Context, name string) (sdk.Info, Source, error) {
	m, err := h.plugin(name, nil)
	if err != nil {
		return sdk.Info{}, Source{}, err
	}
	info, err := m.infoOrLaunch()
	return info, m.src, err
}

// plugin returns the managed plugin name, creating it (without launching
// it) on first use.
func (h *Host) plugin(name string, config json.RawMessage) (*managed, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		return nil, ErrClosed
	}
	if m, ok := h.plugins[name]; ok {
		return m, nil
	}
	src, err := h.resolve(name)
	if err != nil {
		return nil, err
	}
	if config == nil {
		config = src.config
	}
	if len(config) == 0 {
		config = json.RawMessage("{}")
	}
	m := &managed{name: name, src: src, config: config, host: h, closing: make(chan struct{})}
	h.plugins[name] = m
	return m, nil
}

// Close stops every plugin process and waits for them to exit. Calls made
// after Close fail with ErrClosed.
func (h *Host) Close() {
	h.mu.Lock()
	h.closed = true
	plugins := h.plugins
	h.plugins = map[string]*managed{}
	h.mu.Unlock()
	var wg sync.WaitGroup
	for _, m := range plugins {
		wg.Go(m.close)
	}
	wg.Wait()
}

// Describe starts plugin name just to ask its info, without configuring it
// (`outreach plugins list` needs no configuration), and stops it again. It
// does not touch a running instance of the plugin.
func (h *Host) Describe(ctx context.Context, name string) (sdk.Info, Source, error) {
	h.mu.Lock()
	src, err := h.resolve(name)
	closed := h.closed
	h.mu.Unlock()
	if closed {
		return sdk.Info{}, Source{}, ErrClosed
	}
	if err != nil {
		return sdk.Info{}, Source{}, err
	}
	info, _, err := h.probe(ctx, name, src, false)
	if err != nil {
		return sdk.Info{}, src, fmt.Errorf("plugin %q: %w", name, err)
	}
	return info, src, nil
}
