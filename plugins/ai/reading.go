package ai

import (
	"slices"
	"strings"

	"github.com/outreachhq/outreach/sdk"
)

// How the rules weigh what they find. They are few and round on purpose:
// the lists carry the knowledge, these only say how words combine.
const (
	// emphasis is how much more a clause weighs after a contrast ("..., but
	// we have no budget") or before a concession end ("happy to chat next
	// week though").
	emphasis = 1.5
	// intensity is how much an intensifier strengthens the evidence next to
	// it ("really interested", "not a priority at all").
	intensity = 1.5
	// negationReach is how many words a negator reaches over to find what
	// it negates ("not really my thing", "not a bad pitch").
	negationReach = 3
	// objectReach is how many words after a negated verb or adjective its
	// object is negated too: "I don't want a demo" refuses the demo, "not
	// ready to commit" doubts the commitment.
	objectReach = 3
	// answerWeight is a bare "no" or "definitely not": a refusal.
	answerWeight = 2.5
	// unresolvedWeight is a negation that negates nothing the lists know
	// ("we don't do outbound", "no decisions until Q1"): a hint of no, that
	// decides only when nothing else does.
	unresolvedWeight = 0.5
	// openQuestionWeight is a question with no other evidence ("is this for
	// X only?"): neither yes nor no.
	openQuestionWeight = 1
	// buyingQuestionWeight is a question about what the offer would do for
	// the sender ("does it work with hubspot?"): mild interest, that any
	// other evidence outweighs.
	buyingQuestionWeight = 1
	// mentionWeight is a mention of another account ("try @sarah_ops"): a
	// referral, neutral.
	mentionWeight = 1
)

// evidence is how far a reply leans each way.
type evidence struct {
	positive, negative, neutral float64
}

// add adds weight to the side of sentiment s.
func (e *evidence) add(s sdk.Sentiment, weight float64) {
	switch s {
	case sdk.Positive:
		e.positive += weight
	case sdk.Negative:
		e.negative += weight
	case sdk.Neutral:
		e.neutral += weight
	}
}

// A reading is what the rules make of a reply: its evidence each way, and
// whether it asks for a call, a meeting, a demo or a price. acknowledged
// is the weight of its acknowledgements, neutral only when nothing else
// leans either way.
type reading struct {
	evidence
	acknowledged float64
	booking      bool
}

// read reads text sentence by sentence.
func (lx *lexicon) read(text string) reading {
	var r reading
	sentences := lx.sentences(text)
	for i, s := range sentences {
		sr := lx.readSentence(s)
		// "A call? No." echoes a request to refuse it: the request is
		// not the reply's.
		if s.question && sr.booking && i+1 < len(sentences) && lx.opensWithNo(sentences[i+1].words) {
			sr.positive -= sr.bookingEvidence
			sr.booking = false
		}
		r.add(sdk.Positive, sr.positive)
		r.add(sdk.Negative, sr.negative)
		r.add(sdk.Neutral, sr.neutral)
		r.acknowledged += sr.acknowledged
		r.booking = r.booking || sr.booking
	}
	if r.positive == 0 && r.negative == 0 {
		r.neutral += r.acknowledged
	}
	return r
}

// sentenceReading is a sentence's reading, with how much of its positive
// evidence is its booking request.
type sentenceReading struct {
	reading
	bookingEvidence float64
}

// readSentence splits s into clauses at contrasts, weighs each and reads
// it. A question that says nothing else is neutral.
func (lx *lexicon) readSentence(s sentence) sentenceReading {
	var sr sentenceReading
	start, weight := 0, 1.0
	flush := func(end int, next float64) {
		lx.readClause(s.words[start:end], weight, &sr)
		start, weight = end+1, next
	}
	for i, w := range s.words {
		switch {
		case lx.concessionEnds[w] && (i+1 == len(s.words) || s.words[i+1] == ","):
			weight *= emphasis
			flush(i, 1)
		case lx.contrasts[w]:
			flush(i, emphasis)
		}
	}
	if start < len(s.words) {
		flush(len(s.words), 1)
	}
	switch {
	case lx.asksWhatItDoes(s.words):
		sr.positive += buyingQuestionWeight
	case s.question && sr.evidence == (evidence{}):
		sr.neutral += openQuestionWeight
	}
	return sr
}

