package sdk

import (
	"slices"
	"strings"
)

// This file reads "stop", "cease" and the other forms of "stop", which ask
// the sender to stop unless the words around them give them another sense:
// a visit ("stop by"), something the lead or the product stops ("how do we
// stop churn?", "does it stop sending follow-ups?"), a request to go on
// ("don't stop"), a mention of the word ("keywords like STOP"). Each
// function takes a sentence's words s and the index i where the word
// stands.

// stopNegations before "stop" make it something else than a request to
// stop ("can't stop", "never stop", "don't stop"); stopNouns before it make
// it a place, a full stop or a mention of the word ("the next stop", "if
// someone replies stop"); stopPlaces after it make it a visit ("stop by",
// "stop in at the office"). stopDoers before it are the lead or the
// product stopping something ("how do we stop churn", "can it stop
// bots", "something to stop the bleeding").
var (
	stopNegations = []string{"can't", "cannot", "couldn't", "won't", "don't", "doesn't", "never", "not", "didn't"}
	stopNouns     = []string{"a", "the", "one", "next", "last", "first", "full", "pit", "bus", "reply", "replies", "type", "types", "word"}
	stopPlaces    = []string{"by", "in", "at", "over"}
	stopDoers     = []string{"i", "we", "they", "it", "this", "which", "to", "help", "helps"}
)

// stopMeansStop reports whether the "stop" at s[i] asks to stop. Before a
// way of reaching someone it always does, whatever precedes it ("you won't
// stop messaging me"), and so does "a stop to" ("put a stop to this").
// After "to" and before another verb in -ing it is something a lead wants
// to stop doing ("we want to stop losing leads"), unless they want the
// sender to ("I need you to stop wasting my time"); after stopDoers, when
// what is stopped is not the sender's (aimsAtSender), it is the lead or
// the product stopping something, and so it is in a prevention (prevents)
// or a question about how (asksHowStops). The product stopping a way of
// reaching someone is no request either ("does it stop sending follow-ups
// once someone replies?": productStops), nor is a mention of the word
// ("keywords like STOP": mentioned), cutting a pitch short ("let me stop
// you right there": stopInterrupts) or an idiom (stopIdioms: "stop the
// presses").
func stopMeansStop(s []string, i int) bool {
	if mentioned(s, i) {
		return false
	}
	if i+1 == len(s) {
		return i == 0 || !slices.Contains(stopNegations, s[i-1]) && !slices.Contains(stopNouns, s[i-1])
	}
	next := s[i+1]
	if slices.Contains(contactVerbs, next) {
		return !productStops(s, i) && !asksToGoOn(s, i)
	}
	if stopInterrupts(s, i) || startsWithAny(s[i+1:], stopIdioms) > 0 {
		return false
	}
	if i > 0 {
		before := s[i-1]
		askedOfSender := i > 1 && slices.Contains([]string{"you", "u"}, s[i-2])
		switch {
		case slices.Contains(stopNouns, before):
			// "Put a stop to this", but not "reply STOP to opt out".
			return next == "to" && (before == "a" || before == "the")
		case slices.Contains(stopNegations, before):
			return false
		case before == "to" && strings.HasSuffix(next, "ing") && !askedOfSender:
			return false
		case slices.Contains(stopDoers, before) && !askedOfSender && !aimsAtSender(s, i+1):
			return false
		}
	}
	if prevents(s, i) || asksHowStops(s, i) {
		return false
	}
	return !slices.Contains(stopPlaces, next)
}

// productSubjects before "stop" or "cease" are the product or its parts
// doing the stopping: "does it stop sending follow-ups?", "will the
// sequence cease messaging a lead who says no?". "It" is the product only
// after productAux.
var productSubjects = []string{
	"it", "tool", "bot", "app", "system", "sequence", "sequences", "campaign", "campaigns",
	"platform", "software", "automation", "workflow", "which",
}

