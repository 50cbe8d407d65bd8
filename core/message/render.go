// Package message fills a campaign message's placeholders from a lead: the
// text the engine sends, and the text the API and the dashboard show for a
// send.
package message

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/outreachhq/outreach/core/store"
)

// Render fills a message template's placeholders from the lead (see
// config.Placeholders): {{firstName}} or {{first_name}}, {{name}},
// {{username}}, with or without spaces inside the braces. A lead without a
// usable name gets "there" for either name. What is filled in never has
// braces, so a name cannot smuggle a placeholder in; an unknown
// placeholder is left as it is, and Unfilled finds it: such a text is
// never sent.
func Render(template string, l store.Lead) string {
	var b strings.Builder
	for rest := template; ; {
		i := strings.Index(rest, "{{")
		j := -1
		if i >= 0 {
			j = strings.Index(rest[i+2:], "}}")
		}
		if j < 0 {
			b.WriteString(rest)
			return b.String()
		}
		end := i + 2 + j + 2
		b.WriteString(rest[:i])
		if v, ok := fill(strings.TrimSpace(rest[i+2:i+2+j]), l); ok {
			b.WriteString(v)
		} else {
			b.WriteString(rest[i:end])
		}
		rest = rest[end:]
	}
}

// fill is the value of a placeholder for the lead; false if it is none.
func fill(name string, l store.Lead) (string, bool) {
	switch name {
	case "firstName", "first_name":
		return FirstName(l), true
	case "name":
		if n := strings.TrimSpace(unbraced(l.Name)); n != "" {
			return n, true
		}
		return "there", true
	case "username":
		return unbraced(l.Username), true
	}
	return "", false
}

// unbraced is s without { and }, its other bytes as they are.
func unbraced(s string) string { return braces.Replace(s) }

var braces = strings.NewReplacer("{", "", "}", "")

// Unfilled returns what of a rendered message is still a placeholder (from
// its first "{{"), or "" if nothing is: a message with braces left in it
// must not be sent.
func Unfilled(text string) string {
	i := strings.Index(text, "{{")
	if i < 0 {
		return ""
	}
	if j := strings.Index(text[i+2:], "}}"); j >= 0 {
		return text[i : i+2+j+2]
	}
	return text[i:]
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

// Template is the campaign's message that job j sends, before it is
// filled: its variant's first DM, or the follow-up of its step. False when
// the campaign no longer has that variant or step.
func Template(c store.Campaign, j store.Job) (string, bool) {
	if j.Variant < 0 || j.Variant >= len(c.Variants) {
		return "", false
	}
	v := c.Variants[j.Variant]
	if j.Step == 0 {
		return v.Message, true
	}
	if j.Step > len(v.Followups) {
		return "", false
	}
	return v.Followups[j.Step-1].Message, true
}
