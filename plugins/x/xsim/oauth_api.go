package xsim

import (
	"net/http"
)

// OAuthPath is the simulator's own report of what its OAuth 2.0 server has
// done (OAuthStats as JSON). Like LoginPath it exists only in the simulator
// and takes no credentials.
//
//	GET /sandbox/v1/oauth -> 200 {"codes_issued":1,"codes_exchanged":1,"refreshes":2,...,
//	                             "handles":{"acme_sales":{"requests":40,"access_tokens":3,"refreshes":2}}}
const OAuthPath = "/sandbox/v1/oauth"

// OAuthRevokePath revokes every live refresh token of an account holder
// (Sim.RevokeRefreshTokens), so that a test in another process can make
// the next refresh fail as X refuses one:
//
//	POST /sandbox/v1/oauth/revoke {"handle":"acme_sales"} -> 200 {"revoked":1}
const OAuthRevokePath = "/sandbox/v1/oauth/revoke"

func (s *Sim) handleOAuthStats(w http.ResponseWriter, _ *http.Request) {
	writeResult(w, answerOK(s.OAuthStats()))
}

type revokeHandleResponse struct {
	Revoked int `json:"revoked"`
}

func (s *Sim) handleOAuthRevokeHandle(w http.ResponseWriter, r *http.Request) {
	var req loginRequest
	if res := decodeBody(r, &req); res != nil {
		writeResult(w, *res)
		return
	}
	if !validUsername(req.Handle) {
		writeResult(w, invalidBody("The `handle` field %q is not a username: a username is 1 to 15 letters, digits or underscores", req.Handle))
		return
	}
	writeResult(w, answerOK(revokeHandleResponse{Revoked: s.RevokeRefreshTokens(req.Handle)}))
}
