package sdk

import (
	"slices"
	"strings"
	"unicode"
)

// IsOptOut reports whether a reply asks not to be contacted again: "stop",
// "unsubscribe", "leave me alone", "take me off your list", "don't follow
// up" and the like, in any case, with straight or curly apostrophes. It is
// the one opt-out detector: the engine puts whoever sends such a reply on
// the do-not-contact list, and the AI plugin reads it as negative.
//
// Phrases match whole words, so "non-stop", "stopwatch" and "unsubscribed
// from the rest" do not count; neither does "stop" after a negation ("can't
// stop thinking about it") or before a place ("stop by the booth").
func IsOptOut(text string) bool {
	words := optOutWords(text)
	for i, w := range words {
		if w == "stop" && stopMeansStop(words, i) {
			return true
		}
		for _, p := range optOutPhrases {
			if hasPrefix(words[i:], p) {
				return true
			}
		}
	}
	return false
}

// optOutPhrases are the word sequences that end all contact wherever they
// appear. "do not" and "dont" are read as "don't" before matching, so each
// "don't ..." phrase covers all three.
var optOutPhrases = phrases(
	"unsubscribe",
	"remove me",
	"take me off",
	"opt out", "opt-out", "opt me out", "optout",
	"leave me alone",
	"go away",
	"no more messages", "no more dms", "no more dm",
	"don't contact", "don't message", "don't dm", "don't text", "don't email", "don't write",
	"don't follow up", "don't follow-up", "don't followup",
	"don't reach out", "don't bother me",
)

func phrases(ps ...string) [][]string {
	out := make([][]string, len(ps))
	for i, p := range ps {
		out[i] = strings.Fields(p)
	}
	return out
}

// stopNegations before "stop" make it something else than a request to
// stop ("can't stop", "never stop", "don't stop"); stopPlaces after it
// make it a visit ("stop by", "stop in at the office").
var (
	stopNegations = []string{"can't", "cannot", "couldn't", "won't", "don't", "never", "not", "didn't"}
	stopPlaces    = []string{"by", "in", "at", "over"}
)

// stopMeansStop reports whether the "stop" at words[i] asks to stop.
func stopMeansStop(words []string, i int) bool {
	if i > 0 && slices.Contains(stopNegations, words[i-1]) {
		return false
	}
	return i+1 == len(words) || !slices.Contains(stopPlaces, words[i+1])
}

// optOutWords splits text into lower-case words, keeping apostrophes and
// hyphens inside a word ("don't", "non-stop"), straightening the curly
// apostrophes phones type, and reading "do not" and "dont" as "don't".
func optOutWords(text string) []string {
	t := strings.ToLower(apostrophes.Replace(text))
	fields := strings.FieldsFunc(t, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '\'' && r != '-'
	})
	words := make([]string, 0, len(fields))
	for _, f := range fields {
		f = strings.Trim(f, "'-")
		switch {
		case f == "":
			continue
		case f == "dont":
			f = "don't"
		case f == "not" && len(words) > 0 && words[len(words)-1] == "do":
			words[len(words)-1] = "don't"
			continue
		}
		words = append(words, f)
	}
	return words
}

// apostrophes straightens curly apostrophes and primes.
var apostrophes = strings.NewReplacer("\u2019", "'", "\u2018", "'", "\u02bc", "'", "\u2032", "'")

func hasPrefix(words, p []string) bool {
	return len(words) >= len(p) && slices.Equal(words[:len(p)], p)
}
