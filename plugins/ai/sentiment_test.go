package ai

import (
	"testing"

	"github.com/outreachhq/outreach/sdk"
)

// TestClassifySentiment reads replies that each show one thing the rules
// handle, grouped by that thing.
func TestClassifySentiment(t *testing.T) {
	for _, group := range []struct {
		name    string
		replies map[string]sdk.Sentiment
	}{
		{"negation", map[string]sdk.Sentiment{
			"not bad":                         sdk.Positive, // a negated objection leans positive
			"not bad! tell me more":           sdk.Positive,
			"not opposed to a chat":           sdk.Positive,
			"not interested":                  sdk.Negative, // a negated interest refuses
			"I'm not really interested":       sdk.Negative, // the negation reaches over "really"
			"not a priority for us":           sdk.Negative,
			"we don't have the budget":        sdk.Negative, // a negated want refuses
			"not sure":                        sdk.Neutral,  // a negated hedge doubts
			"not ready to commit":             sdk.Neutral,  // and so does its object
			"not right now":                   sdk.Neutral,  // a negated now defers
			"No.":                             sdk.Negative, // a bare negator answers
			"definitely not":                  sdk.Negative,
			"not gonna lie, this looks great": sdk.Positive, // an idiom negates nothing
			"we don't do cold outreach":       sdk.Negative, // a complaint is no softer negated
			"not that spammy garbage I usually get. tell me more": sdk.Positive, // unless a pointer compares
			"not now, and honestly probably not ever":             sdk.Negative, // not later either
		}},
		{"done already", map[string]sdk.Sentiment{
			"no need to follow up, I just booked a call":               sdk.Positive, // the lead did what was asked
			"No need to follow up. Booked a slot for Tuesday":          sdk.Positive,
			"no need to follow up":                                     sdk.Negative, // an opt-out
			"no need to follow up, we booked a demo with a competitor": sdk.Negative, // done, with someone else
		}},
		{"someone else's words", map[string]sdk.Sentiment{
			"does it pause once someone replies no?":                 sdk.Positive, // the rest is theirs; the question is about the product
			"how do you treat leads who say they're not interested?": sdk.Neutral,
			"I said no": sdk.Negative, // the lead's own
		}},
		{"prices and times", map[string]sdk.Sentiment{
			"The price is too high for us, sorry.":                  sdk.Negative, // a price the statement is about
			"sorry, we're cutting costs and not adding new tools":   sdk.Negative,
			"We block out Fridays for vendor calls. Does 2pm work?": sdk.Positive, // a time of day proposed
			"Can I opt out of the annual plan and go monthly?":      sdk.Positive, // choosing how to pay
		}},
		{"asking in", map[string]sdk.Sentiment{
			"I unsubscribed from your newsletter by accident, can you add me back?":         sdk.Positive,
			"I'll stop by your booth at the conference next week":                           sdk.Positive,
			"Leave the link here and I'll check it out":                                     sdk.Positive,
			"You don't need to follow up, I already signed up 🙂":                            sdk.Positive,
			"Ha, your bot almost landed in my spam folder, but ok I'm curious. What is it?": sdk.Positive,
		}},
		{"contrast", map[string]sdk.Sentiment{
			"sounds good but we have no budget":                         sdk.Negative, // the clause after "but" weighs more
			"no budget right now, but honestly it sounds great":         sdk.Positive,
			"looks neat, however we're not buying anything":             sdk.Negative,
			"can't this week. happy to find time after the 20th though": sdk.Positive, // and the clause before "though"
			"interesting timing, but check back in a month or two":      sdk.Neutral,
		}},
		{"intensifiers", map[string]sdk.Sentiment{
			"interested, but busy this week":       sdk.Neutral,
			"super interested, but busy this week": sdk.Positive, // "super" outweighs the deferral
			"absolutely":                           sdk.Positive, // alone, an intensifier is a word of its own
			"absolutely not":                       sdk.Negative,
			"really keen":                          sdk.Positive,
			"so not for us":                        sdk.Negative,
			"not a priority at all":                sdk.Negative, // an intensifier after its word
		}},
		{"emoji", map[string]sdk.Sentiment{
			"🙏": sdk.Positive, "🔥": sdk.Positive, "😍": sdk.Positive, "👍 send it": sdk.Positive,
			"👍": sdk.Neutral, "👍🏽": sdk.Neutral, "👌": sdk.Neutral, // a bare receipt
			"👎": sdk.Negative, "🙄": sdk.Negative, "😡": sdk.Negative, "🖕": sdk.Negative,
			"🤔": sdk.Neutral, "👀": sdk.Neutral, "😂": sdk.Neutral,
			"not interested 👍": sdk.Negative,
			"❤️ send it":       sdk.Positive,
		}},
		{"questions", map[string]sdk.Sentiment{
			"who are you?":                        sdk.Neutral, // who you are, what this is
			"what is this exactly?":               sdk.Neutral,
			"how did you find me?":                sdk.Neutral,
			"is this for X only?":                 sdk.Neutral, // a question with nothing else
			"??":                                  sdk.Neutral,
			"how much is it?":                     sdk.Positive, // price, how it works, next steps
			"how does it work?":                   sdk.Positive,
			"what are the next steps?":            sdk.Positive,
			"who are you and what do you charge?": sdk.Neutral, // a price asked in passing
		}},
		{"politeness", map[string]sdk.Sentiment{
			"thanks, but we're all set":                  sdk.Negative,
			"appreciate it but we're good":               sdk.Negative,
			"I'm good, thanks":                           sdk.Negative,
			"thanks anyway":                              sdk.Negative,
			"thanks for thinking of us, but we'll pass.": sdk.Negative,
			"thanks! would love to learn more":           sdk.Positive,
			"ok thanks":                                  sdk.Neutral,
			"thanks":                                     sdk.Neutral,
		}},
		{"slang and typos", map[string]sdk.Sentiment{
			"nah":                     sdk.Negative,
			"nope":                    sdk.Negative,
			"ya":                      sdk.Positive,
			"yep":                     sdk.Positive,
			"yesss":                   sdk.Positive, // stretched letters
			"sooo cool":               sdk.Positive,
			"intrested":               sdk.Positive,
			"definately intrested":    sdk.Positive,
			"lmk the next steps":      sdk.Positive,
			"dm me the details":       sdk.Positive,
			"gtg, ttyl":               sdk.Neutral,
			"tbh not really my thing": sdk.Negative,
			"IDK":                     sdk.Neutral,
			"k":                       sdk.Neutral,
		}},
		{"auto-replies", map[string]sdk.Sentiment{
			"Out of office until Monday. For urgent matters contact ops@acme.io.":    sdk.Neutral,
			"Automatic reply: thanks for your message, I will respond when I'm back": sdk.Neutral,
			"This is an automated response. I no longer work at Acme.":               sdk.Neutral,
			"I'm on parental leave until March":                                      sdk.Neutral,
		}},
		{"deferrals", map[string]sdk.Sentiment{
			"maybe later":                            sdk.Neutral,
			"ping me next quarter":                   sdk.Neutral,
			"circle back in Q3":                      sdk.Neutral,
			"busy this month, try me in a few weeks": sdk.Neutral,
			"not now, maybe next year":               sdk.Neutral,
			"let me think about it":                  sdk.Neutral,
			"Please keep me posted when the LinkedIn integration ships": sdk.Neutral,
		}},
		{"referrals", map[string]sdk.Sentiment{
			"I'm not the right person, try @sarah_ops":         sdk.Neutral,
			"I'll pass this to my manager":                     sdk.Neutral,
			"I'll pass":                                        sdk.Negative,
			"message me on telegram instead, I barely check X": sdk.Neutral, // another way to reach them
			"I never got your first message, can you resend?":  sdk.Neutral,
		}},
		{"no evidence", map[string]sdk.Sentiment{
			"":                                sdk.Neutral,
			"...":                             sdk.Neutral,
			"what's the tech stack behind it": sdk.Neutral,
		}},
	} {
		t.Run(group.name, func(t *testing.T) {
			for text, want := range group.replies {
				if got := classify(text); got.Sentiment != want {
					t.Errorf("classify(%q) = %s; want %s", text, got.Sentiment, want)
				}
			}
		})
	}
}
