package service

import (
	"fmt"
	"math"
)

// The overview compares a campaign's variants the way an A/B test is
// read: each reply rate with its 95% Wilson interval, and a verdict from
// a two-proportion z-test at the 5% level, or, short of significance, how
// many more sends per variant would give the test 80% power to detect the
// difference seen so far.

const (
	z95   = 1.959963984540054 // two-sided 5%
	z80   = 0.841621233572914 // one-sided 20%: 80% power
	alpha = 0.05
)

// Proportion is a count of successes out of n trials: replies out of sends.
type Proportion struct{ Successes, N int }

// Rate is the observed share, 0 when there were no trials.
func (p Proportion) Rate() float64 {
	if p.N == 0 {
		return 0
	}
	return float64(p.Successes) / float64(p.N)
}

// Wilson is the 95% Wilson score interval of the share, which unlike the
// normal approximation holds up at small n and at 0% or 100%. With no
// trials it is [0, 1].
func (p Proportion) Wilson() (lo, hi float64) {
	if p.N == 0 {
		return 0, 1
	}
	n := float64(p.N)
	r := p.Rate()
	z2 := z95 * z95
	den := 1 + z2/n
	center := (r + z2/(2*n)) / den
	half := z95 * math.Sqrt(r*(1-r)/n+z2/(4*n*n)) / den
	return math.Max(0, center-half), math.Min(1, center+half)
}

// Comparison is the verdict on two variants.
type Comparison struct {
	// Better is the index (0 for the first) of the variant with the higher
	// rate; -1 when the rates are equal.
	Better int
	// P is the two-sided p-value of the z-test; NaN when it cannot be
	// computed (no sends, or every send of both answered alike).
	P           float64
	Significant bool
	// MoreSends is, when not significant, about how many more sends each
	// variant needs for 80% power to detect the difference seen; 0 when
	// that cannot be said (no difference yet).
	MoreSends int
}

// Compare runs the two-proportion z-test on a and b.
func Compare(a, b Proportion) Comparison {
	c := Comparison{Better: -1, P: math.NaN()}
	switch ra, rb := a.Rate(), b.Rate(); {
	case ra > rb:
		c.Better = 0
	case rb > ra:
		c.Better = 1
	}
	if a.N > 0 && b.N > 0 {
		pooled := float64(a.Successes+b.Successes) / float64(a.N+b.N)
		se := math.Sqrt(pooled * (1 - pooled) * (1/float64(a.N) + 1/float64(b.N)))
		if se > 0 {
			z := (a.Rate() - b.Rate()) / se
			c.P = math.Erfc(math.Abs(z) / math.Sqrt2)
			c.Significant = c.P < alpha
		}
	}
	if !c.Significant && c.Better >= 0 {
		need := sendsForPower(a.Rate(), b.Rate())
		c.MoreSends = max(0, need-min(a.N, b.N))
	}
	return c
}

// sendsForPower is the sends per variant that a two-sided test at 5%
// needs for 80% power to detect rates p1 against p2.
func sendsForPower(p1, p2 float64) int {
	d := math.Abs(p1 - p2)
	if d == 0 {
		return 0
	}
	mean := (p1 + p2) / 2
	n := math.Pow(z95*math.Sqrt(2*mean*(1-mean))+z80*math.Sqrt(p1*(1-p1)+p2*(1-p2)), 2) / (d * d)
	return int(math.Ceil(n))
}

// Verdict says in words what Compare found, naming the variants.
func (c Comparison) Verdict(nameA, nameB string) string {
	names := [2]string{nameA, nameB}
	switch {
	case c.Significant:
		return fmt.Sprintf("%s's reply rate is higher, and the difference is significant (p = %.3f).", names[c.Better], c.P)
	case c.Better < 0 && math.IsNaN(c.P):
		return "Not enough data yet: no replies to compare."
	case c.Better < 0:
		return "Not enough data yet: the reply rates are the same so far."
	case c.MoreSends == 0:
		return fmt.Sprintf("%s's reply rate is higher, but the difference is not significant.", names[c.Better])
	default:
		return fmt.Sprintf("Not enough data yet: about %d more sends per variant for 80%% power.", c.MoreSends)
	}
}
