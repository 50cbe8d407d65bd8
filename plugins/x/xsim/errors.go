package xsim

import (
	"fmt"
	"net/http"
)

// Problem bodies, shaped as X answers them (shared/x-api-v2: error.*.json,
// users_by_username.not_found.response.json). Type URIs use the
// api.twitter.com host that X's recorded responses and OpenAPI 2.166 use;
// clients should match on the path (".../problems/invalid-request").
const problemBase = "https://api.twitter.com/2/problems/"

// result is what an endpoint answers: a status and a body to encode as JSON.
type result struct {
	status int
	body   any
}

func answerOK(body any) result      { return result{http.StatusOK, body} }
func answerCreated(body any) result { return result{http.StatusCreated, body} }

// genericProblem is the about:blank problem of a whole-request failure, as in
// error.401.postman.json.
type genericProblem struct {
	Title  string `json:"title"`
	Type   string `json:"type"`
	Status int    `json:"status"`
	Detail string `json:"detail"`
}

func unauthorized() result {
	return result{http.StatusUnauthorized, genericProblem{"Unauthorized", "about:blank", 401, "Unauthorized"}}
}

func notFoundRoute() result {
	return result{http.StatusNotFound, genericProblem{"Not Found", "about:blank", 404, "Sorry, that page does not exist."}}
}

func forbidden(detail string) result {
	return result{http.StatusForbidden, genericProblem{"Forbidden", "about:blank", 403, detail}}
}

// invalidRequestProblem is X's 400 body (error.400.invalid_request.postman.json).
type invalidRequestProblem struct {
	Errors []paramError `json:"errors"`
	Title  string       `json:"title"`
	Detail string       `json:"detail"`
	Type   string       `json:"type"`
}

type paramError struct {
	Parameters map[string][]string `json:"parameters,omitempty"`
	Message    string              `json:"message"`
}

// invalidParam answers 400 naming the parameter and the value it refused.
func invalidParam(name, value, format string, args ...any) result {
	return result{http.StatusBadRequest, invalidRequestProblem{
		Errors: []paramError{{Parameters: map[string][]string{name: {value}}, Message: fmt.Sprintf(format, args...)}},
		Title:  "Invalid Request",
		Detail: "One or more parameters to your request was invalid.",
		Type:   problemBase + "invalid-request",
	}}
}

// invalidBody answers 400 for a request body that is not what the endpoint
// takes; X names the JSON field in the message.
func invalidBody(format string, args ...any) result {
	return result{http.StatusBadRequest, invalidRequestProblem{
		Errors: []paramError{{Message: fmt.Sprintf(format, args...)}},
		Title:  "Invalid Request",
		Detail: "One or more parameters to your request was invalid.",
		Type:   problemBase + "invalid-request",
	}}
}

// resourceProblem is the resource-not-found / not-authorized-for-resource
// problem. In a 200 answer it sits in "errors"; as a whole-request failure it
// is the body itself and carries a status.
type resourceProblem struct {
	Detail       string `json:"detail"`
	Title        string `json:"title"`
	ResourceType string `json:"resource_type"`
	Parameter    string `json:"parameter"`
	Value        string `json:"value"`
	ResourceID   string `json:"resource_id,omitempty"`
	Type         string `json:"type"`
	Status       int    `json:"status,omitempty"`
}

// errorsOnly is the 200 answer of a lookup whose one resource does not exist.
type errorsOnly struct {
	Errors []resourceProblem `json:"errors"`
}

func userNotFound(param, value string) resourceProblem {
	return resourceProblem{
		Detail:       fmt.Sprintf("Could not find user with %s: [%s].", param, value),
		Title:        "Not Found Error",
		ResourceType: "user",
		Parameter:    param,
		Value:        value,
		Type:         problemBase + "resource-not-found",
	}
}

// lookupNotFound answers a single-user lookup of a missing user: HTTP 200 with
// only errors, as X's recorded responses show.
func lookupNotFound(param, value string) result {
	return answerOK(errorsOnly{Errors: []resourceProblem{userNotFound(param, value)}})
}

// targetNotFound answers a write (DM, follow) aimed at a user that does not
// exist. A write has no partial success to report, so the problem is the whole
// body, with 404.
func targetNotFound(param, value string) result {
	p := userNotFound(param, value)
	p.Status = http.StatusNotFound
	return result{http.StatusNotFound, p}
}

// dmRefused answers a DM to a user who does not take DMs from strangers:
// legacy error 349, "You cannot send messages to this user.", as a v2 problem.
func dmRefused(participant string) result {
	return result{http.StatusForbidden, resourceProblem{
		Detail:       "You cannot send messages to this user.",
		Title:        "Forbidden",
		ResourceType: "user",
		Parameter:    "participant_id",
		Value:        participant,
		ResourceID:   participant,
		Type:         problemBase + "not-authorized-for-resource",
		Status:       http.StatusForbidden,
	}}
}

// legacyErrors is the v1.1-style body X documents for 429 (error.429.json).
type legacyErrors struct {
	Errors []legacyError `json:"errors"`
}

type legacyError struct {
	Code    int    `json:"code"`
	Message string `json:"message"`
}

func rateLimited() result {
	return result{http.StatusTooManyRequests, legacyErrors{Errors: []legacyError{{Code: 88, Message: "Rate limit exceeded"}}}}
}
