package ai

import (
	"strings"
	"unicode"
)

// A sentence is the words of one sentence of a reply, lower case and
// spelled as the lists spell them, with its commas kept as "," (a comma
// ends a negation's reach); question is whether it ends in "?".
type sentence struct {
	words    []string
	question bool
}

// sentences splits text into sentences of words. A word is letters,
// digits, apostrophes (dropped: "don't" is "dont", like the lists), "_"
// and "@" (handles and addresses), and "." or ":" between letters or
// digits ("acme.io", "2:30"); an emoji is a word of its own. Sentences end
// at . ! ? ; : … and line breaks; dashes and brackets read as commas.
func (lx *lexicon) sentences(text string) []sentence {
	var (
		out  []sentence
		cur  sentence
		word strings.Builder
	)
	flushWord := func() {
		if word.Len() > 0 {
			cur.words = append(cur.words, lx.spell(word.String(), true)...)
			word.Reset()
		}
	}
	comma := func() {
		flushWord()
		if n := len(cur.words); n > 0 && cur.words[n-1] != "," {
			cur.words = append(cur.words, ",")
		}
	}
	end := func(question bool) {
		flushWord()
		cur.question = cur.question || question
		for len(cur.words) > 0 && cur.words[len(cur.words)-1] == "," {
			cur.words = cur.words[:len(cur.words)-1]
		}
		if len(cur.words) > 0 || cur.question {
			out = append(out, cur)
		}
		cur = sentence{}
	}
	runes := []rune(strings.ToLower(curlyApostrophes.Replace(text)))
	for i, r := range runes {
		inWord := func() bool {
			return word.Len() > 0 && i+1 < len(runes) && (unicode.IsLetter(runes[i+1]) || unicode.IsDigit(runes[i+1]))
		}
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_' || r == '@':
			word.WriteRune(r)
		case r == '\'':
		case (r == '.' || r == ':') && inWord():
			word.WriteRune(r)
		case r == '?' && word.Len() == 0 && len(cur.words) == 0 && i > 0 && (runes[i-1] == '?' || runes[i-1] == '!') && len(out) > 0:
			// "who are you??" is one question.
			out[len(out)-1].question = true
		case r == '?':
			end(true)
		case r == '.' || r == '!' || r == ';' || r == ':' || r == '…' || r == '\n':
			// "wait, what?!" stays a question.
			end(false)
			if i > 0 && runes[i-1] == '?' && len(out) > 0 {
				out[len(out)-1].question = true
			}
		case r == ',' || r == '—' || r == '–' || r == '(' || r == ')':
			comma()
		case isEmoji(r):
			flushWord()
			cur.words = append(cur.words, string(r))
		default:
			flushWord()
		}
	}
	end(false)
	return out
}

// words is the words of a phrase of the lists, read like a reply's but
// never respelled as a stretched word.
func (lx *lexicon) words(text string) []string {
	var out []string
	for _, f := range strings.FieldsFunc(strings.ToLower(curlyApostrophes.Replace(text)), func(r rune) bool {
		return unicode.IsSpace(r) || r == '-'
	}) {
		out = append(out, lx.spell(strings.ReplaceAll(f, "'", ""), false)...)
	}
	return out
}

// spell is word as the lists spell it: through the language's spelling,
// and, when stretched is true and the word is unknown, with its stretched
// letters shortened ("sooo" → "so", "yesss" → "yes", "cooool" → "cool").
func (lx *lexicon) spell(word string, stretched bool) []string {
	if meant, ok := lx.spelling[word]; ok {
		return meant
	}
	if stretched && !lx.known[word] {
		if once := squeeze(word, 1); once != word {
			if meant, ok := lx.spelling[once]; ok {
				return meant
			}
			if lx.known[once] {
				return []string{once}
			}
			return lx.spell(squeeze(word, 2), false)
		}
	}
	return []string{word}
}

// squeeze shortens every run of three or more of the same letter to keep
// letters.
func squeeze(word string, keep int) string {
	var b strings.Builder
	runes := []rune(word)
	for i := 0; i < len(runes); {
		j := i
		for j < len(runes) && runes[j] == runes[i] {
			j++
		}
		n := j - i
		if n >= 3 {
			n = keep
		}
		for range n {
			b.WriteRune(runes[i])
		}
		i = j
	}
	return b.String()
}

// isEmoji reports whether r is a pictograph that reads as a word: a symbol,
// not a skin-tone modifier, a variation selector or a joiner (those are
// dropped).
func isEmoji(r rune) bool {
	if r >= 0x1F3FB && r <= 0x1F3FF {
		return false
	}
	return unicode.Is(unicode.So, r) || (r >= 0x1F300 && r <= 0x1FAFF)
}

// curlyApostrophes straightens the apostrophes phones type.
var curlyApostrophes = strings.NewReplacer("\u2019", "'", "\u2018", "'", "\u02bc", "'", "\u2032", "'")
