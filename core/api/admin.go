package api

import (
	"crypto/subtle"
	"net/http"
)

// AdminPath is where operator tools (River's UI, on Postgres) are served.
const AdminPath = "/admin/jobs"

// adminUser is the user name of the operator's HTTP Basic credential; its
// password is the operator token.
const adminUser = "operator"

// adminGate lets through only requests that carry the operator's
// credential: HTTP Basic, user "operator", the operator token as password
// (a browser asks for it). A workspace's API key is no such credential:
// these tools see every workspace.
func adminGate(token string, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		user, pass, ok := r.BasicAuth()
		good := ok && subtle.ConstantTimeCompare([]byte(user), []byte(adminUser)) == 1 &&
			subtle.ConstantTimeCompare([]byte(pass), []byte(token)) == 1
		if !good {
			w.Header().Set("WWW-Authenticate", `Basic realm="outreach operator", charset="UTF-8"`)
			writeError(w, newError(http.StatusUnauthorized, "the operator's credential is required: user "+adminUser+", the operator token as password"))
			return
		}
		next.ServeHTTP(w, r)
	})
}
