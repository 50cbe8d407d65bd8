package service

import (
	"github.com/outreachhq/outreach/core/clock"
	"github.com/outreachhq/outreach/core/store"
)

// Service performs operations on one data dir's store.
type Service struct {
	st    *store.Store
	clock clock.Clock
}

// New returns a Service over a store.
func New(st *store.Store, c clock.Clock) *Service {
	if c == nil {
		c = clock.Real{}
	}
	return &Service{st: st, clock: c}
}
