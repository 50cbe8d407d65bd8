package engine

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/outreachhq/outreach/core/store"
)

func TestRenderFirstName(t *testing.T) {
	tests := []struct {
		name string
		want string
	}{
		{"Jane Doe", "Hey Jane"},
		{"jane", "Hey jane"},
		{"🚀 Jane", "Hey Jane"},
		{"Jane 🚀 | Founder @acme", "Hey Jane"},
		{"  Jane  ", "Hey Jane"},
		{"Jane-Marie O'Neil", "Hey Jane-Marie"},
		{"José Álvarez", "Hey José"},
		{"山田 太郎", "Hey 山田"},
		{"", "Hey there"},
		{"🚀🚀", "Hey there"},
		{"1234", "Hey there"},
		{"dr. J. Smith", "Hey there"},
		{"Dr. Jane Smith", "Hey Jane"},
		{"Mr Bob", "Hey Bob"},
		{"J. Smith", "Hey there"},
		{"J Smith", "Hey there"},
	}
	for _, tt := range tests {
		got := Render("Hey {{firstName}}", store.Lead{Name: tt.name})
		if got != tt.want {
			t.Errorf("Render(%q) with name %q = %q; want %q", "Hey {{firstName}}", tt.name, got, tt.want)
		}
	}
}

func TestRender(t *testing.T) {
	l := store.Lead{Name: "  Jane Doe ", Username: "jdoe"}
	tests := []struct{ template, want string }{
		{"Hi {{firstName}} ({{name}}, @{{username}})", "Hi Jane (Jane Doe, @jdoe)"},
		{"{{firstName}}{{firstName}}", "JaneJane"},
		{"no placeholders", "no placeholders"},
		{"Hi {{company}}", "Hi {{company}}"}, // unknown: left for validation to report
		{"Hi {{ firstName }}", "Hi {{ firstName }}"},
	}
	for _, tt := range tests {
		if got := Render(tt.template, l); got != tt.want {
			t.Errorf("Render(%q) = %q; want %q", tt.template, got, tt.want)
		}
	}
}

// FuzzRender: rendering never fails, a name cannot inject placeholders,
// and the first name is one word of letters.
func FuzzRender(f *testing.F) {
	for _, s := range [][2]string{
		{"Hey {{firstName}}", "Jane Doe"}, {"{{name}} / {{username}}", "🚀 Jane"}, {"x", ""},
		{"{{firstName}}", "dr. J. Smith"}, {"{{firstName}}", "{{username}}"}, {"{{", "\xff\xfe"},
	} {
		f.Add(s[0], s[1], "user")
	}
	f.Fuzz(func(t *testing.T, template, name, username string) {
		l := store.Lead{Name: name, Username: username}
		out := Render(template, l)
		if !strings.Contains(template, "{{") && out != template {
			t.Fatalf("Render changed a template without placeholders: %q -> %q", template, out)
		}
		first := FirstName(l)
		if first == "" || strings.ContainsFunc(first, unicode.IsSpace) {
			t.Fatalf("FirstName(%q) = %q; want one non-empty word", name, first)
		}
		if utf8.ValidString(name) && !utf8.ValidString(first) {
			t.Fatalf("FirstName(%q) = %q is not valid UTF-8", name, first)
		}
		if got := Render("<{{name}}>", l); got != "<"+strings.TrimSpace(name)+">" {
			t.Fatalf("Render({{name}}) with name %q = %q: the name was not inserted as it is", name, got)
		}
	})
}
