package ai

import (
	"bufio"
	"cmp"
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/outreachhq/outreach/sdk"
)

// labeled is one reply of testdata/replies (README.md there says how they
// are labeled).
type labeled struct {
	Text      string `json:"text"`
	Sentiment string `json:"sentiment"`
	OptOut    bool   `json:"opt_out"`
	Booking   bool   `json:"booking"`
}

func readReplies(t *testing.T, name string) []labeled {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "replies", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []labeled
	lines := bufio.NewScanner(f)
	for n := 1; lines.Scan(); n++ {
		var r labeled
		dec := json.NewDecoder(strings.NewReader(lines.Text()))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&r); err != nil {
			t.Fatalf("%s:%d: %v", name, n, err)
		}
		out = append(out, r)
	}
	if err := lines.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// The targets of issue 13 for the offline classifier, on the held-out part
// of the labeled replies.
const (
	// minHeldOutAccuracy is the share of held-out replies whose sentiment
	// (of three) classify must read right.
	minHeldOutAccuracy = 0.85
	// minOptOutRecall is the share of held-out opt-outs sdk.IsOptOut must
	// catch: a missed opt-out is messaged again.
	minOptOutRecall = 0.97
	// minOptOutPrecision is the share of what sdk.IsOptOut reads as an
	// opt-out that is one: a false one loses a lead for good.
	minOptOutPrecision = 0.90
	// confidentAt splits the printed accuracy in two: replies classified
	// with at least this confidence, and the rest.
	confidentAt = 0.7
)

// heldOutParts are the parts of the labeled replies never tuned on:
// heldout.jsonl, committed before any tuning, and heldout2.jsonl,
// heldout3.jsonl and heldout4.jsonl, written later by writers who had seen
// neither the rules nor the other parts (README.md there). The targets
// hold on them together.
var heldOutParts = []string{"heldout.jsonl", "heldout2.jsonl", "heldout3.jsonl", "heldout4.jsonl"}

// tuningParts are the parts of the labeled replies the rules are tuned on:
// tune.jsonl; tune2.jsonl, written after the first held-out measurements,
// mostly of opt-outs and their near misses; and tune3.jsonl, tune4.jsonl
// and tune5.jsonl (opt-outs again), written blind like heldout3.jsonl
// (README.md there).
var tuningParts = []string{"tune.jsonl", "tune2.jsonl", "tune3.jsonl", "tune4.jsonl", "tune5.jsonl"}

// calibrationPart is the part the confidence is measured on
// (confidenceTable): written blind, and never tuned on.
const calibrationPart = "calibration.jsonl"

// TestLabeledReplies checks the labeled set: at least 400 replies, at
// least 150 held out, every label one of the three, every opt-out
// negative, no text twice and none in two parts (rules are tuned on the
// tuning parts only, and the held-out parts only measure). It prints how
// the offline classifier and the shared opt-out detector do on each part
// and on the held-out parts together, and fails when those miss the
// targets.
func TestLabeledReplies(t *testing.T) {
	parts := map[string][]labeled{}
	all := 0
	for _, name := range tuningParts {
		parts[name] = readReplies(t, name)
		all += len(parts[name])
	}
	var held []labeled
	for _, name := range heldOutParts {
		parts[name] = readReplies(t, name)
		held = append(held, parts[name]...)
	}
	parts[calibrationPart] = readReplies(t, calibrationPart)
	if n := len(held); n < 150 {
		t.Errorf("%d replies held out, want 150 or more", n)
	}
	if n := len(held) + all; n < 400 {
		t.Errorf("%d replies in all, want 400 or more", n)
	}
	// A text is once in its part, and in one part only whatever its case
	// ("STOP" and "stop" are two replies, but not one in each part).
	exact, folded := map[string]bool{}, map[string]string{}
	for name, rs := range parts {
		for i, r := range rs {
			key := strings.ToLower(strings.TrimSpace(r.Text))
			if other, ok := folded[key]; ok && other != name || exact[r.Text] {
				t.Errorf("%s:%d: %q is also in %s", name, i+1, r.Text, other)
			}
			exact[r.Text], folded[key] = true, name
			switch r.Sentiment {
			case sdk.Positive.String(), sdk.Negative.String(), sdk.Neutral.String():
			default:
				t.Errorf("%s:%d: sentiment %q", name, i+1, r.Sentiment)
			}
			if r.OptOut && r.Sentiment != sdk.Negative.String() {
				t.Errorf("%s:%d: an opt-out labeled %s", name, i+1, r.Sentiment)
			}
		}
	}
	for _, name := range slices.Concat(tuningParts, []string{calibrationPart}, heldOutParts) {
		t.Logf("%s:\n%s", name, measure(parts[name]))
	}
	f := measure(held)
	t.Logf("held out (%s):\n%s", strings.Join(heldOutParts, ", "), f)
	if got := f.accuracy(); got < minHeldOutAccuracy {
		t.Errorf("held-out accuracy %.1f%%, want %.0f%% or more", 100*got, 100*minHeldOutAccuracy)
	}
	if got := f.optOut.recall(); got < minOptOutRecall {
		t.Errorf("held-out opt-out recall %.1f%%, want %.0f%% or more", 100*got, 100*minOptOutRecall)
	}
	if got := f.optOut.precision(); got < minOptOutPrecision {
		t.Errorf("held-out opt-out precision %.1f%%, want %.0f%% or more", 100*got, 100*minOptOutPrecision)
	}
}

