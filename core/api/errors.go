package api

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/http"
	"reflect"
	"strconv"
	"strings"

	"github.com/danielgtaylor/huma/v2"

	"github.com/outreachhq/outreach/core/service"
)

// Error is the body of every error response, as in the hosted API:
// {"error": "Unauthorized", "message": "Invalid API key"}. It implements
// huma.StatusError, so an operation returns it like any error.
type Error struct {
	status int

	// Title is serialized as "error"; it cannot be a field named Error
	// because of the Error method.
	Title      string `json:"error" doc:"Class of the error: Bad Request, Unauthorized, Forbidden, Not Found, Rate limited or Internal Server Error." example:"Unauthorized"`
	Message    string `json:"message" doc:"What went wrong. For bad input it names the field." example:"Invalid API key"`
	RetryAfter int    `json:"retry_after,omitempty" doc:"Seconds until the rate-limit window resets. Only on 429 responses, beside the Retry-After header." example:"45"`
}

// Error returns the message, which is what the client sees.
func (e *Error) Error() string { return e.Message }

// GetStatus returns the HTTP status of the response that carries e.
func (e *Error) GetStatus() int { return e.status }

// GetHeaders gives huma the headers of the response that carries e:
// Retry-After beside retry_after on a 429.
func (e *Error) GetHeaders() http.Header {
	if e.RetryAfter <= 0 {
		return nil
	}
	return http.Header{headerRetryAfter: {strconv.Itoa(e.RetryAfter)}}
}

var (
	_ huma.StatusError  = (*Error)(nil)
	_ huma.HeadersError = (*Error)(nil)
)

// Messages of the error bodies. The invalid-key and rate-limit ones are the
// hosted API's, word for word; clients may match on them.
const (
	msgMissingKey    = "Missing API key"
	msgInvalidKey    = "Invalid API key"
	msgRateLimited   = "Too many requests. Please try again later."
	msgInternal      = "Internal server error. Quote the X-Request-ID header when reporting it."
	titleRateLimited = "Rate limited" // lower-case l, as the hosted API spells it
)

// newError returns the error body for status. Titles follow the hosted API
// where it names them and the standard status text elsewhere.
func newError(status int, msg string) *Error {
	title := http.StatusText(status)
	if status == http.StatusTooManyRequests {
		title = titleRateLimited
	}
	return &Error{status: status, Title: title, Message: msg}
}

// huma has only package-level hooks for its error type, and it reads them
// when an operation is registered (to put the error schema in the OpenAPI
// document), so they are replaced once, before any Server exists. Every
// error huma produces itself (validation, unreadable bodies, 406, ...) then
// has the hosted API's shape instead of RFC 9457 problem+json.
func init() {
	huma.NewError = humaError
	huma.NewErrorWithContext = func(hctx huma.Context, status int, msg string, errs ...error) huma.StatusError {
		if status >= http.StatusInternalServerError {
			return internalError(hctx.Context(), errors.Join(append([]error{errors.New(msg)}, errs...)...))
		}
		return humaError(status, msg, errs...)
	}
}

// humaError converts the errors huma raises to the hosted API's. huma
// answers invalid input with 422; the hosted API documents 400 for it.
func humaError(status int, msg string, errs ...error) huma.StatusError {
	switch {
	case status == http.StatusUnprocessableEntity || status == http.StatusBadRequest:
		return newError(http.StatusBadRequest, describeInvalid(msg, errs))
	case status >= http.StatusInternalServerError:
		// No context to log with here; huma's own 500s go through
		// NewErrorWithContext, which logs.
		return newError(status, msgInternal)
	}
	return newError(status, msg)
}

// describeInvalid turns huma's validation details into one message that
// names each failing field: "limit: expected number <= 100". The offending
// values are left out on purpose: request bodies carry cookies and proxy
// passwords, which must never be echoed.
func describeInvalid(msg string, errs []error) string {
	var parts []string
	for _, err := range errs {
		if err == nil {
			continue
		}
		var d huma.ErrorDetailer
		if !errors.As(err, &d) {
			parts = append(parts, err.Error())
			continue
		}
		detail := d.ErrorDetail()
		switch field := fieldName(detail.Location); field {
		case "":
			parts = append(parts, detail.Message)
		default:
			parts = append(parts, field+": "+detail.Message)
		}
	}
	if len(parts) == 0 {
		return msg
	}
	return strings.Join(parts, "; ")
}

// fieldName strips huma's location prefix ("query.limit", "body.sources[0]
// .handle") so the message names the field as the client sent it.
func fieldName(location string) string {
	if location == "body" {
		return "request body"
	}
	for _, prefix := range []string{"body.", "query.", "path.", "header.", "cookie."} {
		if rest, ok := strings.CutPrefix(location, prefix); ok {
			return rest
		}
	}
	return location
}

// serviceError is the one place where errors from the service become HTTP
// statuses. Anything it does not recognize is an internal error: logged with
// the request id, and answered without detail.
func serviceError(ctx context.Context, err error) error {
	var (
		invalid  *service.ValidationError
		conflict *service.ConflictError
		limit    *service.LimitError
	)
	switch {
	case errors.As(err, &invalid):
		// The ValidationError itself, not its wrapping: the client needs the
		// field and the reason, not the call chain.
		return newError(http.StatusBadRequest, invalid.Error())
	case errors.As(err, &conflict):
		return newError(http.StatusConflict, conflict.Error())
	case errors.As(err, &limit):
		e := newError(http.StatusTooManyRequests, limit.Reason)
		e.RetryAfter = max(1, int(math.Ceil(limit.RetryAfter.Seconds())))
		return e
	case errors.Is(err, service.ErrNotFound):
		return newError(http.StatusNotFound, err.Error())
	case errors.Is(err, service.ErrUnauthorized):
		return newError(http.StatusUnauthorized, msgInvalidKey)
	default:
		return internalError(ctx, err)
	}
}

