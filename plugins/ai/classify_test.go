package ai

import (
	"testing"

	"github.com/outreachhq/outreach/sdk"
)

func TestClassifyBooking(t *testing.T) {
	for text, want := range map[string]bool{
		"can we hop on a call tomorrow?":                       true,
		"what's the pricing?":                                  true,
		"how much for 5 seats?":                                true,
		"do you have a demo video?":                            true,
		"happy to chat, I'm free Thursday":                     true,
		"Not interested. But what do you charge, just curious": true, // whatever the sentiment
		"tell me more":                                         false,
		"I don't want a demo":                                  false, // a refused object
		"not interested in a call":                             false,
		"Lol a call? no.":                                      false, // an echo, refused
		"That sounds expensive":                                false,
		"The price is too high for us":                         false, // the price a statement is about
		"pricing doesn't matter, we're not buying":             false,
		"what's the pricing look like for a team of 5?":        true,
		"Let me check my calendar and get back to you":         false,
		"does 2pm work?":                                       true, // a time of day proposed
	} {
		if got := classify(text); got.Booking != want {
			t.Errorf("classify(%q).Booking = %v; want %v", text, got.Booking, want)
		}
	}
}

// TestClassifyOptOut checks that an opt-out is what sdk.IsOptOut says,
// negative whatever else the reply says, and read with a high confidence.
func TestClassifyOptOut(t *testing.T) {
	for text, want := range map[string]bool{
		"stop":                                 true,
		"thanks, but stop messaging me":        true,
		"Love it, but don’t follow up":         true,
		"reported for spam":                    true,
		"not interested":                       false,
		"can't stop thinking about this offer": false,
	} {
		got := classify(text)
		if got.OptOut != want || got.OptOut != sdk.IsOptOut(text) {
			t.Errorf("classify(%q).OptOut = %v; want %v", text, got.OptOut, want)
		}
		if got.OptOut && (got.Sentiment != sdk.Negative || got.Confidence < maxNegative()) {
			t.Errorf("classify(%q) = %s with confidence %.2f; an opt-out is negative and as sure as any other negative", text, got.Sentiment, got.Confidence)
		}
	}
}

func TestClassifyNamesItsRules(t *testing.T) {
	got := classify("sounds good")
	if got.Model != sdk.ModelOffline || got.PromptVersion != english.version || got.PromptVersion == "" {
		t.Errorf("classify names model %q, prompt version %q; want %q, %q", got.Model, got.PromptVersion, sdk.ModelOffline, english.version)
	}
}

// TestConfidenceRanksEvidence checks that a reply with more evidence is
// read with more confidence than one with little, and one with none with
// the least.
func TestConfidenceRanksEvidence(t *testing.T) {
	strong := classify("yes! love it, tell me more").Confidence
	weak := classify("nice").Confidence
	none := classify("we mostly write Go here").Confidence
	if !(strong > weak && weak > none) {
		t.Errorf("confidence %.2f for a strong yes, %.2f for a hint, %.2f for nothing; want them in that order, decreasing", strong, weak, none)
	}
}

// FuzzClassify checks that classify never panics and always answers
// within its contract: one of the three sentiments, a confidence in [0,
// 1], the opt-out sdk.IsOptOut reads, an opt-out negative.
func FuzzClassify(f *testing.F) {
	for _, s := range []string{
		"", "stop", "not bad! tell me more", "sounds good but no budget", "absolutely not", "👍🏽",
		"who are you and what do you charge?", "Lol a call? no.", "not", "but", "though", "no,,,",
		"yesss", "sooooo", "a call?no", "@", "@@x", "..", "?!", "—", "i'm in", "i'm in a meeting",
		"definitely not not interested", "\u2019", "don\u2019t follow up", "ﬀ", "İ", "ß",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := classify(s)
		switch got.Sentiment {
		case sdk.Positive, sdk.Negative, sdk.Neutral:
		default:
			t.Fatalf("classify(%q).Sentiment = %v", s, got.Sentiment)
		}
		if got.Confidence < 0 || got.Confidence > 1 {
			t.Errorf("classify(%q).Confidence = %v, out of [0, 1]", s, got.Confidence)
		}
		if got.OptOut != sdk.IsOptOut(s) {
			t.Errorf("classify(%q).OptOut = %v, but sdk.IsOptOut says %v", s, got.OptOut, !got.OptOut)
		}
		if got.OptOut && got.Sentiment != sdk.Negative {
			t.Errorf("classify(%q) is an opt-out read %s", s, got.Sentiment)
		}
	})
}

// maxNegative is the highest confidence of a negative reading on any basis
// but an opt-out.
func maxNegative() float64 {
	top := 0.0
	for b, c := range confidenceTable {
		if b.sentiment == sdk.Negative && b.strength != optedOut {
			top = max(top, c)
		}
	}
	return top
}
