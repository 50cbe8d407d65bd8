package sdk

import (
	"slices"
	"strings"
)

// optOutPhrases are the word sequences that end all contact wherever they
// appear. Words are respelled before matching (optOutWord: "dont" and "do
// not" are "don't"), so each phrase covers its spellings. The requests
// that need more than a list of phrases (a forbidden way of reaching
// someone, "no more" of one, a removal from a list) are read in
// optout_context.go.
var optOutPhrases = phrases(slices.Concat(
	[]string{
		"remove me", "remove us", "delete me", "take me off", "take us off", "get me off", "get us off",
		"scrub me", "scrub us", "purge me", "erase me",
		"off your list", "off your lists", "off the list", "off this list", "off your mailing list",
		"from your list", "from your lists", "from this list", "from your mailing list", "from your database",
		"opt me out", "opt us out",
		"leave me alone", "leave us alone", "leave me be", "be left alone",
		"leave me out", "leave us out", "leave me off",
		"out of my dms", "out of my dm", "out of my inbox", "out of my messages", "outta my dms",
		"dms are closed", "dms closed", "no soliciting", "no solicitation",
		"desist", "harassing me", "stahp", "stawp",
		"enough with", "enough already", "enough is enough",
		"never signed up", "didn't sign up for this", "never asked for this", "didn't ask for this",
		"never gave you permission", "didn't give you permission",
		"don't want to hear from", "never want to hear from", "don't wanna hear from",
		"don't want to talk to you", "don't want to speak to you",
		"don't want to be contacted", "don't wish to be contacted", "not to be contacted",
		"don't want to receive", "don't wish to receive", "no longer wish to receive", "no longer want to receive",
		// Consent refused or withdrawn: "I didn't consent to being
		// contacted", "I do not consent to marketing messages".
		"don't consent", "didn't consent", "never consented", "not consent", "no consent",
		"without my consent", "without our consent", "withdraw my consent", "withdraw consent",
		"revoke my consent", "revoke consent", "never agreed to be", "didn't agree to be",
		"never agreed to this", "didn't agree to this", "not agree to receive",
		// A preference that is a request: "I'd prefer not to receive
		// these going forward".
		"prefer not to receive", "prefer not to get", "prefer not to be contacted", "prefer not to hear from",
		"rather not receive", "rather not be contacted", "rather not hear from",
		"took me off", "took us off", "taking me off", "taking us off",
		// Asking to be forgotten: "forget you ever found my account".
		"forget you ever", "forget i exist", "forget we exist",
	},
	rudeOptOuts,
	foreignOptOuts,
	forbidden([]string{"refrain from"}, contactVerbs),
	// "Would you mind not contacting me anymore?"
	forbidden([]string{"mind not"}, gerunds(contactVerbs)),
	// A complaint about being reached again and again: "why do you keep
	// messaging me?". An invitation ("keep following up") has no "you".
	forbidden([]string{"you keep", "u keep", "you guys keep", "y'all keep"}, gerunds(contactVerbs)),
	[]string{"how many times do i have to", "how many more times"},
	forbidden([]string{"don't", "don't ever", "never", "quit"}, []string{"waste my time", "wasting my time", "waste your time"}),
	forbidden([]string{"bother", "pitch", "annoy", "bug"}, []string{"someone else", "somebody else"}),
	forbidden([]string{"don't want your", "don't want any", "don't want these", "don't need your", "don't need these"}, []string{
		"messages", "msgs", "dms", "dm", "emails", "texts", "follow-ups", "followups", "follow ups",
		"pitches", "contact", "outreach",
	}),
	forbidden([]string{
		"remove my", "delete my", "lose my", "forget my", "scrub my", "purge my", "erase my", "wipe my", "lose this",
	}, []string{
		"name", "handle", "number", "email", "info", "information", "details", "data", "contact",
		"account", "profile", "records", "address", "phone",
	}),
))

// optOutNames are the words for opting out. They opt out wherever they
// appear, unless they name something the lead's own leads do or a feature
// ("can leads opt out?", "an unsubscribe link": namesFeature).
var optOutNames = phrases([]string{
	"unsubscribe", "un-subscribe", "unsubscribing", "unsub",
	"opt out", "opt-out", "optout", "opting out",
})

// rudeOptOuts are the rude ways of saying "go away".
var rudeOptOuts = []string{
	"go away", "get lost", "back off", "buzz off", "piss off", "bugger off", "sod off", "bog off",
	"naff off", "shove off", "screw off", "jog on", "get bent", "take a hike", "take a hint",
	"take the hint", "scram", "shoo", "go to hell",
	"f off", "f-off", "eff off", "fuck off", "fk off", "fck off", "fuk off", "fuck right off",
	"piss right off", "go fuck yourself", "go f yourself", "gtfo", "get off my",
	"fuck you", "f you", "f u", "screw you",
	"knock it off", "cut it out", "quit it",
}

