package ai

import (
	"encoding/json"
	"math"
	"strings"
	"testing"

	"github.com/outreachhq/outreach/sdk"
)

func TestParseClassificationAnswers(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want modelAnswer
		ok   bool
	}{
		{`{"sentiment":"positive","opt_out":false,"booking":true,"confidence":0.9}`, modelAnswer{Sentiment: sdk.Positive, Booking: true, Confidence: 0.9}, true},
		{"```json\n{\"sentiment\": \"NEGATIVE\", \"opt_out\": true, \"confidence\": 1.4}\n```", modelAnswer{Sentiment: sdk.Negative, OptOut: true, Confidence: 1}, true},
		{`Here you go: {"Sentiment": "neutral", "Opt-Out": "no"} Hope it helps {`, modelAnswer{Sentiment: sdk.Neutral, Confidence: defaultModelConfidence}, true},
		{`{"note": "thinking"} {"sentiment":"negative","optout":"yes","confidence":"0.3"}`, modelAnswer{Sentiment: sdk.Negative, OptOut: true, Confidence: 0.3}, true},
		{`{"result": {"sentiment": "positive"}}`, modelAnswer{Sentiment: sdk.Positive, Confidence: defaultModelConfidence}, true},
		{`positive`, modelAnswer{}, false},
		{`{"sentiment":"mixed"}`, modelAnswer{}, false},
		{`{"sentiment":"positive"`, modelAnswer{}, false},
		{``, modelAnswer{}, false},
	} {
		got, err := parseClassification(tc.in)
		if (err == nil) != tc.ok || got != tc.want {
			t.Errorf("parseClassification(%q) = %+v, %v; want %+v, ok %t", tc.in, got, err, tc.want, tc.ok)
		}
	}
}

// FuzzParseClassification: any text parses to a valid answer or to an
// error, never a panic; and an answer of the asked shape, after any
// lead-in without a brace and before any tail, reads back as written.
func FuzzParseClassification(f *testing.F) {
	f.Add("", uint8(0), false, false, 0.5, "")
	f.Add("Sure:\n```json\n", uint8(1), true, false, 0.97, "\n```")
	f.Add("Classification: ", uint8(2), false, true, 7.0, " {\"sentiment\":")
	f.Add("{{{", uint8(0), false, false, -1.0, "}}}")
	f.Fuzz(func(t *testing.T, lead string, s uint8, optOut, booking bool, confidence float64, tail string) {
		for _, text := range []string{lead, tail, lead + tail} {
			if a, err := parseClassification(text); err == nil {
				validAnswer(t, text, a)
			}
		}
		sentiment := []sdk.Sentiment{sdk.Positive, sdk.Negative, sdk.Neutral}[s%3]
		obj, err := json.Marshal(map[string]any{"sentiment": sentiment.String(), "opt_out": optOut, "booking": booking, "confidence": confidence})
		if err != nil {
			return // NaN and infinities have no JSON form
		}
		text := lead + string(obj) + tail
		a, err := parseClassification(text)
		if err != nil {
			if len(text) > maxAnswerLen || strings.Count(lead, "{") >= maxObjectTries {
				return // past what the parser searches
			}
			t.Fatalf("parseClassification(%q): %v", text, err)
		}
		validAnswer(t, text, a)
		if strings.Contains(lead, "{") {
			return // the lead-in may hold an answer of its own
		}
		want := modelAnswer{Sentiment: sentiment, OptOut: optOut, Booking: booking, Confidence: clamp01(confidence)}
		if a != want {
			t.Errorf("parseClassification(%q) = %+v; want %+v", text, a, want)
		}
	})
}

func validAnswer(t *testing.T, text string, a modelAnswer) {
	t.Helper()
	if a.Sentiment < sdk.Positive || a.Sentiment > sdk.Neutral || math.IsNaN(a.Confidence) || a.Confidence < 0 || a.Confidence > 1 {
		t.Errorf("parseClassification(%q) = %+v: want a sentiment and a confidence in [0, 1]", text, a)
	}
}
