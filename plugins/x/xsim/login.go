package xsim

import (
	"net/http"
)

// LoginPath is the simulator's own sign-in endpoint. It exists only in the
// simulator, outside X's /2 namespace: real X signs accounts in with OAuth
// (AuthorizePath, TokenPath), which takes a browser round trip; this is the
// short way for rehearsals. It lets a process other than the one that runs
// the Sim (`outreach sandbox` serving, `outreach apply
// --sandbox-url` sending) sign an account in.
//
//	POST /sandbox/v1/login {"handle":"acme_sales"} -> 200 {"token":"xsim-..."}
//
// It takes no credentials and answers as Login does: the same handle gets the
// same token. Anyone who can reach the listener can sign in as anyone, which
// is why Start listens on loopback only.
const LoginPath = "/sandbox/v1/login"

// loginRequest and loginResponse are the login endpoint's bodies.
type loginRequest struct {
	Handle string `json:"handle"`
}

type loginResponse struct {
	Token string `json:"token"`
}

// handleLogin serves LoginPath. It is not rate limited and needs no bearer
// token: it is where tokens come from.
func (s *Sim) handleLogin(w http.ResponseWriter, r *http.Request) {
	var req loginRequest
	if res := decodeBody(r, &req); res != nil {
		writeResult(w, *res)
		return
	}
	token, err := s.Login(req.Handle)
	if err != nil {
		writeResult(w, invalidBody("The `handle` field %q is not a username: a username is 1 to 15 letters, digits or underscores", req.Handle))
		return
	}
	writeResult(w, answerOK(loginResponse{Token: token}))
}
