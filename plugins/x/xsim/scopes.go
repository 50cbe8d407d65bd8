package xsim

import (
	"fmt"
	"net/http"
	"strings"
)

// endpointScopes are the OAuth 2.0 scopes each endpoint needs: the
// OAuth2UserToken "security" of its operation in X's OpenAPI 2.166
// (shared/x-api-v2/openapi_v2.166.excerpt.json, checked by
// TestScopesFollowTheSpec), plus dm.read on the DM sends, which X's DM
// guide requires "with dm.write" (docs.x.com/x-api/direct-messages/manage/
// integrate) though the spec does not list it. Sorted, as a refusal names
// them in this order.
var endpointScopes = [numEndpoints][]string{
	epUserByUsername:       {"tweet.read", "users.read"},
	epUserByID:             {"tweet.read", "users.read"},
	epUserMe:               {"tweet.read", "users.read"},
	epFollowers:            {"follows.read", "tweet.read", "users.read"},
	epFollowing:            {"follows.read", "tweet.read", "users.read"},
	epFollow:               {"follows.write", "tweet.read", "users.read"},
	epDMSend:               {"dm.read", "dm.write", "tweet.read", "users.read"},
	epDMEvents:             {"dm.read", "tweet.read", "users.read"},
	epDMConversationEvents: {"dm.read", "tweet.read", "users.read"},
	epLike:                 {"like.write", "tweet.read", "users.read"},
	epUserTweets:           {"tweet.read", "users.read"},
	epTweetCreate:          {"tweet.read", "tweet.write", "users.read"},
}

// missingScopes lists the scopes of ep that g was not granted.
func missingScopes(ep endpoint, g *grant) []string {
	var out []string
	for _, sc := range endpointScopes[ep] {
		if !g.has(sc) {
			out = append(out, sc)
		}
	}
	return out
}

// scopeProblemType is the type of the 403 for a missing scope. X publishes
// no body for it, so it is the closest of X's problem types
// (problem_types.json): "unsupported-authentication", "the authentication
// used is not supported", because it is the token that falls short, not
// the app ("client-forbidden" is about the app's enrollment) and not the
// resource ("not-authorized-for-resource" is what a recipient who closed
// their DMs gets). A client must read it as "this account cannot act",
// never as "this lead is unreachable". The host is api.x.com, as in the
// current docs that describe OAuth 2.0 scopes.
const scopeProblemType = "https://api.x.com/2/problems/unsupported-authentication"

// scopeProblem is the 403 body of a missing scope, shaped as X's problems.
type scopeProblem struct {
	Title  string `json:"title"`
	Type   string `json:"type"`
	Status int    `json:"status"`
	Detail string `json:"detail"`
}

func missingScope(missing []string) result {
	return result{http.StatusForbidden, scopeProblem{
		Title:  "Unsupported Authentication",
		Type:   scopeProblemType,
		Status: http.StatusForbidden,
		Detail: fmt.Sprintf("The OAuth 2.0 access token used is missing the scope(s) this endpoint requires: %s. Authorize the app again with them.",
			strings.Join(missing, ", ")),
	}}
}
