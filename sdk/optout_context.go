package sdk

import "slices"

// This file reads the opt-out words that also have an innocent sense in
// the words around them ("unsubscribe" and "opt out" as a feature, "don't"
// and "never" in what the lead does, "no more" of something else, a
// removal of something else), and the requests that forbid, refuse or end
// contact in words of their own order. "Stop" is read in optout_stop.go,
// the words that penalize the sender in optout_penalties.go. Each function
// takes a sentence's words s and the index i where the word stands.

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
	if slices.Contains(leadsOfLead, after) || ableTo(s, i) || deniesWanting(s, i) || quotesFooter(s, i) {
		return true
	}
	return slices.Contains(featureMetrics, after) || slices.Contains(featureKinds, after) && !slices.Contains(featureOwners, before) ||
		mentioned(s, i) || optsOutOfPlan(s, i+n) || slices.Contains(featureWhenevers, after) && asksIfCan(s, i)
}

// ableTo reports whether the words before s[i] are "able to": "leads need
// to be able to opt out".
func ableTo(s []string, i int) bool {
	return i > 1 && s[i-2] == "able" && s[i-1] == "to"
}

// deniesWanting reports whether the words before s[i] deny wanting it:
// "not trying to unsubscribe", "I don't want to opt out".
func deniesWanting(s []string, i int) bool {
	return i > 2 && slices.Contains([]string{"not", "don't", "never"}, s[i-3]) &&
		slices.Contains([]string{"trying", "asking", "want", "wanting", "meaning"}, s[i-2]) && s[i-1] == "to"
}

// quotesFooter reports whether the words before s[i] are an automated
// message's instruction: "reply STOP to opt out".
func quotesFooter(s []string, i int) bool {
	return i > 2 && slices.Contains([]string{"reply", "text", "type", "send"}, s[i-3]) && s[i-2] == "stop" && s[i-1] == "to"
}

// featureWhenevers after "can I unsubscribe" make it a question about the
// lead's freedom as a customer: "can I unsubscribe anytime if we sign up?",
// "can we opt out later?". "Can I unsubscribe?" alone asks to.
var featureWhenevers = []string{"anytime", "any", "whenever", "later", "easily", "if", "once", "after", "at"}

// asksIfCan reports whether the two words before s[i] ask whether the lead
// can: "can I", "could we", "will we be able to" is not read.
func asksIfCan(s []string, i int) bool {
	return i > 1 && slices.Contains([]string{"can", "could", "do", "would"}, s[i-2]) && slices.Contains([]string{"i", "we"}, s[i-1])
}

// planWords, after "opt out of", make it a choice about the product the
// lead buys, not about the sender's messages: "can I opt out of the annual
// plan and go monthly?".
var planWords = []string{
	"plan", "plans", "tier", "tiers", "contract", "renewal", "auto-renew", "trial", "feature", "features",
	"tracking", "analytics", "beta", "program", "billing", "annual", "monthly", "add-on", "addon", "upsell",
}

// optsOutOfPlan reports whether the words from s[j] are "of" and, within a
// few words, one of planWords.
func optsOutOfPlan(s []string, j int) bool {
	return j < len(s) && s[j] == "of" &&
		slices.ContainsFunc(s[j+1:min(len(s), j+5)], func(w string) bool { return slices.Contains(planWords, w) })
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
// "never text me"), and so do "can you not", "I'd prefer you didn't",
// "I'd ask that you not" and, in a second language, "please not contact me"
// (asksNotTo). "Send" is forbidden before what would be sent
// (sendObjects: "don't send me anything", "please don't send anything
// else"), not the lead's own ("we don't send cold messages", "don't send
// it yet"). A way of reaching someone before modeNouns names a setting:
// "do not disturb mode was on". After "don't"
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
	if verb == 0 && j+1 < len(s) && s[j] == "send" && slices.Contains(sendObjects, s[j+1]) {
		verb = 1
	}
	if verb == 0 && wishedBefore(s, i) {
		verb = startsWithAny(s[j:], pastContactVerbs)
	}
	if verb == 0 {
		return false
	}
	k := j + verb
	if k < len(s) && slices.Contains([]string{"me", "us"}, s[k]) {
		k++
	}
	if k < len(s) && slices.Contains(modeNouns, s[k]) && !listedAsBarred(s, i) || waitsUntil(s, k) {
		return false
	}
	if w != "never" {
		return true
	}
	k = j + verb
	return k < len(s) && slices.Contains(neverWhom, s[k]) && (k+1 == len(s) || s[k+1] != "back")
}

