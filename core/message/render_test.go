package message

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/outreachhq/outreach/core/config"
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
		{"Hi {{company}}", "Hi {{company}}"}, // unknown: left, and Unfilled finds it
		{"Hi {{ firstName }}", "Hi Jane"},
		{"Hi {{first_name}}", "Hi Jane"},
		{"Hi {{firstName", "Hi {{firstName"},
		{"{{firstName}} }} {{", "Jane }} {{"},
	}
	for _, tt := range tests {
		if got := Render(tt.template, l); got != tt.want {
			t.Errorf("Render(%q) = %q; want %q", tt.template, got, tt.want)
		}
	}
}

// TestRenderWithoutAName: a lead with no usable name gets a neutral
// greeting from every name placeholder, and a name cannot bring braces
// into the text.
func TestRenderWithoutAName(t *testing.T) {
	tests := []struct {
		template, name, want string
	}{
		{"Hey {{first_name}},", "", "Hey there,"},
		{"Hey {{firstName}},", "   ", "Hey there,"},
		{"Hey {{name}},", "", "Hey there,"},
		{"Hey {{name}},", "🚀", "Hey 🚀,"},
		{"Hey {{name}},", "{{username}}", "Hey username,"},
		{"Hey {{first_name}},", "{{username}}", "Hey username,"},
		{"Hey {{name}},", "{}", "Hey there,"},
	}
	for _, tt := range tests {
		got := Render(tt.template, store.Lead{Name: tt.name, Username: "jdoe"})
		if got != tt.want || Unfilled(got) != "" {
			t.Errorf("Render(%q) with name %q = %q; want %q", tt.template, tt.name, got, tt.want)
		}
	}
}

// TestRenderKnowsEveryPlaceholder: every placeholder configuration and
// the API accept is filled.
func TestRenderKnowsEveryPlaceholder(t *testing.T) {
	for _, p := range config.Placeholders {
		text := "Hi {{" + p + "}}"
		if config.UnknownPlaceholder(text) != "" {
			t.Errorf("config does not accept %s", text)
		}
		if got := Render(text, store.Lead{}); Unfilled(got) != "" {
			t.Errorf("Render(%q) = %q: not filled", text, got)
		}
	}
	if config.UnknownPlaceholder("Hi {{company}}") != "{{company}}" || Unfilled("Hi {{company}}") != "{{company}}" {
		t.Error("an unknown placeholder is not reported")
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
		want := strings.TrimSpace(strings.NewReplacer("{", "", "}", "").Replace(name))
		if want == "" {
			want = "there"
		}
		if got := Render("<{{name}}>", l); got != "<"+want+">" {
			t.Fatalf("Render({{name}}) with name %q = %q: want the name, trimmed and without braces", name, got)
		}
		// Only the template's own unknown placeholders are left.
		if config.UnknownPlaceholder(template) == "" && Unfilled(out) != "" {
			t.Fatalf("Render(%q) with name %q and username %q = %q: braces left", template, name, username, out)
		}
	})
}
