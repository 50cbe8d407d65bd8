package api

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/yaml"
)

// OpenAPI 3.0 has no webhooks: huma's downgrade keeps the 3.1 document's
// top-level webhooks map, which makes the 3.0 document invalid (a
// validator such as Redocly's refuses the field). The server serves the
// 3.0 document itself, with the webhooks moved to x-webhooks, the
// extension that Redoc reads for 3.0.

// The routes of huma's 3.0 documents, which routeMux replaces.
const (
	openAPI30JSON = "GET /openapi-3.0.json"
	openAPI30YAML = "GET /openapi-3.0.yaml"
)

// openAPI30 returns the document as OpenAPI 3.0 JSON.
func openAPI30(oapi *huma.OpenAPI) ([]byte, error) {
	b, err := oapi.Downgrade()
	if err != nil {
		return nil, fmt.Errorf("downgrade the OpenAPI document: %w", err)
	}
	var doc map[string]any
	if err := json.Unmarshal(b, &doc); err != nil {
		return nil, fmt.Errorf("downgrade the OpenAPI document: %w", err)
	}
	if w, ok := doc["webhooks"]; ok {
		delete(doc, "webhooks")
		doc["x-webhooks"] = w
	}
	return json.Marshal(doc)
}

// openAPI30Handlers serve the 3.0 document of api in JSON and YAML, in
// place of huma's. The document is read at each request: operations may be
// registered after New (tests do).
func openAPI30Handlers(api func() huma.API) map[string]http.Handler {
	serve := func(contentType string, asYAML bool) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			b, err := openAPI30(api().OpenAPI())
			if err == nil && asYAML {
				var buf bytes.Buffer
				err = yaml.Convert(&buf, bytes.NewReader(b))
				b = buf.Bytes()
			}
			if err != nil {
				writeError(w, internalError(r.Context(), err))
				return
			}
			w.Header().Set("Content-Type", contentType)
			w.Write(b)
		})
	}
	return map[string]http.Handler{
		openAPI30JSON: serve("application/openapi+json", false),
		openAPI30YAML: serve("application/openapi+yaml", true),
	}
}