// sendObjects after "send" make it the sender's sending: "don't send me
// anything", "never send more".
var sendObjects = []string{"me", "us", "anything", "any", "more", "another", "these", "those", "stuff", "again", "further"}

// modeNouns after a way of reaching someone make it the name of a setting
// or a list: "do not disturb mode", "a do not contact list feature in our
// CRM", unless the lead asks to be put on the sender's (listedAsBarred).
var modeNouns = []string{"mode", "setting", "settings", "status", "toggle", "feature", "hours", "sign", "list", "lists"}

// notWishers before "you" and a negation make it a wish that the sender
// not do something: "I'd prefer you didn't contact me", "I'd ask that you
// not follow up", "I'd appreciate it if you didn't message me again".
var notWishers = []string{
	"prefer", "rather", "ask", "asking", "asked", "request", "requesting", "requested", "wish",
	"appreciate", "appreciated", "told", "said", "begged",
}

// pastContactVerbs are contactVerbs in the past, which a wish forbids
// (notWishers): "I'd appreciate it if you never messaged me again", "I'd
// prefer you didn't contact me". Without a wish they tell what happened:
// "you've never messaged me before".
var pastContactVerbs = phrases([]string{
	"contacted", "messaged", "dmed", "dm'd", "dm'ed", "texted", "emailed", "wrote", "pinged",
	"reached out", "followed up", "pitched", "bothered", "spammed", "sent",
})

// wishedBefore reports whether a notWisher comes within the five words before
// s[i].
func wishedBefore(s []string, i int) bool {
	return slices.ContainsFunc(s[max(0, i-5):i], func(w string) bool { return slices.Contains(notWishers, w) })
}

// contactLaters after a forbidden way of reaching someone make it a
// request to wait, not to stop: "don't follow up before the 15th", "don't
// message me until Q3". "Until I reach out" still stops.
var (
	contactLaters = []string{"before", "until", "till", "til", "yet", "today", "tonight", "tomorrow", "during", "while"}
	// contactLatersTimed put it off only before a stretch of time (times):
	// "this week", "for now"; "don't message this account" does not wait.
	contactLatersTimed = []string{"this", "next", "for", "in", "on"}
	times              = []string{
		"week", "weeks", "month", "months", "quarter", "year", "weekend", "morning", "afternoon", "evening",
		"now", "a", "the", "couple", "few", "monday", "tuesday", "wednesday", "thursday", "friday",
		"weekends", "weekdays", "mondays", "fridays", "saturdays", "sundays", "holidays", "vacation",
		"q1", "q2", "q3", "q4", "january", "february", "march", "april", "may", "june", "july",
		"august", "september", "october", "november", "december",
	}
)

// waitsUntil reports whether the words from s[k], after a forbidden way
// of reaching someone, put it off (contactLaters) rather than end it. "Until
// I reach out" and "until I say so" wait for the lead, and still end it.
func waitsUntil(s []string, k int) bool {
	switch {
	case k+1 >= len(s):
		return k < len(s) && slices.Contains(contactLaters, s[k])
	case slices.Contains(contactLatersTimed, s[k]):
		return slices.Contains(times, s[k+1])
	}
	return slices.Contains(contactLaters, s[k]) && !slices.Contains(leadWords, s[k+1])
}

