package filter

import "fmt"

// Error is a problem with one field of a [Spec].
type Error struct {
	// Field is the setting at fault, one of the Field* constants.
	Field string
	// Pos is where in the `where` source the problem is, when known.
	Pos Pos
	// Reason says what is wrong, for a person.
	Reason string
}

// Pos is a position inside a `where` expression: 1-based line and column,
// the column counted in characters. The zero Pos means unknown.
type Pos struct{ Line, Column int }

// IsZero reports whether the position is unknown.
func (p Pos) IsZero() bool { return p.Line == 0 }

// Error formats the problem as "filter FIELD: [line L, column C: ]REASON".
func (e *Error) Error() string {
	if !e.Pos.IsZero() {
		return fmt.Sprintf("filter %s: line %d, column %d: %s", e.Field, e.Pos.Line, e.Pos.Column, e.Reason)
	}
	return fmt.Sprintf("filter %s: %s", e.Field, e.Reason)
}
