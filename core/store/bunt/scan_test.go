package bunt

import (
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// TestScanMergesWritesWithCommittedData: inside an Update, a scan sees the
// committed keys with the update's own sets and deletes applied, in order,
// across the chunks it reads in, and a View meanwhile sees only what was
// committed.
func TestScanMergesWritesWithCommittedData(t *testing.T) {
	st, err := Open(t.TempDir(), "scan test")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	rng := rand.New(rand.NewPCG(3, 4))
	k := func(i int) string { return key("k", fmt.Sprintf("%05d", i)) }

	committed := map[string]string{}
	_, err = st.update(func(tx *Tx) error {
		for range 3000 {
			i := rng.IntN(5000)
			committed[k(i)] = "c"
			if err := tx.set(k(i), "c"); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}

	want := maps.Clone(committed)
	_, err = st.update(func(tx *Tx) error {
		for range 4000 {
			i := rng.IntN(5000)
			if rng.IntN(3) == 0 {
				delete(want, k(i))
				if err := tx.del(k(i)); err != nil {
					return err
				}
				continue
			}
			want[k(i)] = "u"
			if err := tx.set(k(i), "u"); err != nil {
				return err
			}
		}
		for _, r := range [][2]int{{0, 5000}, {17, 18}, {100, 2100}, {4990, 6000}} {
			from, to := k(r[0]), k(r[1])
			check(t, tx, from, to, want)
			// A scan that stops early stops at the right key.
			var first []string
			_ = tx.scan(from, to, func(key, _ string) (bool, error) {
				first = append(first, key)
				return len(first) < 3, nil
			})
			if all := inRange(want, from, to); !slices.Equal(first, all[:min(3, len(all))]) {
				t.Errorf("scan [%s, %s) stopped after 3 gave %q, want %q", printable(from), printable(to), first, all[:min(3, len(all))])
			}
		}
		return st.View(t.Context(), func(v *Tx) error {
			check(t, v, k(0), k(5000), committed)
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	view := func(tx *Tx) error {
		check(t, tx, k(0), k(5000), want)
		return nil
	}
	if err := st.View(t.Context(), view); err != nil {
		t.Fatal(err)
	}
}

func inRange(m map[string]string, from, to string) []string {
	var out []string
	for k := range m {
		if k >= from && k < to {
			out = append(out, k)
		}
	}
	slices.Sort(out)
	return out
}

func check(t *testing.T, tx *Tx, from, to string, want map[string]string) {
	t.Helper()
	var got []string
	err := tx.scan(from, to, func(k, v string) (bool, error) {
		got = append(got, k+"="+v)
		return true, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var exp []string
	for _, k := range inRange(want, from, to) {
		exp = append(exp, k+"="+want[k])
	}
	if !slices.Equal(got, exp) {
		t.Errorf("scan [%s, %s): %d keys, want %d; first difference near %s", printable(from), printable(to), len(got), len(exp), firstDiff(got, exp))
	}
}

func firstDiff(a, b []string) string {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return strings.ReplaceAll(a[i], sep, "/") + " vs " + strings.ReplaceAll(b[i], sep, "/")
		}
	}
	return "the end"
}