// leadWords name the lead: what the product stops doing to them is the
// lead's request ("when will it stop messaging me").
var leadWords = []string{"me", "us", "my", "our", "i", "we"}

// productStops reports whether the "stop" or "cease" at s[i] is the
// product stopping something, not done to the lead within the next three
// words.
func productStops(s []string, i int) bool {
	b := i - 1
	for b > 0 && isAdverb(s[b]) {
		b--
	}
	if b < 0 || !slices.Contains(productSubjects, s[b]) || s[b] == "it" && (b == 0 || !slices.Contains(productAux, s[b-1])) {
		return false
	}
	return !slices.ContainsFunc(s[i+1:min(len(s), i+4)], func(w string) bool { return slices.Contains(leadWords, w) })
}

// isAdverb reports whether w says how or when ("automatically",
// "still"), which may stand between a subject and its verb.
func isAdverb(w string) bool {
	return strings.HasSuffix(w, "ly") || slices.Contains([]string{"also", "still", "always", "ever", "even", "then", "just"}, w)
}

// productAux before "it" make it the product in a question or a promise
// ("does it stop sending", "will it cease"): "it" alone may be anything
// ("don't need it, stop sending it").
var productAux = []string{"does", "will", "can", "would", "should", "could", "did", "do", "make", "let", "that"}

// ceaseMeansStop reports whether the "cease" at s[i] asks to stop: it
// does unless the product is the one to cease (productStops) or a
// negation comes before ("never cease to amaze").
func ceaseMeansStop(s []string, i int) bool {
	return !productStops(s, i) && (i == 0 || !slices.Contains(stopNegations, s[i-1]))
}

// stopComplainers before "don't stop" or "never stop" make it a
// complaint about the sender: "you never stop messaging me", "they don't
// stop DMing".
var stopComplainers = []string{"you", "u", "y'all", "ya", "they", "guys", "people", "bots", "why"}

// asksToGoOn reports whether the "stop" at s[i] is in "don't stop" or
// "never stop", a request to go on ("don't stop sending the newsletter,
// it's great"), not said of the sender (stopComplainers).
func asksToGoOn(s []string, i int) bool {
	return i > 0 && slices.Contains([]string{"don't", "never"}, s[i-1]) &&
		(i == 1 || !slices.Contains(stopComplainers, s[i-2]))
}

// stopInterrupts reports whether the "stop" at s[i] cuts the sender's
// pitch short rather than their messages: "let me stop you right there",
// "I'll stop you there".
func stopInterrupts(s []string, i int) bool {
	return i+2 < len(s) && slices.Contains([]string{"you", "u"}, s[i+1]) &&
		slices.Contains([]string{"there", "right", "here"}, s[i+2])
}

// stopIdioms after "stop" make it an exclamation: "stop the presses".
var stopIdioms = phrases([]string{
	"the presses",
	// Delight: "stop, you had me at free trial", "stop it, take my money".
	"you had me", "it you had me", "take my money", "it take my money", "you read my mind", "you're reading my mind",
})

// mentionNouns name words as words: "keywords like STOP", "a reply such as
// unsubscribe". mentionLinks may stand between them and the word, along
// with other words of the kind ("STOP and UNSUBSCRIBE").
var (
	mentionNouns = []string{
		"keyword", "keywords", "word", "words", "command", "commands", "phrase", "phrases", "term", "terms",
	}
	mentionLinks = []string{"like", "such", "as", "and", "or", "e", "g", "eg", "stop", "unsubscribe", "unsub", "opt", "out", "opt-out", "cancel", "end", "quit", "remove"}
)

// mentionSayers, after someone other than the lead (leadsOfLead,
// thirdParties), quote what they say: "what happens when someone says
// stop?". "I said stop" is the lead's own.
var (
	mentionSayers = []string{"says", "say", "said", "types", "type", "typed", "writes", "write", "wrote", "sends", "send", "texts", "replies", "reply", "replied"}
	thirdParties  = []string{"lead", "somebody", "prospect", "user", "customer", "recipient", "contact", "person", "guy"}
)

