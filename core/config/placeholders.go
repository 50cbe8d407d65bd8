package config

import (
	"slices"
	"strings"
)

// Placeholders are the names a message may write between {{ and }}, filled
// from each lead as the message is sent: firstName (or first_name), the
// first word of the lead's display name; name, the whole display name;
// username, the lead's X handle. Spaces inside the braces do not matter. A
// lead with no usable name gets "there", so that "Hey {{firstName}},"
// reads "Hey there,".
var Placeholders = []string{"firstName", "first_name", "name", "username"}

// UnknownPlaceholder returns the first {{...}} of a message that is none of
// Placeholders (or a "{{" never closed), and "" if there is none: a message
// that would be sent with braces in it.
func UnknownPlaceholder(text string) string {
	for rest := text; ; {
		i := strings.Index(rest, "{{")
		if i < 0 {
			return ""
		}
		j := strings.Index(rest[i+2:], "}}")
		if j < 0 {
			return rest[i:]
		}
		if !slices.Contains(Placeholders, strings.TrimSpace(rest[i+2:i+2+j])) {
			return rest[i : i+2+j+2]
		}
		rest = rest[i+2+j+2:]
	}
}
