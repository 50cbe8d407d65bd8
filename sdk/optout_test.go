package sdk

import "testing"

func TestIsOptOut(t *testing.T) {
	optOuts := []string{
		"stop",
		"STOP",
		"STOP please",
		"Please stop.",
		"stop!!",
		"unsubscribe",
		"Unsubscribe me",
		"unsub",
		"please remove me from this list",
		"opt-out",
		"I want to opt out",
		"Do not contact me again",
		"don't message me",
		"Don’t message me again", // a phone's curly apostrophe
		"DON’T CONTACT ME",
		"never contact me again",
		"Don't DM me again",
		"dont pitch me",
		"quit dming me",
		"quit messaging me",
		"leave me alone",
		"Leave me alone!",
		"leave me out of your campaigns",
		"don't follow up",
		"Don’t follow up with me",
		"do not follow up",
		"dont follow up pls",
		"please don't reach out again",
		"stop messaging me",
		"Stop messaging me.",
		"I asked you to stop",
		"can you stop wasting my time",
		"not interested, please stop",
		"Not interested. Please stop",
		"take me off your list",
		"Take me off your list, thanks",
		"remove my email from your list",
		"no more messages",
		"No more messages please",
		"no more DMs",
		"go away",
		"Go away.",
		"'stop'",
		// Spam, aimed at the sender.
		"spam",
		"this is spam",
		"reported for spam",
		"go away spammer",
		"quit spamming my inbox",
		// Blocking and reporting.
		"blocked.",
		"ugh another bot. blocked.",
		"blocking you now",
		"you've been blocked",
		"I'm reporting you",
		"Reported.",
		"muted",
		// Other words for the same requests.
		"take my name off your list",
		"get me off this list",
		"stay out of my DMs",
		"leave me the hell alone",
		"kindly refrain from messaging me",
		"no need to follow up",
		"I don't want to hear from you again",
		"no longer wish to receive these",
		"please cease contact",
		"no more follow ups",
		"no spam please",
		"lose my handle",
		"wrong person, please remove",
		"I want these DMs to stop",
		"quit sending me this",
		"🛑",
		"pls dont msg me",
		"you won't stop messaging me",
		"put a stop to these messages",
		"I need you to stop wasting my time",
		"blocked on all platforms",
		"don't send me this stuff",
		"I'll report this",
		"f*ck off",
		"enough with the DMs",
		"go bother someone else",
		"I never signed up for this",
		"so spammy",
		"No more.",
		"why do you keep messaging me?",
		"how many times do I have to say no",
		"STOPPP",
		"leave me aloneee",
		"don't waste your time messaging me",
		"I don't want these messages",
		"🖕",
		"unsubcribe",
		"please remove my handle from your list",
		"get off my back",
		// Rude versions.
		"get lost",
		"f off",
		"F*** off with this",
		"piss off",
		"gtfo",
	}
	notOptOuts := []string{
		"",
		"tell me more",
		"non-stop growth",
		"nonstop",
		"stopwatch",
		"bus-stop ads?",
		"I stopped by your booth",
		"I'll stop by your booth tomorrow",
		"stop by the booth",
		"can't stop thinking about this offer",
		"Can’t stop thinking about this offer",
		"we want to stop losing leads",
		"next stop: your pricing page",
		"unsubscribed from everything else, but this looks great",
		"unsubscribed from newsletters is great",
		"not interested",
		"not interested right now, maybe next quarter",
		"sounds good, let's talk",
		"I'd love to remove the bottleneck you mentioned",
		"remove the limit and I'm in",
		"our product takes off next month",
		// Spam that is not aimed at the sender.
		"your first message went to spam, sorry",
		"does it have a spam filter?",
		"it reduces spam, right?",
		"is this spam?",
		"this isn't spam, right?",
		// Blocks of time and obstacles.
		"I'll block some time on Thursday",
		"let me block off an hour",
		"we're blocked on budget until Q2",
		"we're blocked by legal for now",
		"there's a time block free friday",
		// Contact the person wants.
		"DM me the details",
		"email me the deck",
		"follow up next week, I'm interested",
		"reach out in January",
		"take our team off spreadsheets? sounds great",
		"no need to send pricing, I saw the site",
		"reported revenue doubled after we switched tools, tell me more",
		"let me be honest, this looks good",
		"it's drop dead simple, nice",
		"hard to beat it at this price",
		"can we push off the meeting to friday?",
		"can you send me the report",
		"we use it for reporting",
		"not the right person, try someone else on the team",
		"how do you keep DMs from looking less spammy?",
		"we're blocked until Q2, ping me then",
		"keep following up, I'm keen but busy",
		"what happens if someone replies stop?",
		"we grew 1000% nonstop",
	}
	for _, text := range optOuts {
		if !IsOptOut(text) {
			t.Errorf("IsOptOut(%q) = false; want true", text)
		}
	}
	for _, text := range notOptOuts {
		if IsOptOut(text) {
			t.Errorf("IsOptOut(%q) = true; want false", text)
		}
	}
}

// FuzzIsOptOut checks that IsOptOut never panics and reads a reply the same
// with sentences before and after it: an opt-out is in the reply's own
// words, whatever surrounds them.
func FuzzIsOptOut(f *testing.F) {
	for _, s := range []string{
		"stop", "don’t follow up", "do not", "'-'", "non-stop", "to stop", "you to stop",
		"is this spam", "spam filter", "blocked", "block some time", "never contact me", "f*** off", "🛑",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, framed := IsOptOut(s), IsOptOut("thanks. "+s+". thanks"); got != framed {
			t.Errorf("IsOptOut(%q) = %v, but %v between two sentences", s, got, framed)
		}
	})
}
