package api

import (
	"context"
	"errors"
	"net"
	"net/http"
	"strings"

	"github.com/danielgtaylor/huma/v2"

	"github.com/outreachhq/outreach/core/secrets"
	"github.com/outreachhq/outreach/core/service"
)

// Names of the security schemes in the OpenAPI document.
const (
	schemeAPIKey = "apiKey"
	schemeBearer = "bearer"
)

// securitySchemes are the two ways the hosted API accepts a key.
func securitySchemes() map[string]*huma.SecurityScheme {
	return map[string]*huma.SecurityScheme{
		schemeAPIKey: {
			Type:        "apiKey",
			In:          "header",
			Name:        "X-API-Key",
			Description: "API key (sk_live_...) in the X-API-Key header. Recommended.",
		},
		schemeBearer: {
			Type:        "http",
			Scheme:      "bearer",
			Description: "API key (sk_live_...) as a bearer token: Authorization: Bearer sk_live_...",
		},
	}
}

// securityRequirement accepts either scheme: two entries are alternatives.
func securityRequirement() []map[string][]string {
	return []map[string][]string{{schemeAPIKey: {}}, {schemeBearer: {}}}
}

// gate authenticates a request to /api/v1 and counts it against its rate
// limit before next runs, so no operation can be reached without a key and
// every response, errors included, carries the X-RateLimit-* headers.
//
// A request with a valid key counts against that key. One without a valid
// key counts against the client's address instead: that bounds the limiter's
// memory to real keys and clients, and throttles anyone guessing keys. When
// that address is over its limit, the answer is 429 rather than 401.
func (s *Server) gate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		var (
			failure   *Error
			workspace string
			bucket    = "addr:" + clientAddr(r)
		)
		switch key := apiKeyFrom(r); {
		case key == "":
			failure = newError(http.StatusUnauthorized, msgMissingKey)
		default:
			ws, err := s.svc.Authenticate(ctx, key)
			switch {
			case err == nil:
				workspace = ws
				// A hash, so that the limiter's map, which lives as long
				// as the server, holds no API key in plain text.
				bucket = "key:" + secrets.HashAPIKey(key)
			case errors.Is(err, service.ErrUnauthorized):
				failure = newError(http.StatusUnauthorized, msgInvalidKey)
			default:
				failure = internalError(ctx, err)
			}
		}

		q := s.limiter.take(bucket)
		q.setHeaders(w.Header())
		switch {
		case !q.allowed:
			writeError(w, q.rateLimitError())
		case failure != nil:
			writeError(w, failure)
		default:
			next.ServeHTTP(w, r.WithContext(context.WithValue(ctx, workspaceKey, workspace)))
		}
	})
}

// apiKeyFrom returns the key from X-API-Key or, failing that, from an
// "Authorization: Bearer" header; "" when neither holds one.
func apiKeyFrom(r *http.Request) string {
	if key := strings.TrimSpace(r.Header.Get("X-API-Key")); key != "" {
		return key
	}
	scheme, token, ok := strings.Cut(strings.TrimSpace(r.Header.Get("Authorization")), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return ""
	}
	return strings.TrimSpace(token)
}

// clientAddr is the client's IP address without the port, which changes
// with every connection.
func clientAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// workspaceFrom returns the workspace the gate authenticated. Operations
// registered on the /api/v1 group always run behind the gate.
func workspaceFrom(ctx context.Context) string {
	ws, _ := ctx.Value(workspaceKey).(string)
	return ws
}