// figures are how classify and sdk.IsOptOut do on a part of the labeled
// replies.
type figures struct {
	// right and total count replies by labeled sentiment; right those
	// whose sentiment classify read right.
	right, total map[string]int
	// confident and unsure count replies classified with a confidence of
	// confidentAt or more, and less: [0] read right, [1] all.
	confident, unsure [2]int
	optOut, booking   confusion
}

// measure classifies every reply of rs.
func measure(rs []labeled) figures {
	f := figures{right: map[string]int{}, total: map[string]int{}}
	for _, r := range rs {
		got := classify(r.Text)
		right := got.Sentiment.String() == r.Sentiment
		f.total[r.Sentiment]++
		split := &f.unsure
		if got.Confidence >= confidentAt {
			split = &f.confident
		}
		split[1]++
		if right {
			f.right[r.Sentiment]++
			split[0]++
		}
		f.optOut.add(sdk.IsOptOut(r.Text), r.OptOut)
		f.booking.add(got.Booking, r.Booking)
	}
	return f
}

// accuracy is the share of replies whose sentiment classify read right.
func (f figures) accuracy() float64 {
	right, total := 0, 0
	for s, n := range f.total {
		right, total = right+f.right[s], total+n
	}
	return share(right, total)
}

func (f figures) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "  sentiment: %.1f%% of %d right", 100*f.accuracy(), f.confident[1]+f.unsure[1])
	for _, s := range []sdk.Sentiment{sdk.Positive, sdk.Negative, sdk.Neutral} {
		fmt.Fprintf(&b, "; %s %.1f%% of %d", s, 100*share(f.right[s.String()], f.total[s.String()]), f.total[s.String()])
	}
	fmt.Fprintf(&b, "\n  opt-out:   %s\n  booking:   %s\n", f.optOut, f.booking)
	fmt.Fprintf(&b, "  confidence >= %.1f: %.1f%% of %d right; below: %.1f%% of %d right",
		confidentAt, 100*share(f.confident[0], f.confident[1]), f.confident[1], 100*share(f.unsure[0], f.unsure[1]), f.unsure[1])
	return b.String()
}

// confusion counts a yes-or-no reading against its label.
type confusion struct{ truePos, falsePos, falseNeg int }

func (c *confusion) add(got, want bool) {
	switch {
	case got && want:
		c.truePos++
	case got:
		c.falsePos++
	case want:
		c.falseNeg++
	}
}

// precision is the share of yes readings that are labeled yes; recall the
// share of replies labeled yes that read yes. Both are 0 without any, so
// that a part with nothing to find fails rather than passes.
func (c confusion) precision() float64 { return share(c.truePos, c.truePos+c.falsePos) }
func (c confusion) recall() float64    { return share(c.truePos, c.truePos+c.falseNeg) }

