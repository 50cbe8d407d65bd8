package sdk

import (
	"slices"
	"strings"
	"unicode"
)

// IsOptOut reports whether a reply asks not to be contacted again: "stop",
// "unsubscribe", "leave me alone", "take me off your list", "don't follow
// up", "never contact me again", "blocked", "this is spam", "get lost" and
// the like, in any case, with straight or curly apostrophes. It is the one
// opt-out detector: the engine puts whoever sends such a reply on the
// do-not-contact list, and the AI plugin reads it as negative.
//
// Phrases (optout_phrases.go) match whole words, so "non-stop",
// "stopwatch" and "unsubscribed from the rest" do not count. The words that
// also have an innocent sense are read in context: "stop" not after a
// negation ("can't stop thinking about it") nor before a place ("stop by
// the booth"); "spam" not as a folder or a filter ("it went to spam", "spam
// filter"); "block" not as a stretch of time or an obstacle ("block some
// time", "we're blocked on budget"). A plain "not interested" is a refusal,
// not an opt-out.
func IsOptOut(text string) bool {
	words := optOutWords(text)
	for i := range words {
		if optsOutAt(words, i) {
			return true
		}
	}
	return false
}

// optsOutAt reports whether an opt-out starts at words[i].
func optsOutAt(words []string, i int) bool {
	switch w := words[i]; {
	case w == "stop":
		return stopMeansStop(words, i)
	case slices.Contains(spamWords, w):
		return spamMeansSender(words, i)
	case slices.Contains(blockWords, w):
		return blockMeansBlock(words, i)
	}
	for _, p := range optOutPhrases {
		if hasPrefix(words[i:], p) {
			return true
		}
	}
	for _, p := range optOutEnds {
		if len(words)-i == len(p) && hasPrefix(words[i:], p) {
			return true
		}
	}
	for _, g := range optOutGaps {
		if hasPrefix(words[i:], g.start) {
			rest := words[i+len(g.start):]
			if slices.Contains(rest[:min(len(rest), g.within+1)], g.end) {
				return true
			}
		}
	}
	return false
}

// stopNegations before "stop" make it something else than a request to
// stop ("can't stop", "never stop", "don't stop"); stopNouns before it make
// it a place, a full stop or a mention of the word ("the next stop", "if
// someone replies stop"); stopPlaces after it make it a visit ("stop by",
// "stop in at the office").
var (
	stopNegations = []string{"can't", "cannot", "couldn't", "won't", "don't", "never", "not", "didn't"}
	stopNouns     = []string{"a", "the", "one", "next", "last", "first", "full", "pit", "bus", "reply", "replies", "type", "types", "word"}
	stopPlaces    = []string{"by", "in", "at", "over"}
)

// stopMeansStop reports whether the "stop" at words[i] asks to stop.
// Before a way of reaching someone it always does, whatever precedes it
// ("you won't stop messaging me"), and so does "a stop to" ("put a stop to
// this"). After "to" and before another verb in -ing it is something a
// lead wants to stop doing ("we want to stop losing leads"), unless they
// want the sender to ("I need you to stop wasting my time").
func stopMeansStop(words []string, i int) bool {
	if i+1 == len(words) {
		return i == 0 || !slices.Contains(stopNegations, words[i-1]) && !slices.Contains(stopNouns, words[i-1])
	}
	next := words[i+1]
	if slices.Contains(contactVerbs, next) {
		return true
	}
	if i > 0 {
		before := words[i-1]
		switch {
		case slices.Contains(stopNouns, before):
			return next == "to"
		case slices.Contains(stopNegations, before):
			return false
		case before == "to" && strings.HasSuffix(next, "ing") && (i < 2 || !slices.Contains([]string{"you", "u"}, words[i-2])):
			return false
		}
	}
	return !slices.Contains(stopPlaces, next)
}

