package postgres

import (
	"context"
	"fmt"
	"sync"
)

// Lock holds the lock called name across every process of the cluster
// until unlock is called, waiting for it while another holds it, or until
// ctx ends. It is a session advisory lock, on a connection of the pool held
// until unlock: a process that dies loses its connection and so its lock.
func (s *Store) Lock(ctx context.Context, name string) (unlock func(), err error) {
	c, err := s.pool.Acquire(ctx)
	if err != nil {
		return nil, fmt.Errorf("lock %s: %w", name, err)
	}
	// hashtextextended gives a 64-bit key; two names that collide share a
	// lock, which costs a wait, never correctness.
	if _, err := c.Exec(ctx, `SELECT pg_advisory_lock(hashtextextended($1, 0))`, "outreach/"+name); err != nil {
		c.Release()
		return nil, fmt.Errorf("lock %s: %w", name, err)
	}
	var once sync.Once
	return func() {
		once.Do(func() {
			if _, err := c.Exec(context.Background(), `SELECT pg_advisory_unlock(hashtextextended($1, 0))`, "outreach/"+name); err != nil {
				// The lock is tied to the session: closing it frees the lock.
				_ = c.Conn().Close(context.Background())
			}
			c.Release()
		})
	}, nil
}
