package sdk

import (
	"slices"
	"strings"
)

// This file reads the opt-out words that also have an innocent sense in
// the words around them. Each function takes a sentence's words s and the
// index i where the word stands.

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
// or a question about how (asksHowStops).
func stopMeansStop(s []string, i int) bool {
	if i+1 == len(s) {
		return i == 0 || !slices.Contains(stopNegations, s[i-1]) && !slices.Contains(stopNouns, s[i-1])
	}
	next := s[i+1]
	if slices.Contains(contactVerbs, next) {
		return true
	}
	if i > 0 {
		before := s[i-1]
		askedOfSender := i > 1 && slices.Contains([]string{"you", "u"}, s[i-2])
		switch {
		case slices.Contains(stopNouns, before):
			return next == "to"
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

// spamWords call the outreach spam. They do not when a word before makes
// spam a folder the message landed in or something a product fights
// (spamPlaces: "it went to spam", "reduces spam", "this isn't spam", "less
// spammy", "does it stop spam"), when the word after makes it a kind of
// thing (spamKinds: "spam filter", "spam words"), after "out of" ("keep it
// out of spam"), or in a question ("is this spam?").
var (
	spamWords  = []string{"spam", "spammer", "spammers", "spamming", "spammed", "spammy"}
	spamPlaces = []string{
		"in", "into", "to", "my", "anti", "against", "not", "isn't", "less",
		"filter", "filters", "catch", "catches", "detect", "detects", "reduce", "reduces",
		"avoid", "avoids", "fight", "fights", "prevent", "prevents", "flag", "flags",
		"stop", "stops", "stopping", "block", "blocks", "blocking",
	}
	spamKinds = []string{
		"filter", "filters", "folder", "box", "check", "checker", "score", "detection",
		"protection", "trap", "traps", "rule", "rules", "law", "laws", "settings", "tab", "risk",
		"word", "words", "trigger", "triggers", "rate", "rates",
	}
)

// spamSeemings after spamAvoiders are the lead's own messages kept from
// seeming spam ("keep DMs from looking spammy", "so they don't sound
// spammy"); "this looks spammy" still calls the sender's so. spamMetrics
// within two words after make spam a figure ("spam complaint rate").
var (
	spamSeemings = []string{
		"look", "looking", "looks", "sound", "sounding", "sounds", "seem", "seeming", "seems",
		"feel", "feeling", "get", "getting",
	}
	spamAvoiders = []string{"from", "to", "not", "without", "never", "don't", "doesn't", "won't", "didn't", "isn't", "avoid", "stop"}
	spamMetrics  = []string{"rate", "rates", "score", "scores", "percentage", "metrics", "stats", "numbers"}
)

// spamMeansSender reports whether the spam word at s[i] calls the sender's
// messages spam.
func spamMeansSender(s []string, i int) bool {
	if i > 0 && slices.Contains(spamPlaces, s[i-1]) {
		return false
	}
	if i > 1 && (s[i-2] == "is" && slices.Contains([]string{"this", "it", "that"}, s[i-1]) || s[i-2] == "out" && s[i-1] == "of") {
		return false
	}
	if i > 1 && slices.Contains(spamSeemings, s[i-1]) && slices.Contains(spamAvoiders, s[i-2]) {
		return false
	}
	if slices.ContainsFunc(s[i+1:min(len(s), i+3)], func(w string) bool { return slices.Contains(spamMetrics, w) }) {
		return false
	}
	return i+1 == len(s) || !slices.Contains(spamKinds, s[i+1])
}

// blockWords block the sender ("blocked.", "blocking you now"). They do not
// when the word after makes them time set aside (blockStretches: "block
// some time", "block off an hour", "block 30 min"), when the word before
// makes "block" a noun (blockNouns: "a block of time", "ad block") or
// the product the subject ("does it block bots?"), or when the lead says
// they are blocked by something (blockObstacles after blockSubjects:
// "we're blocked on budget", "I'm blocked until Q2"); "blocked on all
// platforms" still blocks.
var (
	blockWords     = []string{"block", "blocked", "blocking"}
	blockStretches = []string{
		"out", "off", "some", "time", "a", "an", "of", "in", "calendar", "slot", "slots", "half", "two", "three", "four",
	}
	blockNouns     = []string{"a", "the", "ad", "code", "building", "road", "mental", "writer's", "starting", "chain", "city", "each", "per", "time"}
	blockProducts  = []string{"it", "this", "that", "which"}
	blockSubjects  = []string{"we're", "i'm", "we", "i", "are", "am", "is", "was", "were", "currently", "still", "totally", "kinda"}
	blockObstacles = []string{"on", "by", "until", "till", "while", "from", "for"}
)

// blockMeansBlock reports whether the block word at s[i] blocks the
// sender.
func blockMeansBlock(s []string, i int) bool {
	if i > 0 && (slices.Contains(blockNouns, s[i-1]) || s[i] == "block" && slices.Contains(blockProducts, s[i-1])) {
		return false
	}
	if i+1 == len(s) {
		return true
	}
	next := s[i+1]
	if slices.Contains(blockObstacles, next) {
		return i == 0 || !slices.Contains(blockSubjects, s[i-1])
	}
	return !slices.Contains(blockStretches, next) && !isNumber(next)
}

func isNumber(w string) bool {
	return w != "" && strings.IndexFunc(w, func(r rune) bool { return r < '0' || r > '9' }) < 0
}

// harassmentTopics after "harassment" make it a subject, not a complaint
// about the sender: "harassment training", "harassment complaints".
var harassmentTopics = []string{
	"training", "trainings", "policy", "policies", "prevention", "complaint", "complaints",
	"claim", "claims", "law", "laws", "lawsuit", "lawsuits", "case", "cases", "compliance",
	"investigation", "investigations", "hotline", "reporting", "report", "reports",
	"detection", "moderation", "filter", "filters",
}

// leadsOfLead are the people a lead may say unsubscribe or opt out on
// their side ("can leads opt out?", "how do my users unsubscribe").
// featureMetrics after an opt-out name make it a figure or a feature ("the
// opt-out rate", "unsubscribe requests"), and so do featureKinds ("an
// unsubscribe link"), unless the sender's own is meant ("where's your
// unsubscribe link": featureOwners).
var (
	leadsOfLead = []string{
		"leads", "users", "people", "recipients", "contacts", "customers", "clients", "subscribers",
		"prospects", "members", "followers", "folks", "they", "them", "someone", "anyone", "everyone",
	}
	featureKinds = []string{
		"link", "links", "button", "buttons", "flow", "flows", "page", "pages", "footer",
		"option", "options", "header", "headers",
	}
	featureOwners  = []string{"the", "your", "ur", "this", "that", "ya"}
	featureMetrics = []string{
		"rate", "rates", "request", "requests", "handling", "management", "feature", "features",
		"tracking", "compliance", "numbers", "stats", "metrics",
	}
)

// namesFeature reports whether the opt-out name of n words at s[i]
// ("unsubscribe", "opt out") is something the lead's own leads do or a
// feature of the product, rather than the lead asking for it.
func namesFeature(s []string, i, n int) bool {
	var before, after string
	if i > 0 {
		before = s[i-1]
	}
	if i+n < len(s) {
		after = s[i+n]
	}
	if slices.Contains(leadsOfLead, before) {
		return after != "me" && after != "us"
	}
	return slices.Contains(featureMetrics, after) || slices.Contains(featureKinds, after) && !slices.Contains(featureOwners, before)
}

// stopSigns are the emoji that say stop when a sentence is made of nothing
// else: a no-entry sign, a no-entry sign with a slash, a raised hand. With
// words they may mean something else ("✋ me!", "🚫 budget this year").
// The red octagonal sign says "stop" anywhere (optOutSpelling).
var stopSigns = []string{"\u26D4", "\U0001F6AB", "\u270B"}

func onlyStopSigns(s []string) bool {
	for _, w := range s {
		if !slices.Contains(stopSigns, w) {
			return false
		}
	}
	return true
}

// contactForbidders forbid a way of reaching someone that follows them,
// perhaps after contactFillers ("don't DM me", "don't you ever DM me
// again", "do not under any circumstances contact me", "quit texting me",
// "never text me"), and so does "can you not" (asksNotTo). After "don't"
// a wish for someone else is the same request ("I don't want you messaging
// me", "we don't need anyone to follow up"). Before "don't" or "never",
// contactNarrators make it what the lead does or asks, not a request ("I
// never email people cold", "we don't reach out to vendors", "why don't
// you email me"); "never" forbids only with whom it forbids after the
// verb ("never text me", "never contact us again"), and not "never
// message me back".
var (
	contactForbidders = []string{"don't", "never", "quit"}
	contactWishes     = []string{"want", "wanna", "need"}
	contactOthers     = []string{"you", "u", "anyone", "anybody", "y'all", "people"}
	contactFillers    = []string{
		"ever", "you", "u", "even", "dare", "again", "please", "pls", "plz", "kindly",
		"try", "to", "guys", "y'all", "ya", "under", "any", "circumstances", "at", "all",
	}
	contactNarrators = []string{
		"i", "we", "they", "he", "she", "people", "folks", "who", "that", "which", "why",
		"usually", "generally", "typically", "normally", "really",
	}
	neverWhom = []string{
		"me", "us", "my", "our", "this", "him", "her", "them", "again", "ever", "anyone",
		"anybody", "here",
	}
)

// forbidsContact reports whether s[i] forbids reaching the lead.
func forbidsContact(s []string, i int) bool {
	w := s[i]
	if !slices.Contains(contactForbidders, w) && !asksNotTo(s, i) {
		return false
	}
	j := i + 1
	wished := false
	if w == "don't" && j+1 < len(s) && slices.Contains(contactWishes, s[j]) {
		if !slices.Contains(contactOthers, s[j+1]) {
			return false
		}
		j, wished = j+2, true
	}
	if !wished && i > 0 && slices.Contains(contactNarrators, s[i-1]) {
		return false
	}
	for n := 0; n < 4 && j < len(s) && slices.Contains(contactFillers, s[j]); n++ {
		j++
	}
	verb := startsWithAny(s[j:], contactVerbPhrases)
	if verb == 0 {
		return false
	}
	if w != "never" {
		return true
	}
	k := j + verb
	return k < len(s) && slices.Contains(neverWhom, s[k]) && (k+1 == len(s) || s[k+1] != "back")
}

// asksNotTo reports whether s[i] is the "not" of "can you not", "could
// you not", "would you not": "can u not message me pls".
func asksNotTo(s []string, i int) bool {
	return s[i] == "not" && i > 1 && slices.Contains([]string{"you", "u"}, s[i-1]) &&
		slices.Contains([]string{"can", "could", "would", "will"}, s[i-2])
}

// moreRefusals refuse any more of a way of reaching someone, perhaps after
// senderDeterminers ("no more DMs", "no more of these messages", "no
// further contact", "refrain from any further messages"); contactEnders
// end it ("end all contact", "halt the outreach"). "No more than five
// seats" and "the end of the email" are no refusal.
var (
	moreRefusals  = phrases([]string{"no more", "any more", "anymore", "no further", "any further", "no additional", "refrain from"})
	contactEnders = phrases([]string{"end", "halt"})
)

// redirections after "no" and a way of reaching someone make it a way to
// use instead: "no, DM me", "no, contact my cofounder".
var redirections = []string{"me", "us", "my", "our", "him", "her", "his", "them", "the"}

// refusesMore reports whether a refusal of more contact starts at s[i]:
// one of moreRefusals, contactEnders, or a bare "no" before a way of
// reaching someone in the plural ("no DMs", "no follow-ups please").
func refusesMore(s []string, i int) bool {
	if n := startsWithAny(s[i:], moreRefusals); n > 0 {
		j := i + n
		for j < len(s) && slices.Contains(senderDeterminers, s[j]) {
			j++
		}
		return startsWithAny(s[j:], contactNouns) > 0 || startsWithAny(s[j:], contactNounsSingular) > 0
	}
	if n := startsWithAny(s[i:], contactEnders); n > 0 {
		j := i + n
		for j < len(s) && slices.Contains(senderDeterminers, s[j]) && s[j] != "of" {
			j++
		}
		k := max(startsWithAny(s[j:], contactNouns), startsWithAny(s[j:], contactNounsSingular))
		return k > 0 && (j+k == len(s) || s[j+k] != "with")
	}
	if s[i] == "no" {
		k := startsWithAny(s[i+1:], contactNouns)
		return k > 0 && (i+1+k == len(s) || !slices.Contains(redirections, s[i+1+k]))
	}
	return false
}

// removers take someone named by removed off a list of the sender's
// (senderLists), within a few words: "remove our company from your
// outreach", "please drop her from the sequence". "Remove duplicates from
// my list" names no one.
var (
	removers    = []string{"remove", "delete", "take", "scrub", "purge", "erase", "drop", "strike", "wipe", "exclude"}
	removed     = []string{"me", "us", "my", "our", "him", "her", "them", "myself", "ourselves"}
	senderLists = []string{
		"list", "lists", "database", "db", "outreach", "system", "systems", "crm", "sequence", "sequences",
		"campaign", "campaigns", "contacts", "records", "mailing", "audience", "leads", "spreadsheet",
		"cadence", "cadences", "automation", "bot", "targets", "prospects",
	}
)

// removesFromList reports whether s[i] removes the lead from a list.
func removesFromList(s []string, i int) bool {
	if !slices.Contains(removers, s[i]) || i+1 == len(s) || !slices.Contains(removed, s[i+1]) {
		return false
	}
	for j := i + 2; j < min(len(s), i+6); j++ {
		if s[j] == "from" || s[j] == "off" {
			k := j + 1
			for k < len(s) && k < j+3 && slices.Contains(senderDeterminers, s[k]) {
				k++
			}
			return k < len(s) && slices.Contains(senderLists, s[k])
		}
	}
	return false
}