// asksWhatItDoes reports whether a clause opens, after any fillers and
// acknowledgements, with one of the language's buying questions: "does it
// integrate with hubspot?", "we're on woocommerce, does it still work?".
// Their words make them questions, with or without a question mark ("do
// you work with agencies under 10 people").
func (lx *lexicon) asksWhatItDoes(words []string) bool {
	opens := true
	for i := 0; i < len(words); i++ {
		if words[i] == "," {
			opens = true
			continue
		}
		if !opens {
			continue
		}
		switch p, ok := lx.match(words, i); {
		case ok && p.kind == kindAcknowledgement:
			i += len(p.words) - 1
		case lx.fillers[words[i]]:
		default:
			for _, q := range lx.buyingQuestions {
				if i+len(q) <= len(words) && slices.Equal(words[i:i+len(q)], q) {
					return true
				}
			}
			opens = false
		}
	}
	return false
}

// opensWithNo reports whether a sentence starts by refusing: "no",
// "nope", "no thanks".
func (lx *lexicon) opensWithNo(words []string) bool {
	if len(words) == 0 {
		return false
	}
	if p, ok := lx.match(words, 0); ok {
		return p.kind == kindRefusal
	}
	return lx.answers[words[0]]
}

// clause is the state of reading one clause, left to right.
type clause struct {
	lx     *lexicon
	weight float64
	out    *sentenceReading
	// negator is the open negation's word, "" when none is open; reached
	// counts the words it has reached over, and strength is the
	// intensifier before it ("definitely not"). pointed is whether the
	// first word it reached over is a pointer ("not that spammy").
	negator  string
	reached  int
	strength float64
	pointed  bool
	// object counts the words after a negated verb or adjective in which
	// what would read positive is negated too (objectReach).
	object int
	// boost is a pending intensifier's factor, 1 when none is.
	boost float64
	// last is the last evidence added, for an intensifier after it.
	last struct {
		sentiment sdk.Sentiment
		weight    float64
	}
}

// readClause reads one clause's words into out, each piece of evidence
// times weight.
func (lx *lexicon) readClause(words []string, weight float64, out *sentenceReading) {
	c := &clause{lx: lx, weight: weight, out: out, boost: 1}
	for i := 0; i < len(words); {
		w := words[i]
		if w == "," {
			c.closeNegation()
			c.boost, c.object = 1, 0
			i++
			continue
		}
		p, ok := lx.match(words, i)
		if ok && p.kind == kindIdiom && len(p.words) > 1 {
			// An idiom wins over an intensifier it starts with:
			// "genuinely curious" is no interest.
			i += len(p.words)
			continue
		}
		if lx.intensifiers[w] && lx.evidenceAt(words, i+1) {
			c.boost = intensity
			i++
			continue
		}
		if i > 0 && lx.reporters[w] && lx.reportedBy[words[i-1]] {
			// Someone else's words: "once someone replies no".
			break
		}
		if ok {
			if p.kind == kindPrice && lx.priceIsTopic(words, i, p) {
				c.pass()
			} else {
				c.apply(p)
			}
			i += len(p.words)
			continue
		}
		if lx.isClockTime(w) {
			c.apply(phrase{words: []string{w}, kind: kindMeeting, weight: bookingWeight})
			i++
			continue
		}
		if n := lx.afterIntensifierAt(words, i); n > 0 {
			c.strengthenLast()
			i += n
			continue
		}
		switch {
		case lx.negators[w]:
			c.closeNegation()
			c.negator, c.reached, c.strength, c.boost, c.pointed = w, 0, c.boost, 1, false
		case c.negator != "" && c.reached == 0 && lx.pointers[w]:
			c.pointed = true
			if !lx.fillers[w] {
				c.pass()
			}
		case lx.fillers[w], lx.intensifiers[w]:
		case len(w) > 1 && w[0] == '@':
			c.add(sdk.Neutral, mentionWeight)
		default:
			c.pass()
		}
		i++
	}
	c.closeNegation()
}

// apply adds the evidence of phrase p, negated if a negation is open.
func (c *clause) apply(p phrase) {
	if c.negator != "" {
		if c.negate(p, c.strength) {
			return
		}
		// A refusal, a neutral phrase or an idiom after a negator: the
		// negator stands alone ("no we're good").
		c.closeNegation()
	}
	if c.object > 0 && objectKinds[p.kind] && c.negate(p, 1) {
		return
	}
	weight := p.weight * c.boost
	c.boost = 1
	switch p.kind {
	case kindInterest, kindHedge:
		c.add(sdk.Positive, weight)
	case kindObjection, kindRefusal:
		c.add(sdk.Negative, weight)
	case kindNeutral:
		c.add(sdk.Neutral, weight)
	case kindAcknowledgement:
		c.out.acknowledged += weight * c.weight
	case kindMeeting, kindPrice:
		c.out.booking = true
		if c.out.bookingEvidence == 0 {
			c.out.bookingEvidence = weight * c.weight
			c.add(sdk.Positive, weight)
		}
	}
}

