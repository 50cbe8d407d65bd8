package ai

import (
	"fmt"

	"github.com/outreachhq/outreach/sdk"
)

// A basis is how the rules read a reply, for its confidence: the sentiment
// they chose and how they got there.
type basis struct {
	sentiment sdk.Sentiment
	strength  strength
}

// strength is the kind of evidence behind a sentiment.
type strength int

const (
	// noEvidence: nothing in the reply is in the lists; it reads neutral.
	noEvidence strength = iota + 1
	// narrow: the sentiment won by less than narrowMargin, or tied.
	narrow
	// clear: it won by less than wideMargin.
	clear
	// wide: it won by wideMargin or more.
	wide
	// optedOut: sdk.IsOptOut read an opt-out.
	optedOut
)

func (s strength) String() string {
	switch s {
	case noEvidence:
		return "noEvidence"
	case narrow:
		return "narrow"
	case clear:
		return "clear"
	case wide:
		return "wide"
	case optedOut:
		return "optedOut"
	}
	return fmt.Sprintf("strength(%d)", int(s))
}

// The margins (in the weights of the lists: 1 a hint, 2 ordinary evidence,
// 3 little doubt) between a narrow, a clear and a wide win.
const (
	narrowMargin = 1.5
	wideMargin   = 3
)

// basisOf is how evidence e reads.
func basisOf(e evidence) basis {
	s, margin := e.verdict()
	switch {
	case e == evidence{}:
		return basis{s, noEvidence}
	case margin < narrowMargin:
		return basis{s, narrow}
	case margin < wideMargin:
		return basis{s, clear}
	}
	return basis{s, wide}
}

// confidence is the confidence of a reading on basis b, from
// confidenceTable; 0.5 for a basis the table does not have (the rules never
// read a tune reply on it).
func (b basis) confidence() float64 {
	if c, ok := confidenceTable[b]; ok {
		return c
	}
	return 0.5
}

// confidenceTable is measured on testdata/replies/tune.jsonl, the part of
// the labeled replies the rules are tuned on. For each basis it is the
// share of the tune replies read on that basis whose sentiment the rules
// read right, taken at the lower end of its 95% Wilson score interval and
// rounded to two places: 9 of 9 right claims 0.70, 55 of 55 claims 0.93,
// and a basis few replies stand on claims little. The rules were tuned on
// those same replies, which they all read right, so the plain shares say
// nothing; the lower ends at least rank the bases by how much evidence
// stands behind them. The held-out part shows how they hold up:
// TestLabeledReplies prints the accuracy of replies above and below 0.7
// on both parts. TestConfidenceTable recomputes the table and fails when
// it is stale, printing it to paste here.
var confidenceTable = map[basis]float64{
	{sdk.Positive, narrow}:    0.70, // 9 of 9 right
	{sdk.Positive, clear}:     0.82, // 18 of 18 right
	{sdk.Positive, wide}:      0.94, // 56 of 56 right
	{sdk.Negative, narrow}:    0.51, // 4 of 4 right
	{sdk.Negative, clear}:     0.68, // 8 of 8 right
	{sdk.Negative, wide}:      0.88, // 29 of 29 right
	{sdk.Negative, optedOut}:  0.89, // 32 of 32 right
	{sdk.Neutral, noEvidence}: 0.34, // 2 of 2 right
	{sdk.Neutral, narrow}:     0.82, // 18 of 18 right
	{sdk.Neutral, clear}:      0.85, // 22 of 22 right
	{sdk.Neutral, wide}:       0.90, // 35 of 35 right
}
