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
	"github.com/outreachhq/outreach/plugins/x"
	"github.com/outreachhq/outreach/plugins/x/xsim"
	"github.com/outreachhq/outreach/sdk"
)

// runtime is what the engine needs to reach the outside world: the plugin
// host and, in sandbox mode, the simulated X that every account talks to.
type runtime struct {
	host *pluginhost.Host
	sim  *xsim.Sim
}

// errNoSandbox explains the one mode this build runs accounts in.
var errNoSandbox = errors.New("accounts on the real X need credentials, which this version cannot store yet: set `sandbox = true` in the settings block (or pass --sandbox) to run on the simulated X")

// startRuntime starts the plugin host and, if sandbox, the simulated X on
// loopback. Nothing it starts contacts any other address.
func (g *global) startRuntime(sandbox bool, log hclog.Logger) (*runtime, error) {
	if !sandbox {
		return nil, errNoSandbox
	}
	sim := xsim.New(xsim.Options{Clock: g.opts.Clock})
	if err := sim.Start("127.0.0.1:0"); err != nil {
		return nil, fmt.Errorf("start the simulated X: %w", err)
	}
	host := pluginhost.New(pluginhost.Options{
		Builtins:    builtinNames(),
		SelfCommand: g.opts.PluginCommand,
		PluginDir:   filepath.Join(g.dataDir(), "plugins"),
		Logger:      log.Named("plugin"),
	})
	return &runtime{host: host, sim: sim}, nil
}

func (r *runtime) Close() {
	r.host.Close()
	_ = r.sim.Close()
}

// network returns the network plugin called name, configured for the
// simulated X.
func (r *runtime) network(name string) (sdk.Network, error) {
	cfg, err := json.Marshal(map[string]string{"base_url": r.sim.URL()})
	if err != nil {
		return nil, err
	}
	return r.host.Network(name, cfg)
}

// session signs the account in to the simulated X. Its token lives only in
// memory: the sandbox needs no stored credentials.
func (r *runtime) session(_ context.Context, a store.Account) (sdk.Session, error) {
	token, err := r.sim.Login(a.Handle)
	if err != nil {
		return sdk.Session{}, err
	}
	return sdk.Session{
		AccountID:   a.ID,
		Handle:      a.Handle,
		UserID:      a.XUserID,
		Credentials: map[string]string{x.CredentialBearerToken: token},
	}, nil
}

// engine builds an engine over the store and this runtime.
func (g *global) engine(st *store.Store, rt *runtime, log hclog.Logger, observe func(engine.Event)) *engine.Engine {
	var rnd *rand.Rand
	if g.opts.Seed != 0 {
		rnd = rand.New(rand.NewPCG(g.opts.Seed, g.opts.Seed))
	}
	return engine.New(engine.Options{
		Store:   st,
		Network: rt.network,
		Session: rt.session,
		Clock:   g.opts.Clock,
		Rand:    rnd,
		Logger:  log.Named("engine"),
		// The simulated X answers in seconds; the real one is polled gently.
		PollInterval: sandboxPoll,
		Observe:      observe,
	})
}
