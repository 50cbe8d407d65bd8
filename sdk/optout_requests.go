package sdk

import (
	"slices"
	"strings"
)

// This file reads the requests to end contact that take more than a
// phrase: a refusal of what the sender sends ("I'd rather not get any more
// of these"), of being on the sender's lists ("do not add me to any
// lists"), of hearing from the sender ("I'd appreciate not hearing from
// you again"), a complaint that the sender has gone on too long ("this is
// the third message", "I've had enough"), a demand to respect the lead's
// inbox, a threat about the next message ("one more of these and...") and
// the like. Each function takes a sentence's words s and the index i where
// the request would start.

// receiveRefusers refuse what follows them: "I don't want these", "we
// don't need any more emails", "I'd rather not get any more of these",
// and in the words of someone writing a second language, "I not want this
// messages". receiveFillers may stand between the refusal and what it
// refuses; receivePointers among them say that what is refused is the
// sender's, or more of it ("any more", "these", "your").
var (
	receiveRefusers = phrases([]string{
		"don't want", "don't wanna", "don't need", "don't wish", "no longer want", "no longer need",
		"no longer wish", "not want", "no want", "rather not", "prefer not", "want no", "need no",
	})
	receiveFillers = []string{
		"to", "receive", "receiving", "get", "getting", "see", "seeing", "be", "sent",
		"any", "more", "anymore", "further", "additional", "other", "of", "the", "these", "those",
		"this", "that", "your", "ur", "such", "all",
	}
	receivePointers = []string{"any", "more", "anymore", "further", "additional", "these", "those", "your", "ur", "such"}
	// receivedMany are the pointers that, ending the refusal, stand for
	// the sender's messages: "don't want these", "no more of this".
	receivedMany = []string{"these", "those"}
	// sentenceClosers may end a request after what it refuses: "no more
	// of these please", "don't want these again".
	sentenceClosers = []string{"please", "pls", "plz", "thanks", "thank", "thx", "again", "anymore", "ever", "from", "guys", "man", "bro", "lol"}
	// contactTools after a way of reaching someone make it a kind of
	// product: "we don't need more outreach tools".
	contactTools = []string{
		"tool", "tools", "software", "platform", "platforms", "app", "apps", "automation", "solution",
		"solutions", "vendor", "vendors", "strategy", "help", "volume", "agency", "agencies",
	}
)

// refusesReceiving reports whether a refusal of the sender's messages
// starts at s[i].
func refusesReceiving(s []string, i int) bool {
	n := startsWithAny(s[i:], receiveRefusers)
	if n == 0 {
		return false
	}
	j, pointed, many, more := i+n, false, false, false
	for j < len(s) && slices.Contains(receiveFillers, s[j]) {
		pointed = pointed || slices.Contains(receivePointers, s[j])
		many = many || slices.Contains(receivedMany, s[j])
		more = more || s[j] == "more" || s[j] == "anymore"
		j++
	}
	if j == len(s) || slices.Contains(sentenceClosers, s[j]) {
		return many || more && slices.Contains(s[i+n:j], "this")
	}
	k := max(startsWithAny(s[j:], contactNouns), startsWithAny(s[j:], contactNounsSingular))
	if k == 0 {
		return false
	}
	if j+k == len(s) {
		return pointed
	}
	return (pointed || slices.Contains(receivedAgain, s[j+k])) && !slices.Contains(contactTools, s[j+k])
}

// receivedAgain after what is refused make it the sender's too: "I don't
// want receive this messages anymore", "don't need emails from you".
var receivedAgain = []string{"anymore", "again", "from", "ever"}

