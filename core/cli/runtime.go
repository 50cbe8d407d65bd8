package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"path/filepath"

	"github.com/hashicorp/go-hclog"

	"github.com/outreachhq/outreach/core/engine"
	"github.com/outreachhq/outreach/core/pluginhost"
	"github.com/outreachhq/outreach/core/store"
	"github.com/outreachhq/outreach/plugins/x/xsim"
	"github.com/outreachhq/outreach/sdk"
)

// runtime is what the engine needs to reach the outside world: the plugin
// host and, in sandbox mode, the simulated X that every account talks to,
// either started in this process or already serving in another one
// (`outreach sandbox`).
type runtime struct {
	host *pluginhost.Host
	// simURL is the simulated X's base URL; login signs an account in to it.
	simURL string
	login  func(ctx context.Context, handle string) (token string, err error)
	// closeSim stops the simulated X if this process started it.
	closeSim func() error
}

// errNoSandbox explains the one mode this build runs accounts in.
var errNoSandbox = errors.New("this version runs accounts on the simulated X only (their credentials are stored, sealed, for when it runs them on X): set `sandbox = true` in the settings block, or pass --sandbox or --sandbox-url")

// startRuntime starts the plugin host and the simulated X that accounts run
// on: the one serving at sandboxURL if it is set (a loopback URL that
// checkSandboxURL accepted), else, if sandbox, one started in-process on
// loopback. Nothing it starts contacts any other address.
func (g *global) startRuntime(sandbox bool, sandboxURL string, log hclog.Logger) (*runtime, error) {
	var rt *runtime
	switch {
	case sandboxURL != "":
		var err error
		if rt, err = externalSim(sandboxURL); err != nil {
			return nil, err
		}
	case sandbox:
		sim := xsim.New(xsim.Options{Clock: g.opts.Clock})
		if err := sim.Start("127.0.0.1:0"); err != nil {
			return nil, fmt.Errorf("start the simulated X: %w", err)
		}
		rt = &runtime{
			simURL:   sim.URL(),
			login:    func(_ context.Context, handle string) (string, error) { return sim.Login(handle) },
			closeSim: sim.Close,
		}
	default:
		return nil, errNoSandbox
	}
	rt.host = pluginhost.New(pluginhost.Options{
		Builtins:    builtinNames(),
		SelfCommand: g.opts.PluginCommand,
		PluginDir:   filepath.Join(g.dataDir(), "plugins"),
		Logger:      log.Named("plugin"),
		OnRestart:   g.metrics.pluginRestarted,
	})
	return rt, nil
}

func (r *runtime) Close() {
	r.host.Close()
	if r.closeSim != nil {
		_ = r.closeSim()
	}
}

// network returns the network plugin called name, configured for the
// simulated X.
func (r *runtime) network(name string) (sdk.Network, error) {
	cfg, err := json.Marshal(map[string]string{"base_url": r.simURL})
	if err != nil {
		return nil, err
	}
	return r.host.Network(name, cfg)
}

// ai returns the built-in AI plugin, configured by its plugin block if
// there is one (offline defaults otherwise), to classify replies.
func (r *runtime) ai(context.Context) (sdk.AI, error) { return r.host.AI("ai", nil) }

// session signs the account in to the simulated X. Its token lives only in
// memory: the sandbox needs no stored credentials.
func (r *runtime) session(ctx context.Context, a store.Account) (sdk.Session, error) {
	token, err := r.login(ctx, a.Handle)
	if err != nil {
		return sdk.Session{}, err
	}
	return sdk.Session{
		AccountID:   a.ID,
		Handle:      a.Handle,
		UserID:      a.XUserID,
		Credentials: map[string]string{sdk.CredentialAccessToken: token},
	}, nil
}

// engine builds an engine over the backend's store and this runtime.
// workers bounds how many accounts it works at once.
func (g *global) engine(b *backend, rt *runtime, log hclog.Logger, workers int, observe func(engine.Event)) *engine.Engine {
	var rnd *rand.Rand
	if g.opts.Seed != 0 {
		rnd = rand.New(rand.NewPCG(g.opts.Seed, g.opts.Seed))
	}
	return b.engine(engine.Options{
		Network: rt.network,
		Session: rt.session,
		AI:      rt.ai,
		Clock:   g.opts.Clock,
		Rand:    rnd,
		Logger:  log.Named("engine"),
		Workers: workers,
		Observe: g.metrics.observeEngine(observe),
		// Every account runs on the simulated X in this version.
		Simulated: rt.simURL != "",
	})
}
