package filter

import (
	"fmt"
	"strings"
)

// Logic combines keywords within a group, or groups with each other.
type Logic string

// The two logic words of the hosted API. The empty Logic means the default of
// the place it is used in (see [Spec]).
const (
	And Logic = "AND"
	Or  Logic = "OR"
)

// ParseLogic reads a logic word case-insensitively ("and", "Or", ...). The
// empty string is accepted and stays empty, meaning "the default". field names
// the setting for the error, e.g. "include_within_logic".
func ParseLogic(field, s string) (Logic, error) {
	switch l := Logic(strings.ToUpper(strings.TrimSpace(s))); l {
	case "", And, Or:
		return l, nil
	}
	return "", &Error{Field: field, Reason: fmt.Sprintf(`must be "AND" or "OR", not %q`, s)}
}

// or returns l, or def when l is empty.
func (l Logic) or(def Logic) Logic {
	if l == "" {
		return def
	}
	return l
}

// Range bounds a count, both ends inclusive; a nil end is unbounded.
type Range struct{ Min, Max *int }

// Spec is a filter as written by a user: the hosted API's Filters Object plus a
// `where` expression. The zero Spec keeps every lead.
type Spec struct {
	// IncludeKeywords are keyword groups; a lead passes when its bio matches
	// them. No groups means every lead passes this part.
	IncludeKeywords [][]string
	// ExcludeKeywords are keyword groups; a lead whose bio matches them is dropped.
	ExcludeKeywords [][]string

	// IncludeWithin and ExcludeWithin combine keywords inside a group
	// (default AND); IncludeBetween and ExcludeBetween combine groups
	// (default OR).
	IncludeWithin, IncludeBetween, ExcludeWithin, ExcludeBetween Logic

	// LocationExclude drops leads whose location contains any of these.
	LocationExclude []string

	// Followers and Following bound the lead's own counts.
	Followers, Following Range

	// HasWebsite: true keeps only leads with a website, false only leads
	// without one, nil does not filter.
	HasWebsite *bool

	// Where is an expr-lang expression over the lead's fields (see [Lead]),
	// ANDed with the rest. Empty means none.
	Where string
}

// Field names used in [Error.Field]. They are the HCL attribute names, which
// package config relies on to point a diagnostic at the right attribute.
const (
	FieldIncludeKeywords = "include_keywords"
	FieldExcludeKeywords = "exclude_keywords"
	FieldIncludeWithin   = "include_within_logic"
	FieldIncludeBetween  = "include_between_logic"
	FieldExcludeWithin   = "exclude_within_logic"
	FieldExcludeBetween  = "exclude_between_logic"
	FieldLocationExclude = "location_exclude"
	FieldFollowers       = "followers"
	FieldFollowing       = "following"
	FieldWhere           = "where"
)