// objectKinds are the kinds of evidence a negated verb or adjective
// negates in its object: what would read as interest.
var objectKinds = map[kind]bool{kindInterest: true, kindHedge: true, kindMeeting: true, kindPrice: true}

// negate adds what p means negated, strength times, and closes the open
// negation. It reports false, adding nothing, when a negator does not
// change p.
func (c *clause) negate(p phrase, strength float64) bool {
	s, weight := sdk.Negative, p.weight*strength*c.boost
	switch p.kind {
	case kindInterest, kindWant, kindHedge:
		// What follows a negated verb or adjective is negated too:
		// "don't want a demo", "not ready to commit".
		c.object = objectReach
		if p.kind == kindHedge {
			s = sdk.Neutral
		}
	case kindMeeting, kindPrice:
	case kindNow:
		s = sdk.Neutral
	case kindObjection:
		s, weight = sdk.Positive, weight/2
	case kindRefusal:
		// "Not that spammy garbage": the sender compared with it.
		if !c.pointed {
			return false
		}
		s, weight = sdk.Positive, weight/2
	default:
		return false
	}
	c.add(s, weight)
	c.negator, c.boost = "", 1
	return true
}

// closeNegation ends an open negation that found nothing to negate: alone,
// an answer ("no.", "definitely not"); before words the lists do not know,
// a hint of no.
func (c *clause) closeNegation() {
	if c.negator == "" {
		return
	}
	switch {
	case c.reached == 0 && c.lx.answers[c.negator]:
		c.add(sdk.Negative, answerWeight*c.strength)
	default:
		c.add(sdk.Negative, unresolvedWeight*c.strength)
	}
	c.negator = ""
}

// pass moves over a word that is no evidence, using up the open negation's
// reach and the refused object's.
func (c *clause) pass() {
	c.object = max(c.object-1, 0)
	if c.negator == "" {
		return
	}
	if c.reached++; c.reached >= negationReach {
		c.closeNegation()
	}
}

// add adds weight, times the clause's, to the side of sentiment s, and
// keeps it for an intensifier that may follow.
func (c *clause) add(s sdk.Sentiment, weight float64) {
	weight *= c.weight
	c.out.add(s, weight)
	c.last.sentiment, c.last.weight = s, weight
}

// strengthenLast applies an intensifier that follows its evidence ("not a
// priority at all", "no interest whatsoever").
func (c *clause) strengthenLast() {
	c.closeNegation()
	if c.last.weight > 0 {
		c.out.add(c.last.sentiment, c.last.weight*(intensity-1))
		c.last.weight *= intensity
	}
}

// match is the longest phrase that starts at words[i].
func (lx *lexicon) match(words []string, i int) (phrase, bool) {
	for _, p := range lx.phrases[words[i]] {
		end := i + len(p.words)
		if end > len(words) || !slices.Equal(words[i:end], p.words) {
			continue
		}
		if p.atEnd && end < len(words) && words[end] != "," {
			continue
		}
		return p, true
	}
	return phrase{}, false
}

// evidenceAt reports whether evidence or a negator starts at words[i]: an
// intensifier before it strengthens it, and one before nothing is a word of
// its own ("absolutely, let's do it").
func (lx *lexicon) evidenceAt(words []string, i int) bool {
	if i >= len(words) {
		return false
	}
	if lx.negators[words[i]] || lx.intensifiers[words[i]] {
		return true
	}
	p, ok := lx.match(words, i)
	return ok && p.kind != kindIdiom
}

// afterIntensifierAt is the length of the after-intensifier at words[i],
// 0 when none starts there.
func (lx *lexicon) afterIntensifierAt(words []string, i int) int {
	for _, a := range lx.afterIntensifiers {
		if i+len(a) <= len(words) && slices.Equal(words[i:i+len(a)], a) {
			return len(a)
		}
	}
	return 0
}

// priceIsTopic reports whether the price p at words[i] is what a statement
// is about ("the price is too high", "pricing doesn't matter"): one word,
// first or after a topic marker, before a topic verb.
func (lx *lexicon) priceIsTopic(words []string, i int, p phrase) bool {
	end := i + len(p.words)
	return len(p.words) == 1 && (i == 0 || lx.topicMarkers[words[i-1]]) && end < len(words) && lx.topicVerbs[words[end]]
}

// isClockTime reports whether w is a time of day: digits, perhaps with a
// colon, and a clock suffix ("2pm", "10:30am").
func (lx *lexicon) isClockTime(w string) bool {
	for _, suffix := range lx.clockSuffixes {
		digits, ok := strings.CutSuffix(w, suffix)
		if ok && digits != "" && strings.Trim(digits, "0123456789:") == "" && digits[0] != ':' {
			return true
		}
	}
	return false
}
