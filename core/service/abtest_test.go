package service

import (
	"math"
	"strings"
	"testing"
)

// Reference figures: Wilson intervals from Newcombe (1998), table I, and
// the z-test and sample sizes by the textbook formulas (Fleiss), checked
// by hand.
func TestWilson(t *testing.T) {
	for _, c := range []struct {
		p      Proportion
		lo, hi float64
	}{
		{Proportion{81, 263}, 0.2553, 0.3662}, // Newcombe's example 1
		{Proportion{15, 148}, 0.0624, 0.1605},
		{Proportion{0, 20}, 0, 0.1611},
		{Proportion{1, 29}, 0.0061, 0.1718},
		{Proportion{20, 20}, 0.8389, 1},
	} {
		lo, hi := c.p.Wilson()
		if math.Abs(lo-c.lo) > 0.0001 || math.Abs(hi-c.hi) > 0.0001 {
			t.Errorf("Wilson(%d/%d) = [%.4f, %.4f], want [%.4f, %.4f]", c.p.Successes, c.p.N, lo, hi, c.lo, c.hi)
		}
	}
	if lo, hi := (Proportion{}).Wilson(); lo != 0 || hi != 1 {
		t.Errorf("Wilson of nothing = [%v, %v], want [0, 1]", lo, hi)
	}
}

func TestCompare(t *testing.T) {
	// 10% against 15% over 1000 sends each: z = 3.38, p = 0.0007.
	c := Compare(Proportion{100, 1000}, Proportion{150, 1000})
	if !c.Significant || c.Better != 1 || math.Abs(c.P-0.00073) > 0.00005 {
		t.Fatalf("Compare(10%%, 15%% of 1000) = %+v", c)
	}
	if v := c.Verdict("A", "B"); v != "B's reply rate is higher, and the difference is significant (p = 0.001)." {
		t.Errorf("verdict %q", v)
	}
	// 10% against 15% over 100 sends each is not significant (p = 0.28);
	// 80% power for that difference takes 686 sends per variant.
	c = Compare(Proportion{10, 100}, Proportion{15, 100})
	if c.Significant || c.MoreSends != 686-100 {
		t.Fatalf("Compare(10%%, 15%% of 100) = %+v, want not significant and %d more sends", c, 686-100)
	}
	if v := c.Verdict("A", "B"); !strings.Contains(v, "about 586 more sends per variant for 80% power") {
		t.Errorf("verdict %q", v)
	}
	if v := Compare(Proportion{}, Proportion{}).Verdict("A", "B"); !strings.HasPrefix(v, "Not enough data yet") {
		t.Errorf("no sends: %q", v)
	}
	if v := Compare(Proportion{5, 50}, Proportion{5, 50}).Verdict("A", "B"); !strings.Contains(v, "the same") {
		t.Errorf("equal rates: %q", v)
	}
}
