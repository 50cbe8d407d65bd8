package ai

import (
	"fmt"
	"slices"
	"strings"
)

// A language is what the offline rules know of one language: which words
// and phrases are evidence of which reading, and the small words that change
// how the others read (negators, contrasts, intensifiers). The rules
// themselves (reading.go) know no language; English is the first value
// (lang_en.go), and another language is another value of this type.
//
// Phrases are written as people type them, apostrophes and all; they are
// read with the same tokenizer and spelling as a reply, so "we're good"
// also matches "were good" and "we’re good". A phrase ending in " $" only
// matches at the end of a clause ("i'm in $" is a yes, "I'm in a meeting"
// is not).
type language struct {
	// version names this language's rules in a Classification's
	// PromptVersion; a change to the rules or the lists changes it.
	version string

	// spelling rewrites a word as typed into the words the lists use:
	// slang, abbreviations and common typos ("ya" → "yes", "lmk" → "let me
	// know", "intrested" → "interested").
	spelling map[string]string
	// negators turn the evidence that follows them, within a few words of
	// the same clause, into its opposite, its doubt or its refusal (see
	// kind). Alone at the end of a clause they are an answer: "definitely
	// not", "no.".
	negators []string
	// answers are the negators that alone answer no ("no.", "definitely
	// not", "never"); another negator alone is only a hint of no ("please
	// don't").
	answers []string
	// contrasts start a clause that weighs more than what came before:
	// "sounds good but no budget" is a no.
	contrasts []string
	// concessionEnds end a clause that weighs more: "happy to chat next
	// week though".
	concessionEnds []string
	// intensifiers strengthen the evidence right after them ("really
	// interested", "absolutely not"); afterIntensifiers the evidence right
	// before them ("not a priority at all").
	intensifiers, afterIntensifiers []string
	// fillers say nothing and do not use up a negation's reach ("not
	// really my thing tbh").
	fillers []string

	// interest is positive; negated, a refusal ("interested", "not
	// interested").
	interest cues
	// hedges are positive; negated, doubt ("sure", "not sure").
	hedges cues
	// objections are negative; negated, mildly positive ("bad", "not bad";
	// "opposed", "not opposed").
	objections cues
	// wants say nothing alone; negated, they refuse ("budget", "no budget";
	// "for us", "not for us").
	wants cues
	// refusals are negative whatever comes before them ("nah", "no
	// thanks").
	refusals cues
	// politeRefusals are refusals that read polite or even positive word
	// by word: "we're all set", "I'm good, thanks".
	politeRefusals cues
	// nows say nothing alone; negated, they defer ("right now", "not right
	// now").
	nows cues
	// deferrals put the conversation off without refusing it ("maybe
	// later", "ping me next quarter"); they are neutral.
	deferrals cues
	// autoReplies are what out-of-office and automatic replies say;
	// neutral.
	autoReplies cues
	// asides are neither yes nor no: who are you, how did you find me, the
	// wrong person, a question about the product's details; neutral.
	asides cues
	// acknowledgements are bare receipts and greetings ("ok", "got it",
	// "gm", "lol"): weakly neutral, and only when the reply says nothing
	// else ("ok fine, when can we talk?" is a yes).
	acknowledgements cues
	// idioms carry no evidence but keep their words from reading as
	// something else ("not gonna lie", "just curious").
	idioms []string
	// meetings ask for a call, a meeting or a demo, and prices for a price:
	// both are booking intent, and mild interest.
	meetings, prices []string
	// clockSuffixes end a time of day ("2pm", "10:30am"): proposing one is
	// asking for a meeting.
	clockSuffixes []string
	// topicMarkers before a one-word price and topicVerbs after it make the
	// price what a statement is about, not a request for one: "the price
	// is too high", "pricing doesn't matter".
	topicMarkers, topicVerbs []string
	// reporters after one of reportedBy quote someone else, and the rest
	// of the clause is theirs, not the reply's: "does it stop once someone
	// replies no?", "leads who say they're not interested".
	reporters, reportedBy []string
	// buyingQuestions open a question about what the offer would do for
	// the sender ("does it integrate with hubspot?", "can it run several
	// accounts?", "do you work with agencies?"): mild interest, where a
	// question about who is asking or what this is stays neutral.
	buyingQuestions []string
	// pointers between a negator and a refusal compare the sender with
	// what they refuse, mildly positive: "not that spammy garbage I usually
	// get", "not your typical scam". Without them the refusal stands: "we
	// don't do cold outreach".
	pointers []string
}

// cues are phrases by how strongly they lean: 1 is a hint, 2 ordinary
// evidence, 3 leaves little doubt.
type cues map[float64][]string

// kind is what a phrase is evidence of, alone and after a negator; each
// is the kind of one or two of a language's lists, which say what it means.
type kind int

const (
	kindInterest        kind = iota + 1 // interest
	kindHedge                           // hedges
	kindObjection                       // objections
	kindWant                            // wants
	kindRefusal                         // refusals, politeRefusals
	kindNow                             // nows
	kindNeutral                         // deferrals, autoReplies, asides
	kindAcknowledgement                 // acknowledgements
	kindIdiom                           // idioms
	kindMeeting                         // meetings
	kindPrice                           // prices
)

// bookingWeight is how much a request for a call, a meeting, a demo or a
// price leans positive: a little, so that any other evidence decides ("who
// are you and what do you charge?" is neutral).
const bookingWeight = 1

// A phrase is one compiled entry of a language's lists.
type phrase struct {
	words  []string
	kind   kind
	weight float64
	// atEnd: the phrase only matches at the end of a clause.
	atEnd bool
}