// spamWords call the outreach spam. They do not when a word before makes
// spam a folder the message landed in or something a product fights
// (spamPlaces: "it went to spam", "reduces spam", "this isn't spam", "less
// spammy"), when the word after makes it a kind of thing (spamKinds: "spam
// filter"), or in a question ("is this spam?").
var (
	spamWords  = []string{"spam", "spammer", "spammers", "spamming", "spammed", "spammy"}
	spamPlaces = []string{
		"in", "into", "to", "my", "anti", "against", "not", "isn't", "less",
		"filter", "filters", "catch", "catches", "detect", "detects", "reduce", "reduces",
		"avoid", "avoids", "fight", "fights", "prevent", "prevents", "flag", "flags",
	}
	spamKinds = []string{
		"filter", "filters", "folder", "box", "check", "checker", "score", "detection",
		"protection", "trap", "traps", "rule", "rules", "law", "laws", "settings", "tab", "risk",
	}
)

// spamMeansSender reports whether the spam word at words[i] calls the
// sender's messages spam.
func spamMeansSender(words []string, i int) bool {
	if i > 0 && slices.Contains(spamPlaces, words[i-1]) {
		return false
	}
	if i > 1 && words[i-2] == "is" && slices.Contains([]string{"this", "it", "that"}, words[i-1]) {
		return false
	}
	return i+1 == len(words) || !slices.Contains(spamKinds, words[i+1])
}

// blockWords block the sender ("blocked.", "blocking you now"). They do not
// when the word after makes them time set aside (blockStretches: "block
// some time", "block off an hour"), when the word before makes "block" a
// noun (blockNouns: "a block of time", "ad block"), or when the lead says
// they are blocked by something (blockObstacles after blockSubjects: "we're
// blocked on budget", "I'm blocked until Q2"); "blocked on all platforms"
// still blocks.
var (
	blockWords     = []string{"block", "blocked", "blocking"}
	blockStretches = []string{"out", "off", "some", "time", "a", "an", "of", "in", "calendar", "slot", "slots"}
	blockNouns     = []string{"a", "the", "ad", "code", "building", "road", "mental", "writer's", "starting", "chain", "city", "each", "per", "time"}
	blockSubjects  = []string{"we're", "i'm", "we", "i", "are", "am", "is", "was", "were", "currently", "still", "totally", "kinda"}
	blockObstacles = []string{"on", "by", "until", "till", "while", "from", "for"}
)

// blockMeansBlock reports whether the block word at words[i] blocks the
// sender.
func blockMeansBlock(words []string, i int) bool {
	if i > 0 && slices.Contains(blockNouns, words[i-1]) {
		return false
	}
	if i+1 == len(words) {
		return true
	}
	next := words[i+1]
	if slices.Contains(blockObstacles, next) {
		return i == 0 || !slices.Contains(blockSubjects, words[i-1])
	}
	return !slices.Contains(blockStretches, next)
}

// optOutWords splits text into lower-case words, keeping apostrophes and
// hyphens inside a word ("don't", "non-stop"), straightening the curly
// apostrophes phones type, dropping the asterisks of a censored word
// ("f*ck" is "fck"), shortening a letter typed three times or more to one
// ("STOPPP" is "stop"; no English word has such a run), and reading "do
// not" and "dont" as "don't".
func optOutWords(text string) []string {
	t := strings.ToLower(optOutSpelling.Replace(text))
	fields := strings.FieldsFunc(t, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '\'' && r != '-'
	})
	words := make([]string, 0, len(fields))
	for _, f := range fields {
		f = unstretch(strings.Trim(f, "'-"))
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

// optOutSpelling straightens curly apostrophes and primes, drops the
// asterisks of censored words, and reads a stop sign and a middle finger as
// what they say.
var optOutSpelling = strings.NewReplacer(
	"\u2019", "'", "\u2018", "'", "\u02bc", "'", "\u2032", "'",
	"*", "",
	"\U0001F6D1", " stop ",
	"\U0001F595", " fuck you ",
)

// unstretch shortens every run of three or more of the same letter in w to
// one.
func unstretch(w string) string {
	var b strings.Builder
	runes := []rune(w)
	for i := 0; i < len(runes); {
		j := i
		for j < len(runes) && runes[j] == runes[i] {
			j++
		}
		n := j - i
		if n >= 3 && unicode.IsLetter(runes[i]) {
			n = 1
		}
		for range n {
			b.WriteRune(runes[i])
		}
		i = j
	}
	return b.String()
}

func hasPrefix(words, p []string) bool {
	return len(words) >= len(p) && slices.Equal(words[:len(p)], p)
}