// listRefusers refuse a place on the sender's lists (senderLists) within
// a few words of listPlaces: "do not add me to any lists", "don't include
// me in future campaigns", "I don't want to be on any list of yours",
// "stop adding us to your sequences". "We don't add people to lists"
// tells what the lead does (contactNarrators).
var (
	listRefusers = []string{"don't", "never", "stop", "quit"}
	listFillers  = []string{"want", "wanna", "to", "be", "being", "ever", "please", "pls", "you", "u", "even"}
	listPutters  = []string{
		"add", "adding", "put", "putting", "include", "including", "keep", "keeping", "be", "being",
		"sign", "signing", "enroll", "enrolling", "subscribe", "subscribing",
	}
	listPlaces = []string{"to", "on", "in", "into", "onto", "up", "for"}
)

// refusesList reports whether a refusal of the sender's lists starts at
// s[i]. A wish ("I don't want to be on your list") is the lead's whoever
// tells it.
func refusesList(s []string, i int) bool {
	if !slices.Contains(listRefusers, s[i]) || i+1 == len(s) {
		return false
	}
	if i > 0 && slices.Contains(contactNarrators, s[i-1]) && !slices.Contains(contactWishes, s[i+1]) {
		return false
	}
	j := i + 1
	for n := 0; n < 4 && j < len(s) && slices.Contains(listFillers, s[j]); n++ {
		j++
	}
	if j < len(s) && slices.Contains(listPutters, s[j]) {
		j++
	} else if j == i+1 || s[j-1] != "be" {
		return false
	}
	if j < len(s) && slices.Contains(removed, s[j]) {
		j++
	}
	if j == len(s) || !slices.Contains(listPlaces, s[j]) {
		return false
	}
	return slices.ContainsFunc(s[j+1:min(len(s), j+5)], func(w string) bool { return slices.Contains(senderLists, w) })
}

// hearers are the words for hearing from someone, which after a negation
// (hearNegations) ask not to hear from the sender: "I'd appreciate not
// hearing from you again", "I'd rather never hear from you". "I haven't
// heard from you" and "I'd love to hear from you" ask for nothing of the
// kind.
var (
	hearers       = []string{"hear", "hearing"}
	hearNegations = []string{"not", "don't", "never", "no", "stop", "quit"}
	heardFrom     = []string{"you", "u", "your", "ur", "y'all", "ya", "this", "these", "them", "anyone", "anybody"}
)

// refusesHearing reports whether s[i] is a hearer, negated, before "from"
// and the sender.
func refusesHearing(s []string, i int) bool {
	if !slices.Contains(hearers, s[i]) || i+2 >= len(s) || s[i+1] != "from" || !slices.Contains(heardFrom, s[i+2]) {
		return false
	}
	return slices.ContainsFunc(s[max(0, i-3):i], func(w string) bool { return slices.Contains(hearNegations, w) })
}

// respected are what a lead asks the sender to respect when they mean
// "stop": "please respect my inbox", "respect our boundaries", "respect my
// no". They are the request only when the sentence ends with them or
// goes on to another: "does it respect my privacy settings?" asks about a
// feature.
var respected = []string{
	"inbox", "dms", "dm", "privacy", "boundaries", "boundary", "space", "decision", "wishes", "no",
	"answer", "request", "time",
}

// asksRespect reports whether a demand to respect the lead's inbox starts
// at s[i].
func asksRespect(s []string, i int) bool {
	if s[i] != "respect" || i+2 >= len(s) || !slices.Contains([]string{"my", "our"}, s[i+1]) || !slices.Contains(respected, s[i+2]) {
		return false
	}
	return i+3 == len(s) || slices.Contains(sentenceClosers, s[i+3])
}

// fedUp are the complaints of someone who has had enough of the sender:
// "I've had enough", "had enough of this", "sick of your DMs", "tired of
// these messages", "fed up with you". "Had enough" needs nothing after it;
// the others name the sender (fedUpSenders) or what the sender sends
// after fedUpPointers, so that "tired of manual outreach" stays a reason
// to buy, and "sick of it" may be the lead's own problem.
var (
	fedUp         = phrases([]string{"had enough", "sick of", "tired of", "fed up with", "done with", "over it with"})
	fedUpPointers = []string{"these", "those", "your", "ur", "all", "this", "the", "of", "with"}
	fedUpSenders  = []string{"you", "u", "y'all", "ya", "these", "those"}
	hadEnoughOf   = []string{"this", "it", "them", "that"}
)

