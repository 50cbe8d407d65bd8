package engine

import "strings"

// optOutPhrases end all contact when a reply contains one of them.
var optOutPhrases = []string{"stop", "unsubscribe", "remove me", "opt out", "opt-out", "do not contact", "don't contact", "do not message", "don't message"}

// apostrophes straightens the curly apostrophes phones type ("don’t"), so
// the phrases above match them.
var apostrophes = strings.NewReplacer("\u2019", "'", "\u2018", "'")

// IsOptOut reports whether a reply asks not to be contacted again. "stop"
// counts only as a word of its own ("non-stop" and "stopped by" do not).
func IsOptOut(text string) bool {
	t := strings.ToLower(apostrophes.Replace(text))
	for _, p := range optOutPhrases {
		for i := strings.Index(t, p); i >= 0; {
			end := i + len(p)
			if (i == 0 || !isWordByte(t[i-1])) && (end == len(t) || !isWordByte(t[end])) {
				return true
			}
			next := strings.Index(t[i+1:], p)
			if next < 0 {
				break
			}
			i += next + 1
		}
	}
	return false
}

func isWordByte(b byte) bool {
	return b == '-' || b == '_' || b >= '0' && b <= '9' || b >= 'a' && b <= 'z'
}