func (c confusion) String() string {
	return fmt.Sprintf("precision %.1f%%, recall %.1f%% (%d labeled, %d read, %d both)",
		100*c.precision(), 100*c.recall(), c.truePos+c.falseNeg, c.truePos+c.falsePos, c.truePos)
}

func share(n, of int) float64 {
	if of == 0 {
		return 0
	}
	return float64(n) / float64(of)
}

// TestConfidenceTable recomputes confidenceTable from calibrationPart, as its
// comment says it was measured, and fails when the table in the code is
// stale: a change to the rules changes what each basis is worth.
func TestConfidenceTable(t *testing.T) {
	measured := pool(calibrate(readReplies(t, calibrationPart)))
	table := map[basis]float64{}
	for b, c := range measured {
		table[b] = c.confidence()
	}
	if !maps.Equal(table, confidenceTable) {
		t.Errorf("confidenceTable is stale; measured on %s, it is:\n%s", calibrationPart, tableLiteral(measured))
	}
}

// tally counts the replies read on one basis: right of total.
type tally struct{ right, total int }

// confidence is the lower end of the 95% Wilson score interval of the
// share read right, rounded to two places: the share the rules can claim
// for the basis, less the more the fewer replies it stands on.
func (c tally) confidence() float64 {
	const z = 1.96
	n, p := float64(c.total), float64(c.right)/float64(c.total)
	low := (p + z*z/(2*n) - z*math.Sqrt(p*(1-p)/n+z*z/(4*n*n))) / (1 + z*z/n)
	return math.Round(100*low) / 100
}

// calibrate counts, for each basis the rules read replies of rs on, the
// replies and those read right.
func calibrate(rs []labeled) map[basis]tally {
	out := map[basis]tally{}
	for _, r := range rs {
		_, b := readReply(r.Text)
		c := out[b]
		c.total++
		if b.sentiment.String() == r.Sentiment {
			c.right++
		}
		out[b] = c
	}
	return out
}

// pool makes the tallies of each sentiment's bases monotonic in their
// strength, so that stronger evidence never claims less: a run of bases
// whose shares read right fall as the evidence grows is pooled into one
// tally that each of them takes (pool adjacent violators, as isotonic
// regression does). The opt-out basis stands apart.
func pool(measured map[basis]tally) map[basis]tally {
	out := maps.Clone(measured)
	for _, s := range []sdk.Sentiment{sdk.Positive, sdk.Negative, sdk.Neutral} {
		// blocks are runs of bases, weakest first, each with its pooled
		// tally.
		type block struct {
			bases []basis
			tally
		}
		var blocks []block
		for _, st := range []strength{noEvidence, narrow, clear, wide} {
			b := basis{s, st}
			c, ok := measured[b]
			if !ok {
				continue
			}
			blocks = append(blocks, block{[]basis{b}, c})
			for n := len(blocks); n > 1 && blocks[n-2].share() > blocks[n-1].share(); n = len(blocks) {
				last := blocks[n-1]
				blocks = blocks[:n-1]
				blocks[n-2].bases = append(blocks[n-2].bases, last.bases...)
				blocks[n-2].right += last.right
				blocks[n-2].total += last.total
			}
		}
		for _, bl := range blocks {
			for _, b := range bl.bases {
				out[b] = bl.tally
			}
		}
	}
	return out
}

func (c tally) share() float64 { return float64(c.right) / float64(c.total) }

// tableLiteral is the table measured as Go source, to paste into
// confidence.go.
func tableLiteral(measured map[basis]tally) string {
	bases := slices.SortedFunc(maps.Keys(measured), func(a, b basis) int {
		return cmp.Or(cmp.Compare(a.sentiment, b.sentiment), cmp.Compare(a.strength, b.strength))
	})
	var b strings.Builder
	b.WriteString("var confidenceTable = map[basis]float64{\n")
	for _, k := range bases {
		c := measured[k]
		name := strings.ToUpper(k.sentiment.String()[:1]) + k.sentiment.String()[1:]
		fmt.Fprintf(&b, "\t{sdk.%s, %s}: %.2f, // %d of %d right\n", name, k.strength, c.confidence(), c.right, c.total)
	}
	b.WriteString("}")
	return b.String()
}
