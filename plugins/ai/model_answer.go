package ai

import (
	"strings"
	"unicode"

	"github.com/outreachhq/outreach/sdk"
)

// modelConfidence is the confidence given to a model's one-word answer,
// which comes without one of its own.
const modelConfidence = 0.9

// parseSentiment reads a model's one-word answer, tolerating case,
// punctuation and a short lead-in ("Sentiment: Positive.").
func parseSentiment(answer string) (sdk.Sentiment, bool) {
	fields := strings.FieldsFunc(strings.ToLower(answer), func(r rune) bool { return !unicode.IsLetter(r) })
	if len(fields) > 4 {
		return 0, false
	}
	for _, f := range fields {
		switch f {
		case "positive":
			return sdk.Positive, true
		case "negative":
			return sdk.Negative, true
		case "neutral":
			return sdk.Neutral, true
		}
	}
	return 0, false
}
