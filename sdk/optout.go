package sdk

import (
	"slices"
	"strings"
	"unicode"
)

// IsOptOut reports whether a reply asks not to be contacted again: "stop",
// "unsubscribe", "leave me alone", "take me off your list", "don't ever DM
// me again", "no more of these messages", "delete my info", "blocked",
// "this is spam", "get lost", a stop sign on its own and the like, in any
// case, with straight or curly apostrophes, and the requests that say so
// less directly (optout_requests.go): "I'd rather not get any more of
// these", "do not add me to any lists", "I'd appreciate not hearing from
// you again", "please respect my inbox", "this is the third message",
// "I've had enough", "chill with the messages", "one more of these and I
// block you", "how many times do I have to say no". It is the one opt-out
// detector: the engine puts whoever sends such a reply on the
// do-not-contact list, and the AI plugin reads it as negative.
//
// A reply is read sentence by sentence, so that what opts out at the end
// of a sentence does wherever the sentence stands ("No more. Thanks."),
// and a reply reads the same whatever sentences surround it.
// Phrases (optout_phrases.go) match whole words, so "non-stop",
// "stopwatch" and "unsubscribed from the rest" do not count. The words
// that also have an innocent sense are read in context (optout_context.go,
// optout_penalties.go): "stop" not after a negation ("can't stop thinking
// about it"), before a place ("stop by the booth"), as something the lead
// or the product stops ("how do we stop churn?", "stop bots from
// scraping", "does it stop sending follow-ups once someone replies?") or
// as a word mentioned ("keywords like STOP"); "spam" not as a folder, a
// filter or a penalty the lead fears ("it would get our account flagged as
// spam"); "block" not as a stretch of time, an obstacle, what a product
// does or what befalls the lead ("that's how accounts get blocked");
// "report" not as a document ("the report you sent"); "unsubscribe", "opt
// out" and "harassment" not as a feature or a topic ("an unsubscribe
// link", "can leads opt out?", "harassment training"); "don't" and "never"
// before a way of reaching someone not when they tell what the lead does
// ("I never email people cold", "why don't you email me") or put contact
// off ("don't follow up before the 15th"); "no need to follow up" not
// when the lead booked with the sender ("no need to follow up, I just
// booked a call"). A plain "not interested" is a refusal, not an opt-out.
func IsOptOut(text string) bool {
	if foreignOptOutIn(text) {
		return true
	}
	ss := optOutSentences(text)
	for _, s := range withShoutedRuns(ss) {
		if len(s) == 1 && s[0] == "enough" {
			return true
		}
		for i := range s {
			if optsOutAt(s, i) || startsWithAny(s[i:], needlessContact) > 0 && !saysSettled(ss) {
				return true
			}
		}
	}
	return false
}

// needlessContact are the phrases that call further contact needless: "no
// need to follow up". They end contact unless the lead says why there is
// nothing left to follow up (saysSettled).
var needlessContact = phrases(slices.Concat(
	forbidden([]string{"no need to", "don't need you to"}, contactVerbs),
	forbidden([]string{"no need for"}, []string{"follow ups", "follow-ups", "followups", "a follow up", "a follow-up", "a followup", "more messages", "reminders"}),
))

// settledWords say that the lead has already done what the outreach asked
// for: "no need to follow up, I just booked a call" is a yes. Not in a
// sentence that names someone else (settledElsewhere): "no need to follow
// up, we booked a demo with a competitor" is a no.
var (
	settledWords     = []string{"booked", "scheduled", "reserved", "grabbed", "snagged", "accepted"}
	settledElsewhere = []string{"another", "other", "else", "elsewhere", "competitor", "competitors", "different", "someone", "somebody"}
)

// settledNegations before a settled word undo it: "I never booked
// anything".
var settledNegations = []string{"not", "never", "didn't", "haven't", "hasn't", "hadn't", "don't", "won't", "no"}

// saysSettled reports whether a sentence of ss says the lead booked or
// signed up, not after a negation nor with someone else.
func saysSettled(ss [][]string) bool {
	for _, s := range ss {
		if slices.ContainsFunc(s, func(w string) bool { return slices.Contains(settledElsewhere, w) }) {
			continue
		}
		for i, w := range s {
			settled := slices.Contains(settledWords, w) || w == "signed" && i+1 < len(s) && s[i+1] == "up"
			if settled && !slices.ContainsFunc(s[max(0, i-3):i], func(w string) bool { return slices.Contains(settledNegations, w) }) {
				return true
			}
		}
	}
	return false
}

// withShoutedRuns is ss and, after them, each run of two or more
// sentences of at most two words read as one sentence: "DON'T. MESSAGE.
// ME. AGAIN." is "don't message me again".
func withShoutedRuns(ss [][]string) [][]string {
	out := slices.Clip(ss)
	for i := 0; i < len(ss); {
		j := i
		for j < len(ss) && len(ss[j]) <= 2 {
			j++
		}
		if j-i >= 2 {
			out = append(out, slices.Concat(ss[i:j]...))
		}
		i = max(j, i+1)
	}
	return out
}

