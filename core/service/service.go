package service

import (
	"context"
	"errors"
	"sync/atomic"

	"github.com/outreachhq/outreach/core/clock"
	"github.com/outreachhq/outreach/core/secrets"
	"github.com/outreachhq/outreach/core/store"
)

// Options configure a Service.
type Options struct {
	Clock clock.Clock
	// Sealer seals credentials and webhook secrets at rest and digests
	// them for plans. Operations that need it fail without one.
	Sealer *secrets.Sealer
	// Wake, if set, is called after an operation commits work for the
	// engine (new jobs, a lifted hold), so it need not wait to notice.
	Wake func()
}

// Service performs operations on one store.
type Service struct {
	db     store.Transactor[Tx]
	clock  clock.Clock
	sealer *secrets.Sealer
	wake   func()
	// simulated is set while the engine runs accounts on the simulated X
	// (SetSimulated).
	simulated atomic.Bool
	// signIn starts OAuth sign-ins of credential jobs (SetSignIn).
	signIn atomic.Pointer[SignIn]
	// tokensGiven takes OAuth tokens given through the API
	// (SetTokensGiven).
	tokensGiven atomic.Pointer[TokensGiven]
}

// New returns a Service over a store's transactions.
func New(db store.Transactor[Tx], opts Options) *Service {
	if opts.Clock == nil {
		opts.Clock = clock.Real{}
	}
	if opts.Wake == nil {
		opts.Wake = func() {}
	}
	return &Service{db: db, clock: opts.Clock, sealer: opts.Sealer, wake: opts.Wake}
}

// errNoSealer is what an operation that needs secrets answers without them.
var errNoSealer = errors.New("no secret key: credentials cannot be sealed or opened")

// keys returns the sealer or errNoSealer.
func (s *Service) keys() (*secrets.Sealer, error) {
	if s.sealer == nil {
		return nil, errNoSealer
	}
	return s.sealer, nil
}

// update runs fn in a transaction and wakes the engine if fn says it wrote
// work and the transaction committed.
func (s *Service) update(ctx context.Context, fn func(Tx) (work bool, err error)) error {
	var work bool
	err := s.db.Update(ctx, func(tx Tx) (err error) {
		work, err = fn(tx)
		return err
	})
	if err == nil && work {
		s.wake()
	}
	return err
}

// view runs fn in a read-only transaction.
func (s *Service) view(ctx context.Context, fn func(Tx) error) error {
	return s.db.View(ctx, fn)
}
