package ai

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/outreachhq/outreach/sdk"
)

// The guardrails stand between what a model or a campaign's template
// wrote and what a lead reads. A text that fails them is an error, never
// replaced by a fallback that would pretend to be personal: the host
// skips the comment or leaves the draft to a person.
//
// A failure another try may fix (an empty answer, a placeholder, a text
// too long, an answer cut at max_tokens) is Retryable when a model wrote
// the text; a refusal or a content filter, which the same input meets
// again, is Permanent, and so is anything wrong with a campaign's own
// template, which only a person can change.

// minKept is the least share of a text a cut to MaxLength may keep: below
// it the cut would change what the text says, so it is an error instead.
const minKept = 0.6

// origin says who wrote a text, which decides whether a failure is worth
// another try.
type origin int

const (
	fromModel origin = iota
	fromTemplate
)

func (o origin) kind() sdk.ErrorKind {
	if o == fromModel {
		return sdk.Retryable
	}
	return sdk.Permanent
}

// checkAnswer applies the guardrails to a model's answer: what the API
// says about it first (a refusal, a content filter, a cut at max_tokens),
// then the text. what names the text in errors ("comment", "reply").
func checkAnswer(a answer, what string, maxLength int) (string, error) {
	name := "the model's " + what
	if r := strings.TrimSpace(a.refusal); r != "" {
		return "", sdk.Errorf(sdk.Permanent, "ai: the model refused to write the %s: %q", what, clip(r, 200))
	}
	text := cleanText(a.text)
	switch a.finish {
	case "content_filter":
		return "", sdk.Errorf(sdk.Permanent, "ai: the endpoint's content filter withheld the %s", what)
	case "length":
		// The answer stopped at max_tokens, mid-sentence: keep it only
		// up to its last full sentence, if that is most of it.
		cut, ok := cutToSentence(text, utf8.RuneCountInString(text))
		if !ok {
			return "", sdk.Errorf(sdk.Retryable, "ai: %s was cut at max_tokens after %d characters, with no sentence end that keeps most of it; raise max_tokens", name, utf8.RuneCountInString(text))
		}
		text = cut
	}
	return checkText(text, name, maxLength, fromModel)
}

// checkText applies the guardrails to text: trimmed and without wrapping
// quotes, it must not be empty, a refusal, or hold an unfilled
// placeholder, and it must fit maxLength (0: no bound), cut at a sentence
// or word boundary if the cut keeps at least minKept of it. name says
// whose text it is in errors ("the model's comment").
func checkText(text, name string, maxLength int, o origin) (string, error) {
	text = cleanText(text)
	if text == "" {
		return "", sdk.Errorf(o.kind(), "ai: %s is empty", name)
	}
	if isRefusal(text) {
		return "", sdk.Errorf(sdk.Permanent, "ai: %s is a refusal: %q", name, clip(text, 80))
	}
	if p := placeholder(text); p != "" {
		return "", sdk.Errorf(o.kind(), "ai: %s holds an unfilled placeholder %s", name, clip(p, 40))
	}
	fitted, ok := fitLength(text, maxLength)
	if !ok {
		return "", sdk.Errorf(o.kind(), "ai: %s is %d characters long, over its limit of %d, and no cut at a sentence or word boundary keeps %d%% of it",
			name, utf8.RuneCountInString(text), maxLength, int(minKept*100))
	}
	return fitted, nil
}

// quotePairs are the quotes models wrap an answer in.
var quotePairs = [][2]string{{`"`, `"`}, {"\u201c", "\u201d"}, {"'", "'"}, {"\u2018", "\u2019"}, {"\u00ab", "\u00bb"}, {"`", "`"}}

// cleanText trims what models like to add around an answer: space and
// wrapping quotes, however many.
func cleanText(s string) string {
	s = strings.TrimSpace(s)
	for changed := true; changed; {
		changed = false
		for _, q := range quotePairs {
			if len(s) >= len(q[0])+len(q[1]) && strings.HasPrefix(s, q[0]) && strings.HasSuffix(s, q[1]) {
				inner := s[len(q[0]) : len(s)-len(q[1])]
				if strings.Contains(inner, q[0]) && q[0] == q[1] {
					// "Yes" she said, "no": not one quoted text.
					continue
				}
				s, changed = strings.TrimSpace(inner), true
			}
		}
	}
	return s
}

