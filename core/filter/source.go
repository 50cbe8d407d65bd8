package filter

import (
	"strconv"
	"strings"
)

// generate writes the expr source equivalent to spec. Keywords become quoted
// string literals, lower-cased, matched against the pre-lowered fields of env.
// The `where` expression goes last, in its own parentheses and followed by a
// newline, so that a trailing `//` comment in it cannot swallow anything.
//
// A field read more than once is first bound with let: every read of an env
// field goes through reflection and allocates, and binding it once halves
// the cost of a typical filter. The bound names start with an underscore,
// which a `where` expression cannot use (it is compiled alone first, where
// they are unknown names), so they cannot clash.
func generate(spec Spec) string {
	var lets, clauses []string
	bio := "bio_lower"
	if countKeywords(spec.IncludeKeywords)+countKeywords(spec.ExcludeKeywords) > 1 {
		lets, bio = append(lets, "let _bio = bio_lower;"), "_bio"
	}
	followers, following := "followers", "following"
	if spec.Followers.Min != nil && spec.Followers.Max != nil {
		lets, followers = append(lets, "let _followers = followers;"), "_followers"
	}
	if spec.Following.Min != nil && spec.Following.Max != nil {
		lets, following = append(lets, "let _following = following;"), "_following"
	}
	if len(spec.IncludeKeywords) > 0 {
		clauses = append(clauses, keywordGroups(bio, spec.IncludeKeywords, spec.IncludeWithin.or(And), spec.IncludeBetween.or(Or)))
	}
	if len(spec.ExcludeKeywords) > 0 {
		clauses = append(clauses, not(keywordGroups(bio, spec.ExcludeKeywords, spec.ExcludeWithin.or(And), spec.ExcludeBetween.or(Or))))
	}
	if len(spec.LocationExclude) > 0 {
		clauses = append(clauses, not(keywordGroups("location_lower", [][]string{spec.LocationExclude}, Or, Or)))
	}
	clauses = append(clauses, rangeClauses(followers, spec.Followers)...)
	clauses = append(clauses, rangeClauses(following, spec.Following)...)
	if spec.HasWebsite != nil {
		if *spec.HasWebsite {
			clauses = append(clauses, `website != ""`)
		} else {
			clauses = append(clauses, `website == ""`)
		}
	}
	if strings.TrimSpace(spec.Where) != "" {
		clauses = append(clauses, "("+spec.Where+"\n)")
	}
	if len(clauses) == 0 {
		return "true"
	}
	lets = append(lets, strings.Join(clauses, " && "))
	return strings.Join(lets, " ")
}

func countKeywords(groups [][]string) int {
	n := 0
	for _, g := range groups {
		n += len(g)
	}
	return n
}

// keywordGroups returns groups joined by between, each group's keywords
// joined by within, each keyword a case-insensitive substring test on field.
func keywordGroups(field string, groups [][]string, within, between Logic) string {
	parts := make([]string, len(groups))
	for i, g := range groups {
		tests := make([]string, len(g))
		for j, kw := range g {
			tests[j] = field + " contains " + quote(kw)
		}
		parts[i] = join(tests, within)
	}
	return join(parts, between)
}

// join combines expressions with logic, parenthesized when there are several.
func join(exprs []string, logic Logic) string {
	if len(exprs) == 1 {
		return exprs[0]
	}
	op := " && "
	if logic == Or {
		op = " || "
	}
	return "(" + strings.Join(exprs, op) + ")"
}

// not negates an expression made by keywordGroups: one that is either a single
// `contains` test or already wrapped in parentheses by join.
func not(s string) string {
	if strings.HasSuffix(s, ")") {
		return "not " + s
	}
	return "not (" + s + ")"
}

// quote makes an expr string literal of a keyword. strings.ToLower always
// returns valid UTF-8 (it replaces invalid bytes), so strconv.Quote emits only
// escapes that expr's lexer reads back to the same text.
func quote(kw string) string {
	return strconv.Quote(strings.ToLower(kw))
}

func rangeClauses(field string, r Range) []string {
	var out []string
	if r.Min != nil {
		out = append(out, field+" >= "+strconv.Itoa(*r.Min))
	}
	if r.Max != nil {
		out = append(out, field+" <= "+strconv.Itoa(*r.Max))
	}
	return out
}