// internalError logs err with the request id and returns a 500 that says
// nothing about it: internal messages can name files, hosts or records.
func internalError(ctx context.Context, err error) *Error {
	state := stateFrom(ctx)
	state.log.ErrorContext(ctx, "api request failed", "request_id", state.id, "error", err)
	return newError(http.StatusInternalServerError, msgInternal)
}

// writeError writes e for the handlers that run outside huma (auth, rate
// limits, unknown routes, panics). It encodes exactly as huma does.
func writeError(w http.ResponseWriter, e *Error) {
	h := w.Header()
	h.Set("Content-Type", "application/json")
	if e.RetryAfter > 0 {
		h.Set(headerRetryAfter, strconv.Itoa(e.RetryAfter))
	}
	w.WriteHeader(e.status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(e) // the client has gone if this fails; nothing to tell it
}

// errorKind is an error response, described once in the document's
// components and referred to by the operations that give it.
type errorKind struct {
	status      int
	name        string
	description string
}

func (e errorKind) ref() *huma.Response {
	return &huma.Response{Ref: "#/components/responses/" + e.name}
}

// commonErrors are the errors every /api/v1 operation can return, by the
// name of their response in the OpenAPI document's components.
var commonErrors = []errorKind{
	{http.StatusBadRequest, "BadRequest", "Bad Request - invalid parameters; the message names the field"},
	{http.StatusUnauthorized, "Unauthorized", "Unauthorized - missing or invalid API key"},
	{http.StatusTooManyRequests, "RateLimited", "Rate Limited - too many requests; retry after Retry-After seconds"},
	{http.StatusInternalServerError, "InternalError", "Internal Server Error - no detail is given; quote X-Request-ID"},
}

// operationErrors are errors some operations give; each operation that
// can names them (errorResponses), except 404 for an object in the path
// and 413 for a body, which documentErrors adds.
var operationErrors = []errorKind{
	{http.StatusNotFound, "NotFound", "Not Found - no such object in this workspace (another workspace's ids are not found either)"},
	{http.StatusConflict, "Conflict", "Conflict - the object's state refuses the operation; the message names the state"},
	{http.StatusRequestEntityTooLarge, "PayloadTooLarge", "Payload Too Large - the body is over 1 MiB"},
	{http.StatusBadGateway, "BadGateway", "Bad Gateway - X refused or failed the action; the message gives its reason"},
	{http.StatusGatewayTimeout, "GatewayTimeout", "Gateway Timeout - the action is under way but not done in time; the message says how to follow it"},
}

// errorKindOf returns the error response of status, from either list.
func errorKindOf(status int) errorKind {
	for _, e := range append(commonErrors, operationErrors...) {
		if e.status == status {
			return e
		}
	}
	panic(fmt.Sprintf("no error response for status %d", status))
}

// errorResponses refers an operation to the error responses of statuses,
// beyond those every operation has: Responses: errorResponses(404, 409).
func errorResponses(statuses ...int) map[string]*huma.Response {
	out := map[string]*huma.Response{}
	for _, status := range statuses {
		out[strconv.Itoa(status)] = errorKindOf(status).ref()
	}
	return out
}

// errorResponseComponents returns the error responses, described once in
// the document's components and referred to by the operations.
func errorResponseComponents(registry huma.Registry) map[string]*huma.Response {
	schema := registry.Schema(reflect.TypeFor[Error](), true, "Error")
	responses := map[string]*huma.Response{}
	for _, e := range append(commonErrors, operationErrors...) {
		headers := responseHeaderRefs()
		if e.status == http.StatusTooManyRequests {
			headers[headerRetryAfter] = headerRef(headerRetryAfter)
		}
		responses[e.name] = &huma.Response{
			Description: e.description,
			Headers:     headers,
			Content:     map[string]*huma.MediaType{"application/json": {Schema: schema}},
		}
	}
	return responses
}

// documentErrors refers an /api/v1 operation to the common error
// responses, to 404 when its path names an object, and to 413 when it
// takes a body. huma's own "default" and 422 entries go: the gate answers
// 401 and 429 for every operation, and invalid input gets 400, never 422.
func documentErrors(op *huma.Operation) {
	delete(op.Responses, "default")
	delete(op.Responses, strconv.Itoa(http.StatusUnprocessableEntity))
	for _, e := range commonErrors {
		if e.status == http.StatusBadRequest && len(op.Parameters) == 0 && op.RequestBody == nil {
			continue // nothing to validate
		}
		op.Responses[strconv.Itoa(e.status)] = e.ref()
	}
	for _, p := range op.Parameters {
		if p.In == "path" {
			op.Responses[strconv.Itoa(http.StatusNotFound)] = errorKindOf(http.StatusNotFound).ref()
			break
		}
	}
	if op.RequestBody != nil {
		op.Responses[strconv.Itoa(http.StatusRequestEntityTooLarge)] = errorKindOf(http.StatusRequestEntityTooLarge).ref()
	}
}