// refusalStarts begin a refusal; refusalAnywhere give one away wherever
// they are. Both are lower case, with straight apostrophes.
var (
	refusalStarts = []string{
		"i'm sorry, but i can", "i am sorry, but i can", "i'm sorry, i can", "i am sorry, i can",
		"i'm sorry, but i won't", "i'm sorry, but i'm unable", "sorry, but i can", "sorry, i can't", "sorry, i cannot",
		"i apologize, but i can", "i apologise, but i can",
		"i can't help with", "i cannot help with", "i can't assist", "i cannot assist",
		"i can't comply", "i cannot comply", "i can't fulfill", "i cannot fulfill",
		"i'm unable to", "i am unable to", "i'm not able to help", "i won't be able to help",
	}
	refusalAnywhere = []string{
		"as an ai", "as a language model", "as a large language model",
		"i cannot help with", "i can't help with that", "i can't assist with", "i cannot assist with",
	}
)

// isRefusal reports whether text is a model declining rather than the
// text it was asked for.
func isRefusal(text string) bool {
	t := strings.ToLower(strings.NewReplacer("\u2019", "'", "\u2018", "'").Replace(text))
	for _, p := range refusalStarts {
		if strings.HasPrefix(t, p) {
			return true
		}
	}
	for _, p := range refusalAnywhere {
		if strings.Contains(t, p) {
			return true
		}
	}
	return false
}

// placeholderRE finds what a template or a model left to be filled:
// {{first_name}}, {name}, [Your Name], [link].
var placeholderRE = regexp.MustCompile(`\{\{[^}]*\}\}|\{[^{}\n]{1,60}\}|(?i)\[(?:your|their|lead|first|last|company|product|insert|name|link|url|date|time|price)\b[^\[\]\n]{0,40}\]`)

// placeholder returns the first unfilled placeholder in text, or "".
func placeholder(text string) string {
	if m := placeholderRE.FindString(text); m != "" {
		return m
	}
	if i := strings.Index(text, "{{"); i >= 0 {
		// An unclosed one: "Hi {{first_name".
		return clip(text[i:], 20)
	}
	return ""
}

// fitLength returns text if it has at most max runes (max <= 0: no
// bound); else text cut at its last sentence end within max, or failing
// that its last word boundary, if the cut keeps at least minKept of it.
func fitLength(text string, max int) (string, bool) {
	n := utf8.RuneCountInString(text)
	if max <= 0 || n <= max {
		return text, true
	}
	if cut, ok := cutToSentence(text, max); ok {
		return cut, true
	}
	// truncate cuts at the last space within max, or mid-word when there
	// is none: only the former is a boundary.
	cut := truncate(text, max)
	runes := []rune(text)
	if next := runes[utf8.RuneCountInString(cut)]; unicode.IsLetter(next) || unicode.IsDigit(next) {
		return "", false
	}
	return cut, kept(cut, n)
}

// cutToSentence cuts text after the last sentence end within its first
// max runes ("." "!" "?" or "…", then a space or the end), if that keeps
// at least minKept of text.
func cutToSentence(text string, max int) (string, bool) {
	runes := []rune(text)
	n := len(runes)
	for i := min(max, n) - 1; i >= 0; i-- {
		if !strings.ContainsRune(".!?\u2026", runes[i]) {
			continue
		}
		if i+1 < n && !unicode.IsSpace(runes[i+1]) && !strings.ContainsRune(`"')»”’`, runes[i+1]) {
			continue
		}
		s := strings.TrimSpace(string(runes[:i+1]))
		return s, kept(s, n)
	}
	return "", false
}

func kept(s string, of int) bool {
	k := utf8.RuneCountInString(s)
	return k > 0 && float64(k) >= minKept*float64(of)
}

// clip shortens s to n runes for an error message.
func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n]) + "..."
}
