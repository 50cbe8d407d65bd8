package filter

import (
	"errors"
	"testing"
)

// FuzzCompile checks that no spec makes Compile or Match panic, that every
// compile error is an *Error, and that keywords survive quoting: a bio equal
// to a keyword always matches it.
func FuzzCompile(f *testing.F) {
	f.Add("followers > 10", "founder", "ceo", "US", "AND", 0, 100, int8(1), "Founder CEO")
	f.Add("", `" || true || "`, `\`, "", "or", -1, 5, int8(0), "")
	f.Add("bio contains", "a\nb", "\xff", "\x00", "XOR", 10, 1, int8(-1), "\xffA")
	f.Add("true) || (true", "Ä", "ß", "İstanbul", "", 0, 0, int8(2), "İSTANBUL")
	f.Add("let x = 1; x > 0 // c", "{{", "}}", "/*", "Or", 3, 3, int8(1), "/* {{ }}")
	f.Add(`split(bio, " ")[9] == ""`, "a", "b", "c", "and", 0, 1<<40, int8(0), "a b")
	f.Fuzz(func(t *testing.T, where, kw1, kw2, loc, logic string, min, max int, website int8, bio string) {
		spec := Spec{
			IncludeKeywords: [][]string{{kw1, kw2}, {kw2}},
			ExcludeKeywords: [][]string{{kw2}},
			IncludeWithin:   Logic(logic),
			ExcludeBetween:  Logic(logic),
			LocationExclude: []string{loc},
			Followers:       Range{Min: &min, Max: &max},
			Following:       Range{Max: &min},
			Where:           where,
		}
		switch {
		case website > 0:
			spec.HasWebsite = boolp(true)
		case website < 0:
			spec.HasWebsite = boolp(false)
		}
		lead := Lead{Bio: bio, Location: loc, Name: kw1, Followers: min, Following: max}
		if p, err := Compile(spec); err != nil {
			var fe *Error
			if !errors.As(err, &fe) {
				t.Fatalf("Compile error %v is %T, want *Error", err, err)
			}
		} else {
			_, _ = p.Match(lead) // a run-time error from `where` is fine; a panic is not
		}

		p, err := Compile(Spec{IncludeKeywords: [][]string{{kw1}}})
		if err != nil {
			return // a blank keyword
		}
		ok, err := p.Match(Lead{Bio: kw1})
		if err != nil || !ok {
			t.Fatalf("bio %q does not match keyword %q: %v, %v (source %s)", kw1, kw1, ok, err, p.Source())
		}
	})
}
