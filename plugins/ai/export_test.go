package ai

import (
	"context"
	"time"
)

// SetClock replaces the plugin's time, sleep and jitter for the
// configurations that follow, so that tests see backoffs and Retry-After
// without waiting for them.
func (p *Plugin) SetClock(now func() time.Time, sleep func(context.Context, time.Duration) error, jitter func() float64) {
	p.clock = clock{now: now, sleep: sleep, jitter: jitter}
}