// contactVerbs are the ways of reaching someone that "don't", "never",
// "quit", "refrain from" and "no need to" forbid ("don't DM me", "never
// contact me again", "quit messaging me"), and that make "stop" a request
// whatever precedes it ("you won't stop messaging me").
var contactVerbs = []string{
	"contact", "contacting", "message", "messaging", "dm", "dms", "dming", "dm'ing",
	"text", "texting", "email", "emailing", "write", "writing",
	"reach out", "reaching out", "follow up", "follow-up", "followup", "following up",
	"ping", "pinging", "pitch", "pitching", "spam", "spamming", "bother", "bothering",
	"sending", "hit me up", "msg", "msging", "msg'ing", "pm", "pming", "pm'ing", "inbox",
	"disturb", "disturbing", "pester", "pestering", "bug", "bugging", "harass", "harassing",
	"chase", "chasing", "slide", "sliding", "hitting me up",
}

// contactVerbPhrases are contactVerbs as word sequences.
var contactVerbPhrases = phrases(contactVerbs)

// contactNouns are the ways of reaching someone that "no more", "no
// further", "end" and a bare "no" refuse ("no DMs", "no more follow-ups",
// "no further contact", "end all outreach"); contactNounsSingular are
// refused only after a word that says more ("no more email"), since "no
// email yet?" asks after one.
var (
	contactNouns = phrases([]string{
		"messages", "msgs", "dms", "emails", "texts", "follow-ups", "followups", "follow ups",
		"pitches", "contact", "outreach", "pings", "communication", "communications", "inmails",
	})
	contactNounsSingular = phrases([]string{"message", "msg", "dm", "email", "text", "pitch", "ping"})
)

// optOutEnds opt out when they end a sentence: "please remove", "no
// more".
var optOutEnds = phrases([]string{"remove", "no more", "refrain"})

// optOutGaps are opt-outs with words between their two ends: "leave me
// the hell alone", "leave my DMs alone", "take my name off your list". end comes within words
// of start.
var optOutGaps = []struct {
	start  []string
	end    string
	within int
}{
	{[]string{"leave", "me"}, "alone", 3},
	{[]string{"leave", "us"}, "alone", 3},
	{[]string{"take", "me"}, "off", 3},
	{[]string{"take", "my"}, "off", 3},
	{[]string{"take", "us"}, "off", 3},
	{[]string{"leave", "my"}, "alone", 3},
	{[]string{"leave", "our"}, "alone", 3},
}

// optOutRespellings are words typed in a way the phrases do not spell
// them: contractions without their apostrophe, and common misspellings of
// "stop", "unsubscribe" and the ways of reaching someone.
var optOutRespellings = map[string]string{
	"dont": "don't", "didnt": "didn't", "doesnt": "doesn't", "wont": "won't", "cant": "can't",
	"isnt": "isn't", "arent": "aren't", "wasnt": "wasn't", "wouldnt": "wouldn't", "couldnt": "couldn't",
	"shouldnt": "shouldn't",

	"unsubcribe": "unsubscribe", "unsuscribe": "unsubscribe", "unsubscibe": "unsubscribe",
	"unsubscrbe": "unsubscribe", "unsubsribe": "unsubscribe", "unsusbcribe": "unsubscribe",
	"unsubscrible": "unsubscribe", "unsubsrcibe": "unsubscribe",

	"mesage": "message", "mesages": "messages", "messege": "message", "meesage": "message",
	"mesaging": "messaging", "messeging": "messaging", "messaing": "messaging",
	"emial": "email", "emailling": "emailing", "contatc": "contact", "contat": "contact",
	"contcat": "contact", "conatct": "contact",
	"remvoe": "remove", "reomve": "remove", "rmeove": "remove", "remoev": "remove", "remvove": "remove",
	"remve": "remove", "rmove": "remove", "remov": "remove",

	"stp": "stop", "sotp": "stop", "stpo": "stop", "stopp": "stop",
}

// optOutContractions are the words that "not" after them contracts with:
// "do not" is read as "don't", "did not" as "didn't".
var optOutContractions = map[string]string{
	"do": "don't", "did": "didn't", "does": "doesn't", "will": "won't", "can": "can't",
	"would": "wouldn't", "could": "couldn't", "should": "shouldn't",
	"is": "isn't", "are": "aren't", "was": "wasn't", "were": "weren't",
}

// forbidden is every phrase of a word that forbids followed by what it
// forbids: forbidden({"don't"}, {"dm", "text"}) is "don't dm", "don't text".
func forbidden(forbids, what []string) []string {
	var out []string
	for _, f := range forbids {
		for _, w := range what {
			out = append(out, f+" "+w)
		}
	}
	return out
}

// gerunds is the phrases of ps whose first word ends in -ing: "messaging",
// "following up", but not "dms", which "you keep" would take for a noun
// ("how do you keep DMs from looking spammy?").
func gerunds(ps []string) []string {
	var out []string
	for _, p := range ps {
		if first, _, _ := strings.Cut(p, " "); strings.HasSuffix(first, "ing") {
			out = append(out, p)
		}
	}
	return out
}

func phrases(ps []string) [][]string {
	out := make([][]string, len(ps))
	for i, p := range ps {
		out[i] = strings.Fields(p)
	}
	return out
}
