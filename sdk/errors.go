package sdk

import (
	"errors"
	"fmt"
	"time"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// ErrorKind says how the host should treat a failed call.
type ErrorKind string

// Error kinds that cross the plugin boundary.
const (
	// RateLimited: try again after Error.ResetAt.
	RateLimited ErrorKind = "RATE_LIMITED"
	// SessionExpired: the account's credentials no longer work; the account
	// is paused until they are renewed.
	SessionExpired ErrorKind = "SESSION_EXPIRED"
	// RecipientClosed: the recipient does not accept DMs from this account.
	RecipientClosed ErrorKind = "RECIPIENT_CLOSED"
	// AccountBlocked: the account itself cannot act: it is suspended or
	// locked, or its token lacks a scope or the app is not allowed the
	// endpoint. Unlike RecipientClosed it says nothing about the lead: every
	// call of the account will fail the same way until a person acts.
	AccountBlocked ErrorKind = "ACCOUNT_BLOCKED"
	// Automated: the network said the request looks automated (X's code
	// 226) and refused it; nothing was done. The account should cool down
	// before it acts again.
	Automated ErrorKind = "AUTOMATED"
	// NotFound: the user, conversation or post does not exist.
	NotFound ErrorKind = "NOT_FOUND"
	// Permanent: retrying the same call will fail the same way.
	Permanent ErrorKind = "PERMANENT"
	// Retryable: a transient failure, and the call did not take effect
	// (nothing was sent, or the network said it refused the request). For
	// a write whose effect is unknown, use InDoubt: on writes the host
	// treats Retryable as in doubt anyway, so it is only a hint for reads.
	Retryable ErrorKind = "RETRYABLE"
	// InDoubt: a write (send a DM, follow, like, comment, post) whose
	// outcome is unknown: the request may have taken effect. A timeout or a
	// cut connection after the request was sent, a 5xx, and a 2xx whose
	// body could not be read or parsed are in doubt. The host never simply
	// retries it: it reads the network (for a DM, ConversationEvents) to
	// learn whether the write happened, and parks the lead for a person if
	// it cannot tell.
	InDoubt ErrorKind = "IN_DOUBT"
)

// errorDomain scopes the ErrorInfo details this protocol defines.
const errorDomain = "outreach.plugin.v1"

// Error is a failure a plugin reports to the host.
type Error struct {
	Kind    ErrorKind
	Message string
	// ResetAt is when a rate limit lifts; zero if unknown.
	ResetAt time.Time
}

func (e *Error) Error() string {
	if e.Kind == RateLimited && !e.ResetAt.IsZero() {
		return fmt.Sprintf("%s (rate limited until %s)", e.Message, e.ResetAt.UTC().Format(time.RFC3339))
	}
	return e.Message
}

// Errorf returns an *Error of the given kind.
func Errorf(kind ErrorKind, format string, args ...any) *Error {
	return &Error{Kind: kind, Message: fmt.Sprintf(format, args...)}
}

// KindOf returns the kind of err if it is or wraps an *Error, else "".
func KindOf(err error) ErrorKind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return ""
}

var kindCodes = map[ErrorKind]codes.Code{
	RateLimited:     codes.ResourceExhausted,
	SessionExpired:  codes.Unauthenticated,
	RecipientClosed: codes.PermissionDenied,
	AccountBlocked:  codes.PermissionDenied,
	Automated:       codes.ResourceExhausted,
	NotFound:        codes.NotFound,
	Permanent:       codes.FailedPrecondition,
	Retryable:       codes.Unavailable,
	// Unknown is also the code of an untyped error, which the host treats
	// as in doubt: a host too old to know IN_DOUBT, or a proxy that drops
	// the details, still reads the call as "outcome unknown". DataLoss,
	// the other candidate, means corrupted data, which this is not.
	InDoubt: codes.Unknown,
}

// toStatus converts an error returned by a plugin implementation into the
// gRPC error sent to the host.
func toStatus(err error) error {
	if err == nil {
		return nil
	}
	var e *Error
	if !errors.As(err, &e) {
		return status.Error(codes.Unknown, err.Error())
	}
	code, ok := kindCodes[e.Kind]
	if !ok {
		code = codes.Unknown
	}
	st := status.New(code, e.Message)
	info := &errdetails.ErrorInfo{Reason: string(e.Kind), Domain: errorDomain}
	if !e.ResetAt.IsZero() {
		info.Metadata = map[string]string{"reset_at": e.ResetAt.UTC().Format(time.RFC3339Nano)}
	}
	if withDetails, derr := st.WithDetails(info); derr == nil {
		st = withDetails
	}
	return st.Err()
}

// fromStatus converts a gRPC error received from a plugin back into an
// *Error where the plugin sent one; other errors (a crashed plugin, a
// deadline) pass through unchanged for the host to classify.
//
// Two cases are deliberately not trusted as typed: a reason this SDK does
// not know (from a newer plugin) stays an untyped error, which the host
// treats as in doubt, because a kind it might misread could turn "maybe
// sent" into "not sent". And UNIMPLEMENTED, what gRPC answers for an RPC
// the plugin was built without, becomes Permanent: retrying cannot help,
// and nothing was done.
func fromStatus(err error) error {
	if err == nil {
		return nil
	}
	st, ok := status.FromError(err)
	if !ok {
		return err
	}
	for _, d := range st.Details() {
		info, ok := d.(*errdetails.ErrorInfo)
		if !ok || info.Domain != errorDomain {
			continue
		}
		kind := ErrorKind(info.Reason)
		if _, known := kindCodes[kind]; !known {
			return fmt.Errorf("%s (unknown error kind %q)", st.Message(), info.Reason)
		}
		e := &Error{Kind: kind, Message: st.Message()}
		if at, perr := time.Parse(time.RFC3339Nano, info.Metadata["reset_at"]); perr == nil {
			e.ResetAt = at
		}
		return e
	}
	if st.Code() == codes.Unimplemented {
		return &Error{Kind: Permanent, Message: "not supported by this plugin: " + st.Message()}
	}
	return err
}
