package ai

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
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

// TestLabeledReplies checks the labeled set: at least 400 replies, at
// least 150 held out, every label one of the three, every opt-out
// negative, no text twice and none in both parts (rules are tuned on
// tune.jsonl only, and the held-out part only measures). It prints how the offline classifier and the shared
// opt-out detector do on each part.
func TestLabeledReplies(t *testing.T) {
	parts := map[string][]labeled{"heldout.jsonl": readReplies(t, "heldout.jsonl"), "tune.jsonl": readReplies(t, "tune.jsonl")}
	if n := len(parts["heldout.jsonl"]); n < 150 {
		t.Errorf("%d replies held out, want 150 or more", n)
	}
	if n := len(parts["heldout.jsonl"]) + len(parts["tune.jsonl"]); n < 400 {
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
	for _, name := range []string{"tune.jsonl", "heldout.jsonl"} {
		t.Logf("%s: %s", name, measure(parts[name]))
	}
}

// measure is how the offline classifier and sdk.IsOptOut do on rs:
// accuracy overall and per class, and opt-out precision and recall.
func measure(rs []labeled) string {
	right, perClass, inClass := 0, map[string]int{}, map[string]int{}
	var tp, fp, fn int
	for _, r := range rs {
		got := classify(r.Text)
		inClass[r.Sentiment]++
		if got.Sentiment.String() == r.Sentiment {
			right++
			perClass[r.Sentiment]++
		}
		switch opt := sdk.IsOptOut(r.Text); {
		case opt && r.OptOut:
			tp++
		case opt:
			fp++
		case r.OptOut:
			fn++
		}
	}
	pct := func(a, b int) float64 { return 100 * float64(a) / float64(max(b, 1)) }
	return fmt.Sprintf("accuracy %.1f%% of %d (positive %.1f%%, negative %.1f%%, neutral %.1f%%); opt-out precision %.1f%%, recall %.1f%%",
		pct(right, len(rs)), len(rs), pct(perClass["positive"], inClass["positive"]), pct(perClass["negative"], inClass["negative"]),
		pct(perClass["neutral"], inClass["neutral"]), pct(tp, tp+fp), pct(tp, tp+fn))
}
