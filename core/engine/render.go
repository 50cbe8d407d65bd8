package engine

import (
	"strings"
	"unicode"

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
// or "there" when the name has none (so "Hey {{firstName}}" still reads).
func FirstName(l store.Lead) string {
	for _, w := range strings.Fields(l.Name) {
		w = strings.TrimFunc(w, func(r rune) bool { return !unicode.IsLetter(r) })
		if w != "" {
			return w
		}
	}
	return "there"
}
