package ai

import (
	"hash/fnv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/outreachhq/outreach/sdk"
)

// commentTemplates are the offline comments; {author} is the post's author.
// They are deliberately generic: without a model the plugin cannot read the
// post, and a comment that pretends to is worse than a plain one.
var commentTemplates = []string{
	"Great point, @{author}. Thanks for sharing this!",
	"Really interesting take. Curious to see where this goes.",
	"Well said, @{author}. This resonates.",
	"Love this. Thanks for putting it out there!",
	"Good insight, @{author}. Saving this one.",
}

// templateComment picks a template by the post's text, so the same post
// always gets the same comment (tests and retries see no randomness).
func templateComment(req sdk.CommentRequest) string {
	h := fnv.New32a()
	h.Write([]byte(req.PostText))
	t := commentTemplates[h.Sum32()%uint32(len(commentTemplates))]
	author := strings.TrimPrefix(req.AuthorUsername, "@")
	if author == "" {
		t = strings.ReplaceAll(t, ", @{author}", "")
	}
	return strings.ReplaceAll(t, "{author}", author)
}

// cannedReply is the offline draft: a graceful exit when the lead's last
// message reads negative; else, on the first answer, thanks and an offer
// of a short call (an answer to "who is this?" says why the account
// wrote first); on a later one, a nudge toward a time, so that no answer
// repeats an earlier one word for word.
func cannedReply(req sdk.DraftRequest) string {
	name := strings.TrimSpace(req.LeadName)
	answered, last := 0, ""
	for _, m := range req.Conversation {
		if m.FromAccount {
			answered++
		} else {
			last = m.Text
		}
	}
	with := func(s string) string {
		if name == "" {
			return strings.ReplaceAll(s, ", {name}", "")
		}
		return strings.ReplaceAll(s, "{name}", name)
	}
	read := classify(last)
	switch {
	case read.Sentiment == sdk.Negative:
		return with("Thanks for getting back to me, {name}. Understood, I won't bother you again. All the best!")
	case answered > 1:
		return with("Great, {name}. What does your week look like? I can send over a couple of times for a quick call.")
	case read.Sentiment == sdk.Neutral && strings.Contains(last, "?"):
		return with("Fair question, {name}: I reached out because of what you're building. Would a quick 15-minute call this week work, so I can tell you more?")
	}
	return with("Thanks for getting back to me, {name}! Would you be open to a quick 15-minute call this week?")
}

// truncate shortens s to at most max characters (runes), at a word
// boundary when there is one; max <= 0 means no limit.
func truncate(s string, max int) string {
	if max <= 0 || utf8.RuneCountInString(s) <= max {
		return s
	}
	runes := []rune(s)
	cut := string(runes[:max])
	// Back up to the last space unless the cut already falls between words.
	if !unicode.IsSpace(runes[max]) {
		if i := strings.LastIndexFunc(cut, unicode.IsSpace); i > 0 {
			cut = cut[:i]
		}
	}
	return strings.TrimRightFunc(cut, func(r rune) bool { return unicode.IsSpace(r) || r == ',' || r == '-' })
}
