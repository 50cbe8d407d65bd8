package api

import (
	"context"
	"log/slog"
	"net/http"

	"github.com/danielgtaylor/huma/v2"
)

// health is the body of GET /healthz.
type health struct {
	Status   string `json:"status" enum:"ok,unavailable" doc:"ok when the server can serve requests." example:"ok"`
	Database string `json:"database" enum:"ok,unavailable" doc:"ok when the store answers (the reason it does not goes to the server's log, not to the client)." example:"ok"`
}

type healthOutput struct {
	Status int
	Body   health
}

// registerHealth registers GET /healthz: no key needed, for load balancers
// and orchestrators. It answers 503 when the store does not answer.
func registerHealth(api huma.API, check func(context.Context) error, log *slog.Logger) {
	huma.Register(api, huma.Operation{
		OperationID: "get-health",
		Method:      http.MethodGet,
		Path:        "/healthz",
		Summary:     "Health",
		Description: "Reports whether the server and its store answer. Needs no API key. 200 when healthy, 503 when the store does not answer.",
		Tags:        []string{"Health"},
		// An empty list, not none: it says in the document that this
		// operation needs no key (linters check every operation has one).
		Security: []map[string][]string{},
		Responses: map[string]*huma.Response{
			"503": {Description: "The store does not answer."},
		},
	}, func(ctx context.Context, _ *struct{}) (*healthOutput, error) {
		out := &healthOutput{Status: http.StatusOK, Body: health{Status: "ok", Database: "ok"}}
		if check != nil {
			if err := check(ctx); err != nil {
				log.Error("health check: the store does not answer", "error", err)
				out.Status = http.StatusServiceUnavailable
				out.Body = health{Status: "unavailable", Database: "unavailable"}
			}
		}
		return out, nil
	})
}