// listedAsBarred reports whether the "don't" at s[i] names the sender's
// do-not-contact list the lead asks to be put on: "put me on your do not
// contact list", "add us to the do-not-message list".
func listedAsBarred(s []string, i int) bool {
	before := s[max(0, i-5):i]
	return slices.ContainsFunc(before, func(w string) bool { return slices.Contains([]string{"put", "add", "place", "mark", "keep"}, w) }) &&
		slices.ContainsFunc(before, func(w string) bool { return slices.Contains(removed, w) })
}

// asksNotTo reports whether s[i] is the negation of a request not to: "can
// you not" ("can u not message me pls"), a wish that "you not" or "you
// didn't" (notWishers), or a bare "please not" ("please not contact me
// again").
func asksNotTo(s []string, i int) bool {
	switch {
	case i == 0:
		return false
	case s[i] == "not" && slices.Contains([]string{"please", "pls", "plz", "kindly"}, s[i-1]):
		return true
	case !slices.Contains([]string{"you", "u"}, s[i-1]) || !slices.Contains([]string{"not", "didn't", "wouldn't"}, s[i]):
		return false
	case s[i] == "not" && i > 1 && slices.Contains([]string{"can", "could", "would", "will"}, s[i-2]):
		return true
	}
	return wishedBefore(s, i-1)
}

// moreRefusals refuse any more of a way of reaching someone, perhaps after
// senderDeterminers ("no more DMs", "no more of these messages", "no
// further contact", "refrain from any further messages"); contactEnders
// end it ("end all contact", "halt the outreach"). "No more of this" and
// "no more of these" refuse the sender's messages with nothing after; "no
// more" and "no further" also refuse a way of reaching someone as a verb,
// as someone writing a second language may ("no more send me message").
// "No more than five seats" and "the end of the email" are no refusal.
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
		if s[i] == "no" && (j == len(s) || slices.Contains(sentenceClosers, s[j])) && j > i+n+1 && s[i+n] == "of" {
			return true
		}
		if s[i] == "no" && j == i+n && (startsWithAny(s[j:], contactVerbPhrases) > 0 || j+1 < len(s) && s[j] == "send" && slices.Contains(sendObjects, s[j+1])) {
			return true
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

// removers take someone named by removed off or out of a list of the
// sender's (senderLists), within a few words: "remove our company from
// your outreach", "please drop her from the sequence", "can you take me
// out of your list", "exclude me from future campaigns", "remove me from
// your sales list", "drop me from this". "Remove duplicates from my list"
// names no one.
var (
	removers    = []string{"remove", "delete", "take", "scrub", "purge", "erase", "drop", "strike", "wipe", "exclude", "get"}
	removed     = []string{"me", "us", "my", "our", "him", "her", "them", "myself", "ourselves"}
	senderLists = []string{
		"list", "lists", "database", "db", "outreach", "system", "systems", "crm", "sequence", "sequences",
		"campaign", "campaigns", "contacts", "records", "mailing", "audience", "leads", "spreadsheet",
		"cadence", "cadences", "automation", "bot", "targets", "prospects", "newsletter", "newsletters",
		"mailings", "lead", "marketing",
	}
)

// removesFromList reports whether s[i] removes the lead from a list.
func removesFromList(s []string, i int) bool {
	if !slices.Contains(removers, s[i]) || i+1 == len(s) || !slices.Contains(removed, s[i+1]) {
		return false
	}
	for j := i + 2; j < min(len(s), i+6); j++ {
		if s[j] == "out" && j+1 < len(s) && s[j+1] == "of" {
			j++
		} else if s[j] != "from" && s[j] != "off" {
			continue
		}
		if j+2 == len(s) && slices.Contains([]string{"this", "these", "it", "that"}, s[j+1]) {
			return true
		}
		return slices.ContainsFunc(s[j+1:min(len(s), j+5)], func(w string) bool { return slices.Contains(senderLists, w) })
	}
	return false
}