// optsOutAt reports whether an opt-out starts at s[i], s a sentence's
// words.
func optsOutAt(s []string, i int) bool {
	switch w := s[i]; {
	case w == "stop":
		return stopMeansStop(s, i)
	case slices.Contains(stoppedWords, w):
		return stoppedMeansStop(s, i)
	case slices.Contains(spamWords, w):
		return spamMeansSender(s, i)
	case slices.Contains(blockWords, w):
		return blockMeansBlock(s, i)
	case slices.Contains(reportWords, w):
		return reportMeansReport(s, i)
	case w == "cease":
		return ceaseMeansStop(s, i)
	case slices.Contains(muteWords, w):
		return muteMeansMute(s, i)
	case w == "harassment":
		return i+1 == len(s) || !slices.Contains(harassmentTopics, s[i+1])
	case slices.Contains(stopSigns, w):
		return onlyStopSigns(s)
	}
	for _, p := range optOutNames {
		if hasPrefix(s[i:], p) {
			return !namesFeature(s, i, len(p))
		}
	}
	for _, request := range contactRequests {
		if request(s, i) {
			return true
		}
	}
	for _, p := range optOutPhrases {
		if hasPrefix(s[i:], p) {
			return true
		}
	}
	for _, p := range optOutEnds {
		if len(s)-i == len(p) && hasPrefix(s[i:], p) {
			return true
		}
	}
	for _, g := range optOutGaps {
		if hasPrefix(s[i:], g.start) {
			rest := s[i+len(g.start):]
			if slices.Contains(rest[:min(len(rest), g.within+1)], g.end) {
				return true
			}
		}
	}
	return false
}

// contactRequests are the requests to end contact that need more than a
// list of phrases (optout_context.go, optout_requests.go).
var contactRequests = []func(s []string, i int) bool{
	forbidsContact, refusesMore, removesFromList, refusesReceiving, refusesList, refusesHearing,
	asksRespect, complainsFedUp, countsRepeats, easesOff, wantsLast, threatens, switchesOff, complainsOfTimes,
}

// optOutSentences splits text into sentences (at ".", "!", "?", "…" and
// line breaks) of lower-case words, dropping sentences without any. A word
// keeps the apostrophes and hyphens inside it ("don't", "non-stop"); the
// asterisks of a censored word are dropped ("f*ck" is "fck"); a stop sign,
// a no-entry sign and a raised hand are words of their own (stopSigns).
// Each word is respelled by optOutWord, and "do not", "did not" and the
// like are read as "don't", "didn't".
func optOutSentences(text string) [][]string {
	t := strings.ToLower(optOutSpelling.Replace(text))
	var (
		out  [][]string
		s    []string
		word strings.Builder
	)
	endWord := func() {
		w := optOutWord(strings.Trim(word.String(), "'-"))
		word.Reset()
		if w == "" {
			return
		}
		if n := len(s); w == "not" && n > 0 {
			if short, ok := optOutContractions[s[n-1]]; ok {
				s[n-1] = short
				return
			}
		}
		s = append(s, w)
	}
	endSentence := func() {
		endWord()
		if len(s) > 0 {
			out = append(out, s)
		}
		s = nil
	}
	for _, r := range t {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r) || r == '\'' || r == '-':
			word.WriteRune(r)
		case strings.ContainsRune(".!?…\n", r):
			endSentence()
		case slices.Contains(stopSigns, string(r)):
			endWord()
			s = append(s, string(r))
		default:
			endWord()
		}
	}
	endSentence()
	return out
}

// optOutWord is w as the phrases spell it: a letter typed three times or
// more shortened to one ("STOPPP" is "stop"; no English word has such a
// run), a contraction typed without its apostrophe given one ("dont"), a
// common misspelling of a way of reaching someone or of "unsubscribe"
// corrected, and a contact verb's -ing typed without its g given it back
// ("contactin", but not "pin"). Any other word within two typos of
// "unsubscribe" is read as it ("unsubscirbe", "unsubscrib").
func optOutWord(w string) string {
	w = unstretch(w)
	if right, ok := optOutRespellings[w]; ok {
		return right
	}
	if misspells(w, "unsubscribe") {
		return "unsubscribe"
	}
	if root, ok := strings.CutSuffix(w, "in"); ok && len(root) > 1 && slices.Contains(contactVerbs, w+"g") {
		return w + "g"
	}
	return w
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

// startsWithAny is the length of the first phrase of ps that words start
// with, or 0.
func startsWithAny(words []string, ps [][]string) int {
	for _, p := range ps {
		if hasPrefix(words, p) {
			return len(p)
		}
	}
	return 0
}

// unsubscribeForms are the words within two typos of "unsubscribe" that
// are words of their own: "unsubscribed from everything else" tells what
// the lead did.
var unsubscribeForms = []string{"unsubscribed", "unsubscribes", "unsubscriber", "unsubscribers", "subscribe", "unsubscribe"}

// misspells reports whether w is a typo of word: at most two letters
// added, dropped, changed or swapped with the next, the first three
// letters kept, and not one of unsubscribeForms.
func misspells(w, word string) bool {
	if len(w) < len(word)-2 || len(w) > len(word)+2 || !strings.HasPrefix(w, word[:3]) || slices.Contains(unsubscribeForms, w) {
		return false
	}
	return editDistance(w, word) <= 2
}

// editDistance is the optimal string alignment distance between a and b:
// the fewest letters added, dropped, changed or swapped with the next that
// turn a into b.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	d := make([][]int, len(ra)+1)
	for i := range d {
		d[i] = make([]int, len(rb)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(ra); i++ {
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(ra)][len(rb)]
}
