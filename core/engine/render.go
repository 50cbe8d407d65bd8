package engine

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/outreachhq/outreach/core/store"
)

// Render fills a message template's placeholders from the lead:
// {{firstName}}, {{name}}, {{username}}. Unknown placeholders are left as
// they are (config validation reports them before anything is sent).
func Render(template string, l store.Lead) string {
	return strings.NewReplacer(
		"{{firstName}}", FirstName(l),
		"{{name}}", strings.TrimSpace(l.Name),
		"{{username}}", l.Username,
	).Replace(template)
}

// FirstName is the first word of the lead's display name made of letters,
// after any title ("Dr.", "Mr"), or "there" when the name has none (so
// "Hey {{firstName}}" still reads). A name that starts with an initial
// ("J. Smith") also gives "there": "Hey J" reads worse than "Hey there".
func FirstName(l store.Lead) string {
	for _, w := range strings.Fields(l.Name) {
		w = strings.TrimFunc(w, func(r rune) bool { return !unicode.IsLetter(r) })
		switch {
		case w == "" || titles[strings.ToLower(w)]:
			continue
		case utf8.RuneCountInString(w) == 1:
			return "there"
		}
		return w
	}
	return "there"
}

// titles are words a display name may start with that are not a name.
var titles = map[string]bool{"mr": true, "mrs": true, "ms": true, "mx": true, "miss": true, "dr": true, "prof": true, "sir": true, "dame": true}
