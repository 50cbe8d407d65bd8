package cli

import (
	"fmt"
	"os"
	"sync/atomic"

	"github.com/outreachhq/outreach/core/engine"
	"github.com/outreachhq/outreach/core/secrets"
	"github.com/outreachhq/outreach/core/service"
	"github.com/outreachhq/outreach/core/store"
	"github.com/outreachhq/outreach/core/store/bunt"
)

// backend is an open store and what runs on it: the service, and the
// engine once work runs. It is the one place that knows which store
// implementation holds the data.
type backend struct {
	bs  *bunt.Store
	svc *service.Service
	// wake wakes the engine, once one runs, when the service writes work.
	wake atomic.Pointer[func()]
}

// open opens the data dir's store, naming this process as its holder, and
// the service over it.
func (g *global) open(what string) (*backend, error) {
	bs, err := bunt.Open(g.dataDir(), fmt.Sprintf("%s (pid %d)", what, os.Getpid()))
	if err != nil {
		return nil, err
	}
	sl, err := secrets.LoadSealer(g.dataDir())
	if err != nil {
		bs.Close()
		return nil, fmt.Errorf("load the data dir's secret key: %w", err)
	}
	b := &backend{bs: bs}
	b.svc = service.New(store.Narrow(bs, func(tx *bunt.Tx) service.Tx { return tx }), service.Options{
		Clock: g.opts.Clock, Sealer: sl, Wake: b.wakeEngine,
	})
	return b, nil
}

func (b *backend) Close() error { return b.bs.Close() }

// engine builds an engine over the store; the service wakes it from then
// on.
func (b *backend) engine(opts engine.Options) *engine.Engine {
	opts.Store = store.Narrow(b.bs, func(tx *bunt.Tx) engine.Tx { return tx })
	e := engine.New(opts)
	wake := e.Wake
	b.wake.Store(&wake)
	return e
}

func (b *backend) wakeEngine() {
	if w := b.wake.Load(); w != nil {
		(*w)()
	}
}
