package service

import (
	"errors"
	"fmt"
	"time"

	"github.com/outreachhq/outreach/core/store"
)

// ErrNotFound is returned when an object does not exist in the caller's
// workspace (another workspace's objects are not found either). It is
// store.ErrNotFound: one "not found" for the whole core.
var ErrNotFound = store.ErrNotFound

// ErrUnauthorized is returned for an unknown or revoked API key.
var ErrUnauthorized = errors.New("invalid API key")

// ValidationError is bad input to an operation, naming the field.
type ValidationError struct {
	Field  string
	Reason string
}

func (e *ValidationError) Error() string { return fmt.Sprintf("%s: %s", e.Field, e.Reason) }

// invalid returns a *ValidationError.
func invalid(field, format string, args ...any) error {
	return &ValidationError{Field: field, Reason: fmt.Sprintf(format, args...)}
}

// notFound wraps ErrNotFound with what was looked for.
func notFound(format string, args ...any) error {
	return fmt.Errorf("%s: %w", fmt.Sprintf(format, args...), ErrNotFound)
}

// LimitError is an operation refused because a limit holds now: X's rate
// limit for the account, or its daily cap. The API answers 429 with
// retry_after.
type LimitError struct {
	Reason string
	// RetryAfter is how long until the limit lifts; at least a second.
	RetryAfter time.Duration
}

func (e *LimitError) Error() string { return e.Reason }

// ConflictError is an operation the object's state refuses (cancelling a
// tweet that was posted): the request was well formed, the object is in
// the wrong state. The API answers 409, naming the state.
type ConflictError struct {
	Field  string
	Reason string
}

func (e *ConflictError) Error() string { return fmt.Sprintf("%s: %s", e.Field, e.Reason) }