// complainsFedUp reports whether a complaint of having had enough of the
// sender starts at s[i].
func complainsFedUp(s []string, i int) bool {
	n := startsWithAny(s[i:], fedUp)
	if n == 0 {
		return false
	}
	j := i + n
	if s[i] == "had" && (j == len(s) || slices.Contains(sentenceClosers, s[j]) || s[j] == "already" || s[j] == "now") {
		return true
	}
	if j < len(s) && s[j] == "of" && s[i] == "had" {
		j++
	}
	if j < len(s) && (slices.Contains(fedUpSenders, s[j]) || s[i] == "had" && slices.Contains(hadEnoughOf, s[j])) &&
		(j+1 == len(s) || slices.Contains(sentenceClosers, s[j+1])) {
		return true
	}
	pointed := false
	for j < len(s) && slices.Contains(fedUpPointers, s[j]) {
		pointed = pointed || s[j] != "of" && s[j] != "with" && s[j] != "the"
		j++
	}
	k := max(startsWithAny(s[j:], contactNouns), startsWithAny(s[j:], contactNounsSingular))
	return k > 0 && (pointed || s[i] == "had")
}

// ordinals count the messages a lead has had: "this is the third
// message", "5th DM this week".
var ordinals = []string{
	"second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth",
	"eleventh", "twelfth", "umpteenth", "nth", "millionth", "hundredth",
}

// repeatCounters before an ordinal make it the sender's: "this is the
// third email", "that's your fourth DM", "it's the 5th follow-up", "your
// 4th message this week". Before "the", a copula (repeatCopulas) makes it
// a complaint: "the third email you sent had the pricing" names one.
var (
	repeatCounters = []string{"the", "your", "ur"}
	repeatCopulas  = []string{"is", "that's", "thats", "it's", "its", "this's", "been", "was", "makes", "now", "already"}
)

// countsRepeats reports whether s[i] complains of how many times the
// sender has written: an ordinal after repeatCounters ("this is the third
// message") or opening the sentence ("6th DM from this company"), before
// a way of reaching someone. "This is my second message" counts the
// lead's own, and so does "that's the second email I sent".
func countsRepeats(s []string, i int) bool {
	if !isOrdinal(s[i]) || i+1 == len(s) {
		return false
	}
	if i > 0 && !slices.Contains(repeatCounters, s[i-1]) {
		return false
	}
	if i > 0 && s[i-1] == "the" && (i == 1 || !slices.Contains(repeatCopulas, s[i-2])) {
		return false
	}
	k := max(startsWithAny(s[i+1:], contactNouns), startsWithAny(s[i+1:], contactNounsSingular))
	if k == 0 {
		return false
	}
	after := i + 1 + k
	return after == len(s) || !slices.Contains([]string{"i", "we", "i've", "we've", "i'd", "we'd"}, s[after])
}

// isOrdinal reports whether w counts a second time or more: "third",
// "3rd", "10th".
func isOrdinal(w string) bool {
	if slices.Contains(ordinals, w) {
		return true
	}
	for _, suffix := range []string{"nd", "rd", "th", "st"} {
		if n, ok := strings.CutSuffix(w, suffix); ok && isNumber(n) && n != "1" {
			return true
		}
	}
	return false
}

// contactEasers ask the sender to ease off a way of reaching someone:
// "chill with the messages", "lay off the DMs", "ease up on the
// follow-ups", "go easy on the pings".
var contactEasers = phrases([]string{
	"chill with", "chill on", "chill w", "ease up on", "ease up with", "ease off", "lay off", "cool it with",
	"go easy on", "easy on", "easy with", "tone down", "calm down with", "relax with", "slow down with",
})

