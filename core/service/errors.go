package service

import (
	"errors"
	"fmt"
)

// ErrNotFound is returned when an object does not exist in the caller's
// workspace (another workspace's objects are not found either).
var ErrNotFound = errors.New("not found")

// ErrUnauthorized is returned for an unknown or revoked API key.
var ErrUnauthorized = errors.New("invalid API key")

// ValidationError is bad input to an operation, naming the field.
type ValidationError struct {
	Field  string
	Reason string
}

func (e *ValidationError) Error() string { return fmt.Sprintf("%s: %s", e.Field, e.Reason) }
