package bunt

import (
	"context"
	"sync"
)

// Lock holds the lock called name until unlock is called, waiting for it
// while another holds it, or until ctx ends. One process holds a data dir
// (its file lock), so a lock of this process is a lock of the store.
func (s *Store) Lock(ctx context.Context, name string) (unlock func(), err error) {
	v, _ := s.named.LoadOrStore(name, make(chan struct{}, 1))
	ch := v.(chan struct{})
	select {
	case ch <- struct{}{}:
		var once sync.Once
		return func() { once.Do(func() { <-ch }) }, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}