// easesOff reports whether a request to ease off a way of reaching
// someone starts at s[i].
func easesOff(s []string, i int) bool {
	n := startsWithAny(s[i:], contactEasers)
	if n == 0 {
		return false
	}
	j := i + n
	for j < len(s) && slices.Contains(senderDeterminers, s[j]) {
		j++
	}
	return startsWithAny(s[j:], contactNouns) > 0 || startsWithAny(s[j:], contactNounsSingular) > 0
}

// lastWishes are what a lead says they want of the sender in "this is the
// last message I want from you", "the last time I want to hear from you".
var lastWishes = []string{"want", "wanna", "need", "wish", "expect", "hear"}

// wantsLast reports whether s[i] ("last") calls a message the last one the
// lead wants from the sender. "Your last message got cut off" and "the
// last email I got from you" want nothing.
func wantsLast(s []string, i int) bool {
	if s[i] != "last" || i+1 == len(s) {
		return false
	}
	k := max(startsWithAny(s[i+1:], contactNouns), startsWithAny(s[i+1:], contactNounsSingular))
	if k == 0 && s[i+1] != "time" {
		return false
	}
	k = max(k, 1)
	rest := s[i+1+k : min(len(s), i+1+k+6)]
	wish := slices.IndexFunc(rest, func(w string) bool { return slices.Contains(lastWishes, w) })
	if wish < 0 {
		return false
	}
	from := slices.Index(rest[wish:], "from")
	return from >= 0 && wish+from+1 < len(rest) && slices.Contains(heardFrom, rest[wish+from+1])
}

// threatens reports whether s[i] starts a warning about the next message:
// "one more of these and I'm reporting you", "i swear if i get one more
// dm". "Can you send one more email with pricing?" warns of nothing: the
// warning needs an "if" before it or an "and" after what it counts.
func threatens(s []string, i int) bool {
	if !hasPrefix(s[i:], []string{"one", "more"}) {
		return false
	}
	j := i + 2
	k := max(startsWithAny(s[j:], contactNouns), startsWithAny(s[j:], contactNounsSingular))
	switch {
	case k > 0:
		j += k
	case j+1 < len(s) && s[j] == "of" && slices.Contains(senderPointers, s[j+1]):
		j += 2
	default:
		return false
	}
	return slices.Contains(s[max(0, i-4):i], "if") || j < len(s) && s[j] == "and"
}

// switchers turn off the sender's automation for the lead: "turn it off
// for my account", "switch this off for me".
var (
	switchers       = []string{"turn", "shut", "switch"}
	switchedObjects = phrases([]string{"it", "this", "that", "them", "the bot", "your bot", "this bot", "the automation"})
)

// switchesOff reports whether a request to turn the sender's automation
// off for the lead starts at s[i].
func switchesOff(s []string, i int) bool {
	if !slices.Contains(switchers, s[i]) {
		return false
	}
	n := startsWithAny(s[i+1:], switchedObjects)
	j := i + 1 + n
	return n > 0 && j+2 < len(s) && s[j] == "off" && s[j+1] == "for" && slices.Contains(removed, s[j+2])
}

// timesTellers after "how many times" make it the complaint of someone who
// has said no before: "how many times do I need to say no", "how many
// times have I told you". "How many times will it follow up?" asks about
// the product.
var timesTellers = []string{"say", "said", "tell", "told", "ask", "asked", "repeat", "explain", "block", "report"}

// complainsOfTimes reports whether "how many times" at s[i] asks how often
// the lead must refuse.
func complainsOfTimes(s []string, i int) bool {
	if !hasPrefix(s[i:], []string{"how", "many", "times"}) {
		return false
	}
	return slices.ContainsFunc(s[i+3:min(len(s), i+9)], func(w string) bool { return slices.Contains(timesTellers, w) })
}
