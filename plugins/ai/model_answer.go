package ai

import (
	"encoding/json"
	"errors"
	"math"
	"strconv"
	"strings"

	"github.com/outreachhq/outreach/sdk"
)

// modelAnswer is a model's classification of a reply, as the classify
// prompt asks for it: {"sentiment": "positive|negative|neutral",
// "opt_out": bool, "booking": bool, "confidence": 0..1}.
type modelAnswer struct {
	Sentiment       sdk.Sentiment
	OptOut, Booking bool
	// Confidence is in [0, 1]: the model's own, clamped, or
	// defaultModelConfidence when it gave none.
	Confidence float64
}

// defaultModelConfidence is the confidence of an answer that gives none.
const defaultModelConfidence = 0.8

// Bounds of the search for the answer's object in what a model wrote.
const (
	maxAnswerLen   = 64 << 10
	maxObjectTries = 16
)

// errUnreadable is a classification answer with no object of the asked
// shape in it.
var errUnreadable = errors.New("no JSON object with a sentiment of positive, negative or neutral")

// parseClassification reads a model's classification. Models wrap JSON in
// code fences, put a sentence before it ("Here is the classification:")
// or after it; so the answer is the first JSON object in text that has a
// known sentiment. Keys are read in any case; booleans and the confidence
// may come as strings ("true", "0.9"), as smaller models write them.
func parseClassification(text string) (modelAnswer, error) {
	if len(text) > maxAnswerLen {
		text = text[:maxAnswerLen]
	}
	from := 0
	for tries := 0; tries < maxObjectTries; {
		i := strings.IndexByte(text[from:], '{')
		if i < 0 {
			break
		}
		from += i
		if !objectStart(text[from+1:]) {
			// Braces in prose or a template ("{{"): not worth a try.
			from++
			continue
		}
		tries++
		var obj map[string]json.RawMessage
		if json.NewDecoder(strings.NewReader(text[from:])).Decode(&obj) == nil {
			if a, ok := readAnswer(obj); ok {
				return a, nil
			}
		}
		from++
	}
	return modelAnswer{}, errUnreadable
}

// objectStart reports whether rest, what follows a "{", can go on as a
// JSON object: white space, then a key or the closing brace.
func objectStart(rest string) bool {
	rest = strings.TrimLeft(rest, " \t\r\n")
	return rest != "" && (rest[0] == '"' || rest[0] == '}')
}

// readAnswer reads the fields of one object.
func readAnswer(obj map[string]json.RawMessage) (modelAnswer, bool) {
	fields := make(map[string]json.RawMessage, len(obj))
	for k, v := range obj {
		k = strings.NewReplacer("-", "_", " ", "_").Replace(strings.ToLower(strings.TrimSpace(k)))
		fields[k] = v
	}
	var s string
	if json.Unmarshal(fields["sentiment"], &s) != nil {
		return modelAnswer{}, false
	}
	a := modelAnswer{Confidence: defaultModelConfidence}
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "positive":
		a.Sentiment = sdk.Positive
	case "negative":
		a.Sentiment = sdk.Negative
	case "neutral":
		a.Sentiment = sdk.Neutral
	default:
		return modelAnswer{}, false
	}
	optOut := fields["opt_out"]
	if optOut == nil {
		optOut = fields["optout"]
	}
	a.OptOut = readBool(optOut)
	a.Booking = readBool(fields["booking"])
	if c, ok := readNumber(fields["confidence"]); ok {
		a.Confidence = clamp01(c)
	}
	return a, true
}

// readBool reads true, "true" or "yes"; anything else is false.
func readBool(raw json.RawMessage) bool {
	var b bool
	if json.Unmarshal(raw, &b) == nil {
		return b
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		switch strings.ToLower(strings.TrimSpace(s)) {
		case "true", "yes":
			return true
		}
	}
	return false
}

// readNumber reads 0.9 or "0.9".
func readNumber(raw json.RawMessage) (float64, bool) {
	var f float64
	if json.Unmarshal(raw, &f) == nil {
		return f, true
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		if f, err := strconv.ParseFloat(strings.TrimSpace(s), 64); err == nil && !math.IsNaN(f) {
			return f, true
		}
	}
	return 0, false
}

func clamp01(f float64) float64 {
	switch {
	case math.IsNaN(f):
		return 0
	case f < 0:
		return 0
	case f > 1:
		return 1
	}
	return f
}
