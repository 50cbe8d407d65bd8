package ai

import (
	"strings"
	"unicode"

	"github.com/outreachhq/outreach/sdk"
)

// The lexicon: words and phrases that lean a reply one way. Phrases are
// matched on whole words; a negation just before a word flips it ("not
// interested" reads negative even if "interested" reads positive).
var (
	positiveWords = words("yes yeah yep sure absolutely definitely love like great awesome amazing cool interested interesting " +
		"thanks thank appreciate sounds good nice perfect happy glad keen open works excited helpful agreed deal")
	negativeWords = words("no nope nah never spam remove busy pass decline hate annoying scam " +
		"bad waste leave irrelevant uninterested unfortunately sorry")
	// phrases weigh more than single words: they leave little doubt.
	positivePhrases = []string{"sounds good", "let's talk", "lets talk", "happy to", "tell me more", "would love", "i'd love", "id love", "count me in", "book a call", "no problem", "no worries"}
	// Opt-outs ("stop", "leave me alone", ...) are not listed: sdk.IsOptOut,
	// the detector the engine acts on, reads them, so that the two agree.
	negativePhrases = []string{"not interested", "no thanks", "no thank you", "not for me", "not now"}
	// hedges are positive words whose negation is doubt, not refusal
	// ("not sure").
	hedges    = words("sure certain")
	negations = words("not no never don't dont doesn't doesnt isn't isnt wasn't wasnt won't wont can't cant hardly")
)

func words(s string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(s) {
		m[w] = true
	}
	return m
}

// classify reads a reply's sentiment from the lexicon. Its confidence grows
// with the margin between positive and negative evidence. An opt-out is
// negative whatever else it says ("thanks, but stop messaging me").
func classify(text string) sdk.Classification {
	if sdk.IsOptOut(text) {
		return sdk.Classification{Sentiment: sdk.Negative, Confidence: optOutConfidence}
	}
	lower := strings.ToLower(text)
	score := 0
	for _, p := range positivePhrases {
		score += 2 * strings.Count(" "+lower+" ", " "+p)
	}
	for _, p := range negativePhrases {
		score -= 3 * strings.Count(" "+lower+" ", " "+p)
	}
	tokens := strings.FieldsFunc(lower, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '\''
	})
	for i, w := range tokens {
		negated := i > 0 && negations[tokens[i-1]] && !negations[w]
		switch {
		case positiveWords[w] && negated && hedges[w]:
		case positiveWords[w] && negated:
			score--
		case positiveWords[w]:
			score++
		case negativeWords[w] && !negated:
			score--
		}
	}
	switch {
	case score > 0:
		return sdk.Classification{Sentiment: sdk.Positive, Confidence: confidence(score)}
	case score < 0:
		return sdk.Classification{Sentiment: sdk.Negative, Confidence: confidence(-score)}
	}
	return sdk.Classification{Sentiment: sdk.Neutral, Confidence: 0.5}
}

// optOutConfidence is the confidence of an opt-out's negative reading:
// the detector leaves little doubt, and a model is not asked.
const optOutConfidence = 0.95

func confidence(margin int) float64 { return min(0.5+0.1*float64(margin), 0.95) }
