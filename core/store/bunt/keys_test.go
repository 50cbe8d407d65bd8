package bunt

import (
	"cmp"
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

// TestKeyOrderIsTupleOrder: whatever bytes the components hold, two keys
// compare as their components do, first to last, and split gives the
// components back.
func TestKeyOrderIsTupleOrder(t *testing.T) {
	alphabet := []byte{0, 1, 2, '-', '/', '0', 'a', 'b', 0xfe, 0xff}
	rng := rand.New(rand.NewPCG(1, 2))
	component := func() string {
		b := make([]byte, rng.IntN(4))
		for i := range b {
			b[i] = alphabet[rng.IntN(len(alphabet))]
		}
		return string(b)
	}
	tuples := make([][]string, 400)
	for i := range tuples {
		tuples[i] = []string{component(), component(), component()}
	}
	for _, a := range tuples {
		if got := split(key(a...)); !slices.Equal(got, a) {
			t.Fatalf("split(key(%q)) = %q", a, got)
		}
		for _, b := range tuples {
			if want, got := slices.Compare(a, b), cmp.Compare(key(a...), key(b...)); want != got {
				t.Fatalf("key order of %q and %q is %d, tuple order %d", a, b, got, want)
			}
		}
	}
}

func TestTimeKeysOrderEveryTime(t *testing.T) {
	times := []time.Time{
		{},
		time.Date(1600, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(1969, 12, 31, 23, 59, 59, 999_999_999, time.UTC),
		time.Unix(0, 0),
		time.Unix(0, 1),
		time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC),
		time.Date(2026, 3, 2, 9, 0, 0, 1, time.UTC),
		time.Date(2300, 1, 1, 0, 0, 0, 0, time.UTC),
	}
	for i := 1; i < len(times); i++ {
		a, b := times[i-1], times[i]
		if timeKey(a) >= timeKey(b) {
			t.Errorf("timeKey(%v) >= timeKey(%v)", a, b)
		}
		if newestFirst(a) <= newestFirst(b) {
			t.Errorf("newestFirst(%v) <= newestFirst(%v)", a, b)
		}
	}
}

func TestDescendingReversesOrder(t *testing.T) {
	ids := []string{"", "a", "ab", "b", "a\x00", "a\x01", "\xff", "100-201", "100-2010"}
	for _, a := range ids {
		for _, b := range ids {
			if want, got := -cmp.Compare(a, b), cmp.Compare(key(descending(a)), key(descending(b))); want != got {
				t.Errorf("descending order of %q and %q is %d, want %d", a, b, got, want)
			}
		}
	}
}
