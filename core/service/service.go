package service

import (
	"sync"

	"github.com/outreachhq/outreach/core/clock"
	"github.com/outreachhq/outreach/core/secrets"
	"github.com/outreachhq/outreach/core/store"
)

// Service performs operations on one data dir's store.
type Service struct {
	st    *store.Store
	clock clock.Clock

	// sealerMu guards sl, the data dir's sealer, loaded on first use and
	// then kept: every plan, apply and credential read needs it.
	sealerMu sync.Mutex
	sl       *secrets.Sealer
}

// New returns a Service over a store.
func New(st *store.Store, c clock.Clock) *Service {
	if c == nil {
		c = clock.Real{}
	}
	return &Service{st: st, clock: c}
}