// A lexicon is a language compiled for reading: its phrases indexed by
// their first word, longest first, and its small words as sets.
type lexicon struct {
	version  string
	spelling map[string][]string
	phrases  map[string][]phrase
	// known is every word the lists use: a word that is not known may be
	// a stretched one ("sooo").
	known                        map[string]bool
	negators, answers, contrasts map[string]bool
	concessionEnds, fillers      map[string]bool
	intensifiers                 map[string]bool
	afterIntensifiers            [][]string
	clockSuffixes                []string
	topicMarkers, topicVerbs     map[string]bool
	reporters, reportedBy        map[string]bool
	pointers                     map[string]bool
	buyingQuestions              [][]string
}

// compile indexes l for reading. A phrase listed twice, in one list or in
// two, is an error: it would read two ways.
func compile(l language) (*lexicon, error) {
	lx := &lexicon{
		version:  l.version,
		spelling: map[string][]string{},
		phrases:  map[string][]phrase{},
		known:    map[string]bool{},
	}
	for typed, meant := range l.spelling {
		lx.spelling[typed] = strings.Fields(meant)
		lx.known[typed] = true
	}
	set := func(ss []string) map[string]bool {
		m := map[string]bool{}
		for _, s := range ss {
			for _, w := range lx.words(s) {
				m[w] = true
				lx.known[w] = true
			}
		}
		return m
	}
	lx.negators = set(l.negators)
	lx.answers = set(l.answers)
	lx.contrasts = set(l.contrasts)
	lx.concessionEnds = set(l.concessionEnds)
	lx.fillers = set(l.fillers)
	lx.intensifiers = set(l.intensifiers)
	lx.topicMarkers = set(l.topicMarkers)
	lx.topicVerbs = set(l.topicVerbs)
	lx.reporters = set(l.reporters)
	lx.reportedBy = set(l.reportedBy)
	lx.pointers = set(l.pointers)
	lx.clockSuffixes = l.clockSuffixes
	for _, q := range l.buyingQuestions {
		lx.buyingQuestions = append(lx.buyingQuestions, lx.words(q))
		set([]string{q})
	}
	for _, p := range l.afterIntensifiers {
		lx.afterIntensifiers = append(lx.afterIntensifiers, lx.words(p))
		set([]string{p})
	}

	seen := map[string]string{}
	add := func(list string, k kind, weight float64, text string) error {
		p := phrase{kind: k, weight: weight}
		if rest, ok := strings.CutSuffix(text, " $"); ok {
			text, p.atEnd = rest, true
		}
		p.words = lx.words(text)
		if len(p.words) == 0 {
			return fmt.Errorf("%s: %q has no words", list, text)
		}
		key := strings.Join(p.words, " ")
		if other, ok := seen[key]; ok {
			return fmt.Errorf("%q is in %s and reads as %q, already in %s", text, list, key, other)
		}
		seen[key] = list
		for _, w := range p.words {
			lx.known[w] = true
		}
		lx.phrases[p.words[0]] = append(lx.phrases[p.words[0]], p)
		return nil
	}
	for _, list := range []struct {
		name string
		kind kind
		cues cues
	}{
		{"interest", kindInterest, l.interest},
		{"hedges", kindHedge, l.hedges},
		{"objections", kindObjection, l.objections},
		{"wants", kindWant, l.wants},
		{"refusals", kindRefusal, l.refusals},
		{"politeRefusals", kindRefusal, l.politeRefusals},
		{"nows", kindNow, l.nows},
		{"deferrals", kindNeutral, l.deferrals},
		{"autoReplies", kindNeutral, l.autoReplies},
		{"asides", kindNeutral, l.asides},
		{"acknowledgements", kindAcknowledgement, l.acknowledgements},
	} {
		for weight, texts := range list.cues {
			for _, text := range texts {
				if err := add(list.name, list.kind, weight, text); err != nil {
					return nil, err
				}
			}
		}
	}
	for _, list := range []struct {
		name  string
		kind  kind
		texts []string
	}{
		{"idioms", kindIdiom, l.idioms},
		{"meetings", kindMeeting, l.meetings},
		{"prices", kindPrice, l.prices},
	} {
		for _, text := range list.texts {
			if err := add(list.name, list.kind, bookingWeight, text); err != nil {
				return nil, err
			}
		}
	}
	for first, ps := range lx.phrases {
		// Longest first, so that "not the right person" wins over "not";
		// then a stable order, so that a reading never depends on map
		// order.
		slices.SortFunc(ps, func(a, b phrase) int {
			if len(a.words) != len(b.words) {
				return len(b.words) - len(a.words)
			}
			return strings.Compare(strings.Join(a.words, " "), strings.Join(b.words, " "))
		})
		lx.phrases[first] = ps
	}
	return lx, nil
}

// mustCompile is compile for the languages built into the plugin, whose
// lists are fixed at compile time: a mistake in them is a bug.
func mustCompile(l language) *lexicon {
	lx, err := compile(l)
	if err != nil {
		panic(fmt.Sprintf("ai: language %s: %v", l.version, err))
	}
	return lx
}

// expand is every phrase made of one word or phrase from each slot in
// order: expand({"we're", "i'm"}, {"good", "set"}) is "we're good", "we're
// set", "i'm good", "i'm set". It writes a pattern out in full.
func expand(slots ...[]string) []string {
	out := []string{""}
	for _, slot := range slots {
		var next []string
		for _, prefix := range out {
			for _, w := range slot {
				next = append(next, strings.TrimSpace(prefix+" "+w))
			}
		}
		out = next
	}
	return out
}
