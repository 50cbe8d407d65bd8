package schedule

import (
	"math/rand/v2"
	"time"
)

// Pacing is the wait between two sends of one account: uniform between
// MinGap and MaxGap, plus a further wait uniform between 0 and Jitter, so
// that sends keep no fixed rhythm. Jitter only ever adds (as the config
// reference defines it), so a gap is never below MinGap.
type Pacing struct {
	MinGap, MaxGap, Jitter time.Duration
}

// Gap draws the wait after a send.
func (p Pacing) Gap(r *rand.Rand) time.Duration {
	gap := max(p.MinGap, 0)
	if p.MaxGap > gap {
		gap += time.Duration(r.Int64N(int64(p.MaxGap-gap) + 1))
	}
	if p.Jitter > 0 {
		gap += time.Duration(r.Int64N(int64(p.Jitter) + 1))
	}
	return gap
}

// Longest is the longest wait Gap draws.
func (p Pacing) Longest() time.Duration {
	lo := max(p.MinGap, 0)
	return max(p.MaxGap, lo) + max(p.Jitter, 0)
}

// Mean is the average wait Gap draws.
func (p Pacing) Mean() time.Duration {
	lo := max(p.MinGap, 0)
	return (lo+max(p.MaxGap, lo))/2 + max(p.Jitter, 0)/2
}
