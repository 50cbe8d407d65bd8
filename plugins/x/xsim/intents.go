package xsim

import (
	"fmt"
	"slices"
	"strings"
)

// Intent is what a prospect means by one step of a conversation: a reply of
// some kind, or IntentSilent, no reply at all.
type Intent string

// The intents a prospect's reply can have. Positive: interested and the
// three booking intents (asking for a call, a price or a demo, which the
// product hands to a human). Negative: no and opt_out, after which a
// prospect following its default script never answers again. Neutral:
// question.
const (
	// IntentInterested is positive interest that books nothing yet ("Sounds
	// interesting, tell me more!").
	IntentInterested Intent = "interested"
	// IntentQuestion is a neutral question about who is writing and why
	// ("What is this about?").
	IntentQuestion Intent = "question"
	// IntentAskCall asks for, or agrees to, a call ("Sure, can we hop on a
	// call Thursday?").
	IntentAskCall Intent = "ask_call"
	// IntentAskPrice asks for the price ("What does pricing look like?").
	IntentAskPrice Intent = "ask_price"
	// IntentAskDemo asks for a demo ("Could you show me a demo?").
	IntentAskDemo Intent = "ask_demo"
	// IntentNo declines ("Not interested, thanks.").
	IntentNo Intent = "no"
	// IntentOptOut asks not to be contacted again ("STOP"); every text of it
	// holds a phrase that sdk.IsOptOut reads as an opt-out.
	IntentOptOut Intent = "opt_out"
	// IntentSilent is a step without a reply: the message it answers gets
	// none, and the next message gets the next step.
	IntentSilent Intent = "silent"
)

// allIntents lists every intent, in the order the documentation gives them.
var allIntents = []Intent{
	IntentInterested, IntentQuestion, IntentAskCall, IntentAskPrice, IntentAskDemo,
	IntentNo, IntentOptOut, IntentSilent,
}

// knownIntents is allIntents as the error messages name them.
var knownIntents = func() string {
	names := make([]string, len(allIntents))
	for i, in := range allIntents {
		names[i] = string(in)
	}
	return strings.Join(names, ", ")
}()

// Valid reports whether in is one of the Intent constants.
func (in Intent) Valid() bool { return slices.Contains(allIntents, in) }

// checkIntents validates a script's intents, naming the field at fault
// (field is like "prospects.ana_lead.intents").
func checkIntents(field string, intents []Intent) error {
	if len(intents) == 0 {
		return fmt.Errorf("%s: give at least one intent, of: %s", field, knownIntents)
	}
	for i, in := range intents {
		if !in.Valid() {
			return fmt.Errorf("%s[%d] %q: unknown intent; known intents: %s", field, i, string(in), knownIntents)
		}
	}
	return nil
}

// intentTexts are what prospects say, by intent. Each text reads as its
// intent and nothing else, so that a reasonable classifier gets every one
// right: a "no" never sounds positive, an opt-out always holds a clear
// opt-out phrase, a booking intent clearly asks. The order of each list is
// part of the world (texts are picked by index), so only ever append.
var intentTexts = map[Intent][]string{
	IntentInterested: {
		"Sounds interesting, tell me more!",
		"Yes! Send me the details.",
		"Perfect timing, we were just looking at this.",
		"Interesting. I'd love to hear more.",
		"This looks relevant to us, tell me more.",
		"Sounds good, I'm interested.",
	},
	IntentQuestion: {
		"Who is this?",
		"What is this about?",
		"How did you find me?",
		"Do I know you?",
		"What's this regarding?",
	},
	IntentAskCall: {
		"Sure, can we hop on a call Thursday?",
		"Sure, happy to hop on a call this week.",
		"Yes, let's chat. Are you free for a call tomorrow?",
		"Can we set up a quick call? Send me a link to book a time.",
		"I'd be up for a 15-minute call. When are you free?",
	},
	IntentAskPrice: {
		"Interesting, what does pricing look like?",
		"What does pricing look like?",
		"How much does it cost?",
		"What would this cost for a team of ten?",
		"Can you send me your pricing?",
	},
	IntentAskDemo: {
		"Could you show me a demo?",
		"Do you have a demo I could see?",
		"Can you walk me through a demo this week?",
		"I'd like to see a demo first.",
		"Can you send me a demo video?",
	},
	IntentNo: {
		"Not interested, thanks.",
		"No thanks.",
		"No, we're all set.",
		"Not a fit for us right now.",
		"No, we build this in-house.",
		"Not for me, sorry.",
	},
	IntentOptOut: {
		"STOP",
		"unsubscribe",
		"please stop messaging me",
		"Remove me from your list.",
		"Don't message me again.",
		"Leave me alone.",
	},
}

// textFor picks a text of intent with r, other than those in said (the
// prospect's earlier replies in the conversation) while the list has one.
func textFor(r *rng, in Intent, said []string) string {
	texts := intentTexts[in]
	i := r.intn(len(texts))
	for range texts {
		if !slices.Contains(said, texts[i]) {
			break
		}
		i = (i + 1) % len(texts)
	}
	return texts[i]
}
