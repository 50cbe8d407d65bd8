package sdk

import (
	"slices"
	"strings"
)

// This file reads the words that penalize the sender: "spam", "block",
// "report", "harassment". Each has innocent senses too: a folder or a
// filter, time set aside, a document, a training, or a penalty that befalls
// the lead rather than the sender ("that's how accounts get blocked").
// Each function takes a sentence's words s and the index i where the word
// stands.

// spamWords call the outreach spam. They do not when a word before makes
// spam a folder the message landed in or something a product fights
// (spamPlaces: "it went to spam", "reduces spam", "this isn't spam", "less
// spammy", "does it stop spam"), when the word after makes it a kind of
// thing (spamKinds: "spam filter", "spam words", "spam complaints"), after
// "out of" ("keep it out of spam"), in a question ("is this spam?"), after
// "not that" ("not that spammy garbage I usually get"), when a third
// party spams (spamThirdParties: "our last vendor spammed our leads"), or
// when the lead or the lead's account is the one penalized as spam
// (penalizedLead: "it would get our account flagged as spam").
var (
	spamWords  = []string{"spam", "spammer", "spammers", "spamming", "spammed", "spammy"}
	spamPlaces = []string{
		"in", "into", "to", "my", "anti", "against", "not", "isn't", "less",
		"filter", "filters", "catch", "catches", "detect", "detects", "reduce", "reduces",
		"avoid", "avoids", "fight", "fights", "prevent", "prevents", "flag", "flags",
		"stop", "stops", "stopping", "block", "blocks", "blocking", "vs", "versus", "than", "from",
	}
	spamKinds = []string{
		"filter", "filters", "folder", "box", "check", "checker", "score", "detection",
		"protection", "trap", "traps", "rule", "rules", "law", "laws", "settings", "tab", "risk",
		"word", "words", "trigger", "triggers", "rate", "rates", "complaint", "complaints",
		"issue", "issues", "problem", "problems", "flag", "flags", "ban", "bans", "folders",
	}
	spamThirdParties = []string{
		"vendor", "vendors", "agency", "agencies", "tool", "tools", "competitor", "competitors",
		"they", "others", "companies", "company", "recruiters", "people", "bots",
	}
	// spamNotThat after "not" compare the sender with the spam others
	// send: "not that spammy garbage", "not the usual spam".
	spamNotThat = []string{"that", "the", "some", "your", "those", "usual", "typical", "like"}
	// spamPenalties before "as" or "for" and a spam word say who is
	// penalized as spam: "marked as spam", "flagged for spam".
	spamPenalties = []string{
		"flagged", "marked", "reported", "banned", "blocked", "suspended", "labeled", "labelled",
		"tagged", "caught", "restricted", "limited", "shadowbanned", "filtered", "sent",
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
	if wasAboutTo(s, i) || i > 0 && s[i-1] == "much" {
		return false
	}
	if i > 0 && (slices.Contains(spamPlaces, s[i-1]) || slices.Contains(spamThirdParties, s[i-1])) {
		return false
	}
	if i > 1 && s[i-2] == "not" && slices.Contains(spamNotThat, s[i-1]) || comparesWithSpam(s, i) || callsAllSpam(s, i) || spamIsTopic(s, i) {
		return false
	}
	if i > 1 && slices.Contains([]string{"as", "for"}, s[i-1]) && slices.Contains(spamPenalties, s[i-2]) && penalizedLead(s, i-2) {
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

// comparesWithSpam reports whether the spam word at s[i] ends a
// comparison: "what's the difference between this and spam?".
func comparesWithSpam(s []string, i int) bool {
	return i > 0 && s[i-1] == "and" && slices.Contains(s[max(0, i-5):i], "between")
}

// callsAllSpam reports whether the spam word at s[i] is said of a kind of
// message in general, not of the sender's: "why does everybody think X
// DMs are spam?". "These DMs are spam" and "your messages are spam" point
// at the sender's (senderWords).
func callsAllSpam(s []string, i int) bool {
	if i < 2 || !slices.Contains([]string{"are", "is"}, s[i-1]) || startsWithAny(s[i-2:], contactNouns) == 0 {
		return false
	}
	return !slices.ContainsFunc(s[max(0, i-5):i-2], func(w string) bool { return slices.Contains(senderWords, w) })
}

// spamIsTopic reports whether the spam word at s[i] is what a sentence
// is about: "spam is our biggest problem on X", "spam has been killing our
// reach".
func spamIsTopic(s []string, i int) bool {
	return i+2 < len(s) && slices.Contains([]string{"is", "was", "has", "remains", "keeps"}, s[i+1]) &&
		slices.Contains([]string{"our", "my", "a", "an", "the", "such", "been", "killing", "everywhere", "getting", "huge", "becoming"}, s[i+2])
}

// muteWords mute the sender ("muted.", "muting this thread") unless
// something else is muted ("I muted notifications for a week").
var muteWords = []string{"mute", "muted", "muting"}

// muteMeansMute reports whether the mute word at s[i] mutes the sender:
// at the end of a sentence, or before the sender or the conversation.
func muteMeansMute(s []string, i int) bool {
	if i+1 == len(s) {
		return s[i] == "muted"
	}
	if slices.Contains([]string{"you", "u", "y'all", "this", "these", "your", "ur", "it", "them", "and"}, s[i+1]) {
		return true
	}
	return i+2 < len(s) && s[i+1] == "the" && slices.Contains([]string{"thread", "convo", "conversation", "chat", "dms", "account"}, s[i+2])
}

// blockWords block the sender ("blocked.", "blocking you now"). They do not
// when the word after makes them time set aside (blockStretches: "block
// some time", "block off an hour", "block 30 min"), when the word before
// makes "block" a noun (blockNouns: "a block of time", "ad block") or
// the product the subject ("does it block bots?"), or when the lead says
// they are blocked by something (blockObstacles after blockSubjects:
// "we're blocked on budget", "I'm blocked until Q2"; "blocked by" anyone
// but the lead: "it keeps getting blocked by our firewall"), or when the lead's
// account is the one blocked (penalizedLead: "that's how accounts get
// blocked"), or keeps something from happening (prevents: "block certain
// accounts from being messaged"); "blocked on all platforms" still blocks.
// A stretch may follow
// whose calendar it is: "block my calendar for Thursday".
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
	if wasAboutTo(s, i) {
		return false
	}
	if i > 0 && (slices.Contains(blockNouns, s[i-1]) || s[i] == "block" && slices.Contains(blockProducts, s[i-1])) {
		return false
	}
	if penalizedLead(s, i) || prevents(s, i) {
		return false
	}
	if i+1 == len(s) {
		return true
	}
	next := s[i+1]
	if i+2 < len(s) && slices.Contains([]string{"my", "our", "your", "the"}, next) && slices.Contains(blockStretches, s[i+2]) {
		return false
	}
	if next == "by" {
		return i+2 == len(s) || slices.Contains([]string{"me", "us", "myself", "ourselves"}, s[i+2])
	}
	if slices.Contains(blockObstacles, next) {
		return i == 0 || !slices.Contains(blockSubjects, s[i-1])
	}
	return !slices.Contains(blockStretches, next) && !isNumber(next)
}

// reportWords report the sender ("I'm reporting you", "reported for
// spam", "Reported.", "report incoming"). Before reportTargets they do;
// after a word that makes "report" a document (reportNouns: "the report
// you sent") or when the lead is the one reported (penalizedLead: "we got
// reported for spam with another tool") they do not.
var (
	reportWords   = []string{"report", "reported", "reporting"}
	reportTargets = []string{"you", "u", "y'all", "ya", "this", "your", "ur", "for", "as", "incoming", "them", "him", "her"}
	reportNouns   = []string{"the", "a", "your", "ur", "my", "our", "this", "that", "weekly", "monthly", "annual", "quarterly", "full"}
)

// reportMeansReport reports whether the report word at s[i] reports the
// sender.
func reportMeansReport(s []string, i int) bool {
	if wasAboutTo(s, i) {
		return false
	}
	if i > 0 && slices.Contains(reportNouns, s[i-1]) || penalizedLead(s, i) {
		return false
	}
	if i+1 == len(s) {
		return s[i] == "reported"
	}
	return slices.Contains(reportTargets, s[i+1])
}

// aboutTos, within the six words before a penalty, make it one the lead
// did not inflict: "I almost hit block before I read it", "was about to
// report this as spam until I saw...".
// A threat is no such thing: "I'm going to block you".
var aboutTos = [][]string{
	{"almost"}, {"nearly"}, {"was", "about", "to"}, {"was", "going", "to"}, {"was", "gonna"}, {"was", "tempted", "to"},
}

// wasAboutTo reports whether one of aboutTos comes within the six words
// before s[i].
func wasAboutTo(s []string, i int) bool {
	for j := max(0, i-6); j < i; j++ {
		if startsWithAny(s[j:i], aboutTos) > 0 {
			return true
		}
	}
	return false
}

// passiveAux make a penalty (blocked, reported, flagged) something that
// befalls someone: "accounts get blocked", "we got reported", "it got my
// account blocked". leadOwners name the lead and what is theirs; the
// sender's words (senderWords) name the sender: "you'll get blocked".
var (
	passiveAux = []string{"get", "gets", "got", "getting", "gotten", "was", "were", "been", "be", "being", "is", "are"}
	leadOwners = []string{
		"we", "i", "our", "my", "us", "me", "accounts", "account", "domains", "domain", "handles",
		"emails", "they", "people", "leads", "someone", "folks", "users",
	}
	senderWords = []string{"you", "u", "your", "ur", "you'll", "you're", "y'all", "ya", "this", "these", "that"}
)

// penalizedLead reports whether the penalty at s[i] befalls the lead or
// the lead's account: in the passive, after what the lead owns ("it got
// my account blocked") or with the lead as its subject ("that's how
// accounts get blocked", "we got reported").
func penalizedLead(s []string, i int) bool {
	for a := i - 1; a >= max(0, i-4); a-- {
		if !slices.Contains(passiveAux, s[a]) {
			continue
		}
		if between := s[a+1 : i]; len(between) > 0 {
			return slices.ContainsFunc(between, func(w string) bool { return slices.Contains(leadOwners, w) }) &&
				!slices.ContainsFunc(between, func(w string) bool { return slices.Contains(senderWords, w) })
		}
		subject := s[max(0, a-2):a]
		return slices.ContainsFunc(subject, func(w string) bool { return slices.Contains(leadOwners, w) }) &&
			!slices.ContainsFunc(subject, func(w string) bool { return slices.Contains(senderWords, w) })
	}
	return false
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