// mentioned reports whether the word at s[i] is mentioned as a word, not
// used: within a few words after mentionNouns, with only mentionLinks
// between, or said by someone else (mentionSayers).
func mentioned(s []string, i int) bool {
	if i > 1 && slices.Contains(mentionSayers, s[i-1]) && (slices.Contains(leadsOfLead, s[i-2]) || slices.Contains(thirdParties, s[i-2])) {
		return true
	}
	for j := i - 1; j >= max(0, i-6); j-- {
		switch {
		case slices.Contains(mentionNouns, s[j]):
			return true
		case !slices.Contains(mentionLinks, s[j]):
			return false
		}
	}
	return false
}

// asksHowStops reports whether the "stop" at s[i] is in a question about
// how the product or the lead stops something: "how do you stop
// follow-ups after a reply?", "how does it stop duplicates". "How do I
// stop these emails?" points at the sender's (senderPointers) and still
// asks to stop.
func asksHowStops(s []string, i int) bool {
	if i < 3 || !slices.Contains([]string{"you", "u", "it", "i", "we"}, s[i-1]) || !slices.Contains(s[max(0, i-4):i-1], "how") {
		return false
	}
	return i+1 < len(s) && !slices.Contains(senderPointers, s[i+1])
}

// stoppedWords are the other forms of "stop", which ask to stop when the
// sender is the one to stop reaching the lead: "I'd appreciate it if you
// stopped messaging me". "I stopped emailing vendors" tells what the lead
// did.
var stoppedWords = []string{"stopped", "stops", "stopping"}

// stoppedMeansStop reports whether the stoppedWords word at s[i] asks the
// sender to stop.
func stoppedMeansStop(s []string, i int) bool {
	return i > 0 && i+1 < len(s) && slices.Contains([]string{"you", "u", "y'all", "ya", "guys"}, s[i-1]) &&
		startsWithAny(s[i+1:], contactVerbPhrases) > 0
}

// prevents reports whether the "stop" at s[i] keeps something from
// happening: "stop leads from ghosting", "stop bots from scraping". "Stop
// these messages from coming" still asks to stop.
func prevents(s []string, i int) bool {
	for j := i + 2; j < min(len(s)-1, i+5); j++ {
		if s[j] == "from" {
			return strings.HasSuffix(s[j+1], "ing") && !aimsAtSender(s, i+1)
		}
	}
	return false
}

// senderThings, as the object of "stop", make it a request to stop
// whoever does it ("to stop this", "stop the DMs"), along with the ways
// of reaching someone; senderDeterminers may come before them ("all these
// messages").
var (
	senderThings = []string{
		"me", "us", "you", "u", "this", "these", "that", "those", "it", "them",
		"now", "please", "pls", "plz", "already", "immediately", "asap", "everything",
	}
	senderDeterminers = []string{
		"the", "all", "these", "those", "this", "your", "ur", "any", "such", "more", "further", "with", "w", "of",
	}
)

// senderPointers are the words that point at the sender or what the
// sender sends: "stop these", "stop your emails".
var senderPointers = []string{"me", "us", "this", "these", "that", "those", "it", "them", "your", "ur", "all"}

// aimsAtSender reports whether the words from s[j] name the sender, what
// the sender does, or a way of reaching someone: "me", "these", "the DMs",
// "all of your messages", or nothing at all.
func aimsAtSender(s []string, j int) bool {
	if j == len(s) || slices.Contains(senderThings, s[j]) {
		return true
	}
	for j < len(s) && slices.Contains(senderDeterminers, s[j]) {
		j++
	}
	return j == len(s) || startsWithAny(s[j:], contactNouns) > 0 || startsWithAny(s[j:], contactNounsSingular) > 0 ||
		slices.Contains(contactVerbs, s[j])
}
