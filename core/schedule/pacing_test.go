package schedule

import (
	"math/rand/v2"
	"testing"
	"time"
)

func TestPacingGap(t *testing.T) {
	tests := []struct {
		name   string
		p      Pacing
		lo, hi time.Duration
	}{
		{"fixed", Pacing{MinGap: time.Minute, MaxGap: time.Minute}, time.Minute, time.Minute},
		{"range", Pacing{MinGap: time.Minute, MaxGap: 3 * time.Minute}, time.Minute, 3 * time.Minute},
		{"jitter adds up to its value", Pacing{MinGap: time.Minute, MaxGap: 2 * time.Minute, Jitter: 30 * time.Second}, time.Minute, 150 * time.Second},
		{"jitter alone", Pacing{Jitter: 10 * time.Second}, 0, 10 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := rand.New(rand.NewPCG(1, 2))
			var sum time.Duration
			lo, hi := tt.hi, tt.lo
			const n = 20000
			for range n {
				g := tt.p.Gap(r)
				if g < tt.lo || g > tt.hi {
					t.Fatalf("gap %s outside [%s, %s]", g, tt.lo, tt.hi)
				}
				lo, hi, sum = min(lo, g), max(hi, g), sum+g
			}
			// The draws reach close to both bounds, and average Mean.
			span := tt.hi - tt.lo
			if lo-tt.lo > span/50 || tt.hi-hi > span/50 {
				t.Errorf("gaps ranged over [%s, %s], want close to [%s, %s]", lo, hi, tt.lo, tt.hi)
			}
			if mean, want := sum/n, tt.p.Mean(); (mean - want).Abs() > span/50 {
				t.Errorf("mean gap %s, Mean() says %s", mean, want)
			}
		})
	}
}
