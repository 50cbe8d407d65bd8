package filter

import (
	"errors"
	"fmt"
	"strings"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/file"
)

// Validate reports every problem with spec, in field order; nil means
// [Compile] will accept it. It exists beside Compile so that a config loader
// can report all problems of a filter at once rather than the first.
func Validate(spec Spec) []*Error {
	var errs []*Error
	for _, l := range []struct {
		field string
		logic Logic
	}{
		{FieldIncludeWithin, spec.IncludeWithin},
		{FieldIncludeBetween, spec.IncludeBetween},
		{FieldExcludeWithin, spec.ExcludeWithin},
		{FieldExcludeBetween, spec.ExcludeBetween},
	} {
		switch l.logic {
		case "", And, Or:
		default:
			errs = append(errs, &Error{Field: l.field, Reason: fmt.Sprintf(`must be "AND" or "OR", not %q`, string(l.logic))})
		}
	}
	errs = append(errs, validateGroups(FieldIncludeKeywords, spec.IncludeKeywords)...)
	errs = append(errs, validateGroups(FieldExcludeKeywords, spec.ExcludeKeywords)...)
	for i, loc := range spec.LocationExclude {
		if strings.TrimSpace(loc) == "" {
			errs = append(errs, &Error{Field: FieldLocationExclude, Reason: fmt.Sprintf("entry %d is blank, and a blank entry would exclude every lead", i+1)})
		}
	}
	errs = append(errs, validateRange(FieldFollowers, spec.Followers)...)
	errs = append(errs, validateRange(FieldFollowing, spec.Following)...)
	if err := validateWhere(spec.Where); err != nil {
		errs = append(errs, err)
	}
	return errs
}

func validateGroups(field string, groups [][]string) []*Error {
	var errs []*Error
	for i, g := range groups {
		if len(g) == 0 {
			errs = append(errs, &Error{Field: field, Reason: fmt.Sprintf("group %d is empty; remove it or give it at least one keyword", i+1)})
			continue
		}
		for j, kw := range g {
			if strings.TrimSpace(kw) == "" {
				errs = append(errs, &Error{Field: field, Reason: fmt.Sprintf("keyword %d of group %d is blank, and a blank keyword matches every bio", j+1, i+1)})
			}
		}
	}
	return errs
}

func validateRange(field string, r Range) []*Error {
	var errs []*Error
	if r.Min != nil && *r.Min < 0 {
		errs = append(errs, &Error{Field: field, Reason: fmt.Sprintf("min is %d, but a count cannot be negative", *r.Min)})
	}
	if r.Max != nil && *r.Max < 0 {
		errs = append(errs, &Error{Field: field, Reason: fmt.Sprintf("max is %d, but a count cannot be negative", *r.Max)})
	}
	if r.Min != nil && r.Max != nil && *r.Min > *r.Max {
		errs = append(errs, &Error{Field: field, Reason: fmt.Sprintf("min (%d) is greater than max (%d), so no lead could match", *r.Min, *r.Max)})
	}
	return errs
}

// validateWhere compiles the `where` expression on its own, so that an error
// position is relative to what the user wrote, not to the generated program.
func validateWhere(where string) *Error {
	if strings.TrimSpace(where) == "" {
		return nil
	}
	_, err := expr.Compile(where, exprOptions()...)
	if err == nil {
		return nil
	}
	e := &Error{Field: FieldWhere, Reason: err.Error()}
	var fe *file.Error
	if errors.As(err, &fe) {
		e.Reason = fe.Message
		// expr leaves Line at 0 when it has no location, and counts columns from 0.
		if fe.Line > 0 {
			e.Pos = Pos{Line: fe.Line, Column: fe.Column + 1}
		}
	}
	return e
}

func exprOptions() []expr.Option {
	return []expr.Option{expr.Env(env{}), expr.AsBool()}
}
