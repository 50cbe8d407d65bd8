package ai

import "github.com/outreachhq/outreach/sdk"

// englishRules is English compiled once, when the plugin starts.
var englishRules = mustCompile(english)

// classify reads a reply offline, with the rules and English's lists: its
// sentiment, how sure the rules are (confidenceTable), whether it opts
// out (sdk.IsOptOut, the detector the engine acts on, so that the two
// agree) and whether it asks for a call, a meeting, a demo or a price. An
// opt-out is negative whatever else it says ("thanks, but stop messaging
// me").
func classify(text string) sdk.Classification {
	r, b := readReply(text)
	return sdk.Classification{
		Sentiment:     b.sentiment,
		Confidence:    b.confidence(),
		OptOut:        b.strength == optedOut,
		Booking:       r.booking,
		Model:         sdk.ModelOffline,
		PromptVersion: englishRules.version,
	}
}

// readReply is what the rules read in text, and on what basis they chose
// its sentiment.
func readReply(text string) (reading, basis) {
	r := englishRules.read(text)
	if sdk.IsOptOut(text) {
		return r, basis{sdk.Negative, optedOut}
	}
	return r, basisOf(r.evidence)
}

// verdict is the sentiment e leans to, and the margin by which it beats the
// next strongest. Ties, and no evidence at all, are neutral: a reply that
// leans two ways at once is neither yes nor no.
func (e evidence) verdict() (sdk.Sentiment, float64) {
	p, n, u := e.positive, e.negative, e.neutral
	switch {
	case p > n && p > u:
		return sdk.Positive, p - max(n, u)
	case n > p && n > u:
		return sdk.Negative, n - max(p, u)
	}
	return sdk.Neutral, u - max(p, n)
}
