package sdk

import (
	"errors"
	"strings"
	"testing"
	"time"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// TestErrorsCrossTheBoundary: every kind, and a rate limit's reset time,
// survive the trip through a gRPC status.
func TestErrorsCrossTheBoundary(t *testing.T) {
	reset := time.Date(2026, 3, 2, 9, 45, 0, 123, time.UTC)
	for kind := range kindCodes {
		in := &Error{Kind: kind, Message: "x: " + string(kind)}
		if kind == RateLimited {
			in.ResetAt = reset
		}
		out := fromStatus(toStatus(in))
		var e *Error
		if !errors.As(out, &e) || e.Kind != kind || e.Message != in.Message || !e.ResetAt.Equal(in.ResetAt) {
			t.Errorf("%s came back as %#v", kind, out)
		}
	}
}

// TestInDoubtTravelsAsUnknown: an in-doubt write has its own reason, and
// the code of an untyped error, so that a host that reads only the code
// (one built before IN_DOUBT) still treats it as in doubt, never as "not
// sent".
func TestInDoubtTravelsAsUnknown(t *testing.T) {
	err := toStatus(Errorf(InDoubt, "x: POST /2/dm_conversations/with/1/messages: 503: the outcome is unknown"))
	st, _ := status.FromError(err)
	if st.Code() != codes.Unknown {
		t.Errorf("InDoubt travels as %s; want %s, the code of an untyped error", st.Code(), codes.Unknown)
	}
	var reason string
	for _, d := range st.Details() {
		if info, ok := d.(*errdetails.ErrorInfo); ok && info.Domain == errorDomain {
			reason = info.Reason
		}
	}
	if reason != "IN_DOUBT" {
		t.Errorf("InDoubt travels with reason %q; want IN_DOUBT", reason)
	}
	if got := fromStatus(err); KindOf(got) != InDoubt {
		t.Errorf("InDoubt came back as %v (kind %q)", got, KindOf(got))
	}
}

func TestUntypedAndUnknownErrorsStayUntyped(t *testing.T) {
	if got := fromStatus(toStatus(errors.New("boom"))); KindOf(got) != "" || !strings.Contains(got.Error(), "boom") {
		t.Errorf("plain error came back as %v (kind %q)", got, KindOf(got))
	}
	future := toStatus(&Error{Kind: "FROM_THE_FUTURE", Message: "new"})
	if got := fromStatus(future); KindOf(got) != "" || !strings.Contains(got.Error(), `unknown error kind "FROM_THE_FUTURE"`) {
		t.Errorf("unknown kind came back as %v (kind %q): only known kinds may be trusted", got, KindOf(got))
	}
	if got := fromStatus(status.Error(codes.Unavailable, "connection closed")); KindOf(got) != "" {
		t.Errorf("a broken connection came back typed %q", KindOf(got))
	}
	if got := fromStatus(status.Error(codes.Unimplemented, "unknown method Follow")); KindOf(got) != Permanent {
		t.Errorf("an RPC the plugin lacks came back as %v; want Permanent", got)
	}
}

func TestErrorMessage(t *testing.T) {
	e := &Error{Kind: RateLimited, Message: "slow down", ResetAt: time.Date(2026, 3, 2, 9, 45, 0, 0, time.UTC)}
	if got := e.Error(); got != "slow down (rate limited until 2026-03-02T09:45:00Z)" {
		t.Errorf("Error() = %q", got)
	}
}
