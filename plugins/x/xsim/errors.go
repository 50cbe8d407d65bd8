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

// serverError is X's answer when it fails: the about:blank problem of a
// whole-request failure, with the status's name as title and detail, as
// X's recorded 401 has (error.401.postman.json; X publishes no 5xx body).
func serverError(status int) result {
	text := http.StatusText(status)
	return result{status, genericProblem{text, "about:blank", status, text}}
}

// statusProblem is a forbidden-account problem: X's problem fields, plus,
// for the account states that X numbers, the legacy errors array with the
// code (error_codes.legacy_numeric.json), where v1.1 clients look for it.
type statusProblem struct {
	Detail string        `json:"detail"`
	Title  string        `json:"title"`
	Status int           `json:"status"`
	Type   string        `json:"type"`
	Errors []legacyError `json:"errors,omitempty"`
}

// accountSuspended answers a call made with the token of a suspended
// account. The body is the one X's v2 API answered in 2026, as reported in
// akrherz/iembot#156; no official source records one.
func accountSuspended() result {
	return result{http.StatusForbidden, statusProblem{
		Detail: "The user used for authentication is suspended",
		Title:  "Forbidden",
		Status: http.StatusForbidden,
		Type:   problemBase + "user-suspended",
	}}
}

// Legacy codes of account states, with X's texts.
const (
	codeLocked    = 326
	textLocked    = "To protect our users from spam and other malicious activity, this account is temporarily locked."
	codeAutomated = 226
	textAutomated = "This request looks like it might be automated. To protect our users from spam and other malicious activity, we can't complete this action right now."
)

// accountLocked answers a call of a temporarily locked account (legacy code
// 326). X documents the code and text but no v2 body, so it is a 403
// problem carrying both.
func accountLocked() result {
	return result{http.StatusForbidden, statusProblem{
		Detail: textLocked,
		Title:  "Forbidden",
		Status: http.StatusForbidden,
		Type:   "about:blank",
		Errors: []legacyError{{Code: codeLocked, Message: textLocked}},
	}}
}

// looksAutomated answers a DM that X's spam filters stopped (legacy code
// 226, "Corresponds with HTTP 403"). No v2 body is recorded anywhere: it is
// a 403 problem whose detail is X's text, with the code in an errors array
// as v1.1 answers it, so that a client matching either finds it.
func looksAutomated() result {
	return result{http.StatusForbidden, statusProblem{
		Detail: textAutomated,
		Title:  "Forbidden",
		Status: http.StatusForbidden,
		Type:   "about:blank",
		Errors: []legacyError{{Code: codeAutomated, Message: textAutomated}},
	}}
}

// clientForbiddenProblem is X's recorded client-forbidden problem
// (error.403.client_forbidden.postman.json).
type clientForbiddenProblem struct {
	ClientID           string `json:"client_id"`
	RequiredEnrollment string `json:"required_enrollment"`
	RegistrationURL    string `json:"registration_url"`
	Title              string `json:"title"`
	Detail             string `json:"detail"`
	Reason             string `json:"reason"`
	Type               string `json:"type"`
}

func clientForbidden() result {
	return result{http.StatusForbidden, clientForbiddenProblem{
		ClientID:           "16340226",
		RequiredEnrollment: "Standard Basic",
		RegistrationURL:    "https://developer.twitter.com/en/account",
		Title:              "Client Forbidden",
		Detail:             "This request must be made using an approved developer account that is enrolled in the requested endpoint. Learn more by visiting our documentation.",
		Reason:             "client-not-enrolled",
		Type:               problemBase + "client-forbidden",
	}}
}
