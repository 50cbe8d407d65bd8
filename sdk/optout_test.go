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
		"please remove me from this list",
		"opt-out",
		"I want to opt out",
		"Do not contact me again",
		"don't message me",
		"Don’t message me again", // a phone's curly apostrophe
		"DON’T CONTACT ME",
		"leave me alone",
		"Leave me alone!",
		"don't follow up",
		"Don’t follow up with me",
		"do not follow up",
		"dont follow up pls",
		"stop messaging me",
		"Stop messaging me.",
		"not interested, please stop",
		"Not interested. Please stop",
		"take me off your list",
		"Take me off your list, thanks",
		"no more messages",
		"No more messages please",
		"go away",
		"Go away.",
		"'stop'",
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
		"can't stop thinking about this offer",
		"Can’t stop thinking about this offer",
		"unsubscribed from everything else, but this looks great",
		"not interested right now, maybe next quarter",
		"sounds good, let's talk",
		"I'd love to remove the bottleneck you mentioned",
		"our product takes off next month",
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

func FuzzIsOptOut(f *testing.F) {
	for _, s := range []string{"stop", "don’t follow up", "do not", "'-'", "non-stop"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) { IsOptOut(s) })
}
